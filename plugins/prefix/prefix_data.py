"""``PrefixData``: one environment's installed records, history and pins, read lazily.

Records are read once per instance (``reload()`` reads again) and returned as
:class:`kernel.models.PrefixRecord` objects by :meth:`PrefixData.records`, or as the raw
conda-meta dicts by :meth:`PrefixData.raw_records` (what the engine itself uses).

With ``interoperability=True`` (what ``conda list``, ``export`` and ``compare`` ask for, as
conda's ``PrefixData(prefix, interoperability=True)``) the ``conda_prefix_data_loaders``
plugins add the packages other installers put there (pip's, with channel ``pypi``);
:func:`is_external` tells them apart. Everything else (solves, transactions, activation)
reads conda-meta only, so site-packages is never read for them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from plugins.prefix.history import History
from plugins.prefix.pinned import read_pinned
from plugins.prefix.records import load_records, record_filename, write_record


def _warn(message: str) -> None:
    from kernel.reporting import warn

    warn(message)


#: ``package_type`` values of records that a prefix data loader adds (conda's own names)
EXTERNAL_PACKAGE_TYPES = frozenset({"virtual_python_wheel", "virtual_python_egg_manageable",
                                    "virtual_python_egg_unmanageable",
                                    "virtual_python_egg_link"})
#: of those, what conda counts as "installed via pip" (``get_python_packages``)
PYTHON_PACKAGE_TYPES = EXTERNAL_PACKAGE_TYPES - {"virtual_python_egg_link"}


def is_external(record: Mapping[str, Any]) -> bool:
    """True for a record a prefix data loader added (no conda-meta file behind it)."""
    return record.get("package_type") in EXTERNAL_PACKAGE_TYPES


def is_python_package(record: Mapping[str, Any]) -> bool:
    """True for a pip-installed record: what ``env export`` writes under ``pip:``."""
    return record.get("package_type") in PYTHON_PACKAGE_TYPES


def run_loaders(prefix: str, records: dict[str, dict[str, Any]]) -> None:
    """Let each ``conda_prefix_data_loaders`` plugin add (and drop) records in place."""
    from kernel.manager import get_plugin_manager

    for loader in get_plugin_manager().hook_results("conda_prefix_data_loaders"):
        try:
            added = loader.loader(prefix, records)
        except Exception as exc:  # one broken loader must not take `conda list` down
            _warn(f"prefix data loader '{loader.name}' failed on {prefix}: "
                  f"{type(exc).__name__}: {exc}")
            continue
        for name, record in (added or {}).items():
            if isinstance(record, Mapping) and records.get(str(name)) is not record:
                records[str(name)] = dict(record)


_ANCHOR_ENDINGS = (".dist-info/RECORD", ".egg-info/PKG-INFO", ".egg-info")


def _lost_anchor(prefix: str, record: Mapping[str, Any]) -> bool:
    """True when the record lists a site-packages metadata entry that is not there."""
    for path in record.get("files") or ():
        path = str(path).replace("\\", "/")
        if "/site-packages/" in path and path.endswith(_ANCHOR_ENDINGS):
            if not os.path.lexists(os.path.join(prefix, path)):
                return True
    return False


def replaced_outside_conda(prefix: str, records: dict[str, dict[str, Any]],
                           merged: dict[str, dict[str, Any]] | None = None
                           ) -> dict[str, dict[str, Any] | None]:
    """``{name: replacing record or None}`` for the conda records whose own metadata entry
    in site-packages is gone because another installer (pip) replaced or removed the
    package. Reinstalling or removing such a package would overwrite or delete the other
    installer's files. ``merged`` is ``records`` after :func:`run_loaders` (run here when
    not given)."""
    if merged is None:
        merged = dict(records)
        run_loaders(prefix, merged)
    return {name: merged.get(name) for name, record in sorted(records.items())
            if merged.get(name) is not record and _lost_anchor(prefix, record)}


class PrefixData:
    """The conda-meta view of ``prefix`` (plus other installers' packages with
    ``interoperability=True``)."""

    def __init__(self, prefix: str, *, interoperability: bool = False):
        self.prefix = os.path.abspath(os.path.expanduser(prefix))
        self.interoperability = interoperability
        self._raw: dict[str, dict[str, Any]] | None = None

    @property
    def meta_dir(self) -> str:
        return os.path.join(self.prefix, "conda-meta")

    def is_environment(self) -> bool:
        """True when ``prefix`` has a ``conda-meta`` folder."""
        return os.path.isdir(self.meta_dir)

    def reload(self) -> PrefixData:
        self._raw = None
        return self

    def raw_records(self) -> dict[str, dict[str, Any]]:
        """``{name: conda-meta dict}``; a corrupt file raises ``CorruptedEnvironmentError``."""
        if self._raw is None:
            raw = load_records(self.prefix, warn=_warn)
            if self.interoperability:
                run_loaders(self.prefix, raw)
            self._raw = raw
        return self._raw

    def conda_records(self) -> list[dict[str, Any]]:
        """The records conda installed (conda-meta), sorted by name."""
        raw = self.raw_records()
        return [raw[n] for n in sorted(raw) if not is_external(raw[n])]

    def python_records(self) -> list[dict[str, Any]]:
        """The pip-installed records (needs ``interoperability=True``), sorted by name."""
        raw = self.raw_records()
        return [raw[n] for n in sorted(raw) if is_python_package(raw[n])]

    def get_raw(self, name: str) -> dict[str, Any] | None:
        return self.raw_records().get(name)

    def records(self) -> list[Any]:
        """The installed records as :class:`kernel.models.PrefixRecord`, sorted by name."""
        from kernel.models import PrefixRecord

        raw = self.raw_records()
        return [PrefixRecord.from_json(raw[name]) for name in sorted(raw)]

    def get(self, name: str) -> Any | None:
        """The installed :class:`~kernel.models.PrefixRecord` named ``name``, or ``None``."""
        data = self.get_raw(name)
        if data is None:
            return None
        from kernel.models import PrefixRecord

        return PrefixRecord.from_json(data)

    def python_version(self) -> str | None:
        record = self.get_raw("python")
        return str(record["version"]) if record else None

    @property
    def history(self) -> History:
        return History(self.prefix)

    def requested_specs_map(self) -> dict[str, str]:
        """What the user asked for, by name, limited to what is installed."""
        return self.history.requested_specs_map(installed=self.raw_records())

    def pinned(self) -> list[str]:
        return read_pinned(self.prefix)

    def write(self, record: Mapping[str, Any], *, tmp_dir: str | None = None) -> str:
        """Write one record atomically (outside a transaction's journal: use with care)."""
        path = write_record(self.prefix, record, tmp_dir=tmp_dir)
        if self._raw is not None:
            self._raw[str(record["name"])] = dict(record)
        return path

    def record_path(self, record: Mapping[str, Any]) -> str:
        return os.path.join(self.meta_dir, record_filename(record))
