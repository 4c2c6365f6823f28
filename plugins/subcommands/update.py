"""``conda update`` / ``conda upgrade``: newer versions of installed packages.

Named packages must be installed (else ``PackageNotInstalledError``); ``--all`` (the
``update_all`` modifier, also ``--update-all``) updates every package the environment
holds, and may name specs too, as in conda.
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


def execute(args: argparse.Namespace) -> int:
    from kernel.config import get_config
    from plugins.environment.install_flow import PackageNotInstalledError, run_change
    from plugins.prefix import PrefixData
    from plugins.subcommands.install import build_change

    every = (args.update_modifier or get_config().update_modifier) == "update_all"
    change = build_change(args, "update", allow_empty=every)
    installed = PrefixData(change.prefix).raw_records()
    if every:
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
