"""What a ``conda config`` key names: ``offline``, ``proxy_servers.https``, ``plugins.NAME``.

A :class:`Key` knows its setting's parameter, whether it is a primitive, a sequence or a
map, and where it lives in a condarc file (under ``plugins:`` for plugin settings). Unknown
keys are refused with the closest known name.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

import attrs

from kernel.errors import CondaError, ConfigurationError
from kernel.parameters import MapParameter, SequenceParameter
from kernel.settings import ALIASES, SETTINGS


def kind_of(param: Any) -> str:
    """``sequence``, ``map`` or ``primitive``: conda's parameter types."""
    if isinstance(param, SequenceParameter):
        return "sequence"
    if isinstance(param, MapParameter):
        return "map"
    return "primitive"


def element_types(param: Any) -> tuple[type, ...]:
    """The types a value (or a sequence's item, a map's value) may have; ``()`` = any."""
    types = getattr(param, "types", None) or getattr(param, "element_type", None)
    if types is None:
        return ()
    return types if isinstance(types, tuple) else (types,)


@attrs.frozen
class Key:
    """A setting named on the command line, resolved."""

    text: str  #: as typed
    name: str  #: canonical: ``channels``, ``plugins.my_setting``
    param: Any
    description: str
    #: spellings of the setting in its mapping: canonical name first, then aliases
    spellings: tuple[str, ...]
    #: ``plugins`` for plugin settings, else ``None`` (top level)
    section: str | None = None
    #: the map entry for ``MAP.ENTRY`` keys
    subkey: str | None = None

    @property
    def kind(self) -> str:
        return kind_of(self.param)

    @property
    def setting(self) -> str:
        """The setting's name inside its mapping."""
        return self.spellings[0]


def declared_settings() -> list[Any]:
    """The ``CondaSetting`` records the loaded plugins declare."""
    from kernel.manager import get_plugin_manager

    return list(get_plugin_manager().hook_results("conda_settings"))


def known_names(declared: Sequence[Any]) -> list[str]:
    return sorted({*SETTINGS, *ALIASES, *(f"plugins.{s.name}" for s in declared)})


def unknown_key(text: str, declared: Sequence[Any],
                error: type[CondaError] = ConfigurationError) -> CondaError:
    names = known_names(declared)
    close = difflib.get_close_matches(text, names, n=1) or difflib.get_close_matches(
        text.split(".")[0], names, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return error(f"unknown configuration key '{text}'{hint}", key=text)


def resolve(text: str, declared: Sequence[Any], *,
            error: type[CondaError] = ConfigurationError) -> Key:
    """The :class:`Key` ``text`` names; ``error`` (a CondaError class) when it names none."""
    first, _, rest = text.partition(".")
    key: Key | None = None
    if first == "plugins" and rest:
        name, _, sub = rest.partition(".")
        for setting in declared:
            if name.lower() in (setting.name, *setting.aliases):
                key = Key(text, f"plugins.{setting.name}", setting.parameter,
                          setting.description, (setting.name, *setting.aliases),
                          "plugins", sub or None)
    elif first in SETTINGS or first in ALIASES:
        name = ALIASES.get(first, first)
        param, description = SETTINGS[name]
        aliases = tuple(a for a, target in ALIASES.items() if target == name)
        key = Key(text, name, param, description, (name, *aliases), None, rest or None)
    if key is None:
        raise unknown_key(text, declared, error)
    if key.subkey is not None and key.kind != "map":
        raise error(f"'{key.name}' is a {key.kind} setting: '{text}' names nothing inside it",
                    key=text)
    return key
