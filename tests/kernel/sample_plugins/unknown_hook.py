from kernel import hookimpl


@hookimpl
def conda_frobnicate():
    yield None
