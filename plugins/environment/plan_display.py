"""How a transaction plan is shown: conda's ``## Package Plan ##`` text and ``--json`` shape.

Text follows conda's layout byte for byte (environment location, added / updated or
removed specs, the download table with sizes and channels, then NEW / REMOVED / UPDATED /
SUPERSEDED / DOWNGRADED / REVISED sections, with conda's column widths). JSON follows
``conda install --json``: ``actions`` with ``FETCH`` (full
records), ``LINK`` / ``UNLINK`` (conda's ``dist_fields_dump``: ``base_url``,
``build_number``, ``build_string``, ``channel``, ``dist_name``, ``name``, ``platform``,
``version``) and ``PREFIX``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from plugins.prefix.records import record_dict


def channel_parts(record: dict[str, Any]) -> tuple[str, str]:
    """``(canonical channel name, base URL)`` of a record dict."""
    from kernel.models import Channel

    text = str(record.get("channel") or "")
    if not text and record.get("url"):
        text = str(record["url"]).rsplit("/", 1)[0]
    if not text:
        return "<unknown>", ""
    try:
        channel = Channel(text)
    except Exception:
        return text, text
    canonical = str(channel.canonical_name)
    base = channel.base_url or text
    return canonical, str(base)


def dist_name(record: dict[str, Any]) -> str:
    return f"{record['name']}-{record['version']}-{record['build']}"


def dist_fields(record: Any) -> dict[str, Any]:
    """conda's ``dist_fields_dump`` of a record: ``channel`` is the channel's name
    (``pkgs/main``, ``test-recipes``), not its canonical name."""
    from kernel.models import Channel

    data = record_dict(record)
    canonical, base = channel_parts(data)
    name = canonical
    if base:
        try:
            name = Channel(base).name or canonical
        except ValueError:  # InvalidChannel: keep the canonical text
            pass
    return {"base_url": base, "build_number": int(data.get("build_number") or 0),
            "build_string": data["build"], "channel": name,
            "dist_name": dist_name(data), "name": data["name"],
            "platform": data.get("subdir"), "version": data["version"]}


def _schannel_sub(data: dict[str, Any]) -> str:
    canonical, _ = channel_parts(data)
    subdir = data.get("subdir")
    return f"{canonical}/{subdir}" if subdir else canonical


def human_size(n: Any) -> str:
    """``512 B``, ``2 KB``, ``3.2 MB``, ``1.05 GB``: conda's ``human_bytes`` (KB rounded to
    whole numbers, MB to one decimal, GB to two)."""
    size = float(n or 0)
    if size < 1024:
        return f"{int(size)} B"
    size /= 1024
    if size < 1024:
        return f"{round(size)} KB"
    size /= 1024
    if size < 1024:
        return f"{size:.1f} MB"
    return f"{size / 1024:.2f} GB"


def _version_key(version: str) -> Any:
    from kernel.models import VersionOrder

    try:
        return VersionOrder(version)
    except Exception:
        return None


def _channel_name(record: dict[str, Any]) -> str | None:
    """The record's channel name as conda's ``record_id`` shows it (``pkgs/main``,
    ``conda-forge``, ``test-recipes`` for a ``file://`` channel)."""
    from kernel.models import Channel

    text = str(record.get("channel") or "")
    if not text and record.get("url"):
        text = str(record["url"]).rsplit("/", 1)[0]
    if not text:
        return None
    try:
        return Channel(text).name or None
    except Exception:
        return text


def _same_record(a: dict[str, Any], b: dict[str, Any]) -> bool:
    keys = ("name", "version", "build", "build_number", "subdir")
    return all(a.get(k) == b.get(k) for k in keys) and _channel_name(a) == _channel_name(b)


#: section key → title; the order is conda's
_TITLES = {"NEW": "The following NEW packages will be INSTALLED:",
           "REMOVED": "The following packages will be REMOVED:",
           "UPDATED": "The following packages will be UPDATED:",
           "SUPERSEDED": "The following packages will be SUPERSEDED by a higher-priority "
                         "channel:",
           "DOWNGRADED": "The following packages will be DOWNGRADED:",
           "REVISED": "The following packages will be REVISED:"}


def classify(unlink: Sequence[Any], link: Sequence[Any]) -> dict[str, list[Any]]:
    """Split a plan into conda's sections, each a list of (old, new) dict pairs by name.

    UPDATED: a higher version, or the same version with a higher build number; otherwise,
    from the same channel and subdir, REVISED (same version, other build) or DOWNGRADED;
    from another channel, SUPERSEDED. A record relinked unchanged is in no section.
    """
    old = {d["name"]: d for d in map(record_dict, unlink)}
    new = {d["name"]: d for d in map(record_dict, link)}
    sections: dict[str, list[Any]] = {key: [] for key in _TITLES}
    for name in sorted(set(old) | set(new)):
        before, after = old.get(name), new.get(name)
        if before is None:
            sections["NEW"].append((None, after))
            continue
        if after is None:
            sections["REMOVED"].append((before, None))
            continue
        a, b = _version_key(str(before["version"])), _version_key(str(after["version"]))
        higher_build = int(after.get("build_number") or 0) > int(before.get("build_number")
                                                                  or 0)
        if a is not None and b is not None and (b > a or (b == a and higher_build)):
            sections["UPDATED"].append((before, after))
        elif (_channel_name(before) == _channel_name(after)
              and before.get("subdir") == after.get("subdir")):
            if _same_record(before, after):
                continue
            same_version = a is not None and a == b
            key = "REVISED" if same_version and before["build"] != after["build"] else (
                "DOWNGRADED")
            sections[key].append((before, after))
        else:
            sections["SUPERSEDED"].append((before, after))
    return sections


def _record_id(record: dict[str, Any]) -> str:
    return f"{_channel_name(record)}/{record.get('subdir')}::{dist_name(record)}"


def _change(before: dict[str, Any], after: dict[str, Any]) -> tuple[str, str]:
    """conda's two sides of a change: only what differs (channel, subdir, version-build)."""
    left: list[str] = []
    right: list[str] = []
    old_channel, new_channel = _channel_name(before), _channel_name(after)
    moved = old_channel != new_channel
    subdir_moved = before.get("subdir") != after.get("subdir")
    versioned = (before["version"] != after["version"] or before["build"] != after["build"])
    if moved or subdir_moved:
        if old_channel is not None:
            left.append(old_channel)
        if new_channel is not None:
            right.append(new_channel)
    if subdir_moved:
        left.append(f"/{before.get('subdir')}")
        right.append(f"/{after.get('subdir')}")
    if (moved or subdir_moved) and versioned:
        left.append(f"::{before['name']}-")
        right.append(f"::{after['name']}-")
    if versioned:
        left.append(f"{before['version']}-{before['build']}")
        right.append(f"{after['version']}-{after['build']}")
    return "".join(left), "".join(right)


def _key_column(name: str) -> str:
    return name if len(name) <= 18 else name[:17] + "~"


def _download_lines(to_download: Sequence[Any]) -> list[str]:
    from kernel.config import get_config

    show = get_config().show_channel_urls
    lines = ["", "The following packages will be downloaded:", "",
             f"    {'package':<27}|{'build':>17}", f"    {'-' * 27}|{'-' * 17}"]
    total = 0
    for data in sorted(map(record_dict, to_download), key=lambda d: d["name"]):
        size = int(data.get("size") or 0)
        total += size
        line = f"    {data['name'] + '-' + data['version']:<27}|{data['build']:>17}"
        line += f"{human_size(size):>15}"
        canonical = channel_parts(data)[0]
        if show is not False and not (show is None and canonical == "defaults"):
            line += f"  {canonical}"
        lines.append(line)
    lines += [f"    {'-' * 60}", f"{' ' * 43}Total: {human_size(total):>14}"]
    return lines


def plan_text(prefix: str, unlink: Sequence[Any], link: Sequence[Any], *,
              specs: Iterable[str] = (), removed: bool = False,
              to_download: Sequence[Any] = ()) -> str:
    """conda's ``## Package Plan ##`` block, byte for byte, ending with blank lines."""
    lines = ["", "## Package Plan ##", "", f"  environment location: {prefix}", ""]
    spec_list = sorted(specs)
    if spec_list:
        lines.append("  removed specs:" if removed else "  added / updated specs:")
        lines.extend(f"    - {s}" for s in spec_list)
        lines.append("")
    if to_download:
        lines += _download_lines(to_download)
    for key, pairs in classify(unlink, link).items():
        if not pairs:
            continue
        lines += ["", _TITLES[key], ""]
        for before, after in pairs:
            if key == "NEW":
                lines.append(f"  {_key_column(after['name']):<18} {_record_id(after)} ")
            elif key == "REMOVED":
                lines.append(f"  {dist_name(before)}")
            else:
                left, right = _change(before, after)
                left = left if len(left) <= 38 else left[:37] + "~"
                lines.append(f"  {_key_column(after['name']):<18} {left:>38} --> {right} ")
    lines += ["", ""]
    return "\n".join(lines) + "\n"


def actions_json(prefix: str, unlink: Sequence[Any], link: Sequence[Any],
                 fetch: Sequence[Any] = ()) -> dict[str, Any]:
    """conda's legacy action groups for ``--json``."""
    actions: dict[str, Any] = {"FETCH": [record_dict(r) for r in fetch],
                               "LINK": [dist_fields(r) for r in link],
                               "PREFIX": prefix,
                               "UNLINK": [dist_fields(r) for r in unlink]}
    return actions
