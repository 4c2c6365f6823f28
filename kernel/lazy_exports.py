"""Package attributes imported from their modules on first use (PEP 562).

A package lists where each public name lives and sets ``__getattr__ =
lazy_attributes(__name__, homes)``; ``from package import name`` then imports only the
module that defines ``name``, so a command loads no more code than it uses.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_attributes(module: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """A module-level ``__getattr__`` for ``module``.

    ``homes`` maps each lazily exported name to the module that defines it: an absolute
    module name, or one starting with a dot, relative to ``module`` (a package). The first
    access imports that module and stores the value in ``module``'s namespace, so later
    accesses are plain lookups; any other name raises :class:`AttributeError`.
    """
    namespace = sys.modules[module].__dict__

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        value = getattr(import_module(home, module), name)
        namespace[name] = value
        return value

    return __getattr__
