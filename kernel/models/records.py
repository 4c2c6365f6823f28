"""Package records: one package build as repodata, ``index.json`` and ``conda-meta`` describe it.

:class:`PackageRecord` is immutable. Build one from a repodata entry with
:meth:`PackageRecord.from_repodata` (the hot path: a plain constructor, no validation
framework), from any record-shaped JSON object with :meth:`PackageRecord.from_json`, and get
the JSON back with :meth:`PackageRecord.to_json`, which keeps keys this model does not know
(``extra``) and writes the keys the source had. Two records are equal when conda would
consider them the same package: channel (canonical name), subdir, name, version,
build_number and build.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, ClassVar

import attrs

from kernel.errors import InvalidPackageRecord
from kernel.models.channel import Channel
from kernel.models.channel_context import UNKNOWN_CHANNEL
from kernel.models.record_fields import (
    EMPTY_MAPPING,
    LateSlot,
    channel_for,
    features_tuple,
    key_info,
    late_fields,
    noarch_value,
    repodata_url,
    timestamp_ms,
)
from kernel.models.version_order import VersionOrder

_UNMANAGEABLE = frozenset(
    ("virtual_python_egg_unmanageable", "virtual_python_egg_link", "virtual_system")
)


@attrs.frozen(kw_only=True, eq=False)
class PackageRecord:
    """One package build: identity fields, file metadata and dependencies."""

    name: str
    version: str
    build: str
    build_number: int = 0
    channel: Channel | None = None
    subdir: str | None = None
    fn: str | None = None
    url: str | None = None
    md5: str | None = None
    sha256: str | None = None
    size: int | None = None
    depends: tuple[str, ...] = ()
    constrains: tuple[str, ...] = ()
    track_features: tuple[str, ...] = ()
    features: tuple[str, ...] = ()
    noarch: str | None = None
    #: milliseconds since the epoch (0: unknown)
    timestamp: int = 0
    license: str | None = None
    license_family: str | None = None
    platform: str | None = None
    arch: str | None = None
    legacy_bz2_md5: str | None = None
    preferred_env: str | None = None
    python_site_packages_path: str | None = None
    #: keys of the source JSON this model has no field for, kept for ``to_json``
    extra: Mapping[str, Any] = EMPTY_MAPPING
    #: the keys the source JSON had (``None``: built in code), so ``to_json`` writes them
    present_keys: frozenset[str] | None = attrs.field(default=None, repr=False)
    #: the ``channel`` string as the source JSON wrote it, so ``to_json`` writes it back
    source_channel: str | None = attrs.field(default=None, repr=False)
    _identity: tuple[Any, ...] | None = attrs.field(default=None, init=False, repr=False)
    #: the repodata entry the rarely read fields are still to be taken from (see
    #: :meth:`__getattr__`); ``None`` once they are set
    _pending: tuple[Mapping[str, Any], str | None] | None = attrs.field(
        default=None, init=False, repr=False)

    #: JSON keys with a field here; anything else goes to ``extra``
    JSON_FIELDS: ClassVar[frozenset[str]] = frozenset(
        (
            "name", "version", "build", "build_number", "channel", "subdir", "fn", "url",
            "md5", "sha256", "size", "depends", "constrains", "track_features", "features",
            "noarch", "timestamp", "license", "license_family", "platform", "arch",
            "legacy_bz2_md5", "preferred_env", "python_site_packages_path",
        )
    )  # fmt: skip
    #: keys a record built in code always writes (conda's dump does the same)
    ALWAYS_DUMPED: ClassVar[frozenset[str]] = frozenset(
        ("name", "version", "build", "build_number", "depends", "constrains")
    )

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_repodata(
        cls,
        raw: Mapping[str, Any],
        fn: str,
        *,
        channel: Channel | str | None = None,
        subdir: str | None = None,
        base_url: str | None = None,
    ) -> PackageRecord:
        """A record from one ``packages``/``packages.conda`` entry of ``repodata.json``.

        ``fn`` is the entry's key; ``channel`` and ``subdir`` are the repodata's; ``base_url``
        is the URL ``fn`` is relative to (CEP-15 ``info.base_url`` or the subdir URL).
        Accepts ``"depends": null``, seconds timestamps, features as strings and legacy
        ``noarch: true``.
        """
        return cls.from_repodata_entries(
            ((fn, raw),), channel=channel, subdir=subdir, base_url=base_url)[0]

    @classmethod
    def from_repodata_entries(
        cls,
        entries: Iterable[tuple[str, Mapping[str, Any]]],
        *,
        channel: Channel | str | None = None,
        subdir: str | None = None,
        base_url: str | None = None,
    ) -> list[PackageRecord]:
        """:meth:`from_repodata` for many ``(fn, entry)`` pairs of one repodata, in order
        (the index's hot path: a solve builds thousands)."""
        if type(channel) is str:
            channel = channel_for(channel)
        build_one = cls._from_repodata
        out = []
        for fn, raw in entries:
            try:
                out.append(build_one(raw, fn, channel, subdir, base_url))
            except InvalidPackageRecord:
                raise
            except (TypeError, ValueError, AttributeError) as exc:
                raise InvalidPackageRecord(fn, str(exc)) from None
        return out

    @classmethod
    def _from_repodata(
        cls,
        raw: Mapping[str, Any],
        fn: str,
        channel: Channel | str | None,
        subdir: str | None,
        base_url: str | None,
    ) -> PackageRecord:
        get = raw.get
        name = get("name")
        version = get("version")
        build = get("build")
        if build is None:
            build = get("build_string")
        if type(name) is not str or type(version) is not str or type(build) is not str:
            raise InvalidPackageRecord(fn, "name, version and build must be strings")
        if channel is None:
            url = repodata_url(raw, fn, base_url)
            source = base_url or get("channel") or (url.rsplit("/", 1)[0] if url else None)
            channel = channel_for(source)
        elif isinstance(channel, str):
            channel = channel_for(channel)
        tf = get("track_features")
        ft = get("features")
        nt = get("noarch")
        ts = get("timestamp")
        build_number = get("build_number") or 0
        record_subdir = get("subdir") or subdir or (channel.platform if channel else None)
        depends = tuple(get("depends") or ())
        constrains = tuple(get("constrains") or ())
        track_features = features_tuple(tf) if tf else ()
        features = features_tuple(ft) if ft else ()
        noarch = noarch_value(nt, fn) if nt is not None else None
        timestamp = timestamp_ms(ts, fn) if ts else 0
        if cls is not PackageRecord:
            return cls(
                name=name, version=version, build=build, build_number=build_number,
                channel=channel, subdir=record_subdir, fn=fn, depends=depends,
                constrains=constrains, track_features=track_features, features=features,
                noarch=noarch, timestamp=timestamp,
                **late_fields(raw, fn, base_url, cls.JSON_FIELDS))
        # attrs' __init__ costs ~5 us for 27 keyword arguments; setting the slots a solve
        # reads, one call each, ~1 us; a record whose other fields are never read costs
        # no more
        record = _new_object(cls)
        _set_name(record, name)
        _set_version(record, version)
        _set_build(record, build)
        _set_build_number(record, build_number)
        _set_channel(record, channel)
        _set_subdir(record, record_subdir)
        _set_fn(record, fn)
        _set_depends(record, depends)
        _set_constrains(record, constrains)
        _set_track_features(record, track_features)
        _set_features(record, features)
        _set_noarch(record, noarch)
        _set_timestamp(record, timestamp)
        _set_pending(record, (raw, base_url))
        return record

    @classmethod
    def from_json(cls, data: Mapping[str, Any], **fields: Any) -> PackageRecord:
        """A record from a record-shaped JSON object (``index.json``, a ``conda-meta`` file,
        a repodata entry with its ``fn``); ``fields`` override what the JSON says."""
        if not isinstance(data, Mapping):
            raise InvalidPackageRecord(repr(data)[:80], "a record must be a JSON object")
        label = str(data.get("fn") or data.get("name") or "?")
        try:
            kwargs = cls._fields_from_json(data, label)
            kwargs.update(fields)
            return cls(**kwargs)
        except InvalidPackageRecord:
            raise
        except (TypeError, ValueError, AttributeError) as exc:
            raise InvalidPackageRecord(label, str(exc)) from None

    @classmethod
    def _fields_from_json(cls, data: Mapping[str, Any], label: str) -> dict[str, Any]:
        name, version = data.get("name"), data.get("version")
        build = data.get("build", data.get("build_string"))
        if not all(isinstance(v, str) for v in (name, version, build)):
            raise InvalidPackageRecord(label, "name, version and build must be strings")
        number = data.get("build_number") or 0
        if not isinstance(number, int) or isinstance(number, bool):
            raise InvalidPackageRecord(label, f"build_number must be an integer, not {number!r}")
        url = data.get("url")
        channel = data.get("channel") or (url.rsplit("/", 1)[0] if url else None)
        fields = {k: data[k] for k in cls.JSON_FIELDS if k in data}
        fields.update(
            name=name,
            version=version,
            build=build,
            build_number=number,
            channel=channel_for(channel),
            depends=tuple(data.get("depends") or ()),
            constrains=tuple(data.get("constrains") or ()),
            track_features=features_tuple(data.get("track_features")),
            features=features_tuple(data.get("features")),
            noarch=noarch_value(data.get("noarch"), label),
            timestamp=timestamp_ms(data.get("timestamp"), label),
            present_keys=key_info(data, cls.JSON_FIELDS)[0],
            source_channel=data.get("channel"),
        )
        if fields.get("subdir") is None:
            fields["subdir"] = fields["channel"].platform if fields["channel"] else None
        unknown = key_info(data, cls.JSON_FIELDS)[1]
        fields["extra"] = (
            MappingProxyType({k: data[k] for k in unknown}) if unknown else EMPTY_MAPPING
        )
        return fields

    # -- JSON -----------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """The record as conda writes it (sorted keys); unknown source keys come back too."""
        present = self.present_keys if self.present_keys is not None else self.ALWAYS_DUMPED
        out: dict[str, Any] = dict(self.extra)
        for key, value in self._json_items():
            if key in present or (value not in (None, "", 0) and value != []):
                out[key] = value
        return dict(sorted(out.items()))

    def _json_items(self) -> list[tuple[str, Any]]:
        return [
            ("name", self.name),
            ("version", self.version),
            ("build", self.build),
            ("build_number", self.build_number),
            ("channel", self._channel_text()),
            ("subdir", self.subdir),
            ("fn", self.fn),
            ("url", self.url),
            ("md5", self.md5),
            ("sha256", self.sha256),
            ("size", self.size),
            ("depends", list(self.depends)),
            ("constrains", list(self.constrains)),
            ("track_features", " ".join(self.track_features)),
            ("features", " ".join(self.features)),
            ("noarch", self.noarch),
            ("timestamp", self.timestamp),
            ("license", self.license),
            ("license_family", self.license_family),
            ("platform", self.platform),
            ("arch", self.arch),
            ("legacy_bz2_md5", self.legacy_bz2_md5),
            ("preferred_env", self.preferred_env),
            ("python_site_packages_path", self.python_site_packages_path),
        ]

    def _channel_text(self) -> str | None:
        if self.channel is None:
            return None
        written = self.source_channel
        if isinstance(written, str) and channel_for(written) == self.channel:
            return written
        return str(self.channel)

    # -- identity and order ---------------------------------------------------------------
    @property
    def schannel(self) -> str:
        """The canonical channel name (``conda-forge``, ``defaults``, a ``file://`` URL)."""
        channel = self.channel or (channel_for(self.url.rsplit("/", 1)[0]) if self.url else None)
        return channel.canonical_name if channel is not None else UNKNOWN_CHANNEL

    def _key(self) -> tuple[Any, ...]:
        key = self._identity
        if key is None:
            key = (
                self.schannel,
                self.subdir,
                self.name,
                self.version,
                self.build_number,
                self.build,
            )
            object.__setattr__(self, "_identity", key)
        return key

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PackageRecord):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __reduce__(self) -> tuple[Any, ...]:
        state = {f.name: getattr(self, f.name) for f in attrs.fields(type(self)) if f.init}
        state["extra"] = dict(self.extra)
        return (_restore, (type(self), state))

    def sort_key(self) -> tuple[Any, ...]:
        """Name, then version order, build number, build, channel, subdir."""
        schannel, subdir, name, version, number, build = self._key()
        return (name, VersionOrder(version), version, number, build, schannel, subdir or "")

    def __lt__(self, other: PackageRecord) -> bool:
        if not isinstance(other, PackageRecord):
            return NotImplemented
        return self.sort_key() < other.sort_key()

    def __le__(self, other: PackageRecord) -> bool:
        if not isinstance(other, PackageRecord):
            return NotImplemented
        return self.sort_key() <= other.sort_key()

    def __gt__(self, other: PackageRecord) -> bool:
        if not isinstance(other, PackageRecord):
            return NotImplemented
        return self.sort_key() > other.sort_key()

    def __ge__(self, other: PackageRecord) -> bool:
        if not isinstance(other, PackageRecord):
            return NotImplemented
        return self.sort_key() >= other.sort_key()

    # -- conda's conveniences -------------------------------------------------------------
    def dist_str(self) -> str:
        """``conda-forge/linux-64::numpy-1.26.4-py312h0_0``."""
        subdir = f"/{self.subdir}" if self.subdir else ""
        return f"{self.schannel}{subdir}::{self.name}-{self.version}-{self.build}"

    def __str__(self) -> str:
        return f"{self.schannel}/{self.subdir}::{self.name}=={self.version}={self.build}"

    @property
    def package_type(self) -> str | None:
        """``noarch_python``/``noarch_generic``, or what the source said (``virtual_system``)."""
        value = self.extra.get("package_type")
        if value:
            return str(value)
        return f"noarch_{self.noarch}" if self.noarch else None

    @property
    def is_unmanageable(self) -> bool:
        return self.package_type in _UNMANAGEABLE

    @property
    def namekey(self) -> str:
        return "global:" + self.name

    def to_match_spec(self) -> Any:
        """The exact spec of this record (channel, subdir, name, version, build)."""
        from kernel.models.matchspec import MatchSpec

        fields: dict[str, Any] = {"name": self.name, "version": self.version, "build": self.build}
        if self.channel:
            fields["channel"] = self.channel
        if self.subdir:
            fields["subdir"] = self.subdir
        return MatchSpec(**fields)

    def to_simple_match_spec(self) -> Any:
        from kernel.models.matchspec import MatchSpec

        return MatchSpec(name=self.name, version=self.version)

    @property
    def combined_depends(self) -> tuple[Any, ...]:
        """``depends`` merged per name, plus ``constrains`` as optional specs."""
        from kernel.models.matchspec import MatchSpec

        result = {spec.name: spec for spec in MatchSpec.merge(self.depends)}
        for text in self.constrains:
            spec = MatchSpec(text)
            result[spec.name] = MatchSpec(spec, optional=spec.name not in result)
        return tuple(result.values())


