"""``conda.core.prefix_data``: ``PrefixData`` over microconda's reader of ``conda-meta``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from plugins.conda_compat.missing import missing_attributes

__all__ = ["PrefixData"]


class PrefixData:
    """The records installed in ``prefix``, as conda's ``PrefixRecord`` objects."""

    def __init__(self, prefix_path: Any, interoperability: bool | None = None):
        from plugins.prefix.prefix_data import PrefixData as Ours

        self.prefix_path = Path(prefix_path)
        self._ours = Ours(os.fspath(prefix_path))

    def reload(self) -> PrefixData:
        self._ours.reload()
        return self

    def exists(self) -> bool:
        return self.prefix_path.is_dir()

    def is_environment(self) -> bool:
        return bool(self._ours.is_environment())

    def iter_records(self) -> Iterator[Any]:
        from conda.models.records import as_conda

        return (as_conda(record) for record in self._ours.records())

    def iter_records_sorted(self) -> Iterator[Any]:
        return iter(sorted(self.iter_records(), key=lambda r: r.name))

    def get(self, package_name: str, default: Any = None) -> Any:
        from conda.models.records import as_conda

        record = self._ours.get(package_name)
        return default if record is None else as_conda(record)

    def query(self, package_ref_or_match_spec: Any) -> Iterator[Any]:
        from conda.models.match_spec import MatchSpec

        spec = package_ref_or_match_spec
        if isinstance(spec, str):
            spec = MatchSpec(spec)
        if isinstance(spec, MatchSpec):
            return (r for r in self.iter_records() if spec.match(r))
        return (r for r in self.iter_records() if r == spec)


__getattr__ = missing_attributes(__name__)
