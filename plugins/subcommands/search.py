"""``conda search [MATCH_SPEC]``: find packages in channels (or, with ``--envs``, in
environments).

Output follows conda: a ``Loading channels`` line then a table (``# Name  Version  Build
Channel``); ``-i`` shows every record in detail; ``--json`` prints ``{name: [record, …]}``.
No match is a :class:`~kernel.errors.PackagesNotFoundError` naming the channels searched.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from typing import Any

from kernel import hookimpl
from kernel.types import CondaSubcommand

SUMMARY = "Search for packages and display associated information using the MatchSpec format."


def configure_parser(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("match_spec", nargs="?", default="*", metavar="MATCH_SPEC",
                        help="Query in the MatchSpec format, e.g. 'numpy>=1.20' (default: *).")
    parser.add_argument("-c", "--channel", action="append", default=[], dest="channel",
                        help="Additional channel to search (highest priority first).")
    parser.add_argument("--override-channels", action="store_true",
                        help="Do not search the configured channels; requires -c.")
    parser.add_argument("--platform", "--subdir", dest="subdir", metavar="SUBDIR",
                        help="Search the given subdir (e.g. osx-arm64) and noarch.")
    parser.add_argument("-i", "--info", action="store_true",
                        help="Show detailed information about each package.")
    parser.add_argument("--envs", action="store_true",
                        help="Search all environments for installed packages.")
    parser.add_argument("--skip-flexible-search", action="store_true",
                        help="Do not retry a plain name as '*name*' when nothing matches.")
    parser.add_argument("--offline", action="store_true", help="Use only cached repodata.")
    parser.add_argument("-C", "--use-index-cache", action="store_true",
                        help="Use cached repodata without checking the server.")
    from plugins.environment.prefix_args import add_shards_flag

    add_shards_flag(parser)


def pretty_record(record: Any) -> str:
    """conda's ``search --info`` block for one record."""
    import datetime

    title = f"{record.name} {record.version} {record.build}"
    lines = [title, "-" * len(title)]
    fields = (("file name", "fn"), ("name", "name"), ("version", "version"),
              ("build", "build"), ("build number", "build_number"), ("size", "size"),
              ("license", "license"), ("subdir", "subdir"), ("url", "url"), ("md5", "md5"))
    for label, attr in fields:
        value = getattr(record, attr, None)
        if attr == "size":
            from plugins.environment.plan_display import human_size

            value = human_size(value)
        if value not in (None, ""):
            lines.append(f"{label:<12}: {value}")
    stamp = getattr(record, "timestamp", None)
    if stamp:
        seconds = stamp / 1000 if stamp > 253402300799 else stamp
        when = datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc)
        lines.append(f"{'timestamp':<12}: {when:%Y-%m-%d %H:%M:%S} UTC")
    features = getattr(record, "track_features", None)
    if features:
        text = features if isinstance(features, str) else " ".join(features)
        lines.append(f"{'track_features':<12}: {text}")
    for label, attr in (("constraints", "constrains"), ("dependencies", "depends")):
        values = list(getattr(record, attr, None) or ())
        if values:
            lines.append(f"{label}:")
            lines.extend(f"  - {v}" for v in values)
    return "\n".join(lines) + "\n\n"


def _channel_label(record: Any) -> str:
    """The record's channel name, as conda's table shows it (``conda-forge``, ``pkgs/main``,
    ``test-recipes`` for a ``file://`` channel)."""
    from kernel.models import Channel
    from kernel.session import redact_url

    channel = getattr(record, "channel", None)
    if channel is not None and not isinstance(channel, Channel):
        try:
            channel = Channel(str(channel))
        except Exception:
            return redact_url(str(channel))
    return redact_url(str(getattr(channel, "name", None) or channel or ""))


def table_text(rows: Sequence[Sequence[str]], *, locations: bool = False) -> str:
    """conda's search table: fixed columns (``%-20s %15s %15s  %-20s``) that long values
    push out, with a ``Location`` column for ``--envs``."""
    if locations:
        lines = [f"# {'Name':<13} {'Version':>15} {'Build':>15}  {'Channel':<20} {'Location':<20}"]
        lines += [f"{n:<15} {v:>15} {b:>15}  {c:<20} {loc:<20}" for n, v, b, c, loc in rows]
    else:
        lines = [f"# {'Name':<18} {'Version':>15} {'Build':>15}  {'Channel':<20}"]
        lines += [f"{n:<20} {v:>15} {b:>15}  {c:<20}" for n, v, b, c in rows]
    return "\n".join(lines) + "\n"


def _dump(record: Any) -> dict[str, Any]:
    for method in ("dump", "to_dict", "to_json"):
        dump = getattr(record, method, None)
        if callable(dump):
            return dict(dump())
    return dict(vars(record))  # pragma: no cover - every PackageRecord has dump()


