"""Configuration: condarc files, ``CONDA_*`` variables and command-line overrides.

Sources are read in conda's order, lowest precedence first: system files, ``$CONDA_ROOT``,
``$XDG_CONFIG_HOME/conda``, ``~/.config/conda``, ``~/.conda``, ``~/.condarc``,
``$CONDA_PREFIX``, ``$CONDARC``, then environment variables, then the command line.
Primitives take the highest-precedence value; sequences and maps merge (see
:mod:`kernel.parameters`). A file's ``key: value  #!final`` (or a variable's ``!important``)
stops higher-precedence sources from changing that key. Strings of the keys in
:data:`kernel.settings.EXPAND_VARS` expand ``$VAR``. Plugin settings declared with
``conda_settings`` live under ``plugins:`` and ``CONDA_PLUGINS_<NAME>`` and are reached as
``config.plugins.<name>``.
"""

from __future__ import annotations

import os
import platform
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from kernel.condarc import SEARCH_PATH, read_condarc, search_path
from kernel.errors import ConfigurationError
from kernel.settings import ALIASES, EXPAND_VARS, SETTINGS

__all__ = ["SEARCH_PATH", "Config", "get_config", "load_config", "loaded_config",
           "read_condarc", "search_path", "set_config"]

ENV_SOURCE = "envvars"
CMDLINE_SOURCE = "cmd_line"


def _where(source: str, table: Any, key: Any) -> str:
    """Where a value came from, for messages: ``file: line N``, the variable, or the CLI."""
    if source == ENV_SOURCE:
        return "environment"
    if source == CMDLINE_SOURCE:
        return "command line"
    try:
        return f"{source}: line {table.lc.key(key)[0] + 1}"
    except (AttributeError, KeyError, TypeError):
        return source


def _is_final(table: Any, key: str) -> bool:
    """``key: value  #!final`` in a file: higher-precedence sources may not change it."""
    try:
        comment = table.ca.items[key][2].value.split("\n", 1)[0]
    except (AttributeError, KeyError, IndexError, TypeError):
        return False
    return bool(comment.strip().strip("#!").strip() == "final")


_VAR = re.compile(r"\$(\w+|\{(\w+)\})")


def _expand_vars(value: Any, env: Mapping[str, str]) -> Any:
    """``$VAR`` and ``${VAR}`` in strings replaced from ``env``; unset ones are kept."""
    if isinstance(value, str):
        return _VAR.sub(lambda m: env.get(m.group(2) or m.group(1), m.group(0)), value)
    if isinstance(value, (list, tuple)):
        return type(value)(_expand_vars(v, env) for v in value)
    if isinstance(value, Mapping):
        return {k: _expand_vars(v, env) for k, v in value.items()}
    return value


def host_subdir() -> str:
    """conda's name of this machine's platform: ``linux-64``, ``osx-arm64``, ``win-64``…"""
    machine = platform.machine().lower()
    system = {"darwin": "osx", "win32": "win"}.get(sys.platform, sys.platform)
    system = "linux" if system.startswith("linux") else system
    arch = {"x86_64": "64", "amd64": "64", "i386": "32", "i686": "32", "x86": "32"}.get(
        machine, machine)
    if machine in ("arm64", "aarch64"):
        arch = "arm64" if system in ("osx", "win") else "aarch64"
    return f"{system}-{arch}"


class PluginSettings:
    """``config.plugins.<name>``: values of the settings plugins declared."""

    def __init__(self, values: Mapping[str, Any]):
        self._values = dict(values)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_values"][name]
        except KeyError:
            raise AttributeError(f"no plugin setting named {name!r}") from None

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)


def _env_name(name: str) -> str:
    return re.sub(r"[.-]", "_", name).lower()


