"""An in-memory :class:`~kernel.types.RecordSource` over repodata files, for tests and the
benchmark (the index plugin provides the real one).

Raw repodata is parsed once and grouped by name; :class:`PackageRecord` objects are built
only for the names a solve asks for.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from kernel.types import RecordSource

#: where the shared real data lives, relative to the repository root
DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def load_repodata(path: Path) -> dict[str, dict[str, Any]]:
    """``{filename: raw record}`` of a repodata.json (both package tables)."""
    data = json.loads(path.read_text())
    if "packages" not in data and "packages.conda" not in data:
        return dict(data)
    return {**data.get("packages", {}), **data.get("packages.conda", {})}


def split_flat_index(index: Mapping[str, dict[str, Any]], subdir: str = "linux-64"
                     ) -> dict[str, dict[str, dict[str, Any]]]:
    """conda's rule for its test indexes: noarch when the record says so, else ``subdir``."""
    out: dict[str, dict[str, dict[str, Any]]] = {subdir: {}, "noarch": {}}
    for fn, raw in index.items():
        target = "noarch" if raw.get("subdir") == "noarch" or raw.get("noarch") else subdir
        out[target][fn] = raw
    return out


class MemorySource(RecordSource):
    """Channels in priority order, each ``{subdir: {filename: raw record}}``."""

    def __init__(self, channels: Sequence[tuple[str, Mapping[str, Mapping[str, dict]]]]):
        self.channel_names = [name for name, _ in channels]
        #: per name, its file names per (rank, channel, subdir), in priority order
        self._raw: dict[str, list[tuple[int, str, str, list[str]]]] = {}
        for rank, (channel, subdirs) in enumerate(channels):
            for subdir, records in subdirs.items():
                found: dict[str, list[str]] = {}
                for fn, raw in records.items():
                    found.setdefault(raw["name"], []).append(fn)
                for name, fns in found.items():
                    self._raw.setdefault(name, []).append((rank, channel, subdir, fns))
        self._tables = {(rank, subdir): records for rank, (_, subdirs) in enumerate(channels)
                        for subdir, records in subdirs.items()}
        self._built: dict[str, list[Any]] = {}
        self._rank: dict[int, int] = {}

    @classmethod
    def from_dirs(cls, *dirs: tuple[str, Path]) -> MemorySource:
        """Channel folders laid out as ``<dir>/<subdir>/repodata.json``."""
        return cls([(name, {p.parent.name: load_repodata(p)
                            for p in sorted(Path(d).glob("*/repodata.json"))})
                    for name, d in dirs])

    def records(self, name: str) -> Sequence[Any]:
        built = self._built.get(name)
        if built is None:
            from kernel.models import PackageRecord

            built = []
            for rank, channel, subdir, fns in self._raw.get(name, ()):
                table = self._tables[(rank, subdir)]
                records = PackageRecord.from_repodata_entries(
                    [(fn, table[fn]) for fn in fns], channel=channel, subdir=subdir)
                self._rank.update(dict.fromkeys(map(id, records), rank))
                built.extend(records)
            self._built[name] = built
        return built

    def channel_rank(self, record: Any) -> int:
        rank = self._rank.get(id(record))
        if rank is None:
            channel = str(record.channel)
            names = [str(n) for n in self.channel_names]
            if channel in names:
                return names.index(channel)
            raise KeyError(channel)
        return rank

    def names(self) -> Iterable[str]:
        return self._raw.keys()
