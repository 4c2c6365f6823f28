"""``conda.common.path``: ``PathType`` and ``PathsType``, the path annotations plugins use."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Union

from plugins.conda_compat.missing import missing_attributes

PathType = Union[str, os.PathLike]  # noqa: UP007 (conda's spelling, usable at run time)
PathsType = Iterable[PathType]

__getattr__ = missing_attributes(__name__)
