"""Configuration: condarc files, ``CONDA_*`` variables and command-line overrides.

Sources are read in conda's order, lowest precedence first: system files, ``$CONDA_ROOT``,
``$XDG_CONFIG_HOME/conda``, ``~/.config/conda``, ``~/.conda``, ``~/.condarc``,
``$CONDA_PREFIX``, ``$CONDARC``, then environment variables, then the command line.
Primitives take the highest-precedence value; sequences and maps merge (see
:mod:`kernel.parameters`). Plugin settings declared with ``conda_settings`` live under
``plugins:`` and ``CONDA_PLUGINS_<NAME>`` and are reached as ``config.plugins.<name>``.
"""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from kernel.errors import ConfigurationError
from kernel.parameters import Parameter
from kernel.settings import ALIASES, SETTINGS

ENV_SOURCE = "envvars"
CMDLINE_SOURCE = "cmd_line"


def _expand(path: str, env: Mapping[str, str]) -> str | None:
    """Expand a leading ``$VAR`` or ``~``; ``None`` when the variable is unset."""
    if path.startswith("$"):
        var, _, rest = path[1:].partition("/")
        if not env.get(var):
            return None
        return os.path.join(env[var], rest) if rest else env[var]
    if path.startswith("~"):
        return str(Path(env.get("HOME") or Path.home()) / path[2:])
    return path


SEARCH_PATH = (
    "/etc/conda/.condarc", "/etc/conda/condarc", "/etc/conda/condarc.d/",
    "/var/lib/conda/.condarc", "/var/lib/conda/condarc", "/var/lib/conda/condarc.d/",
    "$CONDA_ROOT/.condarc", "$CONDA_ROOT/condarc", "$CONDA_ROOT/condarc.d/",
    "$XDG_CONFIG_HOME/conda/.condarc", "$XDG_CONFIG_HOME/conda/condarc",
    "$XDG_CONFIG_HOME/conda/condarc.d/",
    "~/.config/conda/.condarc", "~/.config/conda/condarc", "~/.config/conda/condarc.d/",
    "~/.conda/.condarc", "~/.conda/condarc", "~/.conda/condarc.d/",
    "~/.condarc",
    "$CONDA_PREFIX/.condarc", "$CONDA_PREFIX/condarc", "$CONDA_PREFIX/condarc.d/",
    "$CONDARC",
)


def search_path(env: Mapping[str, str]) -> list[Path]:
    """Existing condarc files in precedence order (lowest first), without duplicates."""
    found: list[Path] = []
    for entry in SEARCH_PATH:
        expanded = _expand(entry, env)
        if expanded is None:
            continue
        path = Path(expanded)
        if entry.endswith("/"):
            if path.is_dir():
                found.extend(sorted(p for p in path.iterdir()
                                    if p.suffix in (".yml", ".yaml") and p.is_file()))
        elif path.is_file():
            found.append(path)
    unique: list[Path] = []
    for p in found:
        if p.resolve() not in {u.resolve() for u in unique}:
            unique.append(p)
    return unique


