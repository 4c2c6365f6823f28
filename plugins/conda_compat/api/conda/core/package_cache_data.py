"""``conda.core.package_cache_data``: the package caches, and fetching into them.

``PackageCacheData(pkgs_dir)`` lists one cache's complete entries; ``query_all(spec)``
searches every configured cache; ``ProgressiveFetchExtract(specs).execute()`` downloads and
extracts packages named by URL specs (``MatchSpec(url, md5=..., sha256=...)``), checked
against their hashes, with microconda's fetcher. Records come back as conda's
``PackageRecord`` (read from each entry's ``info/repodata_record.json``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

from plugins.conda_compat.missing import missing_attributes

__all__ = ["PackageCacheData", "ProgressiveFetchExtract"]


def _matches(spec: Any, record: dict[str, Any]) -> bool:
    from conda.models.match_spec import MatchSpec

    if isinstance(spec, str):
        spec = MatchSpec(spec)
    url = spec.get("url") if isinstance(spec, MatchSpec) else getattr(spec, "url", None)
    if url:
        same_file = os.path.basename(str(url)) == record.get("fn") or url == record.get("url")
        hashes = all(spec.get(k) in (None, record.get(k)) for k in ("md5", "sha256")) \
            if isinstance(spec, MatchSpec) else True
        return bool(same_file and hashes)
    if isinstance(spec, MatchSpec):
        from kernel.models import PackageRecord

        return bool(spec.match(PackageRecord.from_json(record)))
    return bool(getattr(spec, "fn", None) == record.get("fn"))


class PackageCacheData:
    """One package cache directory (``pkgs_dir``)."""

    def __init__(self, pkgs_dir: Any):
        from plugins.package_cache.cache import PackageCache

        self.pkgs_dir = os.fspath(pkgs_dir)
        self._ours = PackageCache(self.pkgs_dir)

    def iter_records(self) -> Iterator[Any]:
        from conda.models.records import as_conda

        return (as_conda(entry.record) for entry in self._ours.entries())

    def query(self, package_ref_or_match_spec: Any) -> Iterator[Any]:
        from conda.models.records import as_conda

        return (as_conda(entry.record) for entry in self._ours.entries()
                if _matches(package_ref_or_match_spec, entry.record))

    @property
    def is_writable(self) -> bool:
        return bool(self._ours.is_writable())

    @classmethod
    def _dirs(cls, pkgs_dirs: Iterable[Any] | None) -> list[str]:
        from plugins.package_cache.cache import configured_pkgs_dirs

        return [os.fspath(d) for d in pkgs_dirs] if pkgs_dirs else configured_pkgs_dirs()

    @classmethod
    def query_all(cls, package_ref_or_match_spec: Any,
                  pkgs_dirs: Iterable[Any] | None = None) -> Iterator[Any]:
        for pkgs_dir in cls._dirs(pkgs_dirs):
            yield from cls(pkgs_dir).query(package_ref_or_match_spec)

    @classmethod
    def first_writable(cls, pkgs_dirs: Iterable[Any] | None = None) -> PackageCacheData:
        from plugins.package_cache.cache import first_writable

        return cls(first_writable(cls._dirs(pkgs_dirs)).pkgs_dir)


class ProgressiveFetchExtract:
    """Fetch and extract the packages ``link_prefs`` name (URL specs or records)."""

    def __init__(self, link_prefs: Iterable[Any]):
        self.link_precords = tuple(link_prefs)

    @staticmethod
    def _record(item: Any) -> dict[str, Any]:
        if hasattr(item, "to_json"):
            return dict(item.to_json())
        url = str(item.get("url"))
        record = {"url": url, "fn": url.rstrip("/").rsplit("/", 1)[-1]}
        record.update({k: str(item.get(k)) for k in ("md5", "sha256") if item.get(k)})
        return record

    def execute(self) -> None:
        from kernel.config import get_config
        from plugins.package_cache.fetch import fetch_packages

        fetch_packages([self._record(item) for item in self.link_precords],
                       progress=not get_config().quiet)

    def prepare(self) -> None:
        pass


__getattr__ = missing_attributes(__name__)
