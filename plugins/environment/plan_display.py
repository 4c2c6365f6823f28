"""How a transaction plan is shown: conda's ``## Package Plan ##`` text and ``--json`` shape.

Text follows conda's layout (environment location, added / updated or removed specs, the
download table, then NEW / REMOVED / UPDATED / DOWNGRADED / SUPERSEDED / REINSTALLED
sections). JSON follows ``conda install --json``: ``actions`` with ``FETCH`` (full
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
    """``512 B``, ``1.5 KB``, ``3.2 MB`` as conda prints sizes."""
    size = float(n or 0)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{int(size)} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} TB"  # pragma: no cover


def _version_key(version: str) -> Any:
    from kernel.models import VersionOrder

    try:
        return VersionOrder(version)
    except Exception:
        return None


def classify(unlink: Sequence[Any], link: Sequence[Any]) -> dict[str, list[Any]]:
    """Split a plan into conda's sections, each a list of (old, new) dict pairs."""
    old = {d["name"]: d for d in map(record_dict, unlink)}
    new = {d["name"]: d for d in map(record_dict, link)}
    sections: dict[str, list[Any]] = {"NEW": [], "REMOVED": [], "UPDATED": [],
                                      "DOWNGRADED": [], "SUPERSEDED": [], "REINSTALLED": []}
    for name in sorted(set(old) | set(new)):
        before, after = old.get(name), new.get(name)
        if before is None:
            sections["NEW"].append((None, after))
        elif after is None:
            sections["REMOVED"].append((before, None))
        elif dist_name(before) == dist_name(after) and _schannel_sub(before) == \
                _schannel_sub(after):
            sections["REINSTALLED"].append((before, after))
        else:
            a, b = _version_key(str(before["version"])), _version_key(str(after["version"]))
            newer = (a is not None and b is not None and
                     (b, int(after.get("build_number") or 0)) >
                     (a, int(before.get("build_number") or 0)))
            same_channel = channel_parts(before)[0] == channel_parts(after)[0]
            key = "UPDATED" if newer and same_channel else (
                "SUPERSEDED" if newer or not same_channel else "DOWNGRADED")
            sections[key].append((before, after))
    return sections


_TITLES = {"NEW": "The following NEW packages will be INSTALLED:",
           "REMOVED": "The following packages will be REMOVED:",
           "UPDATED": "The following packages will be UPDATED:",
           "SUPERSEDED": "The following packages will be SUPERSEDED by a higher-priority "
                         "channel:",
           "DOWNGRADED": "The following packages will be DOWNGRADED:",
           "REINSTALLED": "The following packages will be REINSTALLED:"}


def plan_text(prefix: str, unlink: Sequence[Any], link: Sequence[Any], *,
              specs: Iterable[str] = (), removed: bool = False,
              to_download: Sequence[Any] = ()) -> str:
    """conda's plan block, ending with a blank line."""
    lines = ["", "## Package Plan ##", "", f"  environment location: {prefix}", ""]
    spec_list = list(specs)
    if spec_list:
        lines.append("  removed specs:" if removed else "  added / updated specs:")
        lines.extend(f"    - {s}" for s in spec_list)
        lines.append("")
    if to_download:
        lines += ["", "The following packages will be downloaded:", "",
                  f"    {'package':<27}|{'build':>17}",
                  f"    {'-' * 27}|{'-' * 17}"]
        total = 0
        for data in sorted(map(record_dict, to_download), key=lambda d: d["name"]):
            size = int(data.get("size") or 0)
            total += size
            label = f"{data['name']}-{data['version']}"
            lines.append(f"    {label:<27}|{data['build']:>17}  {human_size(size):>8}")
        lines += [f"    {'-' * 44}", f"    {'Total:':>44}  {human_size(total):>8}"]
    for key, pairs in classify(unlink, link).items():
        if not pairs:
            continue
        width = max(len(str((b or a)["name"])) for a, b in pairs) + 2
        lines += ["", _TITLES[key], ""]
        for before, after in pairs:
            name = str((after or before)["name"])
            if key in ("NEW", "REINSTALLED"):
                text = f"{_schannel_sub(after)}::{dist_name(after)}"
            elif key == "REMOVED":
                text = f"{_schannel_sub(before)}::{dist_name(before)}"
            else:
                text = (f"{_schannel_sub(before)}::{dist_name(before)} --> "
                        f"{_schannel_sub(after)}::{dist_name(after)}")
            lines.append(f"  {name:<{width}}{text}")
    lines += ["", ""]
    return "\n".join(lines)


def actions_json(prefix: str, unlink: Sequence[Any], link: Sequence[Any],
                 fetch: Sequence[Any] = ()) -> dict[str, Any]:
    """conda's legacy action groups for ``--json``."""
    actions: dict[str, Any] = {"FETCH": [record_dict(r) for r in fetch],
                               "LINK": [dist_fields(r) for r in link],
                               "PREFIX": prefix,
                               "UNLINK": [dist_fields(r) for r in unlink]}
    return actions
