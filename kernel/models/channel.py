"""Channels: where packages come from, resolved the way conda resolves them.

``Channel("conda-forge")``, ``Channel("https://u:p@host/t/<token>/chan/linux-64")``,
``Channel("./local-dir")`` and ``Channel("defaults")`` (a :class:`MultiChannel`) all parse
against the installed :class:`~kernel.models.channel_context.ChannelContext`. Parsed channels
are cached per (value, context). ``str``, ``repr`` and error messages never show a token or
password; only ``url(with_credentials=True)`` and ``urls(with_credentials=True)`` do.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kernel.errors import InvalidChannel
from kernel.models.channel_context import (
    DEFAULTS_CHANNEL_NAME,
    UNKNOWN_CHANNEL,
    ChannelContext,
    get_channel_context,
)
from kernel.models.channel_url import join_url, mask_url

_NOTHING: Any = object()


class Channel:
    """A channel: ``scheme://[auth@]location[/t/token]/name[/platform[/package_filename]]``.

    ``Channel(value)`` parses a name, URL or path (cached); keyword arguments build one from
    parts. Two channels are equal when their location and name are.
    """

    __slots__ = (
        "_canonical",
        "_context",
        "auth",
        "location",
        "name",
        "package_filename",
        "platform",
        "scheme",
        "token",
    )

    scheme: str | None
    auth: str | None
    location: str | None
    token: str | None
    name: str
    platform: str | None
    package_filename: str | None
    _context: ChannelContext
    _canonical: str | None

    def __new__(
        cls,
        value: Any = _NOTHING,
        *,
        scheme: str | None = None,
        auth: str | None = None,
        location: str | None = None,
        token: str | None = None,
        name: str | None = None,
        platform: str | None = None,
        package_filename: str | None = None,
        context: ChannelContext | None = None,
    ) -> Channel:
        if value is not _NOTHING:
            return Channel.from_value(value, context)
        self = object.__new__(cls)
        self.scheme = scheme
        self.auth = auth
        self.location = location
        self.token = token
        self.name = name or ""
        self.platform = platform
        self.package_filename = package_filename
        self._context = context or get_channel_context()
        self._canonical = None
        return self

    # -- construction ---------------------------------------------------------------------
    @staticmethod
    def from_value(value: Any, context: ChannelContext | None = None) -> Channel:
        """Parse a channel name, URL, local path or package URL/path (cached per context)."""
        if isinstance(value, Channel):
            return value
        ctx = context or get_channel_context()
        cache: dict[Any, Channel] = ctx._cache.setdefault("channels", {})
        try:
            return cache[value]
        except (KeyError, TypeError):
            pass
        try:
            channel = channel_resolve.parse_value(value, ctx)
        except ValueError as exc:
            text = mask_url(str(value))
            raise InvalidChannel(text, str(exc).replace(str(value), text)) from None
        if len(cache) > 50_000:
            cache.clear()
        if isinstance(value, str) or value is None:
            cache[value] = channel
        return channel

    @staticmethod
    def from_url(url: str, context: ChannelContext | None = None) -> Channel:
        return channel_resolve.parse_url_channel(url, context or get_channel_context())

    @staticmethod
    def from_channel_name(name: str, context: ChannelContext | None = None) -> Channel:
        return channel_resolve.from_channel_name(name, context or get_channel_context())

    def _replace(self, **changes: Any) -> Channel:
        fields = {name: getattr(self, name) for name in _PART_NAMES}
        fields.update(changes)
        return Channel(**fields, context=self._context)

    # -- naming ---------------------------------------------------------------------------
    @property
    def subdir(self) -> str | None:
        return self.platform

    @property
    def channel_name(self) -> str:
        return self.name

    @property
    def channel_location(self) -> str | None:
        return self.location

    @property
    def canonical_name(self) -> str:
        """``defaults`` for the default channels, the bare name (``conda-forge``,
        ``pkgs/main``) under the channel alias or a custom channel, else the base URL."""
        if self._canonical is None:
            self._canonical = channel_resolve.canonical_name(self)
        return self._canonical

    @property
    def channels(self) -> tuple[Channel, ...]:
        return (self,)

    # -- URLs -----------------------------------------------------------------------------
    def _base(self, with_credentials: bool) -> str:
        parts = [self.location]
        if with_credentials and self.token:
            parts += ["t", self.token]
        parts.append(self.name)
        return join_url(*parts)

    def _with_scheme(self, path: str, with_credentials: bool) -> str:
        if with_credentials and self.auth:
            return f"{self.scheme}://{self.auth}@{path}"
        return f"{self.scheme}://{path}"

    def urls(
        self, with_credentials: bool = False, subdirs: Iterable[str] | None = None
    ) -> list[str]:
        """One URL per subdir: the channel's own platform (plus ``noarch``) or ``subdirs``
        (default: the context's ``subdirs``)."""
        if isinstance(subdirs, str):
            raise TypeError("subdirs must be an iterable of subdir names, not a string")
        if subdirs is None:
            subdirs = self._context.subdirs
        if self.canonical_name == UNKNOWN_CHANNEL:
            defaults = Channel.from_value(DEFAULTS_CHANNEL_NAME, self._context)
            return defaults.urls(with_credentials, subdirs)
        base = self._base(with_credentials)
        if self.platform:
            platforms: Iterable[str] = (
                [self.platform] if self.platform == "noarch" else [self.platform, "noarch"]
            )
        else:
            platforms = subdirs
        return [self._with_scheme(join_url(base, p), with_credentials) for p in platforms]

    def url(self, with_credentials: bool = False) -> str | None:
        """The subdir (or package) URL; the first non-noarch subdir when none is set."""
        if self.canonical_name == UNKNOWN_CHANNEL:
            return None
        parts = [self._base(with_credentials)]
        if self.platform:
            parts.append(self.platform)
            if self.package_filename:
                parts.append(self.package_filename)
        else:
            parts.append(next((s for s in self._context.subdirs if s != "noarch"), "noarch"))
        return self._with_scheme(join_url(*parts), with_credentials)

    @property
    def base_url(self) -> str | None:
        """``scheme://location/name``, never with credentials."""
        if self.canonical_name == UNKNOWN_CHANNEL:
            return None
        return f"{self.scheme}://{join_url(self.location, self.name)}"

    @property
    def base_urls(self) -> tuple[str | None, ...]:
        return (self.base_url,)

    @property
    def subdir_url(self) -> str | None:
        url = self.url(True)
        if self.package_filename and url:
            url = url.rsplit("/", 1)[0]
        return url

    # -- protocol -------------------------------------------------------------------------
    def __str__(self) -> str:
        base = self.base_url or self.name
        return join_url(base, self.platform) if self.platform else base

    def __repr__(self) -> str:
        shown = join_url(self.name, self.platform) if self.platform else self.name
        return f'Channel("{shown}")'

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Channel):
            if not isinstance(other, str):
                return NotImplemented
            try:
                other = Channel.from_value(other, self._context)
            except InvalidChannel:
                return False
        return self.location == other.location and self.name == other.name

    def __hash__(self) -> int:
        return hash((self.location, self.name))

    def __bool__(self) -> bool:
        return bool(self.location or self.name)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), {n: getattr(self, n) for n in _PART_NAMES}))


