"""``conda list``: the packages installed in an environment, in conda's formats.

Plain output is conda's table (``# packages in environment at PREFIX:``, columns Name,
Version, Build, Channel; the channel is shown unless it is ``defaults``, or always with
``--show-channel-urls``). ``--json`` prints a list of conda's ``dist_fields_dump`` dicts;
``--export`` prints ``name=version=build`` lines, ``--explicit`` an ``@EXPLICIT`` file of
URLs in conda's dependency order (``--md5`` / ``--sha256`` append the checksum after ``#``);
``--revisions`` prints conda's revision log of ``conda-meta/history`` (installs, removals,
upgrades, downgrades). ``REGEX`` keeps only packages whose name matches it. Packages that
pip installed are listed too (``conda_prefix_data_loaders``; channel ``pypi``), except under
``--explicit`` (they have no URL) and ``--no-pip`` (which conda 26.7 accepts but ignores).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator, Sequence
from typing import Any

from kernel import hookimpl
from kernel.types import CondaSubcommand

SUMMARY = "List installed packages in a conda environment."


def configure_parser(parser: argparse.ArgumentParser) -> None:
    from plugins.environment.prefix_args import add_prefix_args

    parser.add_argument("regex", nargs="?", help="List only packages matching this regular "
                                                 "expression.")
    add_prefix_args(parser)
    parser.add_argument("-f", "--full-name", action="store_true",
                        help="Only search for full names, i.e., ^<regex>$.")
    parser.add_argument("--show-channel-urls", action="store_true", default=None,
                        help="Show channel urls.")
    parser.add_argument("-c", "--canonical", action="store_true",
                        help="Output canonical names of packages only.")
    parser.add_argument("--no-pip", action="store_false", default=True, dest="pip",
                        help="Do not include pip-only installed packages.")
    formats = parser.add_mutually_exclusive_group()
    formats.add_argument("-e", "--export", action="store_true",
                         help="Output explicit, machine-readable requirement strings instead "
                              "of human-readable lists of packages.")
    formats.add_argument("--explicit", action="store_true",
                         help="List explicitly all installed conda packages with URL.")
    formats.add_argument("-r", "--revisions", action="store_true",
                         help="List the revision history.")
    checksum = parser.add_mutually_exclusive_group()
    checksum.add_argument("--md5", action="store_true", help="Add MD5 hashsum when using "
                                                             "--explicit.")
    checksum.add_argument("--sha256", action="store_true", help="Add SHA256 hashsum when "
                                                                "using --explicit.")


def _select(records: Sequence[dict[str, Any]], regex: str | None,
            full_name: bool) -> list[dict[str, Any]]:
    from kernel.errors import ArgumentError

    if not regex:
        return list(records)
    pattern = f"^{regex}$" if full_name else regex
    try:
        compiled = re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ArgumentError(f"invalid regular expression '{regex}': {exc}",
                            regex=regex) from None
    return [r for r in records if compiled.search(str(r["name"]))]


def export_header(subdir: str) -> str:
    from kernel import __version__

    return ("# This file may be used to create an environment using:\n"
            "# $ conda create --name <env> --file <this file>\n"
            f"# platform: {subdir}\n# created-by: microconda {__version__}\n")


def human_lines(prefix: str, records: Sequence[dict[str, Any]],
                show_channel_urls: bool | None) -> str:
    """conda's table: columns at least 23, 15, 15 wide (two spaces apart) that widen to
    their longest value; the channel is hidden for ``defaults`` unless asked for."""
    from plugins.environment.plan_display import channel_parts

    titles = ("Name", "Version", "Build", "Channel")
    widths = [23, 15, 15, 1]
    rows = []
    for data in records:
        canonical, _ = channel_parts(data)
        shown = show_channel_urls or (show_channel_urls is None and canonical != "defaults")
        row = (str(data["name"]), str(data["version"]), str(data["build"]),
               canonical if shown else "")
        widths = [max(w, len(v)) for w, v in zip(widths, row, strict=True)]
        rows.append(row)
    header = "# " + "  ".join(f"{t:<{w}}" for t, w in zip(titles, widths, strict=True))
    widths[0] += 2  # the header's "# " sits in the name column
    lines = [f"# packages in environment at {prefix}:", "#", header.rstrip()]
    lines += ["  ".join(f"{v:<{w}}" for v, w in zip(row, widths, strict=True)).rstrip()
              for row in rows]
    return "\n".join(lines) + "\n"


def explicit_lines(records: Sequence[dict[str, Any]], subdir: str, checksum: str | None) -> str:
    from kernel.session import strip_credentials

    lines = [export_header(subdir).rstrip("\n"), "@EXPLICIT"]
    for data in records:
        url = data.get("url")
        if not url:
            lines.append(f"# no URL for: {data.get('fn') or data['name']}")
            continue
        url = strip_credentials(str(url))
        value = data.get(checksum) if checksum else None
        lines.append(f"{url}#{value}" if value else url)
    return "\n".join(lines) + "\n"


def revisions(prefix: str, as_json: bool) -> Any:
    """conda's revision log: ``object_log`` under ``--json``, else ``print_log``'s text."""
    from plugins.environment.revisions import object_log, text_log

    return object_log(prefix) if as_json else text_log(prefix)


def execute(args: argparse.Namespace) -> int:
    from kernel import reporting
    from plugins.environment.plan_display import dist_fields, dist_name
    from plugins.environment.prefix_args import apply_overrides
    from plugins.environment.resolve_prefix import resolve_prefix
    from plugins.prefix import PrefixData

    config = apply_overrides(args)
    prefix = resolve_prefix(args, config)
    if args.revisions:
        reporting.render(revisions(prefix, bool(config.json)))
        return 0
    subdir = str(config.subdir)
    if args.explicit and not config.json:
        # conda's --explicit lists what conda installed: pip's packages have no URL
        from plugins.prefix.record_order import dependency_order

        conda_only = PrefixData(prefix).raw_records()
        checksum = "md5" if args.md5 else ("sha256" if args.sha256 else None)
        # conda's order: dependencies first (PrefixData.iter_records_sorted)
        reporting.render(explicit_lines(dependency_order(conda_only.values()), subdir,
                                        checksum))
        return 0
    raw = PrefixData(prefix, interoperability=args.pip).raw_records()
    records = _select([raw[n] for n in sorted(raw)], args.regex, args.full_name)
    if config.json:
        reporting.render([dist_fields(r) for r in records])
    elif args.export:
        reporting.render(export_header(subdir) + "".join(
            f"{r['name']}={r['version']}={r['build']}\n" for r in records))
    elif args.canonical:
        from plugins.environment.plan_display import channel_parts

        reporting.render("".join(f"{channel_parts(r)[0]}/{r.get('subdir')}::{dist_name(r)}\n"
                                 for r in records))
    else:
        reporting.render(human_lines(prefix, records, config.show_channel_urls))
    return 0


@hookimpl
def conda_subcommands() -> Iterator[CondaSubcommand]:
    yield CondaSubcommand(name="list", summary=SUMMARY, action=execute,
                          configure_parser=configure_parser)
