"""The package cache engine: fetch, verify and extract package archives into ``pkgs_dirs``.

Public API (commands import it inside their actions, never at module top level)::

    from plugins.package_cache import fetch_packages, find_entry, PackageCache, CacheEntry
"""

from __future__ import annotations

from plugins.package_cache.cache import (
    CacheEntry,
    NoWritablePkgsDirError,
    PackageCache,
    find_entry,
    first_writable,
)
from plugins.package_cache.download import FetchError
from plugins.package_cache.fetch import fetch_packages

__all__ = ["CacheEntry", "FetchError", "NoWritablePkgsDirError", "PackageCache",
           "fetch_packages", "find_entry", "first_writable"]