def _matches(index: Any, spec: Any) -> list[Any]:
    import fnmatch

    from kernel.models.version_order import VersionOrder

    raw = spec.get_raw_value("name") if hasattr(spec, "get_raw_value") else spec.name
    name = str(raw or "*")
    if any(c in name for c in "*?["):
        if name == "*" and getattr(index, "sharded", None):  # conda's refusal
            from kernel.errors import CondaError

            raise CondaError("Cannot search for bare '*'. Please include package name in "
                             "search.")
        names = [n for n in index.names() if fnmatch.fnmatchcase(n, name)]
        if hasattr(index, "preload"):
            index.preload(names)  # their shards, fetched in parallel
    else:
        names = [name]
    found = [r for n in names for r in index.records(n) if spec.match(r)]
    return sorted(found, key=lambda r: (r.name, VersionOrder(str(r.version)),
                                        r.build_number, r.build))


def not_found(spec: str, channel_urls: list[str]) -> Exception:
    from kernel.errors import PackagesNotFoundInChannelsError

    return PackagesNotFoundInChannelsError(packages=[spec], channel_urls=channel_urls)


def search(args: argparse.Namespace) -> int:
    from kernel import reporting
    from kernel.config import get_config
    from kernel.models.matchspec import MatchSpec

    config = get_config()
    if args.repodata_use_shards is not None:
        from plugins.environment.prefix_args import apply_overrides

        config = apply_overrides(argparse.Namespace(
            repodata_use_shards=args.repodata_use_shards))
    spec = MatchSpec(args.match_spec)
    if args.envs:
        return search_envs(spec, config)
    from plugins.index import load_index

    with reporting.spinner("Loading channels"):
        index = load_index(args.channel, (args.subdir, "noarch") if args.subdir else None,
                           override_channels=args.override_channels,
                           offline=True if args.offline else None,
                           use_index_cache=True if args.use_index_cache else None,
                           virtual=False, dependencies=False)
        matches = _matches(index, spec)
    if not matches and not args.skip_flexible_search and spec.get_exact_value("name"):
        flexible = MatchSpec(spec, name=f"*{spec.name}*")
        if not config.json:
            reporting.render(f"No match found for: {spec}. Search: {flexible}")
        matches = _matches(index, flexible)
    if not matches:
        raise not_found(args.match_spec, index.channel_urls())
    if config.json:
        grouped: dict[str, list[dict[str, Any]]] = {}
        for record in matches:
            grouped.setdefault(record.name, []).append(_dump(record))
        reporting.render(grouped)
    elif args.info:
        reporting.render("".join(pretty_record(r) for r in matches))
    else:
        rows = [(r.name, str(r.version), r.build, _channel_label(r)) for r in matches]
        reporting.render(table_text(rows))
    return 0


def known_prefixes(config: Any) -> list[str]:
    """The root prefix, every env in ``envs_dirs`` and those in environments.txt."""
    import os

    found = [str(config.root_prefix)]
    for envs_dir in config.envs_dirs:
        try:
            found.extend(e.path for e in sorted(os.scandir(envs_dir), key=lambda e: e.name))
        except OSError:
            continue
    listing = os.path.join(config.env.get("HOME") or os.path.expanduser("~"), ".conda",
                           "environments.txt")
    try:
        with open(listing, encoding="utf-8") as f:
            found.extend(line.strip() for line in f if line.strip())
    except OSError:
        pass
    unique = dict.fromkeys(os.path.normpath(p) for p in found)
    return [p for p in unique if os.path.isdir(os.path.join(p, "conda-meta"))]


def _installed(prefix: str) -> Iterator[Any]:
    import json
    import os

    from kernel.models import PackageRecord

    meta = os.path.join(prefix, "conda-meta")
    for fn in sorted(os.listdir(meta)):
        if not fn.endswith(".json"):
            continue
        try:
            with open(os.path.join(meta, fn), encoding="utf-8") as f:
                raw = json.load(f)
            yield PackageRecord.from_repodata(raw, str(raw.get("fn") or fn[:-5] + ".conda"))
        except (OSError, ValueError, TypeError, KeyError):
            continue


def search_envs(spec: Any, config: Any) -> int:
    """``--envs``: installed records matching ``spec`` in every known environment."""
    from kernel import reporting

    with reporting.spinner(f"Searching environments for {spec}"):
        results = [(prefix, [r for r in _installed(prefix) if spec.match(r)])
                   for prefix in known_prefixes(config)]
    results = [(prefix, records) for prefix, records in results if records]
    if config.json:
        reporting.render([{"location": prefix, "package_records": [_dump(r) for r in recs]}
                          for prefix, recs in results])
        return 0
    rows = [(r.name, str(r.version), r.build, _channel_label(r), prefix)
            for prefix, recs in results for r in recs]
    reporting.render(table_text(rows, locations=True))
    return 0


@hookimpl
def conda_subcommands() -> Iterator[CondaSubcommand]:
    yield CondaSubcommand(name="search", summary=SUMMARY, action=search,
                          configure_parser=configure_parser)
