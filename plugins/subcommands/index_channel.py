"""``conda index CHANNEL_DIR``: write ``repodata.json`` (+ ``.zst``) for a folder of packages.

Each subdir folder (and ``noarch``, created when absent) gets conda-index's repodata; see
:mod:`plugins.environment.channel_index`; ``--shards`` writes sharded repodata (CEP 16)
beside it, as conda-index ``--write-shards`` does (:mod:`plugins.index.shard_writer`).
An archive that cannot be read is left out with a warning naming it, as conda-index does
(``--no-skip-invalid`` stops instead), and the end says how many were skipped. ``--json``
prints ``{"success", "channel", "subdirs": {subdir: package count}, "skipped": [paths]}``.
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
    parser.add_argument("--skip-invalid", action=argparse.BooleanOptionalAction, default=True,
                        help="Leave out (with a warning) archives that are not readable "
                             "conda packages (the default); --no-skip-invalid stops at "
                             "the first one instead.")
    parser.add_argument("--shards", "--write-shards", dest="shards", action="store_true",
                        help="Also write sharded repodata (repodata_shards.msgpack.zst and "
                             "one <sha256>.msgpack.zst per package name, CEP 16).")


def execute(args: argparse.Namespace) -> int:
    from kernel import reporting
    from kernel.config import get_config
    from plugins.environment.channel_index import index_channel

    config = get_config()
    results = index_channel(args.channel_dir, args.subdirs or None, zst=args.zst,
                            skip_invalid=args.skip_invalid, shards=args.shards)
    for result in results:
        for line in result.warnings:
            reporting.warn(line)
    skipped = [path for r in results for path in r.skipped]
    if config.json:
        reporting.render({"success": True, "channel": args.channel_dir,
                          "subdirs": {r.subdir: r.count for r in results},
                          "skipped": skipped})
        return 0
    if not config.quiet:
        lines = [f"{r.subdir}: {r.count} package(s) indexed\n" for r in results]
        if skipped:
            lines.append(f"{len(skipped)} package file(s) skipped: not readable conda "
                         f"packages (see the warnings above)\n")
        reporting.render("".join(lines))
    return 0


@hookimpl
def conda_subcommands() -> Iterator[CondaSubcommand]:
    yield CondaSubcommand(name="index", summary=SUMMARY, action=execute,
                          configure_parser=configure_parser)
