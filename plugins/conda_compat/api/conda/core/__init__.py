"""``conda.core``: prefix data and the package cache."""

from __future__ import annotations

from plugins.conda_compat.missing import missing_attributes

__getattr__ = missing_attributes(__name__)
