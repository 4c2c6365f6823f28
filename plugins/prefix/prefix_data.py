"""``PrefixData``: one environment's installed records, history and pins, read lazily.

Records are read once per instance (``reload()`` reads again) and returned as
:class:`kernel.models.PrefixRecord` objects by :meth:`PrefixData.records`, or as the raw
conda-meta dicts by :meth:`PrefixData.raw_records` (what the engine itself uses).
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


class PrefixData:
    """The conda-meta view of ``prefix``."""

    def __init__(self, prefix: str):
        self.prefix = os.path.abspath(os.path.expanduser(prefix))
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
            self._raw = load_records(self.prefix, warn=_warn)
        return self._raw

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
