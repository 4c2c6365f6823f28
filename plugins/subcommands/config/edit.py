"""``--set``, ``--add``/``--prepend``, ``--append``, ``--remove``, ``--remove-key``, ``--get``.

Each edit checks the key and the value's type with the same parameters the loader uses
(:mod:`kernel.settings`, plugin ``CondaSetting``s) before touching the file, and refuses
what conda refuses: ``--set`` on a list, ``--add`` on a non-list, unknown keys.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from kernel.errors import ConfigurationError
from kernel.parameters import coerce_scalar
from plugins.subcommands.config import comments
from plugins.subcommands.config.keys import Key, element_types, resolve, unknown_key
from plugins.subcommands.config.masking import mask
from plugins.subcommands.config.rcfile import RcFile


def _new_map() -> Any:
    from ruamel.yaml.comments import CommentedMap

    return CommentedMap()


def _new_list() -> Any:
    from ruamel.yaml.comments import CommentedSeq

    return CommentedSeq()


class Editor:
    """Applies edits to one :class:`RcFile`; ``warn`` receives conda's warning lines."""

    def __init__(self, rc: RcFile, declared: Sequence[Any], warn: Callable[[str], None]):
        self.rc = rc
        self.declared = declared
        self.warn = warn

    def _invalid(self, key: Key, value: str, reason: Any) -> ConfigurationError:
        shown = mask(value, key.name)
        return ConfigurationError(f"invalid value {shown!r} for '{key.text}': {reason}",
                                  key=key.text)

    def _table(self, key: Key, create: bool) -> Any:
        """The mapping that holds ``key``'s setting (the file, or its ``plugins:``)."""
        table = self.rc.data
        if key.section is None:
            return table
        if key.section not in table and create:
            table[key.section] = _new_map()
        section = table.get(key.section)
        if section is not None and not isinstance(section, Mapping):
            raise ConfigurationError(f"'{key.section}' in {self.rc.path} is not a mapping",
                                     key=key.text)
        return section

    def _owner(self, key: Key) -> tuple[Any, Any] | None:
        """The mapping and key holding ``key``'s value (for comments), if in the file."""
        table = self._table(key, create=False)
        spelled = self._spelled(table, key)
        if spelled is None:
            return None
        if key.subkey is not None:
            return (table[spelled], key.subkey) if isinstance(table[spelled], dict) else None
        return table, spelled

    def _spelled(self, table: Any, key: Key) -> str | None:
        return next((n for n in key.spellings if table is not None and n in table), None)

    def _put(self, table: Any, key: Key, value: Any) -> None:
        """Set the setting to ``value`` under its canonical name, in place of an alias."""
        spelled = self._spelled(table, key)
        if spelled is not None and spelled != key.setting:
            self.warn(f"'{spelled}' is an alias of '{key.setting}'; writing '{key.setting}'")
            comments.rename(table, spelled, key.setting, value)
        else:
            if key.text.split(".")[-1] != key.setting and key.subkey is None:
                self.warn(f"'{key.text}' is an alias of '{key.name}'; setting '{key.name}'")
            new = key.setting not in table
            table[key.setting] = value
            if new:
                comments.appended(table, key.setting)

    def _container(self, key: Key, kind: type, create: bool) -> Any:
        """The setting's current value in the file (a map or list), created when asked."""
        table = self._table(key, create)
        spelled = self._spelled(table, key)
        if spelled is None:
            if not create:
                return None
            self._put(table, key, _new_map() if kind is dict else _new_list())
            spelled = key.setting
        value = table[spelled]
        if value is None and create:
            value = _new_map() if kind is dict else _new_list()
            self._put(table, key, value)
        if value is not None and not isinstance(value, kind):
            raise ConfigurationError(f"'{key.name}' in {self.rc.path} should be a "
                                     f"{'mapping' if kind is dict else 'list'}, not "
                                     f"{type(value).__name__}; fix it or --remove-key it",
                                     key=key.text)
        return value

    # -- edits ----------------------------------------------------------------------------

    def set(self, text: str, value: str) -> None:
        key = resolve(text, self.declared)
        if key.kind == "sequence":
            raise ConfigurationError(f"'{key.name}' is a list: use --add, --append or "
                                     f"--remove {key.name} VALUE", key=text)
        if key.kind == "map":
            if key.subkey is None:
                raise ConfigurationError(f"'{key.name}' is a map: use --set "
                                         f"{key.name}.KEY VALUE", key=text)
            types = element_types(key.param)
            if types and (list in types or tuple in types):
                raise ConfigurationError(f"'{key.name}' holds lists: use --add "
                                         f"{key.text} VALUE", key=text)
            try:
                typed = coerce_scalar(value, types, from_string=True) if types else value
            except ValueError as exc:
                raise self._invalid(key, value, exc) from None
            entries = self._container(key, dict, create=True)
            new = key.subkey not in entries
            entries[key.subkey] = typed
            if new:
                comments.appended(entries, key.subkey)
            return
        try:
            typed = key.param.load(value, from_string=True)
        except ValueError as exc:
            raise self._invalid(key, value, exc) from None
        self._put(self._table(key, create=True), key, typed)

    def add(self, text: str, item: str, *, prepend: bool) -> None:
        key = resolve(text, self.declared)
        in_map = key.kind == "map" and key.subkey is not None and \
            list in element_types(key.param)
        if not in_map and key.kind != "sequence":
            raise ConfigurationError(f"'{key.text}' is not a list setting: use --set "
                                     f"{key.text} VALUE", key=text)
        types = (str,) if in_map else element_types(key.param)
        try:
            typed = coerce_scalar(item, types, from_string=True) if types else item
        except ValueError as exc:
            raise self._invalid(key, item, exc) from None
        if in_map:
            items = self._container(key, dict, create=True)
            if items.get(key.subkey) is None:
                items[key.subkey] = _new_list()
                comments.appended(items, key.subkey)
            target = items[key.subkey]
            if not isinstance(target, list):
                raise ConfigurationError(f"'{text}' in {self.rc.path} should be a list, not "
                                         f"{type(target).__name__}", key=text)
        else:
            target = self._container(key, list, create=True)
        if typed in target:
            self.warn(f"'{mask(item, key.name)}' already in '{key.text}' list, moving to the "
                      f"{'top' if prepend else 'bottom'}")
            while typed in target:
                comments.delete(target, target.index(typed), self._owner(key))
        target.insert(0 if prepend else len(target), typed)
        if not prepend:
            comments.appended(target, len(target) - 1)

    def remove(self, text: str, item: str) -> None:
        key = resolve(text, self.declared)
        if key.kind != "sequence" or key.subkey is not None:
            raise ConfigurationError(f"'{key.text}' is not a list setting: use --remove-key "
                                     f"{key.text}", key=text)
        target = self._container(key, list, create=False)
        # conda: with no channels in the file, they are ['defaults'] for --remove
        current = ["defaults"] if target is None and key.name == "channels" else target
        if current is None:
            raise ConfigurationError(f"'{key.name}' is not set in {self.rc.path}", key=text)
        matches = [i for i, v in enumerate(current) if v == item or str(v) == item]
        if not matches:
            raise ConfigurationError(f"'{mask(item, key.name)}' is not in '{key.name}' in "
                                     f"{self.rc.path}", key=text)
        if target is None:
            target = self._container(key, list, create=True)
            target.extend(current)
        for index in reversed(matches):
            comments.delete(target, index, self._owner(key))

    def remove_key(self, text: str) -> None:
        """Remove ``text`` (a dotted path) from the file; unknown keys may be removed too."""
        paths = [text.split(".")]
        try:
            key = resolve(text, self.declared)
        except ConfigurationError:
            key = None
        if key is not None:
            head = [key.section] if key.section else []
            tail = [key.subkey] if key.subkey else []
            paths += [[*head, spelling, *tail] for spelling in key.spellings]
        if not any(_delete(self.rc.data, path) for path in paths):
            if key is None and not any(str(k) == text.split(".")[0] for k in self.rc.data):
                raise unknown_key(text, self.declared)
            raise ConfigurationError(f"'{text}' is not set in {self.rc.path}", key=text)