def read_condarc(path: Path) -> dict[str, Any]:
    """Parse one condarc file; errors name the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigurationError(f"{path}: not valid UTF-8 (byte {exc.start})",
                                 path=str(path)) from None
    except OSError as exc:
        raise ConfigurationError(f"{path}: cannot read ({exc.strerror})", path=str(path)) from None
    if not text.strip():
        return {}
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        data = YAML(typ="rt", pure=True).load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigurationError(f"{path}:{where}: invalid YAML: {exc.problem or exc.context}",
                                 path=str(path)) from None
    except YAMLError as exc:
        raise ConfigurationError(f"{path}: invalid YAML: {exc}", path=str(path)) from None
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ConfigurationError(f"{path}: expected a mapping of settings at the top level, "
                                 f"got {type(data).__name__}", path=str(path))
    return dict(data)


def _line_of(data: Any, key: str) -> str:
    try:
        return f" line {data.lc.key(key)[0] + 1}"
    except (AttributeError, KeyError, TypeError):
        return ""


def host_subdir() -> str:
    """conda's name of this machine's platform: ``linux-64``, ``osx-arm64``, ``win-64``…"""
    machine = platform.machine().lower()
    system = {"darwin": "osx", "windows": "win"}.get(sys.platform if sys.platform != "win32"
                                                     else "windows", sys.platform)
    if system.startswith("linux"):
        system = "linux"
    if machine in ("x86_64", "amd64"):
        arch = "64"
    elif machine in ("i386", "i686", "x86"):
        arch = "32"
    elif machine in ("arm64", "aarch64"):
        arch = "arm64" if system in ("osx", "win") else "aarch64"
    else:
        arch = machine
    return f"{system}-{arch}"


class PluginSettings:
    """``config.plugins.<name>``: values of the settings plugins declared."""

    def __init__(self, values: Mapping[str, Any]):
        self._values = dict(values)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"no plugin setting named {name!r}") from None

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)


class Config:
    """The resolved configuration of one run; settings are attributes."""

    def __init__(self, sources: list[tuple[str, Mapping[str, Any]]], env: Mapping[str, str]):
        #: (source name, raw mapping) lowest precedence first; files, envvars, cmd_line
        self.sources = sources
        self.env = dict(env)
        self.warnings: list[str] = []
        self._values: dict[str, Any] = {}
        self._origin: dict[str, str] = {}
        self._plugins: PluginSettings | None = None
        self._resolve()

    # -- resolution -----------------------------------------------------------------------

    def _loaded(self, key: str, param: Parameter) -> list[Any]:
        values = []
        for name, raw in self.sources:
            if key not in raw:
                continue
            try:
                values.append(param.load(raw[key], from_string=name == ENV_SOURCE))
            except ValueError as exc:
                where = f"{name}:{_line_of(raw, key)}" if name not in (
                    ENV_SOURCE, CMDLINE_SOURCE) else name
                label = f"CONDA_{key.upper()}" if name == ENV_SOURCE else key
                raise ConfigurationError(f"{where}: invalid value for '{label}': {exc}",
                                         key=key, source=name) from None
            self._origin[key] = name
        return values

    def _resolve(self) -> None:
        for name, raw in self.sources:
            for key in raw:
                if key not in SETTINGS and key not in ALIASES and key != "plugins" and \
                        name != ENV_SOURCE:
                    self.warnings.append(f"{name}:{_line_of(raw, key)}: unknown setting '{key}'")
        for alias, key in ALIASES.items():
            for _, raw in self.sources:
                if alias in raw and key not in raw and isinstance(raw, dict):
                    raw[key] = raw[alias]
        for key, (param, _) in SETTINGS.items():
            self._values[key] = param.merge(self._loaded(key, param))
        self._compute_defaults()

    def _home(self) -> Path:
        return Path(self.env.get("HOME") or Path.home())

    def _compute_defaults(self) -> None:
        v = self._values
        root = self.env.get("CONDA_ROOT") or v["root_prefix"]
        if not root:
            root = sys.prefix if (Path(sys.prefix) / "conda-meta").is_dir() else str(
                self._home() / ".microconda")
        v["root_prefix"] = os.path.abspath(os.path.expanduser(root))
        home = self._home()
        if not v["envs_dirs"]:
            v["envs_dirs"] = (os.path.join(v["root_prefix"], "envs"), str(home / ".conda/envs"))
        if not v["pkgs_dirs"]:
            v["pkgs_dirs"] = (os.path.join(v["root_prefix"], "pkgs"), str(home / ".conda/pkgs"))
        v["envs_dirs"] = tuple(os.path.expanduser(p) for p in v["envs_dirs"])
        v["pkgs_dirs"] = tuple(os.path.expanduser(p) for p in v["pkgs_dirs"])
        if not v["default_channels"]:
            main = ("https://repo.anaconda.com/pkgs/main", "https://repo.anaconda.com/pkgs/r")
            v["default_channels"] = main + (("https://repo.anaconda.com/pkgs/msys2",)
                                            if sys.platform == "win32" else ())
        v["subdir"] = v["subdir"] or host_subdir()
        if not v["subdirs"]:
            v["subdirs"] = (v["subdir"], "noarch")

    # -- access ---------------------------------------------------------------------------

    def __getattr__(self, key: str) -> Any:
        values = self.__dict__.get("_values")
        if values is not None and key in values:
            return values[key]
        raise AttributeError(f"unknown setting {key!r}")

    def get(self, key: str, default: Any = None) -> Any:
        return self._values.get(key, default)

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)

    def origin(self, key: str) -> str:
        """The source that set ``key`` last (``default`` when none did)."""
        return self._origin.get(key, "default")

    @property
    def active_prefix(self) -> str | None:
        return self.env.get("CONDA_PREFIX") or None

    @property
    def plugins(self) -> PluginSettings:
        if self._plugins is None:
            self._plugins = PluginSettings({})
        return self._plugins

    def bind_plugin_settings(self, settings: Iterable[Any]) -> None:
        """Resolve ``plugins:`` values for the settings plugins declared (``CondaSetting``)."""
        values: dict[str, Any] = {}
        for setting in settings:
            param = setting.parameter
            names = (setting.name, *setting.aliases)
            loaded = []
            for source, raw in self.sources:
                if source == ENV_SOURCE:
                    found = [raw[f"plugins_{n}"] for n in names if f"plugins_{n}" in raw]
                else:
                    section = raw.get("plugins") or {}
                    if not isinstance(section, Mapping):
                        raise ConfigurationError(f"{source}: 'plugins' must be a mapping")
                    found = [section[n] for n in names if n in section]
                for value in found:
                    try:
                        loaded.append(param.load(value, from_string=source == ENV_SOURCE))
                    except ValueError as exc:
                        raise ConfigurationError(
                            f"{source}: invalid value for plugin setting '{setting.name}': "
                            f"{exc}", key=f"plugins.{setting.name}") from None
            values[setting.name] = param.merge(loaded)
        known = {n for s in settings for n in (s.name, *s.aliases)} if isinstance(
            settings, Sequence) else set(values)
        for source, raw in self.sources:
            section = raw.get("plugins") if source != ENV_SOURCE else None
            if isinstance(section, Mapping):
                for key in section:
                    if key not in known:
                        self.warnings.append(f"{source}: unknown plugin setting '{key}'")
        self._plugins = PluginSettings(values)


def env_source(env: Mapping[str, str]) -> dict[str, str]:
    """The ``CONDA_<KEY>`` variables that name known settings (and ``CONDA_PLUGINS_*``)."""
    raw: dict[str, str] = {}
    for name, value in env.items():
        if not name.startswith("CONDA_"):
            continue
        key = name[6:].lower()
        if key in SETTINGS or key.startswith("plugins_"):
            raw[key] = value
        elif key in ALIASES:
            raw[ALIASES[key]] = value
    return raw


def load_config(cmdline: Mapping[str, Any] | None = None,
                env: Mapping[str, str] | None = None,
                files: Sequence[Path] | None = None) -> Config:
    """Read every source and return the resolved :class:`Config`."""
    env = os.environ if env is None else env
    sources: list[tuple[str, Mapping[str, Any]]] = [
        (str(path), read_condarc(path)) for path in (search_path(env) if files is None else files)
    ]
    sources.append((ENV_SOURCE, env_source(env)))
    sources.append((CMDLINE_SOURCE, {k: v for k, v in (cmdline or {}).items() if v is not None}))
    return Config(sources, env)


_current: Config | None = None


def get_config() -> Config:
    """The configuration of this run (loaded from the process environment on first use)."""
    global _current
    if _current is None:
        _current = load_config()
    return _current


def set_config(config: Config | None) -> None:
    """Install ``config`` as this run's configuration (``None`` forgets it)."""
    global _current
    _current = config
