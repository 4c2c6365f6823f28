"""What an extracted package asks to put into a prefix: ``info/paths.json`` and friends.

Modern packages list every file in ``info/paths.json`` (path type, sha256, size, prefix
placeholder and mode, ``no_link``). Old ones have ``info/files`` with ``info/has_prefix``
(``[placeholder mode] path`` per line) and ``info/no_link``; for those, soft links are
found on disk and hashes are left out. ``info/link.json`` says whether the package is
``noarch: python`` and which entry points to write.
"""

from __future__ import annotations

import json
import os
import shlex
from dataclasses import dataclass, field
from typing import Any

from kernel.errors import CondaError
from plugins.transaction.placeholders import PREFIX_PLACEHOLDER


@dataclass(frozen=True)
class PathEntry:
    """One file of a package, as the package describes it."""

    path: str
    path_type: str = "hardlink"  # hardlink | softlink | directory
    sha256: str | None = None
    size_in_bytes: int | None = None
    prefix_placeholder: str | None = None
    file_mode: str | None = None  # text | binary
    no_link: bool = False


@dataclass(frozen=True)
class PackageInfo:
    """An extracted package directory, read once."""

    extracted_dir: str
    paths: tuple[PathEntry, ...]
    index: dict[str, Any] = field(default_factory=dict)
    noarch: str | None = None  # "python", "generic" or None
    entry_points: tuple[str, ...] = ()

    def source(self, entry: PathEntry) -> str:
        return os.path.join(self.extracted_dir, entry.path)


def _read_json(path: str) -> Any:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return None
    except (ValueError, UnicodeDecodeError) as exc:
        raise CondaError(f"corrupt package metadata {path}: {exc}", path=path) from None


def _read_lines(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8") as f:
            return [line.strip() for line in f if line.strip()]
    except FileNotFoundError:
        return []


def _parse_has_prefix(path: str) -> dict[str, tuple[str, str]]:
    """``info/has_prefix`` → {path: (placeholder, mode)}."""
    found: dict[str, tuple[str, str]] = {}
    for line in _read_lines(path):
        parts = [p.strip("\"'") for p in shlex.split(line, posix=False)]
        if len(parts) == 1:
            found[parts[0]] = (PREFIX_PLACEHOLDER, "text")
        elif len(parts) == 3:
            found[parts[2]] = (parts[0], parts[1])
        else:
            raise CondaError(f"cannot parse line of {path}: {line!r}", path=path)
    return found


def _from_paths_json(data: dict[str, Any], where: str) -> tuple[PathEntry, ...]:
    if not isinstance(data.get("paths"), list):
        raise CondaError(f"corrupt package metadata {where}: no 'paths' list", path=where)
    entries = []
    for item in data["paths"]:
        entries.append(PathEntry(
            path=item["_path"],
            path_type=item.get("path_type", "hardlink"),
            sha256=item.get("sha256"),
            size_in_bytes=item.get("size_in_bytes"),
            prefix_placeholder=item.get("prefix_placeholder"),
            file_mode=item.get("file_mode") or ("text" if item.get("prefix_placeholder")
                                                else None),
            no_link=bool(item.get("no_link", False)),
        ))
    return tuple(entries)


def _from_legacy_files(extracted_dir: str) -> tuple[PathEntry, ...]:
    info = os.path.join(extracted_dir, "info")
    has_prefix = _parse_has_prefix(os.path.join(info, "has_prefix"))
    no_link = set(_read_lines(os.path.join(info, "no_link")))
    entries = []
    for rel in _read_lines(os.path.join(info, "files")):
        placeholder, mode = has_prefix.get(rel, (None, None))
        is_link = os.path.islink(os.path.join(extracted_dir, rel))
        entries.append(PathEntry(path=rel, path_type="softlink" if is_link else "hardlink",
                                 prefix_placeholder=placeholder, file_mode=mode,
                                 no_link=rel in no_link))
    return tuple(entries)


def _noarch_type(link: dict[str, Any] | None, index: dict[str, Any]) -> str | None:
    noarch = (link or {}).get("noarch") or {}
    kind = noarch.get("type") if isinstance(noarch, dict) else noarch
    kind = kind or index.get("noarch")
    if kind is True:
        return "generic"
    return str(kind).lower() if kind else None


def read_package_info(extracted_dir: str) -> PackageInfo:
    """Read ``extracted_dir``'s ``info/``; a missing or corrupt file is a clear error."""
    info = os.path.join(extracted_dir, "info")
    index = _read_json(os.path.join(info, "index.json"))
    if not isinstance(index, dict):
        raise CondaError(f"not an extracted conda package (no info/index.json): {extracted_dir}",
                         path=extracted_dir)
    where = os.path.join(info, "paths.json")
    paths_json = _read_json(where)
    paths = (_from_paths_json(paths_json, where) if paths_json is not None
             else _from_legacy_files(extracted_dir))
    link = _read_json(os.path.join(info, "link.json"))
    if link is None:  # packages older than link.json kept the same section in noarch.json
        old = _read_json(os.path.join(info, "noarch.json"))
        link = {"noarch": old} if isinstance(old, dict) else None
    noarch = _noarch_type(link, index)
    entry_points: tuple[str, ...] = ()
    if noarch == "python":
        section = (link or {}).get("noarch") or {}
        entry_points = tuple(section.get("entry_points") or ()) if isinstance(
            section, dict) else ()
    return PackageInfo(extracted_dir, paths, index, noarch, entry_points)
