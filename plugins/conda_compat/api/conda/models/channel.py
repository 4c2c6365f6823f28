"""``conda.models.channel``: microconda's ``Channel`` and ``MultiChannel``."""

from __future__ import annotations

from kernel.models.channel import Channel, MultiChannel
from plugins.conda_compat.missing import missing_attributes

__all__ = ["Channel", "MultiChannel"]
__getattr__ = missing_attributes(__name__)