class Config:
    """The resolved configuration of one run; settings are attributes.

    A value that fails to load (wrong type, bad choice) is kept in :attr:`errors`, one per
    setting, and raised when that setting is read; :func:`load_config` raises the first one
    unless asked not to (``strict=False``, for tools that report them all).
    """

    def __init__(self, sources: list[tuple[str, Mapping[str, Any]]], env: Mapping[str, str]):
        #: (source name, raw mapping) lowest precedence first; files, envvars, cmd_line
        self.sources = sources
        self.env = dict(env)
        self.warnings: list[str] = []
        #: setting -> the :class:`ConfigurationError` its value raised (file, line, key)
        self.errors: dict[str, ConfigurationError] = {}
        self._values: dict[str, Any] = {}
        self._origin: dict[str, str] = {}
        self._plugins = PluginSettings({})
        self._resolve()

    # -- resolution -----------------------------------------------------------------------

    def _collect(self, label: str, names: Sequence[str], param: Any,
                 section: str | None = None) -> list[Any]:
        """Loaded values of one setting, lowest precedence first, up to a ``#!final`` one.

        ``names`` are the setting's name then its aliases; ``section`` is ``plugins`` for
        plugin settings. A ``null`` value or an empty variable counts as not set.
        """
        loaded: list[Any] = []
        for source, raw in self.sources:
            env = source == ENV_SOURCE
            table = raw.get(section) if section else raw
            if not isinstance(table, Mapping):
                if table is not None:
                    raise ConfigurationError(f"{_where(source, raw, section)}: '{section}' must "
                                             f"be a mapping", key=label, source=source)
                continue
            spelled = next((_env_name(n) if env else n for n in names
                            if (_env_name(n) if env else n) in table), None)
            value = None if spelled is None else table[spelled]
            if spelled is None or value is None or (env and not str(value).strip()):
                continue
            final = not env and _is_final(table, spelled)
            if env and "!important" in value:
                value, final = value.replace("!important", "").strip(), True
            try:
                value = param.load(value, from_string=env)
            except ValueError as exc:
                name = f"CONDA_{section + '_' if section else ''}{spelled}".upper() if env \
                    else label
                raise ConfigurationError(f"{_where(source, table, spelled)}: invalid value for "
                                         f"'{name}': {exc}", key=label, source=source) from None
            loaded.append(_expand_vars(value, self.env) if label in EXPAND_VARS else value)
            self._origin[label] = source
            if final:
                break
        return loaded

    def _resolve(self) -> None:
        known = sorted({*SETTINGS, *ALIASES, "plugins"})
        for name, raw in self.sources:
            for key in raw if name not in (ENV_SOURCE, CMDLINE_SOURCE) else ():
                if key not in known:
                    import difflib

                    close = difflib.get_close_matches(str(key), known, n=1)
                    hint = f" (did you mean '{close[0]}'?)" if close else ""
                    self.warnings.append(f"{_where(name, raw, key)}: unknown setting "
                                         f"'{key}'{hint}")
        for key, (param, _) in SETTINGS.items():
            names = (key, *(alias for alias, target in ALIASES.items() if target == key))
            try:
                self._values[key] = param.merge(self._collect(key, names, param))
            except ConfigurationError as exc:
                self.errors[key] = exc
        self._compute_defaults()

    def _home(self) -> Path:
        return Path(self.env.get("HOME") or Path.home())

    def _expanduser(self, path: str) -> str:
        if path == "~" or path.startswith(("~/", "~" + os.sep)):
            return str(self._home()) + path[1:]
        return path

    def _compute_defaults(self) -> None:
        v, home = self._values, self._home()
        if "root_prefix" not in self.errors:
            root = v["root_prefix"] or self.env.get("CONDA_ROOT")
            if not root:
                root = sys.prefix if (Path(sys.prefix) / "conda-meta").is_dir() else str(
                    home / ".microconda")
            v["root_prefix"] = os.path.abspath(self._expanduser(root))
        root = v.get("root_prefix") or str(home / ".microconda")
        defaults = {
            "envs_dirs": lambda: (os.path.join(root, "envs"), str(home / ".conda/envs")),
            "pkgs_dirs": lambda: (os.path.join(root, "pkgs"), str(home / ".conda/pkgs")),
            "subdir": host_subdir,
            "subdirs": lambda: (v.get("subdir") or host_subdir(), "noarch"),
            # msys2 too for Windows targets, as conda adds it
            "default_channels": lambda: (
                "https://repo.anaconda.com/pkgs/main", "https://repo.anaconda.com/pkgs/r",
                *(("https://repo.anaconda.com/pkgs/msys2",) if sys.platform == "win32"
                  or str(v.get("subdir") or "").startswith("win-") else ())),
        }
        for key, make in defaults.items():
            if key in self.errors:
                continue
            # an empty default_channels is a choice (``defaults`` stands for nothing)
            if (key not in self._origin) if key == "default_channels" else not v[key]:
                v[key] = make()
        if "custom_channels" not in self._origin and "custom_channels" not in self.errors:
            v["custom_channels"] = {"pkgs/pro": "https://repo.anaconda.com"}  # conda's default
        for key in ("envs_dirs", "pkgs_dirs"):
            if key not in self.errors:
                v[key] = tuple(self._expanduser(p) for p in v[key])

    # -- access ---------------------------------------------------------------------------

    def __getattr__(self, key: str) -> Any:
        if key in self.__dict__.get("errors", {}):
            raise self.errors[key]
        values = self.__dict__.get("_values")
        if values is not None and key in values:
            return values[key]
        raise AttributeError(f"unknown setting {key!r}")

    def get(self, key: str, default: Any = None) -> Any:
        if key in self.errors:
            raise self.errors[key]
        return self._values.get(key, default)

    def as_dict(self) -> dict[str, Any]:
        """Every setting's value; raises the first :attr:`errors` entry if there is one."""
        for error in self.errors.values():
            raise error
        return dict(self._values)

    def origin(self, key: str) -> str:
        """The source that set ``key`` last (``default`` when none did)."""
        return self._origin.get(key, "default")

    @property
    def active_prefix(self) -> str | None:
        return self.env.get("CONDA_PREFIX") or None

    def channel_context(self, subdirs: Sequence[str] = ()) -> Any:
        """The :class:`kernel.models.ChannelContext` these settings describe; ``subdirs``
        are searched besides the configured ones."""
        from kernel.models.channel_context import ChannelContext

        every: list[str] = list(dict.fromkeys([*subdirs, *self.subdirs]))
        return ChannelContext(
            channel_alias=str(self.channel_alias),
            default_channels=tuple(self.default_channels),
            custom_channels=dict(self.custom_channels),
            custom_multichannels={k: tuple(v) for k, v in self.custom_multichannels.items()},
            migrated_channel_aliases=tuple(self.migrated_channel_aliases),
            subdir=str(self.subdir),
            subdirs=every)  # type: ignore[arg-type]  # attrs converter=tuple

    @property
    def plugins(self) -> PluginSettings:
        return self._plugins

    def bind_plugin_settings(self, settings: Iterable[Any]) -> None:
        """Resolve ``plugins:`` values for the settings plugins declared (``CondaSetting``).

        ``CONDA_PLUGINS_<NAME>`` sets one from the environment (``-`` and ``.`` become ``_``).
        """
        declared = list(settings)
        values: dict[str, Any] = {}
        for setting in declared:
            values[setting.name] = setting.parameter.merge(self._collect(
                f"plugins.{setting.name}", (setting.name, *setting.aliases), setting.parameter,
                "plugins"))
        known = {n for s in declared for n in (s.name, *s.aliases)}
        for source, raw in self.sources:
            section = raw.get("plugins") if source not in (ENV_SOURCE, CMDLINE_SOURCE) else None
            for key in section if isinstance(section, Mapping) else ():
                if key not in known:
                    self.warnings.append(f"{_where(source, section, key)}: unknown plugin "
                                         f"setting '{key}'")
        self._plugins = PluginSettings(values)


