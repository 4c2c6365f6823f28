"""One channel subdir: from the cache when it is fresh (or when told to stay offline),
else from the network, committed to the cache only once it parsed."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from kernel.errors import ChannelError
from kernel.session import get_session, redact_url, strip_credentials
from plugins.index.cache import CacheEntry, is_fresh, sync_in_background
from plugins.index.fetch import UnavailableInvalidChannel, fetch
from plugins.index.raw_file import map_file
from plugins.index.sparse import SparseRepodata, stamp_of

EMPTY = b'{"info": {}, "packages": {}, "packages.conda": {}, "repodata_version": 1}'


class Subdir:
    """``url`` is the subdir URL with credentials; ``channel`` names it in messages."""

    def __init__(self, url: str, channel: str, subdir: str, folder: Path):
        self.url = url.rstrip("/")
        self.channel = channel
        self.subdir = subdir
        self.entry = CacheEntry(folder, strip_credentials(self.url))

    def _cached(self) -> SparseRepodata | None:
        entry = self.entry
        sparse = SparseRepodata.load(entry.json_path, entry.index_path)
        if sparse is not None:
            return sparse
        try:
            data, stamp = map_file(entry.json_path)
            sparse = SparseRepodata.parse(entry.json_path, data, stamp)
        except (OSError, ValueError):
            return None
        try:
            sparse.save(entry.index_path)
        except OSError:
            pass
        return sparse

    def load(self, config: Any, *, offline: bool, use_cache: bool) -> SparseRepodata:
        # as in conda, offline mode still reads local (file://) channels
        offline = offline and not self.url.startswith("file:")
        state = self.entry.read_state()
        if offline or use_cache or is_fresh(state, config.local_repodata_ttl):
            sparse = self._cached() if self.entry.stat() is not None else None
            if sparse is not None:
                return sparse
            if offline:
                raise ChannelError(f"offline mode: no cached repodata for "
                                   f"{redact_url(self.url)}; run once without --offline "
                                   f"to fill the cache", url=redact_url(self.url))
            state = {}
        session = get_session(self.url, self.channel)
        tmp = self.entry.temporary()
        try:
            raw, new_state = fetch(session, self.url, state, channel=self.channel,
                                   config=config, to=tmp)
        except UnavailableInvalidChannel:
            if self.subdir == "noarch":
                raise
            raw, new_state = EMPTY, {"url": strip_credentials(self.url) + "/repodata.json"}
        except OSError as exc:
            raise ChannelError(f"cannot write the repodata cache "
                               f"{self.entry.json_path.parent}: {exc.strerror}") from None
        if raw is None:
            sparse = self._cached()
            if sparse is not None:
                self.entry.write_state(new_state)
                return sparse
            return self.load(config, offline=False, use_cache=False) if state else \
                self._fail("the server answered 304 but nothing is cached")
        return self._commit(raw, new_state)

    def _fail(self, why: str) -> SparseRepodata:
        raise ChannelError(f"{redact_url(self.url)}: {why}", url=redact_url(self.url))

    def _commit(self, raw: bytes | Path, state: dict[str, Any]) -> SparseRepodata:
        """Parse the new repodata (``raw``, or the temporary file it was written to), and
        only then move it into the cache."""
        url = redact_url(state.get("url") or self.url)
        try:
            tmp = raw if isinstance(raw, Path) else self.entry.temporary()
            if not isinstance(raw, Path):
                tmp.write_bytes(raw)
            synced = sync_in_background(tmp)  # on disk before it is moved into place
            data, _ = map_file(tmp)  # read a window at a time by the parse
        except OSError as exc:
            raise ChannelError(f"cannot write the repodata cache "
                               f"{self.entry.json_path.parent}: {exc.strerror}") from None
        try:
            sparse = SparseRepodata.parse(self.entry.json_path, data)
        except UnicodeDecodeError as exc:
            tmp.unlink(missing_ok=True)
            raise ChannelError(f"invalid repodata from {url}: not UTF-8 at byte {exc.start}",
                               url=url) from None
        except json.JSONDecodeError as exc:
            tmp.unlink(missing_ok=True)
            what = "truncated" if exc.pos >= len(exc.doc.rstrip()) else "malformed"
            raise ChannelError(f"{what} repodata from {url}: {exc.msg} at line {exc.lineno} "
                               f"column {exc.colno} (char {exc.pos})", url=url) from None
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        try:
            synced()
            os.replace(tmp, self.entry.json_path)
            sparse.stamp = stamp_of(os.stat(self.entry.json_path))
            sparse.save(self.entry.index_path)
            self.entry.write_state(state)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise ChannelError(f"cannot write the repodata cache "
                               f"{self.entry.json_path.parent}: {exc.strerror}") from None
        return sparse
