"""The repodata cache, laid out like conda's under ``<first writable pkgs_dir>/cache/``.

Per subdir URL (credentials stripped) ``<key>.json`` holds the raw repodata,
``<key>.info.json`` its state (conda's fields: ``url``, ``etag``, ``mod``, ``cache_control``,
``size``, ``mtime_ns``, ``refresh_ns``, ``has_zst``) and ``<key>.idx`` our fast form (see
:mod:`plugins.index.sparse`). ``<key>`` is the first 8 hex digits of the md5 of the URL
ending in ``/``, as in conda. Every write is a temporary file in the same folder and an
``os.replace``, so a reader sees the old file or the new one, never half of one; a state
whose ``size``/``mtime_ns`` disagree with the raw file is ignored (a crash between writes).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from pathlib import Path
from typing import Any

from kernel.errors import CondaError

_MAX_AGE = re.compile(r"max-age=(\d+)")


def cache_key(subdir_url: str, repodata_fn: str = "repodata.json") -> str:
    """conda's ``cache_fn_url`` stem: md5 of the URL with a trailing ``/``."""
    url = subdir_url if subdir_url.endswith("/") else subdir_url + "/"
    if repodata_fn != "repodata.json":
        url += repodata_fn
    return hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()[:8]


def _writable(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(path, os.W_OK | os.X_OK)


def cache_dir(pkgs_dirs: tuple[str, ...], *, create: bool = True) -> Path:
    """``cache/`` under the first writable package cache (or the first that has one)."""
    for pkgs_dir in pkgs_dirs:
        folder = Path(pkgs_dir) / "cache"
        if folder.is_dir() and not create:
            return folder
        if create and _writable(folder):
            return folder
    if not create and pkgs_dirs:
        return Path(pkgs_dirs[0]) / "cache"
    raise CondaError("no writable package cache among pkgs_dirs: " + ", ".join(pkgs_dirs))


def atomic_write(path: Path, data: bytes) -> os.stat_result:
    """Write ``data`` to ``path`` through a temporary file and ``os.replace``; returns the
    written file's stat (the same inode, size and mtime ``path`` now has)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
            stat = os.fstat(f.fileno())
        os.replace(tmp, path)
        return stat
    finally:
        if tmp.exists():
            tmp.unlink()


def sync_in_background(path: Path) -> Any:
    """Start flushing ``path`` to disk in a thread (the parse of it goes on meanwhile);
    calling the result waits for it and raises its ``OSError``."""
    import threading

    failed: list[OSError] = []

    def sync() -> None:
        try:
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            failed.append(exc)

    worker = threading.Thread(target=sync, name="fsync", daemon=True)
    worker.start()

    def wait() -> None:
        worker.join()
        if failed:
            raise failed[0]

    return wait


class CacheEntry:
    """The cached files of one subdir URL."""

    def __init__(self, folder: Path, subdir_url: str):
        key = cache_key(subdir_url)
        self.json_path = folder / f"{key}.json"
        self.state_path = folder / f"{key}.info.json"
        self.index_path = folder / f"{key}.idx"

    def stat(self) -> os.stat_result | None:
        try:
            return os.stat(self.json_path)
        except OSError:
            return None

    def read_state(self) -> dict[str, Any]:
        """The state, or ``{}`` when it is missing, unreadable or disagrees with the file."""
        stat = self.stat()
        if stat is None:
            return {}
        try:
            state = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(state, dict) or state.get("size") != stat.st_size or \
                state.get("mtime_ns") != stat.st_mtime_ns:
            return {}
        return state

    def write_state(self, state: dict[str, Any]) -> dict[str, Any]:
        stat = self.stat()
        if stat is not None:
            state["size"], state["mtime_ns"] = stat.st_size, stat.st_mtime_ns
        atomic_write(self.state_path, json.dumps(state, indent=2, sort_keys=True).encode())
        return state

    def temporary(self) -> Path:
        """A fresh temporary path beside the raw file (moved into place with os.replace)."""
        path = self.json_path
        return path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")

    def write_json(self, raw: bytes) -> os.stat_result:
        return atomic_write(self.json_path, raw)


def is_fresh(state: dict[str, Any], ttl: int | bool) -> bool:
    """conda's ``local_repodata_ttl``: 1/true honours ``max-age``; 0 always revalidates;
    any other number is the age in seconds below which the cache is used as it is."""
    if not state or ttl is False or ttl == 0:
        return False
    if ttl is True or ttl == 1:
        found = _MAX_AGE.search(str(state.get("cache_control") or ""))
        max_age = int(found.group(1)) if found else 0
    else:
        max_age = int(ttl)
    age = (time.time_ns() - int(state.get("refresh_ns") or 0)) / 1e9
    return 0 <= age < max_age
