"""Write a subdir's sharded repodata (CEP 16) beside its ``repodata.json``, as conda-index
``--write-shards`` lays it out.

One shard per package name, ``{"packages": {…}, "packages.conda": {…}}`` (plus ``removed``
when the repodata lists removed files of that name), msgpack with ``sha256``/``md5`` as
bytes, zstd-compressed, written as ``<sha256 of the file>.msgpack.zst`` in the subdir folder;
then the index ``repodata_shards.msgpack.zst`` ``{"version": 1, "info": {"base_url": "",
"shards_base_url": "", "created_at", "subdir"}, "shards": {name: sha256 bytes}}``. Shards
are written first (each under a temporary name, then renamed) and the index last, so a
reader never sees an index naming a shard that is not there yet.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from plugins.index.shard_format import SHARD_INDEX_FN, SHARD_SUFFIX, pack_index, pack_shard


def split_shards(repodata: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``{name: shard}`` of a repodata map, records in the repodata's order."""
    shards: dict[str, dict[str, Any]] = {}
    owner: dict[str, str] = {}
    for key in ("packages", "packages.conda"):
        for fn, record in (repodata.get(key) or {}).items():
            name = record.get("name")
            if not isinstance(name, str):
                continue
            shard = shards.setdefault(name, {"packages": {}, "packages.conda": {}})
            shard[key][fn] = record
            owner[fn] = name
    for fn in repodata.get("removed") or ():
        name = owner.get(fn) or _name_of(fn)
        if name in shards:
            shards[name].setdefault("removed", []).append(fn)
    return shards


def _name_of(fn: str) -> str:
    stem = fn.removesuffix(".conda").removesuffix(".tar.bz2")
    return stem.rsplit("-", 2)[0]


def write_shards(folder: str, repodata: dict[str, Any],
                 atomic_write: Callable[[str, bytes], str]) -> list[tuple[str, str]]:
    """Write the shards of ``repodata`` into ``folder``; returns ``(temporary, target)``
    pairs for the index, which the caller moves into place with the rest of the subdir.
    ``atomic_write(path, data)`` writes ``data`` beside ``path`` and returns its name."""
    subdir = str((repodata.get("info") or {}).get("subdir") or os.path.basename(folder))
    digests: dict[str, str] = {}
    for name, shard in split_shards(repodata).items():
        data, digest = pack_shard(shard)
        digests[name] = digest
        target = os.path.join(folder, digest + SHARD_SUFFIX)
        if not os.path.exists(target):
            os.replace(atomic_write(target, data), target)
    info = {"base_url": "", "shards_base_url": "", "subdir": subdir,
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    target = os.path.join(folder, SHARD_INDEX_FN)
    return [(atomic_write(target, pack_index(info, digests)), target)]
