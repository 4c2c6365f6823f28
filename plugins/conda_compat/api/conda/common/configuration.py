"""``conda.common.configuration``: conda's parameter classes, as microconda's parameters.

Each takes conda's arguments and returns microconda's parameter (:mod:`kernel.parameters`),
so a ``CondaSetting`` of a conda-API plugin is read from ``plugins:`` in condarc, from
``CONDA_PLUGINS_<NAME>`` and shown by ``config --describe`` like any setting. conda's
``validation(value)`` returns ``True`` or an error message; it becomes a validator.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from kernel import parameters as _ours
from plugins.conda_compat.missing import missing_attributes

__all__ = ["MapParameter", "PrimitiveParameter", "SequenceParameter"]


def _validator(validation: Callable[[Any], Any] | None) -> Callable[[Any], Any] | None:
    if validation is None:
        return None

    def check(value: Any) -> Any:
        verdict = validation(value)
        if verdict is True or verdict is None:
            return value
        raise ValueError(verdict if isinstance(verdict, str) else f"invalid value {value!r}")
    return check


def PrimitiveParameter(default: Any, element_type: Any = None,
                       validation: Callable[[Any], Any] | None = None) -> Any:
    return _ours.PrimitiveParameter(default, element_type, _validator(validation))


def SequenceParameter(element_type: Any, default: Any = (),
                      validation: Callable[[Any], Any] | None = None,
                      string_delimiter: str = ",") -> Any:
    if isinstance(element_type, _ours.PrimitiveParameter):
        element_type = element_type.types
    return _ours.SequenceParameter(element_type, tuple(default), string_delimiter)


def MapParameter(element_type: Any, default: Mapping[str, Any] | None = None,
                 validation: Callable[[Any], Any] | None = None) -> Any:
    if isinstance(element_type, _ours.PrimitiveParameter):
        element_type = element_type.types
    return _ours.MapParameter(element_type, dict(default or {}))


__getattr__ = missing_attributes(__name__)
