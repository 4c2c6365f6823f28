"""Version constraints: :class:`VersionSpec` (``>=1.8,<2|1.7.*``).

Grammar, as conda reads it: ``,`` (and) binds tighter than ``|`` (or); parentheses group;
a leaf is ``*``, a relation (``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``, ``~=``, and ``=``
which means "starts with"), a fuzzy version (``1.7.*``, ``1.7*``), a glob (``1.*.3``), a regex
(``^1\\.7.*$``), or a bare version, which is an exact match under version equality
(``1.7`` matches ``1.7.0``). Specs are cached by string and compare by canonical string.
Construction parses and validates; the matching closures are built on the first match.
"""

from __future__ import annotations

import logging
import re
from typing import Any, ClassVar

from kernel.errors import InvalidVersionSpec
from kernel.models.version_match import (
    OPERATOR_START,
    Predicate,
    Test,
    all_of,
    always,
    any_of,
    compatible_prefix,
    memoized,
    on_versions,
    regex_predicate,
    split_relation,
    version_test,
)
from kernel.models.version_order import VersionOrder

log = logging.getLogger(__name__)

# one token: a regex leaf, an operator or parenthesis, or anything else up to the next one
_TOKENS = re.compile(r"\s*\^[^$]*\$|\s*[()|,]|[^()|,]+")
# the first line holds a character that makes the spec an expression (conda looks no further)
_EXPRESSION = re.compile(r"[^\n]*[()|,^$]")

Tree = str | tuple[Any, ...]


def _parse_flat(spec: str) -> Tree:
    """An expression without parentheses or regexes: ``a,b|c`` is ``('|', (',', a, b), c)``."""
    alternatives: list[Tree] = []
    for alternative in spec.split("|"):
        parts = [part.strip() for part in alternative.split(",")]
        if "" in parts:
            raise InvalidVersionSpec(spec, "cannot join single expression")
        alternatives.append(parts[0] if len(parts) == 1 else (",", *parts))
    return alternatives[0] if len(alternatives) == 1 else ("|", *alternatives)


def _parse_tree(spec: str) -> Tree:
    """Parse an expression into ``'leaf'`` or ``(op, child, child, ...)`` with op ``|``/``,``.

    Operators of the same kind are flattened: ``a|(b|c)`` is ``('|', 'a', 'b', 'c')``.
    """
    if not any(c in spec for c in "()^$"):
        return _parse_flat(spec)
    output: list[Tree] = []
    pending: list[str] = []

    def reduce(stop: str) -> None:
        while pending and pending[-1] not in stop:
            if len(output) < 2:
                raise InvalidVersionSpec(spec, "cannot join single expression")
            op = pending.pop()
            right, left = output.pop(), output.pop()
            parts: list[Tree] = []
            for side in (left, right):
                if isinstance(side, tuple) and side[0] == op:
                    parts.extend(side[1:])
                else:
                    parts.append(side)
            output.append((op, *parts))

    after_operand = False
    for raw in _TOKENS.findall(f"({spec})"):
        item = raw.strip()
        if after_operand and item not in ("|", ",", ")"):
            # conda silently drops everything after the first of two adjacent operands
            raise InvalidVersionSpec(spec, "missing '|' or ',' between expressions")
        after_operand = item not in ("|", ",", "(")
        if item == "|":
            reduce("(")
            pending.append("|")
        elif item == ",":
            reduce("|(")
            pending.append(",")
        elif item == "(":
            pending.append("(")
        elif item == ")":
            reduce("(")
            if not pending or pending[-1] != "(":
                raise InvalidVersionSpec(spec, "expression must start with '('")
            pending.pop()
        else:
            output.append(item)
    if pending:
        raise InvalidVersionSpec(spec, f"unable to convert to expression tree: {pending}")
    if not output:
        raise InvalidVersionSpec(spec, "unable to determine version from spec")
    return output[0]


