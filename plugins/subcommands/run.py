"""``conda run [-n NAME | -p PREFIX] [--cwd DIR] COMMAND [ARGS…]``: run in an environment.

The command is everything after the first positional argument, taken as it is
(``argparse.REMAINDER``). The kernel reads global flags (``--json``, ``-v``, ``--debug``…)
anywhere on the line before a ``--``, so write ``conda run -n ENV -- CMD --json`` when the
command itself takes such flags. Output is always streamed; ``--no-capture-output`` and
``--live-stream`` are accepted for conda compatibility. See :mod:`plugins.shells.runner`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kernel import hookimpl
from kernel.types import CondaSubcommand

if TYPE_CHECKING:
    import argparse


def configure_parser(parser: argparse.ArgumentParser) -> None:
    import argparse

    target = parser.add_mutually_exclusive_group()
    target.add_argument("-n", "--name", help="Name of the environment.")
    target.add_argument("-p", "--prefix", help="Full path to the environment.")
    parser.add_argument("--cwd", help="Directory to run the command in.")
    parser.add_argument("--no-capture-output", "--no-capture-outputs", action="store_true",
                        help="Accepted for conda compatibility: output is always streamed.")
    parser.add_argument("--live-stream", action="store_true",
                        help="Accepted for conda compatibility: output is always streamed.")
    parser.add_argument("executable_call", nargs=argparse.REMAINDER, metavar="COMMAND",
                        help="The command and its arguments ('--' first if they use "
                             "conda's global flags).")


def execute(args: argparse.Namespace) -> int:
    import os

    from kernel.config import get_config
    from kernel.errors import ArgumentError, CondaError
    from plugins.shells.activator import locate_prefix
    from plugins.shells.runner import run

    command = list(args.executable_call)
    if command and command[0] == "--":
        command = command[1:]
    if not command:
        raise ArgumentError("conda run: no command given (usage: conda run -n ENV COMMAND "
                            "[ARGS...])")
    config = get_config()
    if args.prefix:
        target = os.path.abspath(os.path.expanduser(args.prefix))
    elif args.name and args.name not in ("base", "root"):
        from plugins.environment.resolve_prefix import prefix_for_name

        target = prefix_for_name(args.name, config)  # conda's "Not a conda environment"
    else:
        target = args.name or os.environ.get("CONDA_PREFIX") or "base"
    prefix = locate_prefix(target, config)
    if args.cwd is not None and not os.path.isdir(args.cwd):
        raise CondaError(f"conda run: --cwd: not a directory: {args.cwd}", path=args.cwd)
    return run(prefix, command, config, cwd=args.cwd)


@hookimpl
def conda_subcommands() -> Iterator[CondaSubcommand]:
    yield CondaSubcommand(name="run", summary="Run an executable in a conda environment.",
                          action=execute, configure_parser=configure_parser)
