"""Versions and version constraints, as one import: conda's ``conda.models.version``.

:class:`VersionOrder` (parsing and ordering) lives in :mod:`kernel.models.version_order`,
:class:`VersionSpec` in :mod:`kernel.models.version_spec` and :class:`BuildNumberMatch` in
:mod:`kernel.models.build_number`.
"""

from __future__ import annotations

from kernel.models.build_number import BuildNumberMatch
from kernel.models.version_order import VersionOrder, normalized_version
from kernel.models.version_spec import VersionSpec

__all__ = ["BuildNumberMatch", "VersionOrder", "VersionSpec", "normalized_version"]
