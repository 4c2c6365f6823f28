from kernel import hookimpl
from kernel.types import CondaSubcommand


@hookimpl
def conda_subcommands():
    yield CondaSubcommand(name="good", summary="Same name as good.", action=lambda args: 0)
