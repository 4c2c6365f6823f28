"""Link order: dependencies before dependents, level by level, names sorted within a level.

Like conda, ``python`` does not wait for ``pip`` (``add_pip_as_python_dependency`` makes
them a cycle). Any other cycle is broken by taking, among the names still waiting, the one
with the fewest unmet dependencies (then by name), so the order is total and reproducible.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def toposort(depends: Mapping[str, Iterable[str]]) -> list[str]:
    """Names of ``depends`` (name → names it depends on) in link order."""
    waiting: dict[str, set[str]] = {name: set(deps) & depends.keys() for name, deps in
                                    depends.items()}
    for name, deps in waiting.items():
        deps.discard(name)
    if "python" in waiting:
        waiting["python"].discard("pip")
    dependents: dict[str, list[str]] = {name: [] for name in waiting}
    for name, deps in waiting.items():
        for dep in deps:
            dependents[dep].append(name)
    result: list[str] = []
    ready = sorted(name for name, deps in waiting.items() if not deps)
    while waiting:
        if not ready:
            ready = [min(waiting, key=lambda n: (len(waiting[n]), n))]
        level = ready
        ready = []
        for name in level:
            waiting.pop(name, None)
        result.extend(level)
        for name in level:
            for child in dependents[name]:
                pending = waiting.get(child)
                if pending is not None and name in pending:
                    pending.discard(name)
                    if not pending:
                        ready.append(child)
        ready.sort()
    return result
