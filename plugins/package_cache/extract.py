"""Extracting a cached archive through the extractor plugins, then marking it complete.

The archive format is found among the ``conda_package_extractors`` records by file
extension (extractors are providers: reached only through the hook). The extractor
replaces the destination atomically; ``info/repodata_record.json`` — the record of the
package as the channel described it, completed with the archive's own hashes — is written
after it, atomically, and is the cache's "complete" marker.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from kernel.errors import NoProviderError
from plugins.package_cache.cache import (
    MARKER,
    CacheEntry,
    PackageCache,
    hash_file,
    record_fn,
    strip_extension,
)


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
    merged = {**_index_json(dest), **{k: v for k, v in record.items() if v is not None}}
    data = repodata_record(merged, tarball)
    marker = os.path.join(dest, MARKER)
    tmp = f"{marker}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2, sort_keys=True)
    os.replace(tmp, marker)
    return CacheEntry(cache.pkgs_dir, os.path.basename(dest), data)
