"""``conda notices``: the messages channel owners publish in ``<channel>/notices.json``.

For each channel (``-c`` first, then the configured ones, or only ``-c`` with
``--override-channels``) and each of its base URLs, ``notices.json`` is fetched through the
kernel's session (auth, headers, proxies, ``file://``) and cached in
``$XDG_CACHE_HOME/microconda/notices/<sha256(url)[:16]>.json`` for the response's
``Cache-Control: max-age`` (a day without one); ``--offline`` reads the cache only. A channel
without the file (404) has no notices. Expired notices (``expired_at`` in the past) are not
shown; the rest are shown newest first, grouped by channel, in conda's layout::

    Channel "my-channel" has the following notices:
      [warning] -- Mon Jan  1 12:00:00 2024
      Please upgrade.

``--json`` prints conda's list of ``{id, channel_name, message, level, created_at,
expired_at, interval}``. A channel that cannot be reached or serves a malformed file is one
warning line; the others are still shown.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

from kernel import hookimpl
from kernel.types import CondaSubcommand

SUMMARY = "Retrieve latest channel notifications."
NOTICES_FN = "notices.json"
DEFAULT_MAX_AGE = 86400
_LEVELS = ("info", "warning", "critical")


def configure_parser(parser: argparse.ArgumentParser) -> None:
    from plugins.environment.prefix_args import add_channel_args

    add_channel_args(parser)


def cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "microconda", "notices")


def _cache_path(url: str) -> str:
    return os.path.join(cache_dir(), hashlib.sha256(url.encode()).hexdigest()[:16] + ".json")


def _read_cache(url: str, *, any_age: bool) -> list[dict[str, Any]] | None:
    try:
        with open(_cache_path(url), encoding="utf-8") as f:
            data = json.load(f)
        fresh = time.time() - float(data["fetched_at"]) < float(data["max_age"])
        notices = data["notices"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return list(notices) if (fresh or any_age) and isinstance(notices, list) else None


def _write_cache(url: str, notices: list[dict[str, Any]], max_age: int) -> None:
    path = _cache_path(url)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump({"url": url, "fetched_at": time.time(), "max_age": max_age,
                   "notices": notices}, f)
    os.replace(tmp, path)


def _max_age(headers: Any) -> int:
    match = re.search(r"max-age=(\d+)", str(headers.get("Cache-Control") or ""))
    return int(match.group(1)) if match else DEFAULT_MAX_AGE


def fetch_notices(url: str, channel_name: str, offline: bool) -> list[dict[str, Any]]:
    """The raw notice objects at ``url`` (cached); raises ``ChannelError`` on failure."""
    from kernel.errors import ChannelError
    from kernel.session import get_session, redact_url

    cached = _read_cache(url, any_age=offline)
    if cached is not None or (offline and not url.startswith("file:")):
        return cached or []
    try:
        response = get_session(url, channel_name).get(url)
    except Exception as exc:
        raise ChannelError(f"cannot fetch notices from {redact_url(url)}: "
                           f"{type(exc).__name__}: {redact_url(str(exc))}", url=url) from None
    if response.status_code == 404:
        notices: list[dict[str, Any]] = []
    elif response.status_code != 200:
        raise ChannelError(f"cannot fetch notices from {redact_url(url)}: HTTP "
                           f"{response.status_code} {response.reason}", url=url)
    else:
        try:
            body = response.json()
            notices = [n for n in body["notices"] if isinstance(n, dict)]
        except (ValueError, KeyError, TypeError):
            raise ChannelError(f"malformed notices file at {redact_url(url)} (expected "
                               f"{{\"notices\": [...]}})", url=url) from None
    _write_cache(url, notices, _max_age(response.headers))
    return notices


def _when(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def channel_notice(raw: dict[str, Any], channel_name: str) -> dict[str, Any] | None:
    """conda's ``ChannelNotice.to_dict()`` of one raw notice; ``None`` when expired."""
    expired = _when(raw.get("expired_at"))
    if expired is not None and expired < datetime.now(timezone.utc):
        return None
    created = _when(raw.get("created_at"))
    level = str(raw.get("level") or "info").lower()
    return {"id": raw.get("id"), "channel_name": channel_name,
            "message": str(raw.get("message") or ""),
            "level": level if level in _LEVELS else "info",
            "created_at": created.astimezone(timezone.utc).isoformat() if created else None,
            "expired_at": expired.astimezone(timezone.utc).isoformat() if expired else None,
            "interval": raw.get("interval")}


def channel_urls(channels: list[str], override: bool) -> list[tuple[str, str]]:
    """``(channel name, notices.json URL)`` of each channel's base URLs."""
    from kernel.config import get_config
    from kernel.models import Channel
    from plugins.index.index import resolve_channels, sync_channel_context

    config = get_config()
    sync_channel_context(config, list(config.subdirs))
    found: list[tuple[str, str]] = []
    for value in resolve_channels(config, channels, override):
        channel = Channel(value)
        for base in channel.base_urls:
            if base:
                found.append((str(channel.canonical_name), f"{base.rstrip('/')}/{NOTICES_FN}"))
    return list(dict.fromkeys(found))


def render_text(notices: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    current = None
    for notice in notices:
        if notice["channel_name"] != current:
            current = notice["channel_name"]
            lines += ["", f'Channel "{current}" has the following notices:']
        created = _when(notice["created_at"])
        stamp = f"{created:%c}" if created else ""
        lines += [f"  [{notice['level']}] -- {stamp}", f"  {notice['message']}", ""]
    if not notices:
        lines = ["", "There are no channel notices.", ""]
    return "\n".join(lines) + "\n"


def execute(args: argparse.Namespace) -> int:
    from kernel import reporting
    from kernel.errors import ChannelError
    from plugins.environment.prefix_args import apply_overrides

    config = apply_overrides(args)
    shown: list[dict[str, Any]] = []
    for name, url in channel_urls(list(args.channel), args.override_channels):
        try:
            raw = fetch_notices(url, name, bool(config.offline))
        except ChannelError as exc:
            reporting.warn(exc.message)
            continue
        found = [n for n in (channel_notice(r, name) for r in raw) if n is not None]
        found.sort(key=lambda n: n["created_at"] or "", reverse=True)
        shown += found
    reporting.render(shown if config.json else render_text(shown))
    return 0


@hookimpl
def conda_subcommands() -> Iterator[CondaSubcommand]:
    yield CondaSubcommand(name="notices", summary=SUMMARY, action=execute,
                          configure_parser=configure_parser)
