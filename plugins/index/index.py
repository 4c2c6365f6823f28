"""The index: every channel × subdir of a run, as a :class:`kernel.types.RecordSource`.

Channels come from ``-c`` (first) and the ``channels`` setting (skipped under
``--override-channels``); multichannels such as ``defaults`` expand to their members, which
share one rank. Records are built per name on first request, highest-priority channel
first; ``.conda`` replaces ``.tar.bz2`` of the same package unless ``use_only_tar_bz2``;
which file names are packages follows the ``conda_package_extractors`` plugins.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import attrs

from kernel.errors import ArgumentError
from kernel.session import redact_url, strip_credentials
from kernel.types import RecordSource
from plugins.index.credentials import register_credentials
from plugins.index.sharded import ShardedRepodata, reach
from plugins.index.sparse import SparseRepodata

DEFAULT_EXTENSIONS = (".conda", ".tar.bz2")


@attrs.define
class LoadedSubdir:
    rank: int
    channel: Any  # kernel.models.Channel of the subdir URL
    url: str  # the subdir URL without credentials
    subdir: str
    sparse: SparseRepodata | ShardedRepodata
    #: the subdir URL with its credentials (``/t/<token>``, ``user:password@``)
    url_w_credentials: str = ""
    removed: frozenset[str] = frozenset()

    def __attrs_post_init__(self) -> None:
        removed = self.sparse.meta.get("removed")
        if isinstance(removed, list) and removed:
            self.removed = frozenset(r for r in removed if isinstance(r, str))

    @property
    def base_url(self) -> str:
        """Where the packages are, as records carry it: ``info.base_url`` (relative to the
        subdir, or absolute; repodata v2 / CEP 15), else the subdir itself. A token shows as
        ``/t/<TOKEN>`` and is registered so downloads put it back (conda's
        ``base_url_w_credentials``, masked as conda masks it in ``conda-meta``)."""
        with_credentials = self.url_w_credentials or self.url
        base = self.sparse.info.get("base_url")
        if not base or not isinstance(base, str):
            return register_credentials(with_credentials)
        from plugins.index.shard_format import join_url

        absolute = join_url(self.url + "/repodata.json", base).rstrip("/")
        return register_credentials(with_channel_credentials(absolute, with_credentials))


def with_channel_credentials(base_url: str, subdir_url: str) -> str:
    """A repodata ``base_url`` (CEP 15) with the channel's token and ``user:password@``,
    which conda sends to it too; a ``base_url`` holding credentials of its own is kept."""
    from urllib.parse import urlsplit, urlunsplit

    from kernel.models.channel import Channel

    channel, parts = Channel(subdir_url), urlsplit(base_url)
    if "@" in parts.netloc or "/t/" in parts.path or not (channel.token or channel.auth):
        return base_url
    netloc = f"{channel.auth}@{parts.netloc}" if channel.auth else parts.netloc
    path = f"/t/{channel.token}{parts.path}" if channel.token else parts.path
    return urlunsplit(parts._replace(netloc=netloc, path=path))


def package_extensions(manager: Any, use_only_tar_bz2: bool) -> tuple[str, ...]:
    found = tuple(ext for record in manager.hook_results("conda_package_extractors")
                  for ext in record.extensions)
    extensions = found or DEFAULT_EXTENSIONS
    if use_only_tar_bz2:
        extensions = tuple(e for e in extensions if e != ".conda")
    return extensions


def select_files(fns: Iterable[str], extensions: tuple[str, ...]) -> set[str]:
    """The package files to keep: known extensions, ``.conda`` over ``.tar.bz2``."""
    keep = {fn for fn in fns if fn.endswith(extensions)}
    conda = {fn[:-6] for fn in keep if fn.endswith(".conda")}
    return {fn for fn in keep if not (fn.endswith(".tar.bz2") and fn[:-8] in conda)}


class Index(RecordSource):
    """Records of many subdirs, built lazily per package name."""

    def __init__(self, subdirs: Sequence[LoadedSubdir], *, channel_priority: str = "flexible",
                 extensions: tuple[str, ...] = DEFAULT_EXTENSIONS,
                 virtual: Sequence[Any] = (), channel_names: Sequence[str] = (),
                 dependencies: bool = True, pip_with_python: bool = True):
        self.subdirs = sorted(subdirs, key=lambda s: s.rank)
        #: sharded subdirs: ``records(name)`` first loads the shards that ``name`` reaches
        #: (``dependencies``), or only its own
        self.sharded = [s.sparse for s in self.subdirs if isinstance(s.sparse, ShardedRepodata)]
        self.dependencies = dependencies
        self.pip_with_python = pip_with_python
        self.channel_priority = channel_priority
        self.extensions = extensions
        self.virtual = list(virtual)
        self.channel_names = list(channel_names)
        self._records: dict[str, list[Any]] = {}
        self._rank: dict[int, int] = {}

    def names(self) -> list[str]:
        seen: dict[str, None] = {}
        for loaded in self.subdirs:
            seen.update(dict.fromkeys(loaded.sparse.offsets))
        seen.update(dict.fromkeys(v.name for v in self.virtual))
        return list(seen)

    def records(self, name: str) -> list[Any]:
        found = self._records.get(name)
        if found is None:
            from kernel.models import PackageRecord

            if self.dependencies and any(name in s.offsets and name not in s.loaded
                                         for s in self.sharded):
                reach(self.sharded, [name], pip_with_python=self.pip_with_python)
            found = []
            for loaded in self.subdirs:
                raw = loaded.sparse.raw_records(name)
                if not raw:
                    continue
                keep = select_files((fn for fn, _ in raw if fn not in loaded.removed),
                                    self.extensions)
                built = PackageRecord.from_repodata_entries(
                    [(fn, r) for fn, r in raw if fn in keep], channel=loaded.channel,
                    subdir=loaded.subdir, base_url=loaded.base_url)
                self._rank.update(dict.fromkeys(map(id, built), loaded.rank))
                found.extend(built)
            found.extend(v for v in self.virtual if v.name == name)
            self._records[name] = found
        return found

    def preload(self, names: Sequence[str]) -> None:
        """Fetch the shards of ``names`` (not of their dependencies) in parallel; a no-op
        without sharded subdirs."""
        if self.sharded:
            reach(self.sharded, list(names), follow=False)

    def channel_rank(self, record: Any) -> int:
        # under channel_priority: disabled too: conda's version key still ranks the
        # channels, after the version (two channels with the same build: the first wins)
        rank = self._rank.get(id(record))
        if rank is not None:
            return rank
        if str(getattr(record, "name", "")).startswith("__"):
            return 0
        channel = getattr(record, "channel", None)
        name = getattr(channel, "canonical_name", channel)
        return self.channel_names.index(name) if name in self.channel_names else len(
            self.channel_names)

    def channel_urls(self) -> list[str]:
        """The subdir URLs searched, credentials removed, for messages."""
        return [redact_url(s.url) for s in self.subdirs]


def resolve_channels(config: Any, channels: Sequence[str] = (),
                     override_channels: bool = False) -> list[str]:
    """conda's channel list: ``-c`` channels, then the configured ones unless overridden."""
    if override_channels:
        if not config.override_channels_enabled:
            raise ArgumentError("--override-channels is disabled (override_channels_enabled)")
        if not channels:
            raise ArgumentError("--override-channels requires at least one -c/--channel")
        chosen = list(channels)
    else:
        chosen = [*channels, *config.channels]
    return list(dict.fromkeys(chosen))


