"""``conda update`` / ``conda upgrade``: newer versions of installed packages.

Named packages must be installed (else ``PackageNotInstalledError``); ``--all`` updates
every package the environment holds.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from kernel import hookimpl
from kernel.types import CondaSubcommand

SUMMARY = "Update conda packages to the latest compatible version."


def configure_parser(parser: argparse.ArgumentParser) -> None:
    from plugins.subcommands.install import configure_parser as install_parser

    install_parser(parser)
    parser.add_argument("--all", "--update-all", dest="all", action="store_true",
                        help="Update all installed packages in the environment.")


def execute(args: argparse.Namespace) -> int:
    from kernel.errors import ArgumentError
    from plugins.environment.install_flow import (
        PackageNotInstalledError,
        parse_specs,
        run_change,
    )
    from plugins.prefix import PrefixData
    from plugins.subcommands.install import build_change

    if args.all and (args.packages or args.file):
        raise ArgumentError("--all cannot be used with specs or --file")
    change = build_change(args, "update", allow_empty=args.all)
    installed = PrefixData(change.prefix).raw_records()
    if args.all:
        change.specs_to_add = parse_specs(sorted(installed))
        change.update_modifier = "update_all"
    else:
        for spec in change.specs_to_add:
            if spec.name not in installed:
                raise PackageNotInstalledError(
                    f"Package is not installed in prefix: {spec.name} (prefix: "
                    f"{change.prefix})", package=spec.name, prefix=change.prefix)
        change.update_modifier = change.update_modifier or "update_specs"
    return run_change(change)


@hookimpl
def conda_subcommands() -> Iterator[CondaSubcommand]:
    yield CondaSubcommand(name="update", summary=SUMMARY, action=execute,
                          configure_parser=configure_parser, aliases=("upgrade",))