_PART_NAMES = ("scheme", "auth", "location", "token", "name", "platform", "package_filename")


def _rebuild(cls: type, parts: dict[str, Any]) -> Channel:
    if cls is MultiChannel:
        return Channel.from_value(parts["name"])
    return Channel(**parts)


class MultiChannel(Channel):
    """A name standing for several channels, like ``defaults``."""

    __slots__ = ("_channels",)

    _channels: tuple[Channel, ...]

    def __new__(
        cls,
        name: str,
        channels: Iterable[Channel],
        platform: str | None = None,
        context: ChannelContext | None = None,
    ) -> MultiChannel:
        self = object.__new__(cls)
        self.name = name
        self.scheme = self.auth = self.location = self.token = self.package_filename = None
        self.platform = platform
        self._context = context or get_channel_context()
        self._canonical = name
        members = tuple(channels)
        if platform:
            members = tuple(c._replace(platform=platform) for c in members)
        self._channels = members
        return self

    @property
    def canonical_name(self) -> str:
        return self.name

    @property
    def channels(self) -> tuple[Channel, ...]:
        return self._channels

    def urls(
        self, with_credentials: bool = False, subdirs: Iterable[str] | None = None
    ) -> list[str]:
        return [url for c in self._channels for url in c.urls(with_credentials, subdirs)]

    @property
    def base_url(self) -> None:
        return None

    @property
    def base_urls(self) -> tuple[str | None, ...]:
        return tuple(c.base_url for c in self._channels)

    def url(self, with_credentials: bool = False) -> None:
        return None


from kernel.models import channel_resolve  # noqa: E402  (it needs the classes above)
