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
from plugins.index.sparse import SparseRepodata

DEFAULT_EXTENSIONS = (".conda", ".tar.bz2")


@attrs.define
class LoadedSubdir:
    rank: int
    channel: Any  # kernel.models.Channel of the subdir URL
    url: str  # the subdir URL without credentials
    subdir: str
    sparse: SparseRepodata

    @property
    def base_url(self) -> str:
        base = self.sparse.info.get("base_url")
        return str(base).rstrip("/") if base else self.url


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
                 virtual: Sequence[Any] = (), channel_names: Sequence[str] = ()):
        self.subdirs = sorted(subdirs, key=lambda s: s.rank)
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

            found = []
            for loaded in self.subdirs:
                raw = loaded.sparse.raw_records(name)
                if not raw:
                    continue
                keep = select_files((fn for fn, _ in raw), self.extensions)
                built = PackageRecord.from_repodata_entries(
                    [(fn, r) for fn, r in raw if fn in keep], channel=loaded.channel,
                    subdir=loaded.subdir, base_url=loaded.base_url)
                self._rank.update(dict.fromkeys(map(id, built), loaded.rank))
                found.extend(built)
            found.extend(v for v in self.virtual if v.name == name)
            self._records[name] = found
        return found

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
               config: Any = None, manager: Any = None) -> Index:
    """Fetch (or read from the cache) every channel × subdir and return the :class:`Index`.

    ``channels`` are the ``-c`` values; ``subdirs`` default to the ``subdirs`` setting
    (target platform and ``noarch``); ``offline`` and ``use_index_cache`` default to the
    settings; ``virtual`` adds the virtual packages of the target platform.
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

    def run(job: tuple[int, Any, Subdir]) -> LoadedSubdir:
        rank, channel, subdir = job
        sparse = subdir.load(config, offline=offline, use_cache=use_cache)
        return LoadedSubdir(rank, channel, strip_credentials(subdir.url), subdir.subdir, sparse)

    if len(jobs) > 1:
        with ThreadPoolExecutor(max_workers=min(8, len(jobs))) as pool:
            loaded = list(pool.map(run, jobs))
    else:
        loaded = [run(job) for job in jobs]
    extensions = package_extensions(manager, bool(config.use_only_tar_bz2))
    records: list[Any] = []
    if virtual:
        from kernel.virtual_packages import virtual_package_records

        records = virtual_package_records(manager, config)
    return Index(loaded, channel_priority=str(config.channel_priority), extensions=extensions,
                 virtual=records, channel_names=names)
