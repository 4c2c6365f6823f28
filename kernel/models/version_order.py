"""Conda's total order on version strings (:class:`VersionOrder`).

A version string is lower-cased and split into an epoch (``N!``), a public part and a local
part (``+...``). Each part is split into segments at ``.`` and ``_`` and each segment into runs
of digits, of ``*`` and of other characters. Digit runs become integers, ``post`` becomes
infinity, ``dev`` sorts below every other string, strings sort below numbers, and a segment
that starts with a string gets a leading ``0``. Missing components count as ``0``, so
``1.1 == 1.1.0`` and ``1.1a == 1.1.0a``.

Parsing happens once per distinct string (instances are cached) and produces a tuple key that
compares with Python's native tuple comparison, so sorting and ``==`` are fast and hashing is
consistent with equality.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar

from kernel.errors import InvalidVersionSpec

#: One component of a segment: a number (``post`` is ``inf``) or a lower-case string.
Component = int | float | str
Segment = tuple[Component, ...]

_VALID = re.compile(r"[*.+!_0-9a-z]+")
_PLAIN = re.compile(r"[0-9a-z.]+")
_RUNS = re.compile(r"[0-9]+|\*+|[^0-9*]+")
_INF = float("inf")

# Comparison key: one flat tuple per version, compared natively. Every segment contributes
# a run of tokens closed by _END, and a run of zero components is folded into the token after
# it, so zero padding ("1.1 == 1.1.0") falls out of plain tuple comparison:
#   a string after z zeros     -> 0, z, string    sorts below an implicit 0
#   a number after z zeros     -> 2, -z, number   sorts above an implicit 0
#   the end (endless zeros)    -> 1
# The segments are folded the same way one level up (an all-zero segment being that level's
# 0): a segment after Z zero segments is "0, Z, <its tokens>" or "2, -Z, <its tokens>", and
# the list ends with 1. Tokens are self-delimiting (a 0 or 2 marker starts three items, a 1
# marker one), so two keys stay aligned until they differ and never compare a str with a
# number. The local part's key follows the public part's.
_END = 1


class _Segment:
    """One parsed segment (the text between dots), shared by every version that has it."""

    __slots__ = ("components", "key", "sign", "stripped", "token0", "token1")

    def __init__(self, components: Segment):
        self.components = components
        self.stripped = _strip_zeros(components)
        tokens: list[Any] = []
        zeros = 0
        for c in components:
            if type(c) is str:
                tokens += (0, zeros, c)
                zeros = 0
            elif c == 0:
                zeros += 1
            else:
                tokens += (2, -zeros, c)
                zeros = 0
        tokens.append(_END)
        self.key = tuple(tokens)
        # -1: sorts below the all-zero segment, 0: is all zeros, 1: sorts above it
        self.sign = 0 if len(tokens) == 1 else (-1 if tokens[0] == 0 else 1)
        # the segment's tokens one level up, after no or one all-zero segment
        self.token0 = ((0, 0) if self.sign < 0 else (2, 0)) + self.key
        self.token1 = ((0, 1) if self.sign < 0 else (2, -1)) + self.key


_SEGMENTS: dict[str, _Segment] = {}


def _segment(text: str, original: str) -> _Segment:
    seg = _SEGMENTS.get(text)
    if seg is None:
        seg = _SEGMENTS[text] = _Segment(_components(text, original))
    return seg


def _strip_zeros(segment: Segment) -> Segment:
    end = len(segment)
    while end and segment[end - 1] == 0 and type(segment[end - 1]) is int:
        end -= 1
    return segment[:end]


def _components(text: str, original: str) -> Segment:
    if text.isdigit():
        return (int(text),)
    if not text:
        raise InvalidVersionSpec(original, "empty version component")
    out: list[Component] = [] if text[0].isdigit() else [0]
    for run in _RUNS.findall(text):
        if run.isdigit():
            out.append(int(run))
        elif run == "post":
            out.append(_INF)
        elif run == "dev":
            out.append("DEV")  # upper case sorts below every other (lower-case) string
        else:
            out.append(run)
    return tuple(out)


_EPOCH_ZERO = _segment("0", "0")


def _split(original: str) -> tuple[str, str, list[str], list[str]]:
    """Validate and split into (normalised text, epoch, public parts, local parts)."""
    text = original.strip().lower()
    if _VALID.fullmatch(text) is None:
        if not text:
            raise InvalidVersionSpec(original, "empty version string")
        if "-" in text and "_" not in text:
            text = text.replace("-", "_")
        if _VALID.fullmatch(text) is None:
            raise InvalidVersionSpec(original, "invalid character(s)")
    normalized = text

    epoch = "0"
    if "!" in text:
        epoch_and_rest = text.split("!")
        if len(epoch_and_rest) > 2:
            raise InvalidVersionSpec(original, "duplicated epoch separator '!'")
        epoch, text = epoch_and_rest
        if not epoch.isdigit():
            raise InvalidVersionSpec(original, "epoch must be an integer")

    local_parts: list[str] = []
    if "+" in text:
        public_and_local = text.split("+")
        if len(public_and_local) > 2:
            raise InvalidVersionSpec(original, "duplicated local version separator '+'")
        text = public_and_local[0]
        local_parts = public_and_local[1].replace("_", ".").split(".")
    if not text:
        raise InvalidVersionSpec(original, "Missing version before local version separator '+'")

    if text[-1] == "_":
        # openssl-style "1.0.1_": the trailing underscore stays on the last segment
        public_parts = text[:-1].replace("_", ".").split(".")
        public_parts[-1] += "_"
    else:
        public_parts = text.replace("_", ".").split(".")
    return normalized, epoch, public_parts, local_parts


def _fold(segments: list[_Segment], key: list[Any]) -> None:
    """Append the tokens of ``segments`` to ``key`` (see the comment on keys above)."""
    zeros = 0
    for seg in segments:
        sign = seg.sign
        if not sign:
            zeros += 1
            continue
        if zeros == 0:
            key += seg.token0
        elif zeros == 1:
            key += seg.token1
        else:
            key += (0, zeros) if sign < 0 else (2, -zeros)
            key += seg.key
        zeros = 0
    key.append(_END)


def _parse(original: str) -> tuple[list[_Segment], list[_Segment]]:
    """The segments of a version: the public ones (epoch first) and the local ones."""
    get = _SEGMENTS.get
    if _PLAIN.fullmatch(original) is not None:  # the common case: lower-case, dots only
        public = [_EPOCH_ZERO]
        public += [get(part) or _segment(part, original) for part in original.split(".")]
        return public, []
    _, epoch, public_parts, local_parts = _split(original)
    public = [_EPOCH_ZERO if epoch == "0" else get(epoch) or _segment(epoch, original)]
    public += [get(part) or _segment(part, original) for part in public_parts]
    return public, [get(part) or _segment(part, original) for part in local_parts]


def _key(original: str) -> list[Any]:
    """The comparison key of a version (without its trailing original string)."""
    key: list[Any] = []
    if _PLAIN.fullmatch(original) is None:
        public, local = _parse(original)
        _fold(public, key)
        if local:
            _fold(local, key)
        else:
            key.append(_END)
        return key
    # the common case, folded inline: lower-case, dots only, epoch 0 (one zero segment)
    get = _SEGMENTS.get
    zeros = 1
    for part in original.split("."):
        seg = get(part) or _segment(part, original)
        if not seg.sign:
            zeros += 1
            continue
        if zeros == 1:
            key += seg.token1
        elif zeros == 0:
            key += seg.token0
        else:
            key += (0, zeros) if seg.sign < 0 else (2, -zeros)
            key += seg.key
        zeros = 0
    key += (_END, _END)
    return key


class _Original(str):
    """The version string, riding as the key's last item. It compares equal to every other
    ``_Original`` and hashes to a constant, so it never decides a comparison: two keys that
    differ do so before it, and equal keys stay equal."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Original)

    def __ne__(self, other: object) -> bool:
        return not isinstance(other, _Original)

    def __hash__(self) -> int:
        return 0


