"""``conda.common``: configuration parameters, URLs, I/O, paths, serialisation."""

from __future__ import annotations

from plugins.conda_compat.missing import missing_attributes

__getattr__ = missing_attributes(__name__)