class VersionSpec:
    """A version constraint; ``match(version)`` tests a version string or VersionOrder.

    ``str()`` is conda's canonical form (``1.7*`` becomes ``1.7.*``, whitespace around
    ``,`` and ``|`` goes); equality and hashing go by that string. Invalid input raises
    :class:`~kernel.errors.InvalidVersionSpec`.
    """

    __slots__ = ("_data", "_exact", "_fn", "_kind", "matcher_vo", "operator", "spec", "tup")

    _cache: ClassVar[dict[str, VersionSpec]] = {}

    spec: str
    #: the children of an ``|`` or ``,`` expression, else ``()``
    tup: tuple[VersionSpec, ...]
    #: ``|`` or ``,`` for an expression, the relation (``>=``, ``=``, ``!=startswith``...) of a
    #: relational leaf, else ``None``
    operator: str | None
    #: the version a relational leaf compares with
    matcher_vo: VersionOrder | None
    _exact: bool
    #: "tree", "relation", "always", "regex" or "exact" (a string compared as is)
    _kind: str
    _data: Any
    _fn: Predicate | None

    def __new__(cls, spec: str | VersionSpec | tuple[Any, ...]) -> VersionSpec:
        if type(spec) is str:
            cached = cls._cache.get(spec)
            if cached is not None:
                return cached
            tree = _parse_tree(spec) if _EXPRESSION.match(spec) else spec
        elif isinstance(spec, VersionSpec):
            return spec
        elif isinstance(spec, str):
            return cls(str(spec))
        elif isinstance(spec, tuple) and not isinstance(spec, VersionOrder):
            tree = spec
        else:
            tree = str(spec)
        self = object.__new__(cls)
        self.tup = ()
        self.operator = None
        self.matcher_vo = None
        self._exact = False
        self._data = None
        self._fn = None
        if isinstance(tree, tuple):
            self._init_expression(tree)
        else:
            self._init_leaf(tree)
        if type(spec) is str:
            if len(cls._cache) > 200_000:
                cls._cache.clear()
            cls._cache[spec] = self
        return self

    def _init_expression(self, tree: tuple[Any, ...]) -> None:
        op = tree[0]
        if op not in ("|", ",") or len(tree) < 2:
            raise InvalidVersionSpec(str(tree), "not a version expression")
        children = tuple(VersionSpec(child) for child in tree[1:])
        # conda drops the parentheses around an "|" inside a "," and so changes the meaning;
        # we keep them
        self.spec = op.join(
            f"({child.spec})" if op == "," and child.operator == "|" else child.spec
            for child in children
        )
        self.tup = children
        self.operator = op
        self._kind = "tree"

    def _init_leaf(self, text: str) -> None:
        spec = text.strip()
        if not spec:
            raise InvalidVersionSpec(text, "empty version spec")
        if spec[0] == "^" or spec[-1] == "$":
            if spec[0] != "^" or spec[-1] != "$":
                raise InvalidVersionSpec(spec, "regex specs must start with '^' and end with '$'")
            self._kind, self._data = "regex", regex_predicate(spec, spec)
        elif spec[0] in OPERATOR_START:
            op, version = split_relation(spec)
            if version.endswith(".*"):
                if op == "~=":
                    raise InvalidVersionSpec(spec, "invalid operator with '.*'")
                if op == "!=":
                    op = "!=startswith"
                elif op not in ("=", ">="):
                    log.debug("ignoring superfluous '.*' in version spec %r", spec)
                version = version[:-2]
            self._relation(op, VersionOrder(version))
            if op == "~=":
                compatible_prefix(spec, self.matcher_vo)  # type: ignore[arg-type]
        elif spec == "*":
            self._kind = "always"
        elif "*" in spec.rstrip("*"):
            glob = spec.replace(".", r"\.").replace("+", r"\+").replace("*", ".*")
            self._kind, self._data = "regex", regex_predicate(f"^(?:{glob})$", spec)
        elif spec[-1] == "*":
            if not spec.endswith(".*"):
                spec = spec[:-1] + ".*"
            self._relation("=", VersionOrder(spec.rstrip("*").rstrip(".")))
        elif "@" not in spec:
            self._relation("==", VersionOrder(spec))
        else:
            self._kind, self._data, self._exact = "exact", spec, True
        self.spec = spec

    def _relation(self, op: str, target: VersionOrder) -> None:
        self._kind = "relation"
        self.operator = op
        self.matcher_vo = target
        self._exact = op == "=="

    # -- matching -------------------------------------------------------------------------
    def match(self, version: Any) -> bool:
        """Whether a version string (or :class:`VersionOrder`) satisfies this spec."""
        fn = self._fn
        if fn is None:
            fn = self.compiled()
        return fn(version)

    def compiled(self) -> Predicate:
        """The fastest callable doing :meth:`match` (built once)."""
        if self._fn is None:
            test = self._test()
            self._fn = memoized(test) if test is not None else self._predicate()
        return self._fn

    def _test(self) -> Test | None:
        """A test on the parsed version, when the answer depends on nothing else."""
        if self._kind == "relation":
            return version_test(self.operator, self.matcher_vo)  # type: ignore[arg-type]
        if self._kind == "tree":
            tests = [child._test() for child in self.tup]
            if all(test is not None for test in tests):
                combine = any_of if self.operator == "|" else all_of
                return combine(tuple(tests))  # type: ignore[arg-type]
        return None

    def _predicate(self) -> Predicate:
        kind = self._kind
        if kind == "always":
            return always
        if kind == "regex":
            predicate: Predicate = self._data
            return predicate
        if kind == "exact":
            exact = self._data
            return lambda value: str(value) == exact
        test = self._test()
        if test is not None:
            return on_versions(test)
        children = tuple(child.compiled() for child in self.tup)
        if self.operator == "|":
            return lambda value: any(p(value) for p in children)
        return lambda value: all(p(value) for p in children)

    # -- conda's BaseSpec interface ------------------------------------------------------
    def is_exact(self) -> bool:
        """True for ``==1.7`` and bare ``1.7``: one version (under version equality)."""
        return self._exact

    @property
    def spec_str(self) -> str:
        """The spec as written canonically (conda's name for ``str(spec)``)."""
        return self.spec

    @property
    def raw_value(self) -> str:
        return self.spec

    @property
    def exact_value(self) -> str | None:
        return self.spec if self._exact else None

    def merge(self, other: VersionSpec) -> VersionSpec:
        """Both constraints at once (conda joins the two strings with ``,``)."""
        return VersionSpec((",", *sorted((self.spec, other.spec))))

    def union(self, other: VersionSpec) -> str:
        """Either constraint, as a display string (conda's ``union``)."""
        return "|".join(sorted({self.spec, other.spec}))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, VersionSpec):
            return self.spec == other.spec
        if isinstance(other, str):
            try:
                return self.spec == VersionSpec(other).spec
            except InvalidVersionSpec:
                return False
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.spec)

    def __str__(self) -> str:
        return self.spec

    def __repr__(self) -> str:
        return f"VersionSpec('{self.spec}')"

    def __reduce__(self) -> tuple[Any, ...]:
        return (VersionSpec, (self.spec,))
