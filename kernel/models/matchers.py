"""How one field of a :class:`~kernel.models.matchspec.MatchSpec` tests one record value.

Each matcher has ``match(value) -> bool``, ``raw_value``, ``exact_value`` (``None`` unless it
pins one value), ``merge(other)`` (the value both allow, or ``ValueError``) and a ``str()``
that is how the field is written in a spec. Name and build use globs (``py3*``) or regexes
(``^py3.*$``); licenses compare case-insensitively; features compare as sets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from kernel.errors import InvalidMatchSpec
from kernel.models.build_number import BuildNumberMatch
from kernel.models.channel import Channel
from kernel.models.version_match import compile_user_regex
from kernel.models.version_spec import VersionSpec


def _incompatible(a: object, b: object) -> ValueError:
    return ValueError(f"Incompatible component merge: {a!r} and {b!r}")


def _glob_regex(pattern: str) -> str:
    return re.escape(pattern).replace(r"\*", ".*")


class ExactStrMatch:
    """Equal strings (subdir, url, fn, md5, sha256)."""

    __slots__ = ("_raw",)

    def __init__(self, value: str):
        self._raw = value

    def match(self, value: Any) -> bool:
        return value is not None and self._raw == (value if isinstance(value, str) else str(value))

    @property
    def raw_value(self) -> str:
        return self._raw

    @property
    def exact_value(self) -> str:
        return self._raw

    def merge(self, other: Any) -> Any:
        if self.raw_value != other.raw_value:
            raise _incompatible(self.raw_value, other.raw_value)
        return self.raw_value

    def union(self, other: Any) -> str:
        return "|".join(sorted({str(self.raw_value), str(other.raw_value)}))

    def __str__(self) -> str:
        return self._raw

    def __repr__(self) -> str:
        return f"{type(self).__name__}('{self._raw}')"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, ExactStrMatch)
            and type(other) is type(self)
            and self._raw == other._raw
        )

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._raw))


class GlobStrMatch(ExactStrMatch):
    """A glob (``py3*``), a regex (``^py3.*$``) or an exact string."""

    __slots__ = ("_match",)

    _match: Callable[[str], Any] | None

    def __init__(self, value: str):
        super().__init__(value)
        pattern = None
        if value.startswith("^") and value.endswith("$"):
            pattern = value
        elif "*" in value:
            pattern = f"^(?:{_glob_regex(value)})$"
        try:
            self._match = compile_user_regex(pattern).match if pattern is not None else None
        except re.error as exc:
            raise InvalidMatchSpec(value, f"contains an invalid regular expression: {exc}")

    def match(self, value: Any) -> bool:
        if value is None:
            return False
        text = value if isinstance(value, str) else str(value)
        if self._match is None:
            return self._raw == text
        return self._match(text) is not None

    @property
    def exact_value(self) -> str | None:  # type: ignore[override]
        return self._raw if self._match is None else None

    @property
    def matches_all(self) -> bool:
        return self._raw == "*"

    def merge(self, other: Any) -> Any:
        """The narrower of two globs, or a regex matching what both match."""
        if self.raw_value == other.raw_value:
            return self.raw_value
        this: Any = self
        if this._match is None and isinstance(other, GlobStrMatch) and other._match is not None:
            this, other = other, this  # keep the pattern on the left
        other_text = str(other)
        if "*" not in other_text:
            if this._match is not None and this._match(other_text):
                return other.raw_value
            raise _incompatible(this.raw_value, other.raw_value)
        mine: str = this.raw_value
        if mine.count("*") == other_text.count("*") == 1 and (
            mine[0] == other_text[0] == "*" or mine[-1] == other_text[-1] == "*"
        ):
            mine_core, other_core = mine.strip("*"), other_text.strip("*")
            if mine_core in other_core:
                return other.raw_value
            if other_core in mine_core:
                return mine
            raise _incompatible(mine, other_text)
        patterns = [
            v[1:-1] if v.startswith("^") and v.endswith("$") else _glob_regex(v)
            for v in (mine, other_text)
        ]
        return f"^(?={patterns[0]})(?:{patterns[1]})$"


class GlobLowerStrMatch(GlobStrMatch):
    """A package-name glob: the pattern is lower-cased, the value compared as given."""

    __slots__ = ()

    def __init__(self, value: str):
        super().__init__(value.lower())


class CaseInsensitiveStrMatch(GlobLowerStrMatch):
    """License fields: glob or exact, ignoring case on both sides."""

    __slots__ = ()

    def match(self, value: Any) -> bool:
        return value is not None and super().match(str(value).lower())


class FeatureMatch:
    """``track_features`` / ``features``: the record's set must equal this set."""

    __slots__ = ("_raw",)

    _raw: frozenset[str]

    def __init__(self, value: str | Iterable[str] | None):
        self._raw = self.convert(value)

    @staticmethod
    def convert(value: str | Iterable[str] | None) -> frozenset[str]:
        if not value:
            return frozenset()
        items = value.replace(" ", ",").split(",") if isinstance(value, str) else value
        return frozenset(s for s in (str(item).strip() for item in items) if s)

    def match(self, value: Any) -> bool:
        return self._raw == self.convert(value)

    @property
    def raw_value(self) -> frozenset[str]:
        return self._raw

    @property
    def exact_value(self) -> frozenset[str]:
        return self._raw

    def merge(self, other: Any) -> Any:
        if self.raw_value != other.raw_value:
            raise _incompatible(str(self), str(other))
        return self.raw_value

    def union(self, other: Any) -> str:
        return "|".join(sorted({str(self), str(other)}))

    def __str__(self) -> str:
        return " ".join(sorted(self._raw))

    def __repr__(self) -> str:
        return f"FeatureMatch('{self}')"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FeatureMatch) and self._raw == other._raw

    def __hash__(self) -> int:
        return hash(self._raw)


