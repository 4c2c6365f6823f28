"""A subdir's shard index (``repodata_shards.msgpack.zst``): fetched, cached, revalidated.

The index is cached beside the subdir's repodata as ``<key>.msgpack.zst`` (conda's name)
with its own state ``<key>.shards.info.json`` (``url``, ``etag``, ``mod``,
``cache_control``, ``refresh_ns``, ``size``, ``mtime_ns``, ``has_shards``). It is used as it
is while fresh (``local_repodata_ttl``, as repodata), under ``--offline`` and
``-C/--use-index-cache``; otherwise revalidated with ``If-None-Match`` /
``If-Modified-Since``. A channel that answers the index with a 4xx (other than 401/403)
has no shards: that is remembered for a week (conda's ``has_shards``) and the caller falls
back to ``repodata.json``; a server error or an unusable answer falls back too. A
downloaded index is parsed before it is written.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from kernel.errors import ChannelError
from kernel.session import get_session, strip_credentials
from plugins.index.cache import atomic_write, cache_key, is_fresh
from plugins.index.shard_format import SHARD_INDEX_FN, parse_index

RECHECK_SECONDS = 7 * 24 * 3600


class ShardIndexEntry:
    """The cached shard index of one subdir URL (credentials stripped)."""

    def __init__(self, folder: Path, subdir_url: str):
        key = cache_key(subdir_url)
        self.data_path = folder / f"{key}.msgpack.zst"
        self.state_path = folder / f"{key}.shards.info.json"

    def read_state(self) -> dict[str, Any]:
        try:
            state = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(state, dict):
            return {}
        try:
            stat = os.stat(self.data_path)
        except OSError:
            stat = None
        if stat is None or (state.get("size"), state.get("mtime_ns")) != (
                stat.st_size, stat.st_mtime_ns):
            # no index, or one the state does not describe: keep only what says "no shards"
            return {"has_shards": state["has_shards"]} if "has_shards" in state else {}
        return state

    def read(self) -> bytes | None:
        try:
            return self.data_path.read_bytes()
        except OSError:
            return None

    def write(self, data: bytes | None, state: dict[str, Any]) -> None:
        if data is not None:
            stat = atomic_write(self.data_path, data)
            state["size"], state["mtime_ns"] = stat.st_size, stat.st_mtime_ns
        atomic_write(self.state_path, json.dumps(state, indent=2, sort_keys=True).encode())


def _known_absent(state: dict[str, Any]) -> bool:
    known = state.get("has_shards")
    if not isinstance(known, dict) or known.get("value", True):
        return False
    return time.time() - float(known.get("last_checked_s") or 0) < RECHECK_SECONDS


def load_shard_index(subdir_url: str, channel: str, folder: Path, config: Any, *,
                     offline: bool, use_cache: bool) -> tuple[dict[str, Any], dict[str, str],
                                                              str] | None:
    """``(info, {name: sha256}, index URL with credentials)``, or ``None`` when the subdir
    has no (usable) shard index and ``repodata.json`` is to be read instead."""
    from plugins.index.fetch import _get, _read

    url = subdir_url.rstrip("/") + "/" + SHARD_INDEX_FN
    entry = ShardIndexEntry(folder, strip_credentials(subdir_url.rstrip("/")))
    state = entry.read_state()
    if offline or use_cache or is_fresh(state, config.local_repodata_ttl):
        data = entry.read() if "size" in state else None
        if data is not None:
            return (*parse_index(data, url), url)
        if offline:
            return None
    if _known_absent(state):
        return None
    headers: dict[str, str] = {}
    if "size" in state and state.get("url") == strip_credentials(url):
        if state.get("etag"):
            headers["If-None-Match"] = str(state["etag"])
        if state.get("mod"):
            headers["If-Modified-Since"] = str(state["mod"])
    session = get_session(url, channel)
    response = _get(session, url, headers, config)
    code = response.status_code
    new_state: dict[str, Any] = {
        "url": strip_credentials(url), "etag": response.headers.get("ETag"),
        "mod": response.headers.get("Last-Modified"),
        "cache_control": response.headers.get("Cache-Control"),
        "refresh_ns": time.time_ns(),
        "has_shards": {"value": code in (200, 304), "last_checked_s": time.time()}}
    if code == 304:
        response.close()
        data = entry.read()
        if data is None:
            return None
        for key in ("etag", "mod", "cache_control"):
            new_state[key] = new_state[key] or state.get(key)
        parsed = parse_index(data, url)
        entry.write(None, {**state, **new_state})
        return (*parsed, url)
    if code != 200:
        response.close()
        if 400 <= code < 500 and code not in (401, 403, 407, 416):
            try:
                entry.write(None, {"has_shards": new_state["has_shards"]})
            except OSError:
                pass
        return None
    data = _read(response, url, f"{channel}/{SHARD_INDEX_FN}", config)
    parsed = parse_index(data, url)  # raises before anything is written
    try:
        entry.write(data, new_state)
    except OSError as exc:
        raise ChannelError(f"cannot write the repodata cache {folder}: {exc.strerror}") from None
    return (*parsed, url)
