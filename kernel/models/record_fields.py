"""Turning the fields of record JSON into record values, the way conda reads them.

Feature lists may be strings (``"mkl debug"``), timestamps may be seconds or milliseconds,
``noarch`` may be a legacy boolean; key layouts and channel strings repeat across thousands of
records, so what is derived from them is shared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

from kernel.errors import InvalidPackageRecord
from kernel.models.channel import Channel
from kernel.models.channel_context import on_channel_context_change

EMPTY_MAPPING: Mapping[str, Any] = MappingProxyType({})
_MAX_SECONDS = 253402300799  # 9999-12-31: a larger timestamp is in milliseconds already


def features_tuple(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """``("mkl", "debug")`` from ``"mkl debug"``, ``"mkl,debug"`` or a list."""
    if not value:
        return ()
    items = value.replace(" ", ",").split(",") if isinstance(value, str) else value
    return tuple(s for s in (str(item).strip() for item in items) if s)


def noarch_value(value: Any, record: str = "") -> str | None:
    """``"python"``, ``"generic"`` or ``None``; legacy ``true`` means ``"generic"``."""
    if value is None or value is False:
        return None
    if value is True:
        return "generic"
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("python", "generic"):
            return lowered
        if lowered in ("true", "yes", "on", "1"):
            return "generic"
        if lowered in ("", "false", "no", "off", "0", "none", "null"):
            return None
    raise InvalidPackageRecord(record, f"unknown noarch type {value!r}")


def timestamp_ms(value: Any, record: str = "") -> int:
    """Milliseconds since the epoch from seconds or milliseconds."""
    if not value:
        return 0
    try:
        if value < _MAX_SECONDS:
            value = value * 1000
        return int(value)
    except (TypeError, ValueError):
        raise InvalidPackageRecord(record, f"timestamp {value!r} is not a number") from None


_KEY_INFO: dict[tuple[Any, ...], tuple[frozenset[str], tuple[str, ...]]] = {}


def key_info(
    data: Mapping[str, Any], known: frozenset[str]
) -> tuple[frozenset[str], tuple[str, ...]]:
    """The keys of ``data`` as a set, and those not in ``known`` (shared per key layout)."""
    keys = (known, *data)
    found = _KEY_INFO.get(keys)
    if found is None:
        if len(_KEY_INFO) > 10_000:
            _KEY_INFO.clear()
        names: tuple[str, ...] = tuple(data)
        found = (frozenset(names), tuple(k for k in names if k not in known))
        _KEY_INFO[keys] = found
    return found


_CHANNELS_BY_URL: dict[str, Channel] = {}
on_channel_context_change(_CHANNELS_BY_URL.clear)


def channel_for(value: Any) -> Channel | None:
    if value is None or isinstance(value, Channel):
        return value
    if not isinstance(value, str):
        raise TypeError(f"channel must be a string, not {type(value).__name__}")
    channel = _CHANNELS_BY_URL.get(value)
    if channel is None:
        if len(_CHANNELS_BY_URL) > 10_000:
            _CHANNELS_BY_URL.clear()
        channel = _CHANNELS_BY_URL[value] = Channel(value)
    return channel


def repodata_url(raw: Mapping[str, Any], fn: str, base_url: str | None) -> str | None:
    """A repodata entry's ``url``, else ``fn`` under ``base_url``."""
    url = raw.get("url")
    if url is None and base_url:
        url = f"{base_url.rstrip('/')}/{fn}"
    return url


def late_fields(raw: Mapping[str, Any], fn: str, base_url: str | None,
                known: frozenset[str]) -> dict[str, Any]:
    """The fields of a repodata entry a solve does not read (``known``: the JSON keys the
    record has fields for; the others go to ``extra``)."""
    get = raw.get
    present, unknown = key_info(raw, known)
    return {
        "url": repodata_url(raw, fn, base_url),
        "md5": get("md5"),
        "sha256": get("sha256"),
        "size": get("size"),
        "license": get("license"),
        "license_family": get("license_family"),
        "platform": get("platform"),
        "arch": get("arch"),
        "legacy_bz2_md5": get("legacy_bz2_md5"),
        "preferred_env": get("preferred_env"),
        "python_site_packages_path": get("python_site_packages_path"),
        "extra": MappingProxyType({k: raw[k] for k in unknown}) if unknown else EMPTY_MAPPING,
        "present_keys": present,
        "source_channel": get("channel"),
    }


class LateSlot:
    """A slot read through a descriptor that, when the slot is not set yet, calls
    ``fallback(instance)`` to set it (or reads ``None`` without one).

    Only the fields that may be set late go through it: the others keep the slot's own
    descriptor, which the interpreter reads at full speed (a class ``__getattr__`` would
    slow every attribute read of every instance by half)."""

    __slots__ = ("fallback", "slot")

    def __init__(self, slot: Any, fallback: Callable[[Any], None] | None) -> None:
        self.slot = slot
        self.fallback = fallback

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        try:
            return self.slot.__get__(instance, owner)
        except AttributeError:
            if self.fallback is None:
                return None
            self.fallback(instance)
            return self.slot.__get__(instance, owner)

    def __set__(self, instance: Any, value: Any) -> None:
        self.slot.__set__(instance, value)

    def __delete__(self, instance: Any) -> None:
        self.slot.__delete__(instance)
