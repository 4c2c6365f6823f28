"""``conda.common.serialize.yaml``: ``load``/``loads``/``dump``/``dumps`` with ruamel.yaml."""

from __future__ import annotations

import io
from typing import Any

from plugins.conda_compat.missing import missing_attributes

__all__ = ["dump", "dumps", "load", "loads"]


def _yaml() -> Any:
    from ruamel.yaml import YAML

    parser = YAML(typ="rt")
    parser.indent(mapping=2, offset=2, sequence=4)
    parser.default_flow_style = False
    parser.sort_base_mapping_type_on_output = False
    return parser


def load(stream: Any) -> Any:
    return _yaml().load(stream)


def loads(text: str) -> Any:
    return _yaml().load(text)


def dump(obj: Any, stream: Any = None, **kwargs: Any) -> Any:
    if stream is None:
        return dumps(obj)
    _yaml().dump(obj, stream)
    return None


def dumps(obj: Any, **kwargs: Any) -> str:
    buffer = io.StringIO()
    _yaml().dump(obj, buffer)
    return buffer.getvalue()


__getattr__ = missing_attributes(__name__)
