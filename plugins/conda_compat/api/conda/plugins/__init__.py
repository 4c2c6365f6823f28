"""``conda.plugins``: ``hookimpl`` and (as ``conda.plugins.types``) the records, conda's way.

``hookimpl`` marks a hook implementation for microconda's plugin manager and adapts it:
conda's records are turned into microconda's when the hook runs (see
:mod:`plugins.conda_compat.hookimpl`).
"""

from __future__ import annotations

import importlib

from plugins.conda_compat.hookimpl import hookimpl
from plugins.conda_compat.missing import missing_attributes

__all__ = ["hookimpl"]

_missing = missing_attributes(__name__)


def __getattr__(name: str) -> object:
    if name == "types":  # ``from conda import plugins; plugins.types.CondaSetting``
        return importlib.import_module(f"{__name__}.types")
    return _missing(name)
