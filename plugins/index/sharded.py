"""One subdir read through its shards, and the parallel walk over dependency names.

:class:`ShardedRepodata` stands where :class:`~plugins.index.sparse.SparseRepodata` stands
for a monolithic subdir: ``offsets`` (the names it has), ``info``, ``raw_records(name)``.
A shard comes from the shard cache (``<cache>/shards/<sha256>.msgpack.zst``, kept forever:
the name is the content's hash) or else from ``<shards_base_url><sha256>.msgpack.zst``
through the subdir's one session. Each shard is checked against its sha256 before it is
used or written (atomically); a cached shard that fails the check is deleted and fetched
again. :func:`reach` fetches, in parallel, the shards of some names, then of every name
their records depend on, until no new name appears.
"""

from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

from kernel.errors import ChannelError
from kernel.session import redact_url
from plugins.index.shard_format import (
    SHARD_SUFFIX,
    ShardError,
    dependency_names,
    join_url,
    parse_shard,
    shard_records,
)

WORKERS = 10  # requests' default connection pool size (``repodata_threads`` unset)


class ShardedRepodata:
    """A subdir whose records come shard by shard."""

    def __init__(self, index_url: str, channel: str, info: dict[str, Any],
                 shards: dict[str, str], folder: Path, config: Any, *, offline: bool):
        self.index_url = index_url  # with credentials; never printed unmasked
        self.channel = channel
        self.meta = {"info": info}
        self.offsets = shards  # name -> sha256 (the names this subdir has)
        self.folder = folder
        self.config = config
        self.offline = offline
        self.shards_base_url = join_url(index_url, str(info.get("shards_base_url") or ""),
                                        folder=True)
        self.loaded: dict[str, dict[str, Any]] = {}
        self._session: Any = None

    @property
    def info(self) -> dict[str, Any]:
        return self.meta["info"]

    def names(self) -> list[str]:
        return list(self.offsets)

    def shard_url(self, name: str) -> str:
        return f"{self.shards_base_url}{self.offsets[name]}{SHARD_SUFFIX}"

    def raw_records(self, name: str) -> list[tuple[str, dict[str, Any]]]:
        if name not in self.offsets:
            return []
        shard = self.loaded.get(name)
        if shard is None:
            shard = self.loaded[name] = self.fetch(name)
        return shard_records(shard)

    def session(self) -> Any:
        if self._session is None:
            from kernel.session import get_session

            self._session = get_session(self.shards_base_url, self.channel)
        return self._session

    def fetch(self, name: str) -> dict[str, Any]:
        """The shard of ``name``: from the cache when intact, else from the network."""
        shard = self.cached(name)
        return shard if shard is not None else self.download(name)

    def _path(self, name: str) -> Path:
        return self.folder / f"{self.offsets[name]}{SHARD_SUFFIX}"

    def cached(self, name: str) -> dict[str, Any] | None:
        """The cached shard of ``name``, or ``None``; a corrupt one is deleted."""
        path = self._path(name)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            return parse_shard(data, self.shard_url(name), self.offsets[name])
        except ShardError:
            try:  # corrupt in the cache: fetched again
                path.unlink()
            except OSError:
                pass
            return None

    def download(self, name: str) -> dict[str, Any]:
        """The shard of ``name`` from the network, written to the cache once it checked."""
        url = self.shard_url(name)
        if self.offline:
            raise ChannelError(f"offline mode: the shard of '{name}' is not cached "
                               f"({redact_url(url)}); run once without --offline to fill "
                               f"the cache", url=redact_url(url))
        data = self._download(name, url)
        shard = parse_shard(data, url, self.offsets[name])  # raises before anything is written
        from plugins.index.cache import atomic_write

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write(self._path(name), data)
        except OSError:
            pass  # a read-only cache still serves this run
        return shard

    def _download(self, name: str, url: str) -> bytes:
        from plugins.index.fetch import _get, _read

        response = _get(self.session(), url, {}, self.config)
        if response.status_code != 200:
            response.close()
            reason = (response.reason or "").upper()
            raise ShardError(f"HTTP {response.status_code} {reason} for the shard of '{name}' "
                             f"in channel {redact_url(self.channel)} <{redact_url(url)}>",
                             url=redact_url(url), status=response.status_code)
        return _read(response, url, name, self.config)


def reach(subdirs: list[ShardedRepodata], roots: list[str], *,
          pip_with_python: bool = True, follow: bool = True) -> None:
    """Load the shards of ``roots`` and (``follow``) of every name their dependencies
    reach, in every subdir that has them, fetching ``repodata_threads`` (default 10) at a
    time; stops when no new name appears."""
    seen: set[str] = set()
    pending: dict[Future[dict[str, Any]], tuple[ShardedRepodata, str]] = {}

    def visit(names: set[str], pool: ThreadPoolExecutor) -> None:
        todo = list(names - seen)
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            if name.startswith("__"):
                continue
            for subdir in subdirs:
                if name not in subdir.offsets:
                    continue
                shard = subdir.loaded.get(name)
                if shard is None:
                    shard = subdir.cached(name)  # a few kB from disk: no thread needed
                    if shard is None:
                        subdir.session()  # built once, here, not racing in the workers
                        pending[pool.submit(subdir.download, name)] = (subdir, name)
                        continue
                    subdir.loaded[name] = shard
                todo.extend(_next(shard, name) - seen)

    def _next(shard: dict[str, Any], name: str) -> set[str]:
        if not follow:
            return set()
        found = dependency_names(shard)
        if pip_with_python and name == "python":
            found.add("pip")
        return found

    threads = getattr(subdirs[0].config, "repodata_threads", None) if subdirs else None
    with ThreadPoolExecutor(max_workers=int(threads or WORKERS)) as pool:
        try:
            visit(set(roots), pool)
            while pending:
                done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                for future in done:
                    subdir, name = pending.pop(future)
                    shard = future.result()
                    subdir.loaded[name] = shard
                    visit(_next(shard, name), pool)
        finally:
            for future in pending:
                future.cancel()
