"""A conda plugin whose hook raises."""

from conda.plugins import hookimpl
from conda.plugins.types import CondaSubcommand


@hookimpl
def conda_subcommands():
    yield CondaSubcommand(name="fine", summary="Fine.", action=lambda args: 0)
    raise RuntimeError("the plugin broke")


@hookimpl
def conda_settings():
    from conda.base.context import context

    return [context.no_such_setting]
