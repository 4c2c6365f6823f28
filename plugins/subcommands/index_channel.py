"""``conda index CHANNEL_DIR``: write ``repodata.json`` (+ ``.zst``) for a folder of packages.

Each subdir folder (and ``noarch``, created when absent) gets conda-index's repodata; see
:mod:`plugins.environment.channel_index`. ``--json`` prints
``{"success", "channel", "subdirs": {subdir: package count}}``.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from kernel import hookimpl
from kernel.types import CondaSubcommand

SUMMARY = "Update package index metadata files (repodata.json) of a local channel."


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("channel_dir", metavar="CHANNEL_DIR",
                        help="The channel folder: subdir folders holding .conda/.tar.bz2 files.")
    parser.add_argument("-s", "--subdir", action="append", default=[], dest="subdirs",
                        help="Index only this subdir (repeatable; default: every subdir "
                             "folder that holds packages, and noarch).")
    parser.add_argument("--no-zst", dest="zst", action="store_false",
                        help="Do not write repodata.json.zst.")
    parser.add_argument("--skip-invalid", action="store_true",
                        help="Leave out (with a warning) archives that are not readable "
                             "conda packages, instead of stopping.")


def execute(args: argparse.Namespace) -> int:
    from kernel import reporting
    from kernel.config import get_config
    from plugins.environment.channel_index import index_channel

    config = get_config()
    results = index_channel(args.channel_dir, args.subdirs or None, zst=args.zst,
                            skip_invalid=args.skip_invalid)
    for result in results:
        for line in result.warnings:
            reporting.warn(line)
    if config.json:
        reporting.render({"success": True, "channel": args.channel_dir,
                          "subdirs": {r.subdir: r.count for r in results}})
        return 0
    if not config.quiet:
        reporting.render("".join(f"{r.subdir}: {r.count} package(s) indexed\n"
                                 for r in results))
    return 0


@hookimpl
def conda_subcommands() -> Iterator[CondaSubcommand]:
    yield CondaSubcommand(name="index", summary=SUMMARY, action=execute,
                          configure_parser=configure_parser)
