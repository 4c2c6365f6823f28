"""The settings channel names are resolved against, and the one installed for this process.

The configuration layer builds a :class:`ChannelContext` from the user's condarc once and
calls :func:`set_channel_context`; everything that turns a name like ``conda-forge`` into
URLs reads :func:`get_channel_context`. Changing the context drops every cache that depends
on it (registered with :func:`on_channel_context_change`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from kernel.models.channel_url import KNOWN_SUBDIRS

DEFAULT_CHANNEL_ALIAS = "https://conda.anaconda.org"
DEFAULT_CHANNELS_UNIX = ("https://repo.anaconda.com/pkgs/main", "https://repo.anaconda.com/pkgs/r")
DEFAULT_CHANNELS_WIN = (*DEFAULT_CHANNELS_UNIX, "https://repo.anaconda.com/pkgs/msys2")
DEFAULTS_CHANNEL_NAME = "defaults"
UNKNOWN_CHANNEL = "<unknown>"

_NON_X86_MACHINES = frozenset(
    ("armv6l", "armv7l", "aarch64", "arm64", "ppc64", "ppc64le", "riscv64", "s390x")
)


def native_subdir() -> str:
    """The subdir of the running platform: ``linux-64``, ``osx-arm64``, ``win-64``..."""
    import platform

    system = {"darwin": "osx", "win32": "win", "cygwin": "win"}.get(sys.platform)
    if system is None:
        system = "freebsd" if sys.platform.startswith("freebsd") else "linux"
    machine = platform.machine().lower()
    if machine in ("amd64", "x86_64", "x64"):
        return f"{system}-64"
    if machine in ("i386", "i686", "x86"):
        return f"{system}-32"
    if machine in _NON_X86_MACHINES:
        if machine == "arm64" and system == "linux":
            machine = "aarch64"
        if machine == "aarch64" and system in ("osx", "win"):
            machine = "arm64"
        return f"{system}-{machine}"
    return f"{system}-{'64' if sys.maxsize > 2**32 else '32'}"


def _default_channels() -> tuple[str, ...]:
    return DEFAULT_CHANNELS_WIN if sys.platform == "win32" else DEFAULT_CHANNELS_UNIX


def _frozen_str_map(value: Mapping[str, str] | Iterable[tuple[str, str]]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


def _frozen_multi_map(
    value: Mapping[str, Iterable[str]] | Iterable[tuple[str, Iterable[str]]],
) -> Mapping[str, tuple[str, ...]]:
    items = value.items() if isinstance(value, Mapping) else value
    return MappingProxyType({name: tuple(urls) for name, urls in items})


@attrs.frozen(hash=False)
class ChannelContext:
    """How channel names map to URLs (conda's channel settings).

    ``custom_channels`` maps a name to the base URL it lives under (``{"mine":
    "https://host/prefix"}`` makes ``mine`` ``https://host/prefix/mine``);
    ``custom_multichannels`` maps a name to channels it stands for, like ``defaults`` does
    for ``default_channels``. ``subdirs`` defaults to ``(subdir, "noarch")``.
    """

    channel_alias: str = DEFAULT_CHANNEL_ALIAS
    default_channels: tuple[str, ...] = attrs.field(factory=_default_channels, converter=tuple)
    custom_channels: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_str_map)
    custom_multichannels: Mapping[str, tuple[str, ...]] = attrs.field(
        factory=dict, converter=_frozen_multi_map
    )
    migrated_channel_aliases: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    migrated_custom_channels: Mapping[str, str] = attrs.field(
        factory=dict, converter=_frozen_str_map
    )
    subdir: str = attrs.field(factory=native_subdir)
    subdirs: tuple[str, ...] = attrs.field(converter=tuple)
    #: derived values and parsed channels, filled by :mod:`kernel.models.channel`
    _cache: dict[Any, Any] = attrs.field(factory=dict, init=False, eq=False, repr=False, hash=False)

    @subdirs.default
    def _default_subdirs(self) -> tuple[str, ...]:
        return (self.subdir, "noarch") if self.subdir != "noarch" else ("noarch",)

    @property
    def known_subdirs(self) -> frozenset[str]:
        """Every subdir name recognised inside a URL or channel name."""
        return frozenset((*KNOWN_SUBDIRS, self.subdir, *self.subdirs))


_current: ChannelContext | None = None
_listeners: list[Callable[[], None]] = []


def get_channel_context() -> ChannelContext:
    """The installed context; until one is set, the one the run's loaded configuration
    describes (``kernel.config``), or conda's defaults for this platform when none is."""
    global _current
    if _current is None:
        config = sys.modules.get("kernel.config")  # never loads one: models work alone
        loaded = config.loaded_config() if config is not None else None
        _current = loaded.channel_context() if loaded is not None else ChannelContext()
    return _current


def set_channel_context(context: ChannelContext | None) -> None:
    """Install ``context`` for the process (``None``: back to the defaults)."""
    global _current
    _current = context
    if context is not None:
        context._cache.clear()
    for callback in _listeners:
        callback()


def on_channel_context_change(callback: Callable[[], None]) -> None:
    """Call ``callback`` (e.g. a cache's ``clear``) whenever the context is replaced."""
    _listeners.append(callback)
