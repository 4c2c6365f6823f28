"""Proof that a solution is consistent, used by every solver test.

Checks: one record per name; every dependency satisfied by a record of the solution (or a
virtual package for ``__*`` names); every constraint (``constrains``) absent or satisfied;
every ``features`` entry tracked by some record; the requested specs and the pins hold; no
virtual package among the records; dependencies linked before dependents; ``link`` and
``unlink`` are exactly the diff against the installed records.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def _spec(text: str) -> Any:
    from kernel.models import MatchSpec

    return MatchSpec(text)


def check(result: Any, request: Any) -> None:
    """Raise ``AssertionError`` naming the first inconsistency of ``result``."""
    records = list(result.records)
    by_name: dict[str, Any] = {}
    for rec in records:
        assert rec.name not in by_name, f"two records of {rec.name}: {by_name[rec.name]}, {rec}"
        assert not rec.name.startswith("__"), f"virtual package {rec} in the solution"
        by_name[rec.name] = rec
    virtual = {v.name: v for v in request.virtual_packages}
    tracked = {f for rec in records for f in (rec.track_features or ())}
    position = {rec.name: n for n, rec in enumerate(records)}
    for rec in records:
        depends = list(rec.depends)
        if (request.add_pip_as_python_dependency and rec.name == "python"
                and rec.version.startswith(("2.", "3."))):
            depends.append("pip")
        for text in depends:
            spec = _spec(text)
            if spec.name.startswith("__"):
                have = virtual.get(spec.name)
                assert have is not None and spec.match(have), f"{rec}: {text} not on this system"
                continue
            have = by_name.get(spec.name)
            assert have is not None, f"{rec}: nothing provides {text}"
            assert spec.match(have), f"{rec}: {text} not satisfied by {have}"
            if not {rec.name, spec.name} <= {"python", "pip"} and spec.name != rec.name:
                assert position[spec.name] < position[rec.name] or _cycle(by_name, rec, spec), \
                    f"{rec} linked before its dependency {have}"
        for text in rec.constrains:
            spec = _spec(text)
            have = by_name.get(spec.name) or virtual.get(spec.name)
            assert have is None or spec.match(have), f"{rec}: constraint {text} broken by {have}"
        for feat in rec.features or ():
            assert feat in tracked, f"{rec}: feature {feat} is not tracked by any record"
    if request.deps_modifier != "only_deps":
        for spec in request.specs_to_add:
            have = by_name.get(spec.name)
            assert have is not None and spec.match(have), f"request {spec} not met by {have}"
    if not request.ignore_pinned:
        for pin in request.pinned:
            have = by_name.get(pin.name)
            assert have is None or pin.match(have), f"pin {pin} broken by {have}"
    _check_diff(result, request.installed)


def _cycle(by_name: dict[str, Any], rec: Any, spec: Any) -> bool:
    other = by_name[spec.name]
    return any(_spec(d).name == rec.name for d in other.depends)


def _check_diff(result: Any, installed: Sequence[Any]) -> None:
    final = {r.dist_str() for r in result.records}
    before = {r.dist_str() for r in installed}
    linked = {r.dist_str() for r in result.link}
    unlinked = {r.dist_str() for r in result.unlink}
    assert final - before <= linked <= final, "link is not the diff against installed"
    assert before - final <= unlinked <= before, "unlink is not the diff against installed"
