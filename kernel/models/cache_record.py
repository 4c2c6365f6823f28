""":class:`PackageCacheRecord`: a package in the package cache, archive and extracted folder."""

from __future__ import annotations

from typing import Any, ClassVar

import attrs

from kernel.models.records import PackageRecord


@attrs.frozen(kw_only=True, eq=False)
class PackageCacheRecord(PackageRecord):
    """A record of a package in the package cache: where its archive and folder are."""

    package_tarball_full_path: str
    extracted_package_dir: str

    JSON_FIELDS: ClassVar[frozenset[str]] = PackageRecord.JSON_FIELDS | {
        "package_tarball_full_path",
        "extracted_package_dir",
    }

    def _json_items(self) -> list[tuple[str, Any]]:
        return [
            *super()._json_items(),
            ("package_tarball_full_path", self.package_tarball_full_path),
            ("extracted_package_dir", self.extracted_package_dir),
        ]

    @property
    def tarball_basename(self) -> str:
        return self.package_tarball_full_path.replace("\\", "/").rsplit("/", 1)[-1]
