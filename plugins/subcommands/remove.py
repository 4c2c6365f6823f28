"""``conda remove`` / ``conda uninstall``: take packages (or a whole environment) away.

Packages that depend on a removed one go too, unless ``--force`` (remove only the named
packages, leaving the environment possibly inconsistent). ``--all`` removes every package
and then the environment folder itself, unless ``--keep-env``. Removal solves over the
installed records only, so it never needs a channel or the network.
"""

from __future__ import annotations

import argparse
import os
import shutil
from collections.abc import Iterator, Sequence
from typing import Any

from kernel import hookimpl
from kernel.errors import CondaError
from kernel.types import CondaSubcommand, RecordSource

SUMMARY = "Remove a list of packages from a specified conda environment."


class CondaEnvironmentError(CondaError):
    """The environment cannot be removed (the base or the active environment)."""


class InstalledSource(RecordSource):
    """A :class:`RecordSource` holding the records installed in a prefix and the target
    platform's virtual packages (installed records may depend on ``__glibc``, ``__osx``…)."""

    def __init__(self, records: Sequence[Any], virtual: Sequence[Any] = ()):
        self.virtual = list(virtual)
        self._by_name: dict[str, list[Any]] = {}
        for record in [*records, *self.virtual]:
            self._by_name.setdefault(record.name, []).append(record)

    def records(self, name: str) -> Sequence[Any]:
        return self._by_name.get(name, [])

    def channel_rank(self, record: Any) -> int:
        return 0

    def names(self) -> list[str]:
        return list(self._by_name)


def _virtual_packages() -> list[Any]:
    from kernel.config import get_config
    from kernel.manager import get_plugin_manager
    from kernel.virtual_packages import virtual_package_records

    return list(virtual_package_records(get_plugin_manager(), get_config()))


def _source(change: Any, records: Sequence[Any], args: argparse.Namespace) -> Any:
    """What the removal solves over: the installed records, or, when the environment
    uses legacy features (a record with ``features`` or ``track_features``), the
    channels too, as conda does: removing the last package that tracks a feature swaps
    the featured builds it pulled in for plain ones, which only the channels have. If
    the channels cannot be read, the installed records still allow the removal."""
    legacy = any(getattr(r, "features", None) or getattr(r, "track_features", None)
                 for r in records)
    if legacy and not args.all and not args.force:
        from plugins.environment.install_flow import load_source

        try:
            return load_source(change)
        except CondaError:
            pass
    return InstalledSource(records, _virtual_packages())


def configure_parser(parser: argparse.ArgumentParser) -> None:
    from plugins.environment.prefix_args import (
        add_channel_args,
        add_output_args,
        add_prefix_args,
        add_solver_args,
    )

    parser.add_argument("packages", metavar="package_name", nargs="*",
                        help="Package names to remove from the environment.")
    parser.add_argument("--all", action="store_true",
                        help="Remove all packages, i.e., the entire environment.")
    parser.add_argument("--keep-env", action="store_true",
                        help="Used with --all, delete all packages but keep the environment.")
    parser.add_argument("--force", "--force-remove", dest="force", action="store_true",
                        help="Forces removal of a package without removing packages that "
                             "depend on it.")
    add_prefix_args(parser)
    add_channel_args(parser)
    add_solver_args(parser, install=False)
    add_output_args(parser)


def _delete_env(prefix: str) -> None:
    from plugins.prefix import unregister_env

    shutil.rmtree(prefix, ignore_errors=True)
    unregister_env(prefix)


def execute(args: argparse.Namespace) -> int:
    from kernel import reporting
    from kernel.errors import ArgumentError
    from plugins.environment.install_flow import Change, parse_specs, run_change
    from plugins.environment.prefix_args import apply_overrides
    from plugins.environment.resolve_prefix import resolve_prefix
    from plugins.prefix import PrefixData

    config = apply_overrides(args)
    if not args.packages and not args.all:
        raise ArgumentError("no package names supplied; use --all to remove the whole "
                            "environment")
    if args.all and args.packages:
        raise ArgumentError("--all cannot be used with package names")
    prefix = resolve_prefix(args, config)
    records = PrefixData(prefix).records()
    if args.all:
        norm = os.path.normcase(os.path.normpath(prefix))
        if norm == os.path.normcase(os.path.normpath(config.root_prefix)):
            raise CondaEnvironmentError(f"cannot remove the base environment ({prefix})",
                                        prefix=prefix)
        if config.active_prefix and norm == os.path.normcase(
                os.path.normpath(config.active_prefix)):
            raise CondaEnvironmentError(f"cannot remove the active environment ({prefix}); "
                                        f"deactivate it first", prefix=prefix)
    change = Change(command="remove", prefix=prefix, remove_all=args.all,
                    specs_to_remove=parse_specs(args.packages), force_remove=args.force,
                    channels=list(args.channel), override_channels=args.override_channels)
    change.source = _source(change, records, args)
    if args.all and not config.json:
        reporting.render(f"\nRemove all packages in environment {prefix}:\n")
    if records or not args.all:
        code = run_change(change)
    else:
        reporting.confirm()
        code = 0
    if code == 0 and args.all and not args.keep_env and not config.dry_run:
        _delete_env(prefix)
        if not records and config.json:
            reporting.render({"success": True, "prefix": prefix, "actions": {}})
    return code


@hookimpl
def conda_subcommands() -> Iterator[CondaSubcommand]:
    yield CondaSubcommand(name="remove", summary=SUMMARY, action=execute,
                          configure_parser=configure_parser, aliases=("uninstall",))
