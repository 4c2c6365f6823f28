"""Installed records in dependency order, as conda's ``PrefixData.iter_records_sorted``.

A record's parents are the installed records that match one of its ``depends`` specs
(version and build included). conda's order, which ``conda list --explicit`` prints:
first the records nothing depends on and that depend on nothing, by name; then level by
level the records whose parents are all placed, each level by name. ``python`` does not
wait for ``pip``; ``menuinst`` comes before everything that needs ``python``. A cycle is
broken by placing the record with the fewest unplaced parents (then the lowest
``channel/subdir::name-version-build``) and going on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


def _parents(records: Sequence[dict[str, Any]]) -> list[set[int]]:
    from kernel.errors import CondaError
    from kernel.models import MatchSpec

    by_name: dict[str, list[int]] = {}
    for index, record in enumerate(records):
        by_name.setdefault(str(record["name"]), []).append(index)
    parents: list[set[int]] = []
    for index, record in enumerate(records):
        found: set[int] = set()
        for dep in record.get("depends") or ():
            try:
                spec = MatchSpec(dep)
            except CondaError:
                continue  # an unreadable spec links nothing, it does not stop a listing
            name = spec.get_exact_value("name")
            candidates = range(len(records)) if name is None else by_name.get(name, ())
            found.update(c for c in candidates if spec.match(records[c]))
        found.discard(index)
        parents.append(found)
    return parents


def _special_cases(records: Sequence[dict[str, Any]], parents: list[set[int]]) -> None:
    names = {str(r["name"]): i for i, r in enumerate(records)}
    python, pip, menuinst = names.get("python"), names.get("pip"), names.get("menuinst")
    if python is not None and pip is not None:
        parents[python].discard(pip)
    if menuinst is not None and python is not None:
        for index, found in enumerate(parents):
            if python in found and index not in parents[menuinst] and index != menuinst:
                found.add(menuinst)


def _dist_str(record: dict[str, Any]) -> str:
    from kernel.models import Channel

    subdir = record.get("subdir")
    try:
        channel = Channel(record.get("channel") or None).canonical_name
    except ValueError:
        channel = str(record.get("channel"))
    where = f"{channel}/{subdir}" if subdir else channel
    return f"{where}::{record['name']}-{record['version']}-{record['build']}"


def dependency_order(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """``records`` (conda-meta dicts of one prefix) in conda's dependency order."""
    items = list(records)
    return [items[i] for i in order_by_parents(items, _parents(items))]


def order_by_parents(items: Sequence[dict[str, Any]], parents: list[set[int]]) -> list[int]:
    """Indices of ``items`` in conda's order given each one's ``parents`` (indices of the
    items it depends on; changed in place by the ``python``/``pip`` and ``menuinst``
    cases)."""
    _special_cases(items, parents)
    name = [str(r["name"]) for r in items]
    is_parent = {p for found in parents for p in found}
    order = sorted((i for i, found in enumerate(parents) if not found and i not in is_parent),
                   key=lambda i: name[i])
    placed = set(order)
    waiting = {i: set(found) for i, found in enumerate(parents) if i not in placed}
    for found in waiting.values():
        found -= placed
    while waiting:
        level = sorted((i for i, found in waiting.items() if not found), key=lambda i: name[i])
        if not level:  # a cycle: take the node with the fewest parents left
            level = [min(waiting, key=lambda i: (len(waiting[i]), _dist_str(items[i])))]
        for i in level:
            del waiting[i]
        order.extend(level)
        done = set(level)
        for found in waiting.values():
            found -= done
    return order
