"""MatchSpec: conda's query language for packages (``numpy >=1.20``, ``conda-forge::numpy=1.7``).

A spec is a set of field matchers over a record's name, version, build, build_number,
channel, subdir, and so on; ``match(record)`` is true when every field matches. Specs are
immutable and hashable; ``str()`` is conda's canonical form, e.g.
``conda-forge/linux-64::numpy[version='>=1.20',build=py*_0]``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from kernel.errors import IncompatibleMatchSpecs, InvalidMatchSpec, InvalidVersionSpec
from kernel.models import matchers
from kernel.models.channel_context import on_channel_context_change
from kernel.models.matchspec_compile import compile_record_test, fast_test
from kernel.models.matchspec_format import FIELD_NAMES, render
from kernel.models.matchspec_parse import parse_spec_str
from kernel.models.records import PackageRecord
from kernel.models.version_spec import VersionSpec

_FIELD_SET = frozenset(FIELD_NAMES)
# fields tested first are the cheap and selective ones
_TEST_ORDER = ("name", "version", "build", "build_number")
_RANK = {
    field: rank
    for rank, field in enumerate((*_TEST_ORDER, *(f for f in FIELD_NAMES if f not in _TEST_ORDER)))
}

_STRING_CACHE: dict[str, MatchSpec] = {}
on_channel_context_change(_STRING_CACHE.clear)
on_channel_context_change(matchers.clear_cache)


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("", "0", "false", "no", "off", "none")
    return bool(value)


class MatchSpec:
    """A package query. Build one from a string, from fields, or from another spec::

        MatchSpec("conda-forge/linux-64::numpy >=1.20 py*_0[md5=abc]")
        MatchSpec(name="numpy", version=">=1")
        MatchSpec(spec, optional=True)        # a copy with fields overridden

    Invalid input raises :class:`~kernel.errors.InvalidMatchSpec`.
    """

    __slots__ = (
        "_components",
        "_fields",
        "_hash",
        "_original_spec_str",
        "_record_test",
        "_str",
        "_tests",
        "name",
        "optional",
        "target",
    )

    _components: dict[str, Any]
    _tests: tuple[tuple[str, Callable[[Any], bool]], ...] | None
    #: match_fields' tests (``()``: a field other than the four cannot match "unset")
    _fields: tuple[Callable[[Any], bool] | None, ...] | None
    _record_test: Callable[[Any], bool] | None
    _original_spec_str: str | None
    _hash: int | None
    _str: str | None
    #: the exact package name, or ``"*"`` when the name is a pattern or absent
    name: str
    optional: bool
    target: str | None

    def __new__(cls, spec_arg: Any = None, **kwargs: Any) -> MatchSpec:
        plain = type(spec_arg) is str and not kwargs
        if plain:
            cached = _STRING_CACHE.get(spec_arg)
            if cached is not None:
                return cached
        try:
            spec = cls._build(spec_arg, kwargs)
        except InvalidMatchSpec:
            raise
        except (InvalidVersionSpec, ValueError, TypeError) as exc:
            shown = spec_arg if spec_arg is not None else ""
            if kwargs:
                shown = f"{shown} " + ", ".join(f"{k}={v}" for k, v in kwargs.items())
            raise InvalidMatchSpec(str(shown).strip(), str(exc)) from None
        if plain:
            if len(_STRING_CACHE) > 200_000:
                _STRING_CACHE.clear()
            _STRING_CACHE[spec_arg] = spec
        return spec

    @classmethod
    def _build(cls, spec_arg: Any, kwargs: dict[str, Any]) -> MatchSpec:
        if type(spec_arg) is str and spec_arg and not kwargs:
            return cls._from_fields(parse_spec_str(spec_arg), spec_arg)
        if spec_arg is None or spec_arg == "":
            if spec_arg == "":
                raise InvalidMatchSpec("", "empty spec")
            return cls._from_fields(dict(kwargs), None)
        if isinstance(spec_arg, MatchSpec):
            if not kwargs:
                return spec_arg
            fields: dict[str, Any] = dict(spec_arg._components)
            fields.setdefault("optional", spec_arg.optional)
            fields.setdefault("target", spec_arg.target)
            fields.update(kwargs)
            return cls._from_fields(fields, spec_arg._original_spec_str)
        if isinstance(spec_arg, str):
            fields = parse_spec_str(spec_arg)
            original: str | None = spec_arg
            if kwargs:
                fields.update(kwargs)
                if set(kwargs) - {"optional", "target"}:
                    original = None
            return cls._from_fields(fields, original)
        if isinstance(spec_arg, Mapping):
            return cls._from_fields({**spec_arg, **kwargs}, None)
        to_match_spec = getattr(spec_arg, "to_match_spec", None)
        if to_match_spec is not None:
            spec = to_match_spec()
            return MatchSpec(spec, **kwargs) if kwargs else spec
        raise InvalidMatchSpec(repr(spec_arg), "not a spec string, mapping or MatchSpec")

    @classmethod
    def _from_fields(cls, fields: dict[str, Any], original: str | None) -> MatchSpec:
        optional = _truthy(fields.pop("optional")) if "optional" in fields else False
        target = fields.pop("target", None)
        fields.pop("_original_spec_str", None)
        unknown = fields.keys() - _FIELD_SET
        if unknown:
            raise InvalidMatchSpec(
                original or str(fields), f"cannot match on field(s): {sorted(unknown)}"
            )
        components = {
            field: matchers.make_matcher(field, value)
            for field, value in fields.items()
            if value is not None
        }
        self = object.__new__(cls)
        self._components = components
        self._original_spec_str = original
        self.optional = optional
        self.target = None if target is None else str(target)
        self._hash = None
        self._str = None
        name = components.get("name")
        self.name = (name.exact_value if name is not None else None) or "*"
        # the matching functions are built on the first match
        self._record_test = None
        self._tests = None
        self._fields = None
        return self

    def _ordered_fields(self) -> list[str]:
        """The constrained fields, cheapest and most selective first ("*" names skipped)."""
        components = self._components
        fields = sorted(components, key=_RANK.__getitem__)
        if fields[:1] == ["name"] and components["name"].matches_all:
            del fields[0]
        return fields

    def _compile_record_test(self) -> Callable[[Any], bool]:
        components = self._components
        test = compile_record_test(
            [(f, fast_test(f, components[f])) for f in self._ordered_fields()]
        )
        self._record_test = test
        return test

    def _compile_tests(self) -> tuple[tuple[str, Callable[[Any], bool]], ...]:
        tests = tuple((f, self._components[f].match) for f in self._ordered_fields())
        self._tests = tests
        return tests

    def _compile_fields(self) -> tuple[Callable[[Any], bool] | None, ...] | None:
        tests = dict(self._tests if self._tests is not None else self._compile_tests())
        others_accept_nothing = all(
            test(None) for field, test in tests.items() if field not in _TEST_ORDER
        )
        fields = tuple(tests.get(f) for f in _TEST_ORDER) if others_accept_nothing else None
        self._fields = fields if fields is not None else ()
        return fields

    # -- field access ---------------------------------------------------------------------
    def get_exact_value(self, field: str) -> Any:
        """The single value ``field`` must have, or ``None``."""
        matcher = self._components.get(field)
        return matcher.exact_value if matcher is not None else None

    def get_raw_value(self, field: str) -> Any:
        """The value ``field`` was given (a string, set or Channel), or ``None``."""
        matcher = self._components.get(field)
        return matcher.raw_value if matcher is not None else None

    def get(self, field: str, default: Any = None) -> Any:
        value = self.get_raw_value(field)
        return default if value is None else value

    def __contains__(self, field: str) -> bool:
        return field in self._components

    @property
    def version(self) -> VersionSpec | None:
        return self._components.get("version")

    @property
    def original_spec_str(self) -> str | None:
        return self._original_spec_str

    @property
    def is_name_only_spec(self) -> bool:
        return len(self._components) == 1 and "name" in self._components and self.name != "*"

    def is_simple(self) -> bool:
        """Only an exact name."""
        return len(self._components) == 1 and self.get_exact_value("name") is not None

    _is_simple = is_simple

    @property
    def strictness(self) -> int:
        """1: a name; 2: name and version; 3: a build or anything else is constrained."""
        given = sum(f in self._components for f in ("name", "version", "build"))
        if given < len(self._components):
            return 3
        if not self.get_exact_value("name") or "build" in self._components:
            return 3
        return 2 if "version" in self._components else 1

    # -- matching -------------------------------------------------------------------------
    def match(self, record: Any) -> bool:
        """Whether a record (a PackageRecord or a mapping of record fields) matches."""
        if type(record) is PackageRecord or isinstance(record, PackageRecord):
            record_test = self._record_test
            if record_test is None:
                record_test = self._compile_record_test()
            return record_test(record)
        tests = self._tests
        if tests is None:
            tests = self._compile_tests()
        if isinstance(record, Mapping):
            get = record.get
            for field, test in tests:
                if not test(get(field)):
                    return False
            return True
        for field, test in tests:
            if not test(getattr(record, field, None)):
                return False
        return True

    def match_fields(self, name: str, version: str, build: str = "", build_number: int = 0) -> bool:
        """The fast path: would a record with just these fields (others unset) match?"""
        tests = self._fields
        if tests is None:
            tests = self._compile_fields()
        if not tests:
            return False
        name_test, version_test, build_test, number_test = tests
        return (
            (name_test is None or name_test(name))
            and (version_test is None or version_test(version))
            and (build_test is None or build_test(build))
            and (number_test is None or number_test(build_number))
        )

    # -- text -----------------------------------------------------------------------------
    def __str__(self) -> str:
        if self._str is None:
            self._str = render(self._components)
        return self._str

    def __repr__(self) -> str:
        extra = ""
        if self.target:
            extra += f', target="{self.target}"'
        if self.optional:
            extra += ", optional=True"
        return f'MatchSpec("{self}"{extra})'

    def dist_str(self) -> str:
        return str(self)

    def conda_build_form(self) -> str:
        """``name [version [build]]``, the form conda-build and ``spec_from_line`` use."""
        name = self.get_exact_value("name")
        if not name:
            raise InvalidMatchSpec(str(self), "conda_build_form needs an exact package name")
        out = [name]
        build = self.get_raw_value("build")
        version = self.get_raw_value("version")
        if build:
            out += [version or "*", build]
        elif version:
            out.append(version)
        return " ".join(out)

    spec = property(conda_build_form)

    def __json__(self) -> str:
        return str(self)

    # -- identity -------------------------------------------------------------------------
    def _key(self) -> tuple[Any, ...]:
        return (frozenset(self._components.items()), self.optional, self.target)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MatchSpec):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(self._key())
        return self._hash

    def __reduce__(self) -> tuple[Any, ...]:
        fields = {field: m.raw_value for field, m in self._components.items()}
        return (_rebuild, (fields, self.optional, self.target, self._original_spec_str))

    # -- combining ------------------------------------------------------------------------
    @classmethod
    def merge(cls, specs: Iterable[Any], union: bool = False) -> list[MatchSpec]:
        """Combine the specs for each package name into one (fields ANDed, or ORed with
        ``union``); specs without an exact name are passed through. Conflicting exact
        fields raise :class:`~kernel.errors.IncompatibleMatchSpecs`."""
        parsed = sorted((cls(s) for s in specs if s), key=str)
        groups: dict[tuple[str, bool], list[MatchSpec]] = {}
        unmergeable: list[MatchSpec] = []
        for spec in parsed:
            if spec.name == "*":
                unmergeable.append(spec)
            else:
                groups.setdefault((spec.name, spec.optional), []).append(spec)
        merged = []
        for group in groups.values():
            targets = {s.target for s in group} - {None}
            if len(targets) > 1:
                raise IncompatibleMatchSpecs(
                    ", ".join(map(str, group)), "specs name different targets"
                )
            result = group[0]
            for spec in group[1:]:
                result = result._merge(spec, union)
            merged.append(result)
        return [*merged, *unmergeable]

    @classmethod
    def union(cls, specs: Iterable[Any]) -> list[MatchSpec]:
        return cls.merge(specs, union=True)

    def _merge(self, other: MatchSpec, union: bool = False) -> MatchSpec:
        if self.optional != other.optional or self.target != other.target:
            raise IncompatibleMatchSpecs(f"{self}, {other}", "optional or target differ")
        fields: dict[str, Any] = {}
        for field in set(self._components) | set(other._components):
            mine = self._components.get(field)
            theirs = other._components.get(field)
            if mine is None or theirs is None:
                fields[field] = mine if theirs is None else theirs
                continue
            try:
                fields[field] = mine.union(theirs) if union else mine.merge(theirs)
            except ValueError as exc:
                if union:
                    fields[field] = f"{mine}|{theirs}"
                else:
                    raise IncompatibleMatchSpecs(f"{self}, {other}", str(exc)) from None
        return MatchSpec(optional=self.optional, target=self.target, **fields)


def _rebuild(
    fields: dict[str, Any], optional: bool, target: str | None, original: str | None
) -> MatchSpec:
    return MatchSpec._from_fields({**fields, "optional": optional, "target": target}, original)
