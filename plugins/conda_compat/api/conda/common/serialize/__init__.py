"""``conda.common.serialize``: ``yaml`` (ruamel, round-trip) and ``json`` as conda offers them."""

from __future__ import annotations

from typing import Any

from plugins.conda_compat.missing import missing_attributes

__all__ = ["json", "yaml", "yaml_round_trip_load", "yaml_safe_dump", "yaml_safe_load"]


def __getattr__(name: str) -> Any:
    if name in ("yaml", "json"):
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    return _missing(name)


def yaml_round_trip_load(text: str) -> Any:
    from conda.common.serialize import yaml

    return yaml.loads(text)


def yaml_safe_load(text: str) -> Any:
    return yaml_round_trip_load(text)


def yaml_safe_dump(obj: Any, stream: Any = None) -> Any:
    from conda.common.serialize import yaml

    return yaml.dump(obj, stream)


_missing = missing_attributes(__name__)
