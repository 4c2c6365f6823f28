"""``conda.common.io``: ``dashlist`` and the few console helpers plugins call."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from plugins.conda_compat.missing import missing_attributes

__all__ = ["dashlist"]


def dashlist(iterable: Iterable[Any], indent: int = 2) -> str:
    """Each item on its own line as ``  - item`` (empty for no items), as conda writes it."""
    return "".join(f"\n{' ' * indent}- {item}" for item in iterable)


__getattr__ = missing_attributes(__name__)
