"""``conda.cli``: the argument helpers plugins build their parsers with."""

from __future__ import annotations

from plugins.conda_compat.missing import missing_attributes

__getattr__ = missing_attributes(__name__)
