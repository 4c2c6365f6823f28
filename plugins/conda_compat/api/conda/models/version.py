"""``conda.models.version``: microconda's ``VersionOrder`` and ``VersionSpec``."""

from __future__ import annotations

from kernel.models.version import VersionOrder, VersionSpec, normalized_version
from plugins.conda_compat.missing import missing_attributes

__all__ = ["VersionOrder", "VersionSpec", "normalized_version"]
__getattr__ = missing_attributes(__name__)
