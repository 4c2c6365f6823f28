from kernel import hookimpl


@hookimpl
def conda_subcommands():
    raise RuntimeError("boom while declaring")
    yield
