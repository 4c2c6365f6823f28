from kernel import hookimpl


@hookimpl
def conda_subcommands(unexpected_argument):
    yield None
