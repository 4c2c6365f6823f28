"""``conda.base.context``: conda's ``context`` read from microconda's configuration.

Attributes are answered from the run's configuration (``kernel.config``), by conda's names;
``plugins.<name>`` are the plugin settings. ``target_prefix`` is the prefix the command line
names (``-n``/``-p``), else the active environment, else base, as conda derives it from the
parsed arguments. An attribute microconda has no value for raises ``UnsupportedCondaAPI``.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from plugins.conda_compat.missing import missing_attributes, unsupported

__all__ = ["context", "locate_prefix_by_name", "reset_context"]


def _config() -> Any:
    from kernel.config import get_config

    return get_config()


def _named_target(argv: list[str]) -> tuple[str | None, str | None]:
    """``(name, prefix)`` given with ``-n``/``--name``/``-p``/``--prefix`` in ``argv``."""
    name = prefix = None
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        for flags, is_name in ((("-n", "--name"), True), (("-p", "--prefix"), False)):
            value = None
            if arg in flags and index + 1 < len(argv):
                value = argv[index + 1]
            elif arg.startswith(flags[1] + "="):
                value = arg.split("=", 1)[1]
            elif arg.startswith(flags[0]) and len(arg) > 2 and not arg.startswith("--"):
                value = arg[2:]
            if value is not None:
                name, prefix = (value, prefix) if is_name else (name, value)
    return name, prefix


class Context:
    """The subset of conda's ``Context`` that plugins read."""

    @property
    def target_prefix(self) -> str:
        from plugins.environment.resolve_prefix import prefix_for_name

        name, prefix = _named_target(sys.argv[1:])
        config = _config()
        if name:
            return prefix_for_name(name, config, creating=True)
        if prefix:
            return os.path.abspath(os.path.expanduser(prefix))
        return str(config.active_prefix or config.root_prefix)

    @property
    def conda_prefix(self) -> str:
        return str(_config().root_prefix)

    @property
    def active_prefix(self) -> str | None:
        return _config().active_prefix

    @property
    def conda_exe_vars_dict(self) -> dict[str, str]:
        from plugins.shells.activator import conda_exe_vars

        return conda_exe_vars()

    @property
    def plugins(self) -> Any:
        return _config().plugins

    @property
    def verbose(self) -> bool:
        return int(_config().verbosity) > 0

    @property
    def download_only(self) -> bool:
        return bool(_config().get("download_only", False))

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(_config().channels)

    def __getattr__(self, name: str) -> Any:
        config = _config()
        value = config.get(name, _UNSET) if not name.startswith("_") else _UNSET
        if value is _UNSET:
            raise unsupported(f"conda.base.context.context.{name}")
        return value


_UNSET = object()
context = Context()


def reset_context(*args: Any, **kwargs: Any) -> Context:
    """conda re-reads its configuration here; microconda's is read once per run."""
    return context


def locate_prefix_by_name(name: str, envs_dirs: Any = None) -> str:
    """The prefix of environment ``name`` (``base`` is the root prefix), as conda finds it."""
    from conda.exceptions import EnvironmentNameNotFound
    from plugins.environment.resolve_prefix import prefix_for_name

    try:
        return prefix_for_name(name, _config())
    except Exception as exc:
        from kernel.errors import CondaError

        if isinstance(exc, CondaError) and type(exc).__name__ == "EnvironmentLocationNotFound":
            raise EnvironmentNameNotFound(name) from None
        raise


__getattr__ = missing_attributes(__name__)
