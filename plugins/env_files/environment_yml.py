"""``environment.yml``: conda's environment file, read and written.

Reads ``name``, ``channels`` (``$VAR`` expanded), ``dependencies`` (match specs, a
``pip:`` list, mamba's ``sel(linux|osx|win|unix): spec`` selectors), ``variables`` and
``prefix``. Unknown top-level sections are ignored with conda's warning; a ``pip:`` list
without ``pip`` among the conda dependencies adds it, as conda does. Every error is one line
naming the file and, where it can be found, the line.

Writes the same shape (``environment-yaml``, aliases ``yaml``/``yml``) and as JSON
(``environment-json``, alias ``json``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

from kernel import hookimpl
from kernel.types import CondaEnvironmentExporter, CondaEnvironmentSpecifier
from plugins.env_files.model import Environment, EnvironmentFileError, line_of, read_text

VALID_KEYS = ("name", "dependencies", "prefix", "channels", "variables")
_SELECTOR = re.compile(r"^sel\((\w+)\)$")
_PIP_NAME = re.compile(r"[<>~\s=!\[]")


def _load_yaml(text: str, filename: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return YAML(typ="safe", pure=True).load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise EnvironmentFileError(filename, f"invalid YAML: {problem}",
                                   mark.line + 1 if mark is not None else None) from None
    except YAMLError as exc:
        raise EnvironmentFileError(filename, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise EnvironmentFileError(filename, "YAML nested too deeply") from None


def _selected(selector: str, platform: str, filename: str, line: int | None) -> bool:
    os_name = platform.split("-", 1)[0]
    if selector == "unix":
        return os_name in ("linux", "osx")
    if selector in ("linux", "osx", "win"):
        return os_name == selector
    raise EnvironmentFileError(filename, f"unknown selector 'sel({selector})' (use linux, "
                                         f"osx, win or unix)", line)


def _check_spec(spec: str, filename: str, line: int | None) -> str:
    from kernel.errors import CondaError
    from kernel.models import MatchSpec

    try:
        MatchSpec(spec)
    except CondaError as exc:
        raise EnvironmentFileError(filename, f"invalid dependency: {exc.message}", line)
    return spec


def _string_list(value: Any, key: str, filename: str, text: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise EnvironmentFileError(filename, f"'{key}' must be a list, not "
                                             f"{type(value).__name__}", line_of(text, f"{key}:"))
    for item in value:
        if not isinstance(item, str):
            raise EnvironmentFileError(filename, f"'{key}' entries must be strings, not "
                                                 f"{item!r}", line_of(text, str(item)))
    return list(value)


def _dependencies(raw: Any, filename: str, text: str, platform: str,
                  env: Environment) -> None:
    start = line_of(text, "dependencies:") or 1
    if raw is None:
        return
    if not isinstance(raw, list):
        raise EnvironmentFileError(filename, "'dependencies' must be a list", start)
    for item in raw:
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            spec = str(item).strip()
            env.requested_packages.append(_check_spec(spec, filename,
                                                      line_of(text, spec, start)))
            continue
        if not isinstance(item, dict) or len(item) != 1:
            raise EnvironmentFileError(filename, f"dependency {item!r} is neither a spec "
                                                 f"nor a one-key mapping such as 'pip:'",
                                       line_of(text, str(next(iter(item or {}), "")), start)
                                       if isinstance(item, dict) else start)
        (key, value), = item.items()
        line = line_of(text, f"{key}:", start)
        match = _SELECTOR.match(str(key))
        if match:
            if not isinstance(value, str):
                raise EnvironmentFileError(filename, f"selector '{key}' needs one spec", line)
            if _selected(match.group(1), platform, filename, line):
                env.requested_packages.append(_check_spec(value.strip(), filename, line))
            continue
        entries = _string_list(value, str(key), filename, text)
        env.external_packages.setdefault(str(key), []).extend(entries)


def _variables(raw: Any, filename: str, text: str) -> dict[str, str]:
    if raw is None:
        return {}
    line = line_of(text, "variables:")
    if not isinstance(raw, dict):
        raise EnvironmentFileError(filename, "'variables' must be a mapping of names to "
                                             "values", line)
    out: dict[str, str] = {}
    for key, value in raw.items():
        if isinstance(value, (dict, list)):
            raise EnvironmentFileError(filename, f"variable '{key}' must be a single value",
                                       line_of(text, f"{key}:", line or 1))
        out[str(key)] = "" if value is None else (str(value).lower()
                                                   if isinstance(value, bool) else str(value))
    return out


def parse_environment_yml(text: str, filename: str, platform: str | None = None) -> Environment:
    """The :class:`Environment` described by ``text`` (read from ``filename``)."""
    from kernel.reporting import warn

    data = _load_yaml(text, filename)
    if data is None:
        raise EnvironmentFileError(filename, "the environment file is empty")
    if not isinstance(data, dict):
        raise EnvironmentFileError(filename, f"must be a mapping with 'dependencies' (and "
                                             f"'name', 'channels', ...), not a "
                                             f"{type(data).__name__}", 1)
    unknown = [str(k) for k in data if k not in VALID_KEYS]
    if unknown:
        warn(f"EnvironmentSectionNotValid: ignoring section(s) of '{filename}': "
             f"{', '.join(unknown)}")
    for key in ("name", "prefix"):
        if data.get(key) is not None and not isinstance(data[key], (str, int)):
            raise EnvironmentFileError(filename, f"'{key}' must be a string",
                                       line_of(text, f"{key}:"))
    if platform is None:
        from kernel.config import get_config

        platform = str(get_config().subdir)
    env = Environment(name=None if data.get("name") is None else str(data["name"]),
                      prefix=None if data.get("prefix") is None else str(data["prefix"]),
                      platform=platform, filename=filename)
    env.channels = [os.path.expandvars(c)
                    for c in _string_list(data.get("channels"), "channels", filename, text)]
    _dependencies(data.get("dependencies"), filename, text, platform, env)
    if "pip" in env.external_packages and not any(
            "pip" in _PIP_NAME.split(s)[0].split("::") for s in env.requested_packages):
        warn(f"'{filename}' has pip dependencies but does not list pip itself as a conda "
             f"dependency; adding 'pip'")
        env.requested_packages.insert(0, "pip")  # where conda puts it
    env.variables = _variables(data.get("variables"), filename, text)
    return env


class YamlFileSpec:
    """conda's environment-spec protocol: ``can_handle()`` and ``env``."""

    extensions = (".yml", ".yaml")

    def __init__(self, filename: str):
        self.filename = filename
        self._env: Environment | None = None

    def can_handle(self) -> bool:
        return self.filename.lower().endswith(self.extensions)

    @property
    def env(self) -> Environment:
        if self._env is None:
            self._env = parse_environment_yml(read_text(self.filename), self.filename)
        return self._env