def env_source(env: Mapping[str, str]) -> dict[str, Any]:
    """The ``CONDA_<KEY>`` variables naming settings or aliases; ``CONDA_PLUGINS_<NAME>``
    ones go under ``plugins`` (lowercased), like a file's ``plugins:`` section."""
    raw: dict[str, Any] = {}
    plugins: dict[str, str] = {}
    for name, value in env.items():
        key = name[6:].lower() if name.startswith("CONDA_") else ""
        if key in SETTINGS or key in ALIASES:
            raw[key] = value
        elif key.startswith("plugins_") and len(key) > 8:
            plugins[key[8:]] = value
    if plugins:
        raw["plugins"] = plugins
    return raw


def load_config(cmdline: Mapping[str, Any] | None = None,
                env: Mapping[str, str] | None = None,
                files: Sequence[Path] | None = None, *, strict: bool = True) -> Config:
    """Read every source and return the resolved :class:`Config`.

    Unreadable or malformed files raise :class:`ConfigurationError` here; a value of the
    wrong type is raised too (the first one, naming file, line and key) unless ``strict``
    is false: then it is raised when that setting is read (see :attr:`Config.errors`).
    """
    env = os.environ if env is None else env
    sources: list[tuple[str, Mapping[str, Any]]] = [
        (str(path), read_condarc(path)) for path in (search_path(env) if files is None else files)
    ]
    sources.append((ENV_SOURCE, env_source(env)))
    sources.append((CMDLINE_SOURCE, {k: v for k, v in (cmdline or {}).items() if v is not None}))
    config = Config(sources, env)
    for error in config.errors.values() if strict else ():
        raise error
    return config


_current: Config | None = None


def get_config() -> Config:
    """The configuration of this run (loaded from the process environment on first use)."""
    if _current is None:
        set_config(load_config())
    assert _current is not None
    return _current


def loaded_config() -> Config | None:
    """The installed configuration, or ``None`` when none is loaded yet."""
    return _current


def set_config(config: Config | None) -> None:
    """Install ``config`` as this run's configuration (``None`` forgets it); channel names
    resolve against it from now on."""
    global _current
    _current = config
    contexts = sys.modules.get("kernel.models.channel_context")
    if contexts is not None:
        contexts.set_channel_context(None)
