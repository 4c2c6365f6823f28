"""``conda env``: environments from files, and their management.

Sub-actions, with conda's flags: ``create`` and ``update`` (``-f/--file``, default
``environment.yml``; ``update --prune``), ``remove``, ``list``, ``export`` and
``config vars list|set|unset``. This module only registers the command; the parser and
actions are imported when ``conda env`` runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kernel import hookimpl
from kernel.types import CondaSubcommand

if TYPE_CHECKING:
    import argparse

SUMMARY = "Create and manage conda environments from environment files."


def configure_parser(parser: argparse.ArgumentParser) -> None:
    from plugins.subcommands.env.parsers import configure

    configure(parser)


def execute(args: argparse.Namespace) -> int:
    from plugins.subcommands.env.actions import run

    return run(args)


@hookimpl
def conda_subcommands() -> Iterator[CondaSubcommand]:
    yield CondaSubcommand(name="env", summary=SUMMARY, action=execute,
                          configure_parser=configure_parser)
