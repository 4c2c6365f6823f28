"""Installed packages: :class:`PrefixRecord`, the ``conda-meta/<name>-<version>-<build>.json``
file conda writes for every package linked into a prefix.

Load with :meth:`PrefixRecord.load` (or ``from_json``) and write back with
:meth:`PrefixRecord.dump` in conda's exact shape: sorted keys, two-space indent, the keys the
file had. The nested ``paths_data`` and ``link`` objects are (un)structured with cattrs,
imported on first use.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any, ClassVar

import attrs

from kernel.errors import InvalidPackageRecord
from kernel.models.records import PackageRecord


@attrs.frozen(kw_only=True)
class PathEntry:
    """One file of an installed package (an entry of ``paths_data.paths``)."""

    #: the path relative to the prefix (``_path`` in JSON)
    path: str
    #: ``hardlink``, ``softlink``, ``directory``, ``pyc_file``, ``*_python_entry_point*``...
    path_type: str
    sha256: str | None = None
    sha256_in_prefix: str | None = None
    size_in_bytes: int | None = None
    #: ``text`` or ``binary`` when the file has a prefix placeholder
    file_mode: str | None = None
    prefix_placeholder: str | None = None
    no_link: bool | None = None
    inode_paths: tuple[str, ...] | None = None


@attrs.frozen(kw_only=True)
class PathsData:
    """What ``info/paths.json`` listed, with what linking recorded for each path."""

    paths_version: int
    paths: tuple[PathEntry, ...]


@attrs.frozen(kw_only=True)
class Link:
    """How the package was linked: from which extracted folder, with which link type
    (conda's ``LinkType``: 1 hardlink, 2 softlink, 3 copy, 4 directory)."""

    source: str
    type: int | None = None


_LINK_TYPES = {"hardlink": 1, "hard": 1, "softlink": 2, "soft": 2, "copy": 3, "directory": 4}

_converter: Any = None


def _get_converter() -> Any:
    """A cattrs converter for the nested JSON objects, built on first use."""
    global _converter
    if _converter is None:
        import cattrs
        from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

        conv = cattrs.Converter()
        renamed = override(rename="_path")
        conv.register_structure_hook(
            PathEntry, make_dict_structure_fn(PathEntry, conv, path=renamed)
        )
        conv.register_unstructure_hook(
            PathEntry,
            make_dict_unstructure_fn(PathEntry, conv, _cattrs_omit_if_default=True, path=renamed),
        )

        def link_type(value: Any, _: Any) -> int | None:
            if value is None or isinstance(value, int):
                return value
            return _LINK_TYPES[str(value).replace("-", "").replace("_", "").lower()]

        conv.register_structure_hook(
            Link, make_dict_structure_fn(Link, conv, type=override(struct_hook=link_type))
        )
        conv.register_unstructure_hook(
            Link, make_dict_unstructure_fn(Link, conv, _cattrs_omit_if_default=True)
        )
        _converter = conv
    return _converter


@attrs.frozen(kw_only=True, eq=False)
class PrefixRecord(PackageRecord):
    """A package record plus what linking it into the prefix produced."""

    files: tuple[str, ...] = ()
    paths_data: PathsData | None = None
    link: Link | None = None
    requested_spec: str | None = None
    requested_specs: tuple[str, ...] = ()
    package_tarball_full_path: str | None = None
    extracted_package_dir: str | None = None
    #: credentials conda may have saved with the record; never shown by ``repr``
    auth: str | None = attrs.field(default=None, repr=False)

    JSON_FIELDS: ClassVar[frozenset[str]] = PackageRecord.JSON_FIELDS | {
        "files",
        "paths_data",
        "link",
        "requested_spec",
        "requested_specs",
        "package_tarball_full_path",
        "extracted_package_dir",
        "auth",
    }
    ALWAYS_DUMPED: ClassVar[frozenset[str]] = PackageRecord.ALWAYS_DUMPED | {"files"}

    @classmethod
    def _fields_from_json(cls, data: Mapping[str, Any], label: str) -> dict[str, Any]:
        fields = super()._fields_from_json(data, label)
        fields["files"] = tuple(data.get("files") or ())
        fields["requested_specs"] = tuple(data.get("requested_specs") or ())
        conv = _get_converter()
        try:
            if data.get("paths_data") is not None:
                fields["paths_data"] = conv.structure(data["paths_data"], PathsData)
            if data.get("link") is not None:
                fields["link"] = conv.structure(data["link"], Link)
        except Exception as exc:  # cattrs raises its own exception groups
            raise InvalidPackageRecord(label, f"bad paths_data or link: {exc}") from None
        return fields

    def _json_items(self) -> list[tuple[str, Any]]:
        conv = _get_converter()
        return [
            *super()._json_items(),
            ("files", list(self.files)),
            ("paths_data", conv.unstructure(self.paths_data) if self.paths_data else None),
            ("link", conv.unstructure(self.link) if self.link else None),
            ("requested_spec", self.requested_spec),
            ("requested_specs", list(self.requested_specs)),
            ("package_tarball_full_path", self.package_tarball_full_path),
            ("extracted_package_dir", self.extracted_package_dir),
            ("auth", self.auth),
        ]

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> PrefixRecord:
        """Read a ``conda-meta/*.json`` file."""
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError) as exc:
            raise InvalidPackageRecord(os.fspath(path), str(exc)) from None
        record = cls.from_json(data)
        assert isinstance(record, PrefixRecord)
        return record

    def dump(self, path: str | os.PathLike[str]) -> None:
        """Write the record where ``path`` says, as conda does (sorted, indent 2)."""
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(self.to_json(), fh, indent=2, sort_keys=True)

    @property
    def conda_meta_filename(self) -> str:
        """``<name>-<version>-<build>.json``, the file's name inside ``conda-meta``."""
        return f"{self.name}-{self.version}-{self.build}.json"