def _restore(cls: type[PackageRecord], state: dict[str, Any]) -> PackageRecord:
    state["extra"] = MappingProxyType(state["extra"]) if state["extra"] else EMPTY_MAPPING
    return cls(**state)


_EAGER_FIELDS = (
    "name", "version", "build", "build_number", "channel", "subdir", "fn", "depends",
    "constrains", "track_features", "features", "noarch", "timestamp",
)  # fmt: skip
_LAZY_FIELDS = tuple(late_fields({}, "", None, frozenset()))
_SLOTS = {f.name: PackageRecord.__dict__[f.name] for f in attrs.fields(PackageRecord)}
(_set_name, _set_version, _set_build, _set_build_number, _set_channel, _set_subdir, _set_fn,
 _set_depends, _set_constrains, _set_track_features, _set_features, _set_noarch,
 _set_timestamp, _set_pending) = (_SLOTS[n].__set__ for n in (*_EAGER_FIELDS, "_pending"))
_new_object = object.__new__
assert {*_EAGER_FIELDS, *_LAZY_FIELDS, "_identity", "_pending"} == set(_SLOTS)


def _fill(record: PackageRecord) -> None:
    """Set the rarely read fields of a record :meth:`PackageRecord.from_repodata` built."""
    raw, base_url = _SLOTS["_pending"].__get__(record)
    values = late_fields(raw, _SLOTS["fn"].__get__(record), base_url,
                         PackageRecord.JSON_FIELDS)
    for name, value in values.items():
        _SLOTS[name].__set__(record, value)
    _set_pending(record, None)


# a record from repodata fills its rarely read fields at the first read of any of them;
# its comparison key reads None until made
for _name in _LAZY_FIELDS:
    setattr(PackageRecord, _name, LateSlot(_SLOTS[_name], _fill))
PackageRecord._identity = LateSlot(_SLOTS["_identity"], None)  # type: ignore[assignment]
