"""The predicates version constraints compile to: relations, prefixes, regexes, memos.

A *test* takes a parsed :class:`VersionOrder`; a *predicate* takes what callers pass to
``match`` (a version string, a VersionOrder or ``None``). Relational tests are memoised per
version string, since specs are shared and the same versions are tested again and again.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable
from typing import Any

from kernel.errors import InvalidVersionSpec
from kernel.models.version_order import VersionOrder, prefix_test

Test = Callable[[VersionOrder], bool]
Predicate = Callable[[Any], bool]

_NO_SPACE = re.compile(r"\S+")
_TWO_CHAR_OPS = frozenset(("==", "!=", "<=", ">=", "~="))
OPERATOR_START = frozenset("=<>!~")
# "version OP target" as "target MIRROR version", so a C-level partial can do it
_MIRRORED: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.gt,
    "<=": operator.ge,
    ">": operator.lt,
    ">=": operator.le,
}


def split_relation(spec: str) -> tuple[str, str]:
    """``'>=1.2'`` -> ``('>=', '1.2')``; no space after the operator, no doubled operators."""
    op = spec[:2] if spec[:2] in _TWO_CHAR_OPS else spec[:1]
    if op not in _TWO_CHAR_OPS and op not in ("=", "<", ">"):
        raise InvalidVersionSpec(spec, "invalid operator")
    version = spec[len(op) :]
    if not version or version[0] in OPERATOR_START or _NO_SPACE.fullmatch(version) is None:
        raise InvalidVersionSpec(spec, "invalid operator")
    return op, version


def compatible_prefix(spec: str, target: VersionOrder) -> VersionOrder:
    """What ``~=target`` must start with: the target without its last dotted part."""
    text = ".".join(target.norm_version.split(".")[:-1])
    if not text:
        raise InvalidVersionSpec(spec, "'~=' needs a version with at least two parts")
    return VersionOrder(text)


def version_test(op: str, target: VersionOrder) -> Test:
    """The test of a relational leaf: ``==``, ``!=``, ``<``..., ``=`` (starts with),
    ``!=startswith`` and ``~=`` (at least the target, and starts with its prefix)."""
    if op == "=":
        return prefix_test(target)
    if op == "!=startswith":
        starts = prefix_test(target)
        return lambda version: not starts(version)
    if op == "~=":
        starts = prefix_test(compatible_prefix(f"~={target}", target))
        return lambda version: version >= target and starts(version)
    return functools.partial(_MIRRORED[op], target)


def all_of(tests: tuple[Test, ...]) -> Test:
    def test(version: VersionOrder) -> bool:
        for one in tests:
            if not one(version):
                return False
        return True

    return test


def any_of(tests: tuple[Test, ...]) -> Test:
    def test(version: VersionOrder) -> bool:
        for one in tests:
            if one(version):
                return True
        return False

    return test


def on_versions(test: Test) -> Predicate:
    """Lift a test on :class:`VersionOrder` to version strings (parsed through the cache)."""
    cache = VersionOrder._cache

    def predicate(value: Any) -> bool:
        version = cache.get(value)
        if version is None:
            if value is None:
                return False
            version = VersionOrder(value if isinstance(value, VersionOrder) else str(value))
        return test(version)

    return predicate


class Memo(dict[Any, bool]):
    """Answers per version; a hit is one C-level dict lookup (``memo.__getitem__``)."""

    __slots__ = ("test",)

    def __init__(self, test: Test):
        super().__init__()
        self.test = test

    def __missing__(self, value: Any) -> bool:
        version = _VERSIONS.get(value)
        if version is None:
            if value is None:
                return False
            version = VersionOrder(value if isinstance(value, VersionOrder) else str(value))
        if len(self) > 4096:
            self.clear()
        answer = self[value] = bool(self.test(version))
        return answer


_VERSIONS = VersionOrder._cache


def memoized(test: Test) -> Predicate:
    return Memo(test).__getitem__


def compile_user_regex(pattern: str) -> re.Pattern[str]:
    """Compile a regular expression a user wrote in a spec, without Python's warnings
    about its style (``FutureWarning: Possible nested set``) reaching their terminal."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return re.compile(pattern)


def regex_predicate(pattern: str, spec: str) -> Predicate:
    try:
        match = compile_user_regex(pattern).match
    except re.error as exc:
        raise InvalidVersionSpec(spec, f"invalid regular expression: {exc}") from None
    return lambda value: value is not None and match(str(value)) is not None


def always(value: Any) -> bool:
    return True
