"""What a conda-API plugin gets when it asks for something microconda does not provide.

Every adapter module ends with ``__getattr__ = missing_attributes(__name__)``: an unknown
attribute raises :class:`UnsupportedCondaAPI`, a ``CondaError`` (so the command ends with one
clear line and conda's exit code) that is also an ``AttributeError`` (so ``hasattr`` and
``from conda.x import y`` behave as Python code expects). The message names the plugin
that asked, found from the calling frame, and the missing API.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from kernel.errors import CondaError


class UnsupportedCondaAPI(CondaError, AttributeError):
    """A plugin written for conda used a conda API that microconda does not provide."""


def calling_plugin(depth: int = 2) -> str:
    """The top-level package of the first caller outside ``conda`` and this layer."""
    frame = sys._getframe(depth)
    while frame is not None:
        module = str(frame.f_globals.get("__name__", ""))
        top = module.partition(".")[0]
        if top not in ("conda", "plugins", "importlib", "kernel", "") and \
                not module.startswith("_frozen_importlib"):
            return top
        frame = frame.f_back  # type: ignore[assignment]
    return "a plugin"


def unsupported(api: str, depth: int = 3) -> UnsupportedCondaAPI:
    """The error for ``api`` (a dotted name), naming the plugin that asked for it."""
    plugin = calling_plugin(depth)
    return UnsupportedCondaAPI(
        f"plugin {plugin} uses {api}, which microconda's conda compatibility layer does not "
        f"provide", plugin=plugin, api=api)


def missing_attributes(module: str) -> Callable[[str], object]:
    """A module ``__getattr__`` raising :class:`UnsupportedCondaAPI` for every name."""

    def __getattr__(name: str) -> object:
        if name.startswith("__"):
            raise AttributeError(name)
        raise unsupported(f"{module}.{name}")

    return __getattr__
