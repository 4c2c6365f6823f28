"""Compiling a match spec into one quick test of a :class:`PackageRecord`.

The solver matches specs against records millions of times, so a spec builds, on its first
match, a closure that reads the record's fields directly and calls each field's cheapest test
(``str.__eq__`` for an exact name, a compiled regex for a glob, the version spec's memo).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import Any

from kernel.models import matchers
from kernel.models.version_spec import VersionSpec

_STR_FIELDS = frozenset(("name", "version", "build"))  # never None on a PackageRecord


def fast_test(field: str, matcher: Any) -> Callable[[Any], bool]:
    """A quicker test for a value of a PackageRecord field (every test returns a bool)."""
    kind = type(matcher)
    if kind is VersionSpec:
        return matcher.compiled()
    if kind in (matchers.GlobStrMatch, matchers.GlobLowerStrMatch, matchers.ExactStrMatch):
        pattern = getattr(matcher, "_match", None)
        if pattern is not None:
            return lambda value: pattern(value) is not None
        exact: str = matcher._raw
        return exact.__eq__ if field in _STR_FIELDS else functools.partial(operator.eq, exact)
    test: Callable[[Any], bool] = matcher.match
    return test


def compile_record_test(tests: list[tuple[str, Callable[[Any], bool]]]) -> Callable[[Any], bool]:
    """One function testing a PackageRecord against every field test, cheapest first."""
    fields = tuple([field for field, _ in tests])
    if fields == ("name",):
        ((_, name),) = tests
        return lambda record: name(record.name)
    if fields == ("name", "version"):
        (_, name), (_, version) = tests
        return lambda record: name(record.name) and version(record.version)
    if fields == ("name", "version", "build"):
        (_, name), (_, version), (_, build) = tests
        return lambda r: name(r.name) and version(r.version) and build(r.build)
    getters = [(operator.attrgetter(field), test) for field, test in tests]

    def test_all(record: Any) -> bool:
        for get, test in getters:
            if not test(get(record)):
                return False
        return True

    return test_all
