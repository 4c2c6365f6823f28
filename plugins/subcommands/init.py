"""``conda init [SHELL…] [--all] [--reverse] [--dry-run]``: install the shell function.

Adds (or with ``--reverse`` removes) conda's marked block in each shell's startup file under
``$HOME``; see :mod:`plugins.shells.initialize`. With no shell named, ``bash`` (conda's
default on Linux and macOS; ``powershell`` on Windows).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kernel import hookimpl
from kernel.types import CondaSubcommand

if TYPE_CHECKING:
    import argparse

SHELLS = ("bash", "fish", "powershell", "tcsh", "xonsh", "zsh")


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shells", nargs="*", metavar="SHELL",
                        help=f"Shells to initialize: {', '.join(SHELLS)}.")
    parser.add_argument("--all", action="store_true", help="Initialize every known shell.")
    parser.add_argument("--reverse", action="store_true",
                        help="Remove the conda block from the shells' startup files.")
    parser.add_argument("-d", "--dry-run", action="store_true",
                        help="Only show which files would change.")


def execute(args: argparse.Namespace) -> int:
    import json
    import os

    from kernel.config import get_config
    from kernel.errors import CondaError
    from plugins.shells.activator import command_name, exe_argv
    from plugins.shells.initialize import INIT_SHELLS, initialize

    config = get_config()
    unknown = [s for s in args.shells if s not in SHELLS]
    if unknown:
        from kernel.errors import ArgumentError

        raise ArgumentError(f"conda init: unsupported shell '{unknown[0]}' "
                            f"(choose from {', '.join(SHELLS)})")
    shells = list(INIT_SHELLS) if args.all else list(dict.fromkeys(args.shells))
    if not shells:
        shells = ["powershell" if sys.platform == "win32" else "bash"]
    argv = exe_argv()
    dry_run = bool(args.dry_run or config.dry_run)
    try:
        results = initialize(shells, argv, os.environ, reverse=args.reverse, dry_run=dry_run,
                             command=command_name())
    except OSError as exc:
        raise CondaError(f"cannot write {exc.filename}: {exc.strerror}",
                         path=str(exc.filename)) from None
    if config.json:
        print(json.dumps({"success": True, "dry_run": dry_run, "actions": results},
                         indent=2))
        return 0
    width = max(len(r["result"]) for r in results)
    for r in results:
        print(f"{r['result']:<{width}}  {r['path']}")
    if dry_run:
        print("\nDry run: no file was changed.")
    elif any(r["result"] == "modified" for r in results):
        print("\n==> For changes to take effect, close and re-open your current shell. <==")
    else:
        print("\nNo action taken.")
    return 0


@hookimpl
def conda_subcommands() -> Iterator[CondaSubcommand]:
    yield CondaSubcommand(name="init", summary="Initialize conda for shell interaction.",
                          action=execute, configure_parser=configure_parser)