class _Details:
    """A version's segments, kept on demand for the prefix test and conda's list views."""

    __slots__ = ("local", "local_stripped", "public", "public_length", "public_stripped")

    def __init__(self, original: str):
        self.public, self.local = _parse(original)
        key: list[Any] = []
        _fold(self.public, key)
        self.public_length = len(key)
        self.public_stripped = tuple([s.stripped for s in self.public])
        self.local_stripped = tuple([s.stripped for s in self.local])


_DETAILS: dict[str, _Details] = {}


def _details(version: VersionOrder) -> _Details:
    original = str.__str__(version[-1])
    found = _DETAILS.get(original)
    if found is None:
        if len(_DETAILS) > 100_000:
            _DETAILS.clear()
        found = _DETAILS[original] = _Details(original)
    return found


_PREFIX_TESTS: dict[str, Callable[[VersionOrder], bool]] = {}


def prefix_test(target: VersionOrder) -> Callable[[VersionOrder], bool]:
    """``lambda v: v.startswith(target)`` with the target's side worked out once.

    Equal up to the target's last component, which must be equal when it is a number and a
    string prefix when it is a string; a target with a local part needs equal public parts.
    """
    original = str.__str__(target[-1])
    found = _PREFIX_TESTS.get(original)
    if found is not None:
        return found
    details = _details(target)
    use_local = bool(details.local)
    segments = details.local if use_local else details.public
    last = len(segments) - 1
    head = (details.local_stripped if use_local else details.public_stripped)[:last]
    tail = segments[last].components
    n = len(tail) - 1
    tail_head = _strip_zeros(tail[:n])
    final = tail[n]
    final_is_str = isinstance(final, str)
    public_key = target[: details.public_length]

    def test(version: VersionOrder) -> bool:
        mine = _details(version)
        if use_local:
            if version[: mine.public_length] != public_key:
                return False
            candidate, stripped = mine.local, mine.local_stripped
        else:
            candidate, stripped = mine.public, mine.public_stripped
        if len(stripped) > last:
            if stripped[:last] != head:
                return False
            segment = candidate[last].components
        else:
            if stripped + ((),) * (last - len(stripped)) != head:
                return False
            segment = ()
        if n and _strip_zeros(segment[:n]) != tail_head:
            return False
        c1: Component = segment[n] if len(segment) > n else 0
        if final_is_str:
            return isinstance(c1, str) and c1.startswith(final)  # type: ignore[arg-type]
        return c1 == final

    if len(_PREFIX_TESTS) > 50_000:
        _PREFIX_TESTS.clear()
    _PREFIX_TESTS[original] = test
    return test