def sync_channel_context(config: Any, subdirs: Sequence[str]) -> None:
    """Install the channel context ``config`` describes (when it differs from the current)."""
    from kernel.models.channel_context import get_channel_context, set_channel_context

    wanted = config.channel_context(subdirs)
    if wanted != get_channel_context():
        set_channel_context(wanted)


def load_index(channels: Sequence[str] = (), subdirs: Sequence[str] | None = None, *,
               override_channels: bool = False, offline: bool | None = None,
               use_index_cache: bool | None = None, virtual: bool = True,
               config: Any = None, manager: Any = None, dependencies: bool = True) -> Index:
    """Fetch (or read from the cache) every channel × subdir and return the :class:`Index`.

    ``channels`` are the ``-c`` values; ``subdirs`` default to the ``subdirs`` setting
    (target platform and ``noarch``); ``offline`` and ``use_index_cache`` default to the
    settings; ``virtual`` adds the virtual packages of the target platform. A subdir that
    offers a shard index is read through its shards (unless ``repodata_use_shards`` is
    off); ``dependencies=False`` loads only the shard of each name asked for (``search``).
    """
    from kernel.config import get_config
    from kernel.manager import get_plugin_manager
    from kernel.models.channel import Channel
    from plugins.index.cache import cache_dir
    from plugins.index.subdir import Subdir

    config = config or get_config()
    manager = manager or get_plugin_manager()
    subdirs = list(subdirs or config.subdirs)
    offline = bool(config.offline if offline is None else offline)
    use_cache = bool(config.use_index_cache if use_index_cache is None else use_index_cache)
    folder = cache_dir(tuple(config.pkgs_dirs))
    sync_channel_context(config, subdirs)
    names: list[str] = []
    jobs: list[tuple[int, Any, Subdir]] = []
    for value in resolve_channels(config, channels, override_channels):
        channel = Channel(value)
        name = str(channel.canonical_name)
        if name not in names:
            names.append(name)
        for url in channel.urls(with_credentials=True, subdirs=subdirs):
            subdir = url.rstrip("/").rsplit("/", 1)[-1]
            jobs.append((names.index(name), Channel(strip_credentials(url)),
                         Subdir(url, name, subdir, folder)))

    use_shards = bool(config.repodata_use_shards)

    def run(job: tuple[int, Any, Subdir]) -> LoadedSubdir:
        rank, channel, subdir = job
        sparse: SparseRepodata | ShardedRepodata | None = None
        if use_shards:
            sparse = load_sharded(subdir, folder, config, offline=offline, use_cache=use_cache)
        if sparse is None:
            sparse = subdir.load(config, offline=offline, use_cache=use_cache)
        return LoadedSubdir(rank, channel, strip_credentials(subdir.url), subdir.subdir, sparse,
                            subdir.url)

    threads = config.repodata_threads or 8  # conda: repodata_threads, default the pool's
    if len(jobs) > 1 and threads > 1:
        with ThreadPoolExecutor(max_workers=min(threads, len(jobs))) as pool:
            loaded = list(pool.map(run, jobs))
    else:
        loaded = [run(job) for job in jobs]
    extensions = package_extensions(manager, bool(config.use_only_tar_bz2))
    records: list[Any] = []
    if virtual:
        from kernel.virtual_packages import virtual_package_records

        records = virtual_package_records(manager, config)
    return Index(loaded, channel_priority=str(config.channel_priority), extensions=extensions,
                 virtual=records, channel_names=names, dependencies=dependencies,
                 pip_with_python=bool(config.add_pip_as_python_dependency))


def load_sharded(subdir: Any, folder: Any, config: Any, *, offline: bool,
                 use_cache: bool) -> ShardedRepodata | None:
    """The subdir read through its shards, or ``None`` when it has none."""
    from plugins.index.shard_index import load_shard_index

    found = load_shard_index(subdir.url, subdir.channel, folder, config, offline=offline,
                             use_cache=use_cache)
    if found is None:
        return None
    info, shards, url = found
    return ShardedRepodata(url, subdir.channel, info, shards, folder / "shards", config,
                           offline=offline)
