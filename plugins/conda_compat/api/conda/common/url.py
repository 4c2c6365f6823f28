"""``conda.common.url``: URL helpers conda plugins use, with conda's results."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from plugins.conda_compat.missing import missing_attributes

__all__ = ["is_url", "join_url", "remove_auth", "split_anaconda_token"]

_TOKEN = re.compile(r"/t/([a-zA-Z0-9-_]*)(/|$)")


def is_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return bool(parts.scheme and (parts.netloc or parts.scheme == "file"))


def remove_auth(url: str) -> str:
    """``url`` without ``user:password@``."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def split_anaconda_token(url: str) -> tuple[str, str | None]:
    """``(url without its /t/<token> part and trailing slash, token or None)``."""
    match = _TOKEN.search(url)
    token = match.group(1) if match else None
    cleaned = _TOKEN.sub("/", url, count=1) if match else url
    return cleaned.rstrip("/"), token


def join_url(*parts: str) -> str:
    joined = "/".join(p.strip("/") for p in parts if p)
    return joined + "/" if parts and parts[-1].endswith("/") else joined


__getattr__ = missing_attributes(__name__)
