"""``--describe``: each parameter's type, aliases, description and default, as conda shows them."""

from __future__ import annotations

import io
from collections.abc import Sequence
from textwrap import wrap
from typing import Any

from kernel import reporting
from kernel.errors import ArgumentError
from kernel.settings import SETTINGS
from plugins.subcommands.config.keys import Key, element_types, resolve
from plugins.subcommands.config.show import plain


def description(key: Key) -> dict[str, Any]:
    """conda's ``describe_parameter`` record for ``key``."""
    types = element_types(key.param)
    details: dict[str, Any] = {
        "name": key.name,
        "aliases": list(key.spellings[1:]),
        "parameter_type": key.kind,
        "element_types": sorted({t.__name__ for t in types}) or ["any"],
        "default_value": plain(getattr(key.param, "default", None)),
        "description": key.description,
    }
    delimiter = getattr(key.param, "string_delimiter", None)
    if key.kind == "sequence" and delimiter:
        details["string_delimiter"] = delimiter
    return details


def _yaml(data: dict[str, Any]) -> list[str]:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.indent(mapping=2, sequence=4, offset=2)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue().rstrip("\n").split("\n")


def text(details: dict[str, Any]) -> str:
    kind, types = details["parameter_type"], ", ".join(details["element_types"])
    head = [f"{details['name']} ({types})" if kind == "primitive" else
            f"{details['name']} ({kind}: {types})"]
    if details["aliases"]:
        head.append(f"  aliases: {', '.join(details['aliases'])}")
    if "string_delimiter" in details:
        head.append(f"  env var string delimiter: '{details['string_delimiter']}'")
    head.extend(f"  {line}" for line in wrap(details["description"], 70))
    head.append("")
    lines = [f"# {line}" for line in head] + _yaml({details["name"]: details["default_value"]})
    return "\n".join(f"# {line}" for line in lines) + "\n"


def describe(names: Sequence[str], declared: Sequence[Any], as_json: bool) -> None:
    if names:
        keys = [resolve(n, declared, error=ArgumentError) for n in names]
        bad = [k.text for k in keys if k.subkey is not None]
        if bad:
            raise ArgumentError(f"--describe takes setting names, not '{bad[0]}'", key=bad[0])
    else:
        keys = [resolve(n, declared) for n in SETTINGS]
        keys += [resolve(f"plugins.{s.name}", declared) for s in declared]
    records = [description(k) for k in keys]
    if as_json:
        reporting.render(records)
    else:
        reporting.render("\n".join(text(r) for r in records))