class VersionOrder(tuple[Any, ...]):
    """A parsed version string, ordered and compared exactly like conda's ``VersionOrder``.

    ``VersionOrder(s)`` returns a cached instance per distinct string. ``str()`` gives the
    string as it was given; :attr:`norm_version` is conda's normalised form (stripped,
    lower-cased, ``-`` turned into ``_`` when the string has no ``_``). Invalid strings raise
    :class:`~kernel.errors.InvalidVersionSpec` naming the string.

    Implementation note: the instance *is* its comparison key (a tuple subclass of numbers
    and strings), so ``<``, ``==``, ``hash`` and ``sorted()`` run at C speed and a version
    costs the garbage collector one object. Treat it as opaque, not as a tuple.
    """

    __slots__ = ()

    _cache: ClassVar[dict[str, VersionOrder]] = {}

    def __new__(cls, version: str | VersionOrder) -> VersionOrder:
        cached = cls._cache.get(version)  # type: ignore[arg-type]
        if cached is not None:
            return cached
        if type(version) is not str:
            if isinstance(version, VersionOrder):
                return version
            if not isinstance(version, str):
                raise InvalidVersionSpec(str(version), "a version must be a string")
            return cls(str(version))
        key = _key(version)
        key.append(_Original(version))
        self = tuple.__new__(cls, key)
        if len(cls._cache) > 500_000:
            cls._cache.clear()
        cls._cache[version] = self
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (VersionOrder, (self.original,))

    def __copy__(self) -> VersionOrder:
        return self

    def __deepcopy__(self, memo: Any) -> VersionOrder:
        return self

    @property
    def original(self) -> str:
        """The string this version was parsed from, as given."""
        return str.__str__(self[-1])

    @property
    def norm_version(self) -> str:
        """Conda's normalised string (what conda's ``str(VersionOrder)`` returns)."""
        original = self.original
        return original if _PLAIN.fullmatch(original) else _split(original)[0]

    # -- conda's parse, as lists (the shape conda exposes) ------------------------------
    @property
    def version(self) -> list[list[Component]]:
        """Epoch and public segments, e.g. ``[[0], [1], [2, 'a', 1]]`` for ``1.2a1``."""
        return [list(s.components) for s in _details(self).public]

    @property
    def local(self) -> list[list[Component]]:
        """Local-version segments (after ``+``), ``[]`` when there is none."""
        return [list(s.components) for s in _details(self).local]

    def startswith(self, other: VersionOrder) -> bool:
        """Conda's prefix test behind ``1.7.*``: equal up to the last component of ``other``,
        whose last component is a number that must be equal or a string that must be a
        prefix (``1.7.1`` starts with ``1.7``; ``0.4.1p1`` with ``0.4.1p``)."""
        return prefix_test(other)(self)

    def __str__(self) -> str:
        return self.original

    def __repr__(self) -> str:
        return f'VersionOrder("{self.original}")'


def normalized_version(version: str) -> VersionOrder:
    """Parse a version string (conda's name for ``VersionOrder(version)``)."""
    return VersionOrder(version)
