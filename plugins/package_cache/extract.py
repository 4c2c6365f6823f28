"""Extracting a cached archive through the extractor plugins, then marking it complete.

The archive format is found among the ``conda_package_extractors`` records by file
extension (extractors are providers: reached only through the hook). The extractor
replaces the destination atomically; ``info/repodata_record.json`` — the record of the
package as the channel described it, completed with the archive's own hashes — is written
after it, atomically, and is the cache's "complete" marker. Before the marker is written,
the package's own file list (``info/paths.json``, else ``info/files``) is checked against
what was extracted: a path that is absolute, has a ``..`` component or is not a string, a
listed file that the payload lacks, or a file whose size is not the one listed refuses the
package (:class:`CorruptPackageError`) and removes the extracted folder, so a package whose
metadata lies never reaches the linker.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator, Mapping
from typing import Any

from kernel.errors import CondaError, NoProviderError
from plugins.package_cache.cache import (
    MARKER,
    CacheEntry,
    PackageCache,
    hash_file,
    record_fn,
    strip_extension,
)


class CorruptPackageError(CondaError):
    """An extracted package whose file list disagrees with its payload or leaves it."""


_DRIVE = re.compile(r"^[A-Za-z]:")


def _listed_paths(folder: str) -> Iterator[tuple[str, Any, Mapping[str, Any]]]:
    """``(where, path, paths.json item)`` for every path the package says it holds."""
    info = os.path.join(folder, "info")
    paths_json = os.path.join(info, "paths.json")
    if os.path.lexists(paths_json):
        try:
            with open(paths_json, encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError) as exc:
            raise CorruptPackageError(f"info/paths.json is unreadable: {exc}") from None
        items = data.get("paths") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise CorruptPackageError("info/paths.json has no 'paths' list")
        for item in items:
            if not isinstance(item, dict):
                raise CorruptPackageError(f"info/paths.json has an entry that is not an "
                                          f"object: {str(item)[:80]!r}")
            yield "info/paths.json", item.get("_path"), item
        return
    try:
        with open(os.path.join(info, "files"), encoding="utf-8") as f:
            lines = [line.rstrip("\r\n") for line in f]
    except FileNotFoundError:
        return
    except (OSError, ValueError) as exc:
        raise CorruptPackageError(f"info/files is unreadable: {exc}") from None
    for line in lines:
        if line.strip():
            yield "info/files", line, {}


def check_payload(folder: str) -> None:
    """Refuse a package whose file list leaves it or disagrees with the extracted files."""
    for where, path, item in _listed_paths(folder):
        if not isinstance(path, str) or not path or "\0" in path:
            raise CorruptPackageError(f"{where} lists a path that is not a file name: "
                                      f"{str(path)[:80]!r}")
        parts = re.split(r"[/\\]", path)
        if path.startswith(("/", "\\")) or _DRIVE.match(path) or ".." in parts:
            raise CorruptPackageError(f"{where} lists {path[:200]!r}, which leaves the "
                                      f"package")
        if item.get("path_type") == "directory":
            continue
        full = os.path.join(folder, path)
        try:
            st = os.lstat(full)
        except OSError:
            raise CorruptPackageError(f"{where} lists {path[:200]!r}, which the package "
                                      f"does not contain") from None
        size = item.get("size_in_bytes")
        if isinstance(size, int) and not isinstance(size, bool) and \
                item.get("path_type", "hardlink") == "hardlink" and \
                not os.path.islink(full) and st.st_size != size:
            raise CorruptPackageError(f"{where} says {path[:200]!r} has {size} bytes; the "
                                      f"package holds {st.st_size}")


def find_extractor(fn: str) -> Any:
    """The ``CondaPackageExtractor`` whose extensions match ``fn``."""
    from kernel.manager import get_plugin_manager

    extractors = get_plugin_manager().hook_results("conda_package_extractors")
    for extractor in extractors:
        if any(fn.endswith(ext) for ext in extractor.extensions):
            return extractor
    known = ", ".join(sorted(e for x in extractors for e in x.extensions)) or "none"
    raise NoProviderError(f"no package extractor plugin handles {fn} (installed formats: "
                          f"{known})", fn=fn)


def repodata_record(record: Mapping[str, Any], tarball: str) -> dict[str, Any]:
    """The record to keep beside the extracted files, with size and hashes filled in."""
    data = dict(record)
    data["fn"] = record_fn(record)
    if isinstance(data.get("url"), str):  # a token as /t/<TOKEN>/, no user:password@
        from plugins.index.credentials import recorded_url

        data["url"] = recorded_url(data["url"])
    if not data.get("md5"):
        data["md5"] = hash_file(tarball, "md5")
    if not data.get("sha256"):
        data["sha256"] = hash_file(tarball, "sha256")
    if not data.get("size"):
        data["size"] = os.path.getsize(tarball)
    for key in ("package_tarball_full_path", "extracted_package_dir", "files", "paths_data",
                "link", "requested_spec", "requested_specs"):
        data.pop(key, None)
    return data


def _index_json(folder: str) -> dict[str, Any]:
    try:
        with open(os.path.join(folder, "info", "index.json"), encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def extract_into(cache: PackageCache, record: Mapping[str, Any], tarball: str) -> CacheEntry:
    """Extract ``tarball`` into ``cache`` and write the marker; returns the entry."""
    fn = record_fn(record)
    dest = os.path.join(cache.pkgs_dir, strip_extension(fn))
    find_extractor(fn).extract(tarball, dest)
    try:
        check_payload(dest)
    except CorruptPackageError as exc:
        shutil.rmtree(dest, ignore_errors=True)
        raise CorruptPackageError(f"refusing {fn}: {exc}", fn=fn) from None
    merged = {**_index_json(dest), **{k: v for k, v in record.items() if v is not None}}
    data = repodata_record(merged, tarball)
    marker = os.path.join(dest, MARKER)
    tmp = f"{marker}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2, sort_keys=True)
    os.replace(tmp, marker)
    return CacheEntry(cache.pkgs_dir, os.path.basename(dest), data)
