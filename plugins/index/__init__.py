"""The index engine: channels' repodata fetched, cached and loaded lazily per name.

Subcommands import this public module::

    from plugins.index import load_index

    index = load_index(channels=["conda-forge"], subdirs=["linux-64", "noarch"])
    index.records("numpy")        # PackageRecords, highest-priority channel first
    index.channel_rank(record)    # 0 for the first channel, 1 for the next...

Modules: :mod:`.cache` (conda's cache layout, atomic writes, TTL), :mod:`.fetch` (HTTP,
``.zst``, conditional requests, errors), :mod:`.sparse` (parse once, fast warm form),
:mod:`.record_spans` (records found in the bytes, in bulk), :mod:`.raw_file` (the raw file
mapped, read window by window), :mod:`.subdir` (one channel subdir), :mod:`.index` (the
:class:`Index` RecordSource); sharded repodata (CEP 16): :mod:`.shard_format` (the
bytes), :mod:`.shard_index` (the index, fetched and cached), :mod:`.sharded` (shards cached
by hash, the parallel walk), :mod:`.shard_writer` (``conda index --shards``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.lazy_exports import lazy_attributes

if TYPE_CHECKING:
    from plugins.index.index import Index, load_index, resolve_channels

__all__ = ["Index", "load_index", "resolve_channels"]


__getattr__ = lazy_attributes(__name__, dict.fromkeys(__all__, ".index"))
