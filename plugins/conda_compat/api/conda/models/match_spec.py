"""``conda.models.match_spec``: microconda's ``MatchSpec`` (conda's grammar and forms)."""

from __future__ import annotations

from kernel.models.matchspec import MatchSpec
from plugins.conda_compat.missing import missing_attributes

__all__ = ["MatchSpec"]
__getattr__ = missing_attributes(__name__)