class ChannelMatch(GlobStrMatch):
    """A channel, by name (``conda-forge``, ``defaults``, a URL) or by glob/regex.

    A name matches a record whose channel has that name or canonical name, so ``defaults``
    matches ``pkgs/main`` records but ``pkgs/main`` does not match ``defaults``.
    """

    __slots__ = ("_channel",)

    _channel: Channel | None

    def __init__(self, value: str | Channel):
        self._channel = None
        if isinstance(value, Channel):
            self._raw = value.name
            self._channel = value
            self._match = None
            return
        super().__init__(value)
        if self._match is None:
            self._channel = Channel(value)
        elif not (value.startswith("^") and value.endswith("$")):
            # conda turns a channel glob into a regex without escaping its other characters
            pattern = f"^(?:{value.replace('*', '.*')})$"
            try:
                self._match = compile_user_regex(pattern).match
            except re.error as exc:
                raise InvalidMatchSpec(value, f"contains an invalid regular expression: {exc}")

    def match(self, value: Any) -> bool:
        other = value if isinstance(value, Channel) else Channel(value)
        if self._match is not None:
            return self._match(other.canonical_name) is not None
        name = self._channel.name  # type: ignore[union-attr]
        return name == other.name or name == other.canonical_name

    @property
    def raw_value(self) -> Any:
        return self._channel if self._channel is not None else self._raw

    @property
    def exact_value(self) -> Any:
        return self._channel

    def __str__(self) -> str:
        if self._channel is None:
            return self._raw
        from kernel.models.channel_resolve import is_non_alias_url_channel

        if is_non_alias_url_channel(self._channel):  # a URL off the alias stays a URL
            return self._channel.base_url or self._channel.canonical_name
        return self._channel.canonical_name

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ChannelMatch):
            return False
        if self._channel is not None and other._channel is not None:
            return self._channel == other._channel
        return self._channel is other._channel and self._raw == other._raw

    def __hash__(self) -> int:
        return hash(self._channel if self._channel is not None else self._raw)


Matcher = Any  # one of the classes above, VersionSpec or BuildNumberMatch

_FACTORIES: dict[str, Callable[[Any], Matcher]] = {
    "channel": ChannelMatch,
    "name": GlobLowerStrMatch,
    "version": VersionSpec,
    "build": GlobStrMatch,
    "build_number": BuildNumberMatch,
    "track_features": FeatureMatch,
    "features": FeatureMatch,
    "license": CaseInsensitiveStrMatch,
    "license_family": CaseInsensitiveStrMatch,
}

_CACHE: dict[tuple[str, Any], Matcher] = {}


def make_matcher(field: str, value: Any) -> Matcher:
    """The matcher for ``field`` built from a string (or a ready matcher, kept as is)."""
    if type(value) is not str and hasattr(value, "match"):
        return value
    key = (field, value)
    try:
        return _CACHE[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable value (a list of features)
        factory = _FACTORIES.get(field)
        return factory(value) if factory else ExactStrMatch(str(value))
    factory = _FACTORIES.get(field)
    matcher = factory(value) if factory else ExactStrMatch(str(value))
    if len(_CACHE) > 100_000:
        _CACHE.clear()
    _CACHE[key] = matcher
    return matcher


def clear_cache() -> None:
    _CACHE.clear()
