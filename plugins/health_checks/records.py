"""The installed records as the checks read them: every readable one, and the broken ones.

:class:`plugins.prefix.PrefixData` stops at the first corrupt ``conda-meta`` file, which is
right for a command about to change the prefix but wrong for a doctor, who wants to see
everything else too. :func:`scan` reads each record file on its own.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from typing import Any

import attrs


@attrs.frozen
class Scan:
    """``records``: ``{name: conda-meta dict}``; ``corrupt``: ``{record file: reason}``."""

    records: dict[str, dict[str, Any]]
    corrupt: dict[str, str]


def _read(path: str) -> dict[str, Any] | str:
    """A record file's dict, or why it cannot be read."""
    try:
        with open(path, "rb") as f:
            data = json.loads(f.read().decode("utf-8"))
    except UnicodeDecodeError as exc:
        return f"not UTF-8 at byte {exc.start}"
    except ValueError as exc:
        return f"invalid JSON: {exc}"
    except OSError as exc:
        return exc.strerror or str(exc)
    if not isinstance(data, dict):
        return "not a JSON object"
    if not all(data.get(k) not in (None, "") for k in ("name", "version", "build")):
        return "the record has no name, version or build"
    return data


def scan(prefix: str) -> Scan:
    """Read every record of ``prefix``; unreadable files are listed, not raised."""
    from plugins.prefix.records import iter_record_files

    records: dict[str, dict[str, Any]] = {}
    corrupt: dict[str, str] = {}
    for path in iter_record_files(prefix):
        data = _read(path)
        if isinstance(data, str):
            corrupt[path] = data
        else:
            records[str(data["name"])] = data
    return Scan(records, corrupt)


def dist_name(record: dict[str, Any]) -> str:
    return f"{record['name']}-{record['version']}-{record['build']}"


def package_paths(record: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(path in the prefix, paths_data entry)`` of each file a record owns (``files``
    alone when the record has no ``paths_data``, as records from old conda versions do).

    conda writes a noarch python package's ``paths_data`` with the path inside the package
    (``site-packages/x.py``, ``python-scripts/x``) and ``files`` with where it landed
    (``lib/python3.X/site-packages/x.py``, ``bin/x``); entries are matched to ``files``.
    """
    files = [str(p).replace("\\", "/") for p in record.get("files") or ()]
    installed = set(files)
    by_tail: dict[str, str] = {}
    for path in files:
        if "site-packages/" in path:
            by_tail.setdefault("site-packages/" + path.split("site-packages/", 1)[1], path)
        elif path.startswith(("bin/", "Scripts/")):
            by_tail.setdefault("python-scripts/" + path.split("/", 1)[1], path)
    paths = (record.get("paths_data") or {}).get("paths") or []
    seen: set[str] = set()
    for entry in paths:
        if isinstance(entry, dict) and entry.get("_path"):
            path = str(entry["_path"]).replace("\\", "/")
            if path not in installed:
                path = by_tail.get(path, path)
            seen.add(path)
            yield path, entry
    for path in files:
        if path not in seen:
            yield path, {}


def prefix_path(prefix: str, path: str) -> str:
    return os.path.join(prefix, *path.split("/"))


def sha256_file(path: str) -> str | None:
    """The file's sha256, or ``None`` when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()
