"""Typed configuration parameters: how a raw condarc/env value becomes a typed setting.

Three kinds, as in conda: a primitive (the highest-precedence source wins), a sequence
(sources are merged, higher precedence first, duplicates dropped) and a map (merged key by
key, higher precedence wins). A value of the wrong type raises ``ValueError`` with a short
reason; :mod:`kernel.config` adds the file and key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

#: the words conda's ``boolify`` reads as booleans (strings from files, env vars, --set)
_BOOLEAN_WORDS = {"true": True, "yes": True, "on": True, "y": True,
                  "false": False, "no": False, "off": False, "n": False}
_NOT_PARSED = object()


def _type_name(types: tuple[type, ...]) -> str:
    return " or ".join(t.__name__ for t in types)


def _parse_text(text: str, types: tuple[type, ...]) -> Any:
    """A string read as a bool or number the way conda's ``typify`` does, if it can be."""
    word = text.strip().lower()
    if bool in types:
        if word in _BOOLEAN_WORDS:
            return _BOOLEAN_WORDS[word]
        if word in ("1", "0") and not {int, str} & set(types):
            return word == "1"
    for kind in (int, float):
        if kind in types:
            try:
                return kind(word)
            except ValueError:
                pass
    return _NOT_PARSED


def coerce_scalar(value: Any, types: tuple[type, ...], *, from_string: bool = False) -> Any:
    """Return ``value`` as one of ``types``, or raise ``ValueError`` with a short reason.

    Strings are read as booleans or numbers where the type asks for one, wherever they come
    from (``offline: yes`` in YAML 1.2 is a string; so is every env var): conda does the
    same. ``from_string`` is accepted for symmetry with the parameters' ``load``.
    """
    if isinstance(value, str):
        parsed = _parse_text(value, types)
        if parsed is not _NOT_PARSED:
            return parsed
        if str in types:
            return value
        raise ValueError(f"expected {_type_name(types)}, got {value!r}")
    if isinstance(value, bool):
        if bool in types:
            return value
        raise ValueError(f"expected {_type_name(types)}, got a boolean")
    if isinstance(value, tuple(types)):
        return value
    if float in types and isinstance(value, int):
        return float(value)
    if str in types and isinstance(value, (int, float)):
        return str(value)
    raise ValueError(f"expected {_type_name(types)}, got {type(value).__name__} {value!r}")


def _as_types(element_type: type | tuple[type, ...]) -> tuple[type, ...]:
    return element_type if isinstance(element_type, tuple) else (element_type,)


@attrs.frozen
class PrimitiveParameter:
    """A single value: ``PrimitiveParameter(default, element_type=None)``.

    ``element_type`` defaults to the default's type; ``validator(value)`` may normalise or
    raise ``ValueError``.
    """

    default: Any
    element_type: type | tuple[type, ...] | None = None
    validator: Callable[[Any], Any] | None = None

    @property
    def types(self) -> tuple[type, ...]:
        if self.element_type is not None:
            return _as_types(self.element_type)
        return (type(self.default),) if self.default is not None else (str,)

    def load(self, value: Any, *, from_string: bool = False) -> Any:
        if value is None and self.default is None:
            return None
        typed = coerce_scalar(value, self.types, from_string=from_string)
        return self.validator(typed) if self.validator else typed

    def merge(self, values: Sequence[Any]) -> Any:
        """``values`` are loaded values, lowest precedence first."""
        return values[-1] if values else self.default


@attrs.frozen
class SequenceParameter:
    """A list of values, merged across sources (higher precedence first)."""

    element_type: type | tuple[type, ...] = str
    default: tuple[Any, ...] = ()
    string_delimiter: str = ","

    def load(self, value: Any, *, from_string: bool = False) -> tuple[Any, ...]:
        if from_string and isinstance(value, str):
            value = [v.strip() for v in value.split(self.string_delimiter) if v.strip()]
        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
            raise ValueError(f"expected a list, got {type(value).__name__} {value!r}")
        types = _as_types(self.element_type)
        return tuple(coerce_scalar(v, types, from_string=from_string) for v in value)

    def merge(self, values: Sequence[tuple[Any, ...]]) -> tuple[Any, ...]:
        if not values:
            return tuple(self.default)
        seen: list[Any] = []
        for chunk in reversed(values):
            for item in chunk:
                if item not in seen:
                    seen.append(item)
        return tuple(seen)


@attrs.frozen
class MapParameter:
    """A mapping of string keys to values of ``element_type`` (``None`` = anything)."""

    element_type: type | tuple[type, ...] | None = None
    default: Mapping[str, Any] = attrs.field(factory=dict)

    def load(self, value: Any, *, from_string: bool = False) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise ValueError(f"expected a mapping, got {type(value).__name__} {value!r}")
        if self.element_type is None:
            return {str(k): v for k, v in value.items()}
        types = _as_types(self.element_type)
        return {str(k): coerce_scalar(v, types) for k, v in value.items()}

    def merge(self, values: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        merged: dict[str, Any] = dict(self.default)
        for chunk in values:
            merged.update(chunk)
        return merged


@attrs.frozen
class AnyParameter:
    """A value kept as written (lists of mappings such as ``channel_settings``)."""

    default: Any = None
    check: Callable[[Any], Any] | None = None

    def load(self, value: Any, *, from_string: bool = False) -> Any:
        return self.check(value) if self.check else value

    def merge(self, values: Sequence[Any]) -> Any:
        return values[-1] if values else self.default


Parameter = PrimitiveParameter | SequenceParameter | MapParameter | AnyParameter
