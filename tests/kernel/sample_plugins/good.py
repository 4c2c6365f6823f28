from kernel import hookimpl
from kernel.types import CondaSubcommand


@hookimpl
def conda_subcommands():
    yield CondaSubcommand(name="good", summary="A good command.", action=lambda args: 0)
