"""``conda install``: add packages to an existing environment.

Flags follow conda's (``-n/-p``, ``-c``, ``--override-channels``, ``--file``, ``-y``,
``--dry-run``, ``--json``, ``--offline``, ``--download-only``, ``--freeze-installed``,
``--update-deps``, ``--no-deps``, ``--only-deps``, ``--force-reinstall``, ``--revision N``
to go back to the state after a revision of ``conda list --revisions``); the work is
:func:`plugins.environment.install_flow.run_change`.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kernel import hookimpl
from kernel.types import CondaSubcommand

if TYPE_CHECKING:
    from plugins.environment.install_flow import Change

SUMMARY = "Install a list of packages into a specified conda environment."


def configure_parser(parser: argparse.ArgumentParser) -> None:
    from plugins.environment.prefix_args import (
        add_channel_args,
        add_output_args,
        add_prefix_args,
        add_solver_args,
        add_spec_args,
    )

    add_spec_args(parser)
    add_prefix_args(parser)
    add_channel_args(parser)
    add_solver_args(parser)
    add_output_args(parser)
    parser.add_argument("--download-only", action="store_true",
                        help="Solve an environment and ensure package caches are populated, "
                             "but exit prior to unlinking and linking packages into the "
                             "prefix.")


def build_change(args: argparse.Namespace, command: str, *, creating: bool = False,
                 allow_empty: bool = False) -> Change:
    """The :class:`~plugins.environment.install_flow.Change` of an install-like command."""
    from kernel.errors import ArgumentError
    from plugins.environment.install_flow import Change, parse_specs, read_spec_files
    from plugins.environment.prefix_args import apply_overrides
    from plugins.environment.resolve_prefix import resolve_prefix

    config = apply_overrides(args)
    prefix = resolve_prefix(args, config, creating=creating, must_exist=not creating)
    file_specs, urls = read_spec_files(getattr(args, "file", []))
    values = [*args.packages, *file_specs]
    if not values and not urls and not (creating or allow_empty):
        raise ArgumentError(f"too few arguments, must supply command line package specs "
                            f"or --file (conda {command})")
    return Change(command=command, prefix=prefix, specs_to_add=parse_specs(values),
                  explicit_urls=urls, channels=list(args.channel),
                  override_channels=args.override_channels, creating=creating,
                  update_modifier=getattr(args, "update_modifier", None),
                  deps_modifier=getattr(args, "deps_modifier", None),
                  force_reinstall=bool(getattr(args, "force_reinstall", False)),
                  download_only=bool(getattr(args, "download_only", False)))


def configure_install_parser(parser: argparse.ArgumentParser) -> None:
    configure_parser(parser)
    parser.add_argument("--revision", metavar="REVISION", type=int,
                        help="Revert to the specified REVISION (see 'conda list "
                             "--revisions').")


def revert_change(args: argparse.Namespace) -> Change:
    """``--revision N``: the state after revision N becomes the final environment."""
    from kernel.errors import ArgumentError
    from plugins.environment.revisions import revision_records, state_at

    if args.packages or getattr(args, "file", None):
        raise ArgumentError("--revision cannot be combined with package specs or --file")
    change = build_change(args, "install", allow_empty=True)
    wanted = state_at(change.prefix, int(args.revision))
    change.final_records = revision_records(change.prefix, wanted, change.channels,
                                            change.override_channels)
    return change


def execute(args: argparse.Namespace) -> int:
    from plugins.environment.install_flow import run_change

    if getattr(args, "revision", None) is not None:
        return run_change(revert_change(args))
    return run_change(build_change(args, "install"))


@hookimpl
def conda_subcommands() -> Iterator[CondaSubcommand]:
    yield CondaSubcommand(name="install", summary=SUMMARY, action=execute,
                          configure_parser=configure_install_parser)
