"""microconda's kernel: hookspecs, plugin manager, configuration, CLI and vocabulary.

Plugin authors import ``hookimpl`` from here and record types from :mod:`kernel.types`.
Importing this package is free: ``hookimpl`` (and pluggy with it) is loaded on first use,
so ``conda --version`` never pays for the plugin machinery.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up cost)

#: microconda's own version (``microconda --version``, ``microconda_version`` in
#: ``conda info``, the ``microconda/`` token of the User-Agent, export file headers).
__version__ = "0.1.0"
#: The conda release whose commands, files and outputs microconda follows and is checked
#: against: what ``conda --version``, ``conda info`` (``conda_version``), the ``__conda``
#: virtual package, ``conda-meta/history`` and the ``conda/`` User-Agent token report, since
#: tools and packages gate on conda's number. The one place it is written; importing
#: ``kernel`` costs nothing (docs/commands.md, "Which version").
CONDA_VERSION = "26.7.1"
#: The pluggy project name and the entry-point group of third-party plugins, as conda's.
PROJECT_NAME = "conda"
#: The entry-point group of microconda's own plugins: only microconda reads it, so a real
#: conda that sees microconda's distribution is never offered them.
BUILTIN_GROUP = "microconda.plugins"

if TYPE_CHECKING:
    import pluggy

    hookimpl: pluggy.HookimplMarker


def __getattr__(name: str) -> pluggy.HookimplMarker:
    if name == "hookimpl":
        import pluggy

        marker = pluggy.HookimplMarker(PROJECT_NAME)
        globals()["hookimpl"] = marker
        return marker
    raise AttributeError(f"module 'kernel' has no attribute {name!r}")
