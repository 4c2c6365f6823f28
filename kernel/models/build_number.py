""":class:`BuildNumberMatch`: the ``build_number`` field of a match spec (``3``, ``>=3``)."""

from __future__ import annotations

from typing import Any, ClassVar

from kernel.errors import InvalidVersionSpec
from kernel.models.version_match import (
    Predicate,
    always,
    on_versions,
    regex_predicate,
    split_relation,
    version_test,
)
from kernel.models.version_order import VersionOrder


class BuildNumberMatch:
    """A constraint on a record's integer ``build_number``: ``3``, ``>=3``, ``!=2``, ``^1.*$``.

    An integer (or a string ``int()`` accepts) is an exact match and its ``spec`` is the int;
    a relation compares build numbers as versions, like conda does.
    """

    __slots__ = ("_exact", "match", "spec")

    _cache: ClassVar[dict[Any, BuildNumberMatch]] = {}

    spec: int | str
    match: Predicate
    _exact: bool

    def __new__(cls, spec: int | str | BuildNumberMatch) -> BuildNumberMatch:
        if isinstance(spec, BuildNumberMatch):
            return spec
        cached = cls._cache.get(spec)
        if cached is not None:
            return cached
        self = object.__new__(cls)
        self._init(spec)
        if len(cls._cache) > 10_000:
            cls._cache.clear()
        cls._cache[spec] = self
        return self

    def _init(self, value: int | str) -> None:
        try:
            number = int(value)
        except (TypeError, ValueError):
            pass
        else:
            self.spec = number
            self._exact = True
            self.match = lambda other: other == number
            return
        spec = str(value).strip()
        self.spec = spec
        self._exact = False
        if not spec:
            raise InvalidVersionSpec(str(value), "empty build number spec")
        if spec == "*":
            self.match = always
        elif spec[0] in "=<>!":
            op, version = split_relation(spec)
            self._exact = op == "=="
            self.match = on_versions(version_test(op, VersionOrder(version)))
        elif spec[0] == "^" or spec[-1] == "$":
            if spec[0] != "^" or spec[-1] != "$":
                raise InvalidVersionSpec(spec, "regex specs must start with '^' and end with '$'")
            self.match = regex_predicate(spec, spec)
        else:
            self._exact = True
            self.match = lambda other: other == spec

    def is_exact(self) -> bool:
        return self._exact

    @property
    def raw_value(self) -> int | str:
        return self.spec

    @property
    def exact_value(self) -> int | None:
        try:
            return int(self.spec)
        except ValueError:
            return None

    def merge(self, other: BuildNumberMatch) -> int | str:
        if self.spec != other.spec:
            raise ValueError(f"Incompatible component merge: {self.spec!r} and {other.spec!r}")
        return self.spec

    def union(self, other: BuildNumberMatch) -> str:
        return "|".join(sorted({str(self.spec), str(other.spec)}))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, BuildNumberMatch):
            return self.spec == other.spec
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.spec)

    def __str__(self) -> str:
        return str(self.spec)

    def __repr__(self) -> str:
        return f"BuildNumberMatch('{self.spec}')"

    def __reduce__(self) -> tuple[Any, ...]:
        return (BuildNumberMatch, (self.spec,))
