"""Keep a condarc's comments when ``conda config`` deletes an entry.

ruamel attaches full-line comments to the node *before* them: in ``- defaults`` followed by
``# network`` and ``ssl_verify: true``, "# network" belongs to ``defaults``. Deleting that
entry would drop the comment that introduces the next one, so :func:`delete` first moves
such trailing lines to the previous entry.
"""

from __future__ import annotations

from typing import Any


def _slot(container: Any) -> int:
    return 2 if isinstance(container, dict) else 0  # where ruamel keeps a key's / item's token


def _last_node(container: Any, key: Any) -> tuple[Any, Any]:
    """The deepest last entry under ``container[key]`` (where trailing comments live)."""
    value = container[key]
    if isinstance(value, dict) and value:
        return _last_node(value, list(value)[-1])
    if isinstance(value, list) and value:
        return _last_node(value, len(value) - 1)
    return container, key


def _token(container: Any, key: Any) -> Any:
    items = getattr(getattr(container, "ca", None), "items", {})
    slots = items.get(key)
    return slots[_slot(container)] if slots and len(slots) > _slot(container) else None


def _attach(container: Any, key: Any, lines: str) -> None:
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    token = _token(container, key)
    if token is not None:
        token.value = token.value.rstrip("\n") + "\n" + lines
        return
    slots: list[Any] = [None, None, None, None]
    slots[_slot(container)] = CommentToken("\n" + lines, CommentMark(0), None)
    container.ca.items[key] = slots


def delete(container: Any, key: Any, parent: tuple[Any, Any] | None = None) -> None:
    """``del container[key]``, keeping the full-line comments that followed the entry: they
    move to the previous entry, or to ``parent`` (the mapping and key holding ``container``)
    when the entry was the first."""
    keys = list(container) if isinstance(container, dict) else list(range(len(container)))
    position = keys.index(key)
    node, last = _last_node(container, key)
    token = _token(node, last)
    trailing = token.value.split("\n", 1)[1] if token is not None and "\n" in token.value \
        else ""
    del container[key]
    if not trailing.strip() or not hasattr(container, "ca"):
        return
    if position > 0:
        _attach(*_last_node(container, keys[position - 1]), trailing)
    elif parent is not None and hasattr(parent[0], "ca"):
        _attach(parent[0], parent[1], trailing)


def flow_empty(node: Any) -> None:
    """Write empty lists and maps as ``[]`` / ``{}``: ruamel emits broken YAML for an empty
    block collection whose key carries a comment."""
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) \
        else ()
    for child in children:
        flow_empty(child)
    if isinstance(node, (dict, list)) and not node and hasattr(node, "fa"):
        node.fa.set_flow_style()


def rename(table: Any, old: str, new: str, value: Any) -> None:
    """Replace key ``old`` with ``new`` (set to ``value``) in place, keeping its comment."""
    table.insert(list(table).index(old), new, value)
    slots = table.ca.items.pop(old, None)
    del table[old]
    if slots is not None:
        token = slots[2]
        if token is not None:
            token.column = max(0, token.column - (len(old) - len(new)))
        table.ca.items[new] = slots


def appended(container: Any, key: Any) -> None:
    """After adding ``key`` last: the comments that trailed the old last entry trail the
    new one, so a comment introducing what follows the container stays in its place."""
    keys = list(container) if isinstance(container, dict) else list(range(len(container)))
    if len(keys) < 2 or keys[-1] != key or not hasattr(container, "ca"):
        return
    node, last = _last_node(container, keys[-2])
    token = _token(node, last)
    if token is None or "\n" not in token.value:
        return
    eol, trailing = token.value.split("\n", 1)
    if trailing.strip():
        token.value = eol + "\n"
        _attach(*_last_node(container, key), trailing)
