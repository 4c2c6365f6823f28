"""How channel names and URLs resolve against a :class:`ChannelContext` (conda's rules).

A name is looked up among the custom channels (longest path prefix first) and otherwise
lives under the channel alias; a URL is matched against migrated custom channels, migrated
aliases, custom channels, the alias, then read as a ``file://`` location or a plain
``host/path`` (``/conda`` prefixes, as Anaconda Enterprise serves them, stay in the location).
"""

from __future__ import annotations

from typing import Any

from kernel.models.channel import Channel, MultiChannel
from kernel.models.channel_context import DEFAULTS_CHANNEL_NAME, UNKNOWN_CHANNEL, ChannelContext
from kernel.models.channel_url import (
    has_scheme,
    host_path,
    is_package_file,
    is_path,
    join_url,
    parse_url,
    path_to_url,
    percent_decode,
    split_anaconda_token,
    split_platform,
    split_scheme_auth_token,
    strip_pkg_extension,
    win_path_backout,
)

_UNKNOWN_VALUES = (None, UNKNOWN_CHANNEL, "None:///<unknown>", "None")


class _Resolved:
    """The channels a context's settings name, built once per context."""

    def __init__(self, ctx: ChannelContext):
        self.known_subdirs = ctx.known_subdirs
        location, scheme, auth, token = split_scheme_auth_token(ctx.channel_alias)
        self.alias = Channel(scheme=scheme, auth=auth, location=location, token=token, context=ctx)
        self.migrated_aliases = tuple(
            Channel(scheme=s, auth=a, location=loc, token=t, context=ctx)
            for loc, s, a, t in map(split_scheme_auth_token, ctx.migrated_channel_aliases)
        )
        multichannels = {
            name: tuple(self._simple(ctx, url) for url in urls)
            for name, urls in ctx.custom_multichannels.items()
        }
        if DEFAULTS_CHANNEL_NAME not in multichannels:  # custom_multichannels' one wins
            multichannels[DEFAULTS_CHANNEL_NAME] = tuple(
                self._simple(ctx, url) for url in ctx.default_channels
            )
        self.multichannels = multichannels
        custom = {c.name: c for members in multichannels.values() for c in members}
        for name, url in ctx.custom_channels.items():
            channel = self._simple(ctx, url, name)
            custom[channel.name] = channel
        self.custom_channels = custom

    def _simple(self, ctx: ChannelContext, url: str, name: str | None = None) -> Channel:
        """conda's ``make_simple_channel``: a configured URL (and maybe a name) as a channel."""
        if is_path(url):
            url = path_to_url(url)
        alias = self.alias
        location, scheme, auth, token = split_scheme_auth_token(url)
        if name and scheme:
            return Channel(
                scheme=scheme, auth=auth, location=location, token=token,
                name=name.strip("/"), context=ctx,
            )  # fmt: skip
        if scheme:
            if alias.location and location.startswith(alias.location):
                location, name = alias.location, location.replace(alias.location, "", 1)
            else:
                parts = parse_url(location)
                location, name = host_path(parts.hostname, parts.port), parts.path or ""
            return Channel(
                scheme=scheme, auth=auth, location=location, token=token,
                name=name.strip("/"), context=ctx,
            )  # fmt: skip
        return Channel(
            scheme=alias.scheme, auth=alias.auth, location=alias.location, token=alias.token,
            name=(name and name.strip("/")) or url.strip("/"), context=ctx,
        )  # fmt: skip


def resolved(ctx: ChannelContext) -> _Resolved:
    """What ``ctx`` implies, computed once and kept in the context's cache."""
    found = ctx._cache.get("resolved")
    if found is None:
        found = ctx._cache["resolved"] = _Resolved(ctx)
    return found


def _tokens_start_with(tokens: list[str], prefix: list[str]) -> bool:
    return all(a == b for a, b in zip(tokens, prefix, strict=False))


def parse_value(value: Any, ctx: ChannelContext) -> Channel:
    if value in _UNKNOWN_VALUES:
        return Channel(name=UNKNOWN_CHANNEL, context=ctx)
    value = str(value)
    if has_scheme(value):
        if value.startswith("file:"):
            value = win_path_backout(value)
        return parse_url_channel(value, ctx)
    if is_path(value):
        return parse_url_channel(path_to_url(value), ctx)
    if is_package_file(value):
        return parse_url_channel(value, ctx)
    settings = resolved(ctx)
    stripped, platform = split_platform(settings.known_subdirs, value)
    if stripped in settings.multichannels:
        return MultiChannel(stripped, settings.multichannels[stripped], platform, ctx)
    return from_channel_name(value, ctx)


