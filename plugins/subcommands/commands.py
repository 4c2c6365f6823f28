"""``conda commands``: every command name and alias, one per line (for shell completion)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kernel import hookimpl
from kernel.types import CondaSubcommand

if TYPE_CHECKING:
    import argparse


def command_names() -> list[str]:
    """Sorted names and aliases of every registered subcommand."""
    from kernel.manager import get_plugin_manager

    records = get_plugin_manager().hook_results("conda_subcommands")
    return sorted({name for r in records for name in (r.name, *r.aliases)})


def execute(args: argparse.Namespace) -> int:
    from kernel import reporting

    reporting.render(command_names())
    return 0


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """No options of its own; ``--json`` prints a JSON list."""


@hookimpl
def conda_subcommands() -> Iterator[CondaSubcommand]:
    yield CondaSubcommand(name="commands", summary="List all available conda commands.",
                          action=execute, configure_parser=configure_parser)
