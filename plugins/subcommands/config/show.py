"""``--show``, ``--show-sources`` and ``--validate``: the configuration as the loader sees it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from kernel import reporting
from kernel.config import CMDLINE_SOURCE, ENV_SOURCE, Config
from kernel.errors import ArgumentError, ConfigurationError
from kernel.settings import ALIASES, SETTINGS
from plugins.subcommands.config.keys import resolve
from plugins.subcommands.config.masking import mask


def plain(value: Any) -> Any:
    """ruamel's and the loader's containers as plain dicts and lists, scalars as they are."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def _item(value: Any, indent: str) -> str:
    if isinstance(value, Mapping):
        inner = indent + "  "
        lines = [f"{k}: {plain(v)}" for k, v in value.items()] or ["{}"]
        return f"{indent}- " + f"\n{inner}".join(lines)
    return f"{indent}- {value}"


def format_lines(data: Mapping[str, Any]) -> list[str]:
    """conda's ``--show`` layout: ``key: value``, lists as ``  - item``, maps indented."""
    lines: list[str] = []
    for key, value in data.items():
        if isinstance(value, Mapping):
            lines.append(f"{key}:" if value else f"{key}: {{}}")
            for sub, inner in value.items():
                if isinstance(inner, (list, tuple)):
                    lines.append(f"  {sub}:" if inner else f"  {sub}: []")
                    lines.extend(_item(item, "    ") for item in inner)
                else:
                    lines.append(f"  {sub}: {inner}")
        elif isinstance(value, (list, tuple)):
            lines.append(f"{key}:" if value else f"{key}: []")
            lines.extend(_item(item, "  ") for item in value)
        else:
            lines.append(f"{key}: {value}")
    return lines


def output(data: Any, as_json: bool) -> None:
    if as_json:
        reporting.render(data)
    elif isinstance(data, Mapping):
        reporting.render("\n".join(format_lines(data)))
    else:
        reporting.render(data)


def show(config: Config, names: Sequence[str], declared: Sequence[Any], as_json: bool) -> None:
    """Resolved values of ``names`` (every setting when empty), plugin settings included."""
    if names:
        keys = [resolve(n, declared, error=ArgumentError) for n in names]
        for key in keys:
            if key.subkey is not None:
                raise ArgumentError(f"--show takes setting names, not '{key.text}'", key=key.text)
    else:
        keys = [resolve(n, declared) for n in SETTINGS]
        keys += [resolve(f"plugins.{s.name}", declared) for s in declared]
    data: dict[str, Any] = {}
    for key in keys:
        if key.section == "plugins":
            data.setdefault("plugins", {})[key.setting] = getattr(config.plugins, key.setting)
        else:
            data[key.name] = getattr(config, key.name)
    if "plugins" in data:
        data["plugins"] = dict(sorted(data["plugins"].items()))
    data = {k: mask(plain(v), k) for k, v in sorted(data.items())}
    output(data, as_json)


def _typed(source: str, key: Any, value: Any, plugins: dict[str, Any]) -> Any:
    """One source's value of ``key`` as the loader types it; as written when it cannot."""
    if key == "plugins" and isinstance(value, Mapping):
        return {str(k): _typed(source, k, v, {}) if k not in plugins else
                _load(plugins[k], v, source) for k, v in value.items()}
    setting = SETTINGS.get(ALIASES.get(str(key), str(key)))
    return plain(value) if setting is None else _load(setting[0], value, source)


def _load(param: Any, value: Any, source: str) -> Any:
    try:
        return plain(value if value is None else param.load(value,
                                                            from_string=source == ENV_SOURCE))
    except ValueError:
        return plain(value)


def show_sources(config: Config, declared: Sequence[Any], as_json: bool) -> None:
    """Every source, lowest precedence first, with the values it sets."""
    plugins: dict[str, Any] = {}  # plugin setting spellings (env ones too) -> parameter
    for setting in declared:
        for name in (setting.name, *setting.aliases):
            plugins[name] = plugins[re.sub(r"[.-]", "_", name)] = setting.parameter
    data: dict[str, dict[str, Any]] = {}
    for source, raw in config.sources:
        if source in (ENV_SOURCE, CMDLINE_SOURCE) and not raw:
            continue
        values = {str(k): mask(_typed(source, k, v, plugins), str(k)) for k, v in raw.items()}
        data[source] = dict(sorted(values.items()))
    if as_json:
        reporting.render(data)
        return
    blocks = ["\n".join([f"==> {source} <==", *format_lines(values)])
              for source, values in data.items()]
    reporting.render("\n\n".join(blocks))


def validate(config: Config, declared: Sequence[Any]) -> None:
    """Raise one :class:`ConfigurationError` listing every invalid value, or print nothing."""
    errors = [str(e) for e in config.errors.values()]
    try:
        config.bind_plugin_settings(declared)
    except ConfigurationError as exc:
        errors.append(str(exc))
    if errors:
        more = f" ({len(errors)} errors)" if len(errors) > 1 else ""
        raise ConfigurationError(f"invalid configuration{more}: " + "\n".join(errors),
                                 errors=errors)