def from_channel_name(channel_name: str, ctx: ChannelContext) -> Channel:
    settings = resolved(ctx)
    stripped, platform = split_platform(settings.known_subdirs, channel_name)
    name = stripped
    while True:  # the longest configured custom channel that is a path prefix of the name
        custom = settings.custom_channels.get(name)
        shorter = name.rsplit("/", 1)[0]
        if custom is not None or shorter == name:
            break
        name = shorter
    if custom is not None:
        return custom._replace(name=stripped, platform=platform or custom.platform)
    alias = settings.alias
    return Channel(
        scheme=alias.scheme, auth=alias.auth, location=alias.location, token=alias.token,
        name=stripped, platform=platform, context=ctx,
    )  # fmt: skip


def parse_url_channel(url: str, ctx: ChannelContext) -> Channel:
    settings = resolved(ctx)
    cleaned, token = split_anaconda_token(url)
    cleaned, platform = split_platform(settings.known_subdirs, cleaned)
    package_filename = None
    if strip_pkg_extension(cleaned)[1] and "/" in cleaned:
        cleaned, package_filename = cleaned.rsplit("/", 1)
    parts = parse_url(cleaned)
    location, name, scheme, auth, configured_token = _locate(
        parts.scheme, parts.hostname, parts.port, parts.path, ctx, settings
    )
    return Channel(
        scheme=scheme or "https",
        auth=parts.auth or auth,
        location=location,
        token=token or configured_token,
        name=percent_decode(name) if name else name,
        platform=platform,
        package_filename=percent_decode(package_filename) if package_filename else None,
        context=ctx,
    )


def _locate(
    scheme: str,
    host: str | None,
    port: int | None,
    path: str,
    ctx: ChannelContext,
    settings: _Resolved,
) -> tuple[str, str | None, str | None, str | None, str | None]:
    """conda's ``_read_channel_configuration``: (location, name, scheme, auth, token)."""
    path = path.rstrip("/")
    test_url = host_path(host, port, path)
    if not path:
        return host_path(host, port).rstrip("/"), None, scheme or None, None, None

    for name, where in sorted(
        ctx.migrated_custom_channels.items(), key=lambda item: len(item[0]), reverse=True
    ):
        where = split_scheme_auth_token(where)[0]
        old = join_url(where, name)
        if _same_host_and_prefix(test_url, old):
            channel_name = join_url(name, test_url.replace(old, "", 1).strip("/"))
            moved = from_channel_name(channel_name, ctx)
            return moved.location or "", channel_name, moved.scheme, moved.auth, moved.token

    alias = settings.alias
    for migrated in settings.migrated_aliases:
        if migrated.location and test_url.startswith(migrated.location):
            name = test_url.replace(migrated.location, "", 1).strip("/")
            return alias.location or "", name, alias.scheme, alias.auth, alias.token

    tokens = test_url.split("/")
    for _, channel in sorted(
        settings.custom_channels.items(), key=lambda item: len(item[0]), reverse=True
    ):
        that = join_url(channel.location, channel.name)
        if _tokens_start_with(tokens, that.split("/")):
            subname = test_url.replace(that, "", 1).strip("/")
            location = channel.location or ""
            return location, join_url(channel.name, subname), scheme, channel.auth, channel.token

    if alias.location and _tokens_start_with(tokens, alias.location.split("/")):
        under_alias = test_url.replace(alias.location, "", 1).strip("/") or None
        return alias.location, under_alias, scheme, alias.auth, alias.token

    if host is None:  # a file:// URL
        location, name = test_url.rsplit("/", 1)
        return location or "/", name, "file", None, None

    segments = path.strip("/").split("/")
    bump = None
    if segments[0] == "conda":  # Anaconda Enterprise Repository serves under /conda
        bump, path = "conda", "/".join(segments[1:])
    location = host_path(host, port, bump).rstrip("/")
    return location, path.strip("/") or None, scheme or None, None, None


def _same_host_and_prefix(test_url: str, prefix_url: str) -> bool:
    a, b = parse_url(test_url), parse_url(prefix_url)
    if a.hostname != b.hostname or a.port != b.port:
        return False
    return _tokens_start_with(
        (a.path.strip("/") or "/").split("/"), (b.path.strip("/") or "/").split("/")
    )


def canonical_name(channel: Channel) -> str:
    settings = resolved(channel._context)
    name = channel.name
    for multiname, members in settings.multichannels.items():
        if any(name == member.name for member in members):
            return multiname
    tokens = name.split("/")
    if name and any(
        _tokens_start_with(tokens, other.split("/")) for other in settings.custom_channels
    ):
        return name
    if any(a.location == channel.location for a in (settings.alias, *settings.migrated_aliases)):
        return name
    if channel.scheme:
        return f"{channel.scheme}://{join_url(channel.location, name)}"
    return join_url(channel.location, name).lstrip("/")


def is_non_alias_url_channel(channel: Channel) -> bool:
    """Whether ``channel`` lives at a location other than the channel alias (or a migrated
    alias): conda keeps such a channel's URL in a match spec rather than its canonical name,
    so ``https://repo.anaconda.com/pkgs/main::x`` does not collapse to ``defaults::x``."""
    if not channel.location:
        return False
    settings = resolved(channel._context)
    return all(a.location != channel.location for a in (settings.alias,
                                                        *settings.migrated_aliases))