def _delete(table: Any, parts: list[str], parent: tuple[Any, Any] | None = None) -> bool:
    """Delete the entry at ``parts`` (a key may itself hold dots); ``True`` if one was."""
    if not isinstance(table, dict) or not parts:
        return False
    whole = ".".join(parts)
    if whole in table:
        comments.delete(table, whole, parent)
        return True
    return len(parts) > 1 and _delete(table.get(parts[0]), parts[1:], (table, parts[0]))


# -- --get --------------------------------------------------------------------------------


def _lookup(table: Any, key: Key) -> tuple[bool, Any]:
    if key.section:
        table = table.get(key.section)
        if not isinstance(table, Mapping):
            return False, None
    for spelling in key.spellings:
        if spelling in table:
            value = table[spelling]
            if key.subkey is None:
                return True, value
            if isinstance(value, Mapping) and key.subkey in value:
                return True, value[key.subkey]
    return False, None


def get_lines(name: str, value: Any) -> list[str]:
    """conda's ``--get`` lines: ``--set key value`` and ``--add key 'item'`` (reversed)."""
    if isinstance(value, Mapping):
        return [line for k, v in value.items() for line in get_lines(f"{name}.{k}", v)]
    if isinstance(value, (list, tuple)):
        lines = []
        for position, item in enumerate(reversed(value)):
            line = f"--add {name} {item!r}"
            if name == "channels" and position == 0:
                line += "   # lowest priority"
            elif name == "channels" and position == len(value) - 1:
                line += "   # highest priority"
            lines.append(line)
        return lines
    return [f"--set {name} {value}"]


def get(rc: RcFile, names: Sequence[str], declared: Sequence[Any],
        warn: Callable[[str], None]) -> dict[str, Any]:
    """The values ``names`` have in ``rc`` (all the file's keys when empty), masked."""
    from plugins.subcommands.config.show import plain

    found: dict[str, Any] = {}
    if names:
        keys = [resolve(n, declared) for n in names]
    else:
        keys = []
        section = rc.data.get("plugins")
        subs = [f"plugins.{k}" for k in section] if isinstance(section, Mapping) else []
        for name in sorted({*map(str, rc.data), *subs} - {"plugins"}):
            try:
                keys.append(resolve(name, declared))
            except ConfigurationError as exc:
                warn(str(exc))
    for key in keys:
        present, value = _lookup(rc.data, key)
        if present:
            label = key.name if key.subkey is None else f"{key.name}.{key.subkey}"
            found[label] = mask(plain(value), key.name)
    return found