# -- writing ----------------------------------------------------------------------------------


def _explicit_spec(record: dict[str, Any]) -> str:
    return f"{record['name']}={record['version']}={record['build']}"


def to_dict(env: Any) -> dict[str, Any]:
    """conda's dictionary form: name, channels, dependencies, variables, prefix."""
    out: dict[str, Any] = {"name": getattr(env, "name", None)}
    channels = list(getattr(env, "channels", None) or ())
    if channels:
        out["channels"] = channels
    requested = list(getattr(env, "requested_packages", None) or ())
    deps: list[Any] = [str(s) for s in requested] or [
        _explicit_spec(r) for r in getattr(env, "explicit_packages", None) or ()]
    for installer, entries in (getattr(env, "external_packages", None) or {}).items():
        if entries:
            deps.append({installer: list(entries)})
    if deps:
        out["dependencies"] = deps
    variables = dict(getattr(env, "variables", None) or {})
    if variables:
        out["variables"] = variables
    if getattr(env, "prefix", None):
        out["prefix"] = str(env.prefix)
    return out


def export_yaml(env: Any) -> str:
    import io

    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    stream = io.StringIO()
    yaml.dump(to_dict(env), stream)
    return stream.getvalue()


def export_json(env: Any) -> str:
    import json

    return json.dumps(to_dict(env), indent=2, ensure_ascii=False) + "\n"


@hookimpl
def conda_environment_specifiers() -> Iterator[CondaEnvironmentSpecifier]:
    yield CondaEnvironmentSpecifier(name="environment.yml", environment_spec=YamlFileSpec)


@hookimpl
def conda_environment_exporters() -> Iterator[CondaEnvironmentExporter]:
    yield CondaEnvironmentExporter(name="environment-yaml", aliases=("yaml", "yml"),
                                   default_filenames=("environment.yaml", "environment.yml"),
                                   export=export_yaml)
    yield CondaEnvironmentExporter(name="environment-json", aliases=("json",),
                                   default_filenames=("environment.json",),
                                   export=export_json)
