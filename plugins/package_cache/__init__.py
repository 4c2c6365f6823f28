"""The package cache engine: fetch, verify and extract package archives into ``pkgs_dirs``.

Public API (commands import it inside their actions, never at module top level)::

    from plugins.package_cache import fetch_packages, find_entry, PackageCache, CacheEntry

Each name is imported from its module on first use: looking a package up in the cache
(``find_entry``, as ``--dry-run`` does) does not load the download and HTTP code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.lazy_exports import lazy_attributes

if TYPE_CHECKING:
    from plugins.package_cache.cache import (
        CacheEntry,
        NoWritablePkgsDirError,
        PackageCache,
        find_entry,
        first_writable,
    )
    from plugins.package_cache.download import FetchError
    from plugins.package_cache.fetch import fetch_packages

#: public name -> the module (under this package) that defines it
_HOME = {"CacheEntry": "cache", "NoWritablePkgsDirError": "cache", "PackageCache": "cache",
         "find_entry": "cache", "first_writable": "cache", "FetchError": "download",
         "fetch_packages": "fetch"}

__all__ = ["CacheEntry", "FetchError", "NoWritablePkgsDirError", "PackageCache", "fetch_packages",
           "find_entry", "first_writable"]


__getattr__ = lazy_attributes(__name__, {name: "." + home for name, home in _HOME.items()})
