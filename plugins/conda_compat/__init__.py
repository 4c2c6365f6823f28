"""The conda compatibility layer: plugins written for conda run on microconda unchanged.

Importing this plugin only appends :class:`CondaFinder` to the end of ``sys.meta_path``;
nothing else is loaded. When a plugin later runs ``import conda``, every finder before ours
(the ordinary path finder first) has already looked for a real ``conda``: ours is asked
only when none exists, and then serves the package under :file:`api/conda`, thin adapters
over microconda's kernel and engine. A real conda is therefore never shadowed, and a run
that loads no conda-API plugin imports none of the adapters.

The plugin implements no hook (it exists for the finder), so the plugin manager imports it
on every run, before any third-party plugin; ``conda plugins list`` shows which ``conda``
this process gets through :func:`plugin_note`.
"""

from __future__ import annotations

import sys
from importlib.machinery import ModuleSpec, PathFinder
from typing import Any

#: the folder holding our ``conda`` package
API_DIR = __path__[0] + "/api"


class CondaFinder:
    """Finds ``conda`` in :data:`API_DIR`; its submodules then resolve inside that package."""

    @classmethod
    def find_spec(cls, fullname: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        if fullname != "conda":
            return None
        return PathFinder.find_spec(fullname, [API_DIR])


def install() -> None:
    """Put the finder last on ``sys.meta_path`` (once)."""
    if not any(finder is CondaFinder for finder in sys.meta_path):
        sys.meta_path.append(CondaFinder)  # type: ignore[arg-type]


def provided() -> bool:
    """Whether ``import conda`` gives (or would give) our adapters rather than a real conda."""
    module = sys.modules.get("conda")
    if module is not None:
        return str(getattr(module, "__file__", "") or "").startswith(API_DIR)
    return PathFinder.find_spec("conda") is None


def plugin_note() -> str:
    """One line for ``conda plugins list``: which ``conda`` plugins written for conda get."""
    if provided():
        return "conda API for plugins written for conda: provided by microconda"
    real = sys.modules.get("conda")
    spec = None if real is not None else PathFinder.find_spec("conda")
    where = getattr(real, "__file__", None) or (spec.origin if spec else "?")
    return f"a real conda is importable ({where}): left alone, microconda's conda API unused"


install()
