"""``conda.plugins.hookimpl``: marks a conda-API hook and adapts what it yields.

The decorated function is replaced by one with the hook's arguments as microconda's
hookspec declares them, marked with microconda's ``hookimpl``. When the hook runs, it calls
the plugin's function and converts each record (:mod:`plugins.conda_compat.convert`). A
plugin whose hook raises is one warning naming it and its distribution; the command goes on
without its records. ``conda_error_hints(error)`` is conda's only hook with an argument our
hookspec lacks: it becomes one ``CondaErrorHint`` whose ``hint(error)`` asks the plugin.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from typing import Any

#: hooks whose implementations take arguments (the rest take none)
_ARGUMENTS = {"conda_session_headers": ("host",), "conda_request_headers": ("host", "path")}


def _distribution(module: str) -> str:
    """``name version`` of the distribution that installed ``module``'s top package."""
    import importlib.metadata

    top = module.partition(".")[0]
    for dist in importlib.metadata.packages_distributions().get(top, []):
        try:
            return f"{dist} {importlib.metadata.version(dist)}"
        except importlib.metadata.PackageNotFoundError:
            continue
    return "unknown distribution"


def warn(function: Callable[..., Any], hook: str, exc: BaseException) -> None:
    """One warning line: the plugin, its distribution, the hook, what it raised."""
    module = getattr(function, "__module__", "") or ""
    print(f"warning: plugin {module.partition('.')[0]} ({_distribution(module)}) raised in "
          f"{hook} and was skipped: {type(exc).__name__}: {exc}", file=sys.stderr)


def _adapt(function: Callable[..., Any], marker: Any) -> Callable[..., Any]:
    hook = function.__name__
    module = getattr(function, "__module__", "") or "plugin"

    def records(*args: Any) -> Iterator[Any]:
        from plugins.conda_compat.convert import convert

        try:
            produced = list(function(*args) or ())
            return iter([convert(hook, record, module) for record in produced])
        except Exception as exc:  # an unprovided conda API included
            warn(function, hook, exc)
            return iter(())

    if hook == "conda_error_hints":
        def error_hints() -> Iterator[Any]:
            from plugins.conda_compat.convert import error_hint

            yield error_hint(function, module)
        adapted: Callable[..., Any] = error_hints
    elif hook in _ARGUMENTS:
        names = _ARGUMENTS[hook]
        if len(names) == 1:
            def one(host: str) -> Iterator[Any]:
                return records(host)
            adapted = one
        else:
            def two(host: str, path: str) -> Iterator[Any]:
                return records(host, path)
            adapted = two
    else:
        def none() -> Iterator[Any]:
            return records()
        adapted = none
    functools.update_wrapper(adapted, function, assigned=("__module__", "__name__",
                                                          "__qualname__", "__doc__"))
    adapted.__wrapped_conda_hook__ = function  # type: ignore[attr-defined]
    del adapted.__wrapped__  # pluggy must read our signature, not the plugin's
    return marker(adapted)


def hookimpl(function: Callable[..., Any] | None = None, **options: Any) -> Any:
    """``@hookimpl`` or ``@hookimpl(tryfirst=True, ...)``, as conda's marker is used."""
    import kernel

    marker = kernel.hookimpl(**options) if options else kernel.hookimpl
    if function is None:
        return lambda f: _adapt(f, marker)
    return _adapt(function, marker)
