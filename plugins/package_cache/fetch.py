"""Fetch and extract many packages in parallel: the cache stage of every transaction.

For each record: an entry already complete in any cache is used as it is; else an archive
already in a cache is verified and extracted; else the archive is downloaded into the first
writable cache. Packages are handled ``fetch_threads`` at a time, each under its cache lock
(two commands fetching one package wait for each other instead of both writing), with one
progress bar over the bytes to download. Every failure is collected; the first one is raised
after the others finished, so no download is left half-written.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from kernel.errors import NoProviderError
from plugins.index.credentials import recorded_url
from plugins.package_cache.cache import (
    CacheEntry,
    PackageCache,
    caches,
    find_entry,
    first_writable,
    record_fn,
    strip_extension,
)
from plugins.package_cache.download import FetchError, download, expected, verify_file
from plugins.package_cache.extract import extract_into
from plugins.prefix.filelock import LockedFile
from plugins.prefix.records import record_dict


def _progress(description: str, total: int | None,
              show: bool) -> AbstractContextManager[Callable[[int], None]]:
    if not show:
        return nullcontext(lambda n: None)
    from kernel import reporting

    try:
        return reporting.progress_bar(description, total, plain_text=f"\n{description}")
    except NoProviderError:
        return nullcontext(lambda n: None)


def _existing_tarball(record: dict[str, Any], pkgs_dirs: Sequence[str] | None) -> str | None:
    for cache in caches(pkgs_dirs):
        path = cache.tarball_path(record)
        if os.path.isfile(path) and verify_file(path, record):
            return path
    return None


def fetch_one(cache: PackageCache, record: dict[str, Any], *,
              pkgs_dirs: Sequence[str] | None = None,
              advance: Callable[[int], None] = lambda n: None) -> CacheEntry:
    """Make ``record`` a complete entry in ``cache`` (or find it in another cache)."""
    dist = strip_extension(record_fn(record))
    with LockedFile(cache.lock_path(dist)):
        found = find_entry(record, pkgs_dirs) or cache.entry(record)
        if found is not None:
            return found
        tarball = _existing_tarball(record, pkgs_dirs)
        if tarball is None:
            url = record.get("url")
            if not url:
                raise FetchError(f"no URL to fetch {dist} from and no archive in the cache",
                                 package=dist)
            tarball = cache.tarball_path(record)
            download(str(url), tarball, record, advance)
            cache.add_url(recorded_url(str(url)))
        return extract_into(cache, record, tarball)


def fetch_packages(records: Iterable[Any], *, pkgs_dirs: Sequence[str] | None = None,
                   fetch_threads: int | None = None, progress: bool = True) -> list[CacheEntry]:
    """A complete cache entry for each record, in the same order.

    ``records`` are package records (``to_json()``) or their dicts; ``pkgs_dirs`` defaults
    to the configured ones; ``fetch_threads`` to the ``fetch_threads`` setting.
    """
    wanted = [record_dict(r) for r in records]
    results: list[CacheEntry | None] = [find_entry(r, pkgs_dirs) for r in wanted]
    todo = [i for i, entry in enumerate(results) if entry is None]
    if not todo:
        with _progress("Downloading and Extracting Packages", 0, progress):
            pass  # conda shows the line even when everything is in the cache
        return [e for e in results if e is not None]
    cache = first_writable(pkgs_dirs)
    if fetch_threads is None:
        from kernel.config import get_config

        fetch_threads = int(get_config().fetch_threads) or 5
    total = sum(expected(wanted[i])[0] or 0 for i in todo) or None
    from kernel.manager import get_plugin_manager

    # the extractor plugins load lazily: import them here, not from two threads at once
    # (one thread would see the other's half-loaded list and miss the .conda extractor)
    get_plugin_manager().hook_results("conda_package_extractors")
    lock = threading.Lock()
    errors: list[BaseException] = []
    with _progress("Downloading and Extracting Packages", total, progress) as bar:
        def advance(n: int) -> None:
            with lock:
                bar(n)

        with ThreadPoolExecutor(max(1, min(fetch_threads, len(todo)))) as pool:
            futures = {pool.submit(fetch_one, cache, wanted[i], pkgs_dirs=pkgs_dirs,
                                   advance=advance): i for i in todo}
            try:
                for future in as_completed(futures):
                    try:
                        results[futures[future]] = future.result()
                    except Exception as exc:
                        errors.append(exc)
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    if errors:
        raise errors[0]
    return [e for e in results if e is not None]
