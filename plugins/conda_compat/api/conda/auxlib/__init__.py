"""``conda.auxlib``: ``NULL``, conda's "not defined" marker (distinct from ``None``)."""

from __future__ import annotations

from plugins.conda_compat.missing import missing_attributes


class _Null:
    """A falsy marker; a virtual package's value of ``NULL`` means "no such package"."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NULL"


NULL = _Null()

__getattr__ = missing_attributes(__name__)
