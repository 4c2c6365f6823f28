"""``conda activate`` / ``conda deactivate`` run as programs rather than the shell function.

A program cannot change its parent shell's environment, so when these reach the executable
the shell function is missing: say so in conda's words and exit non-zero. With the function
installed (``conda init``), the shell never calls these: it evaluates
``conda shell.<shell> activate …`` instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kernel import hookimpl
from kernel.types import CondaSubcommand

if TYPE_CHECKING:
    import argparse


def configure_activate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("env_name_or_prefix", nargs="?", default="base", metavar="ENV",
                        help="Name or path of the environment to activate (default: base).")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--stack", action="store_true", default=None,
                       help="Keep the active environment's bin on PATH below the new one.")
    group.add_argument("--no-stack", dest="stack", action="store_false",
                       help="Replace the active environment (the default unless auto_stack).")


def configure_deactivate(parser: argparse.ArgumentParser) -> None:
    """No arguments: deactivates the innermost environment."""


def _not_initialized(command: str) -> int:
    from kernel.errors import CondaError

    raise CondaError(f"Run 'conda init' before 'conda {command}'")


@hookimpl
def conda_subcommands() -> Iterator[CondaSubcommand]:
    yield CondaSubcommand(name="activate", summary="Activate a conda environment (needs the "
                          "shell function from 'conda init').",
                          action=lambda args: _not_initialized("activate"),
                          configure_parser=configure_activate)
    yield CondaSubcommand(name="deactivate", summary="Deactivate the current conda environment "
                          "(needs the shell function from 'conda init').",
                          action=lambda args: _not_initialized("deactivate"),
                          configure_parser=configure_deactivate)
