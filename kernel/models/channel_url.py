"""The URL and path vocabulary channels are parsed from: tokens, platforms, package files.

Pure string functions with conda's semantics: an anaconda.org token sits in the path as
``/t/<token>/``, a platform is a known subdir between slashes, a package file ends in
``.conda`` or ``.tar.bz2``, and a local path becomes a ``file://`` URL.
"""

from __future__ import annotations

import functools
import os
import re
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

#: Every platform subdir conda knows (``context.known_subdirs`` adds the running platform).
KNOWN_SUBDIRS: tuple[str, ...] = (
    "emscripten-wasm32",
    "wasi-wasm32",
    "freebsd-64",
    "linux-32",
    "linux-64",
    "linux-aarch64",
    "linux-armv6l",
    "linux-armv7l",
    "linux-ppc64",
    "linux-ppc64le",
    "linux-riscv64",
    "linux-s390x",
    "osx-64",
    "osx-arm64",
    "win-32",
    "win-64",
    "win-arm64",
    "zos-z",
    "noarch",
)

PACKAGE_EXTENSIONS = (".conda", ".tar.bz2")

_SCHEME = re.compile(r"[a-z][a-z0-9]{0,11}://")
_PATH_START = re.compile(r"\./|\.\.|~|/|[a-zA-Z]:[/\\]|\\\\|//")
_TOKEN = re.compile(r"/t/([a-zA-Z0-9-]*)")
_BACKSLASH_NOT_BEFORE_SPACE = re.compile(r"\\(?! )")
_URL_SAFE = frozenset("!'()*-._/\\:")


def has_scheme(value: str) -> bool:
    """``https://...``, ``file://...``, ``s3://...``: a lower-case scheme and ``://``."""
    return _SCHEME.match(value) is not None


def is_path(value: str) -> bool:
    """A local path as conda recognises one: ``./``, ``..``, ``~``, ``/``, ``C:\\``, UNC."""
    return "://" not in value and _PATH_START.match(value) is not None


def is_package_file(path: str) -> bool:
    return path.endswith(PACKAGE_EXTENSIONS)


def strip_pkg_extension(path: str) -> tuple[str, str | None]:
    """``('/p/numpy-1.0-0', '.conda')`` from ``/p/numpy-1.0-0.conda``; ``.json`` counts too."""
    for ext in (".conda", ".tar.bz2", ".json"):
        if path.endswith(ext):
            return path[: -len(ext)], ext
    return path, None


def win_path_backout(path: str) -> str:
    """Turn backslashes into slashes (except before a space), as conda does for file URLs."""
    return _BACKSLASH_NOT_BEFORE_SPACE.sub("/", path).replace(":////", "://")


def join_url(*parts: str | None) -> str:
    """Join with single slashes, dropping empty parts; a leading slash survives."""
    start = "/" if not parts[0] or parts[0].startswith("/") else ""
    return start + "/".join(p for p in (part.strip("/") for part in parts if part) if p)


@functools.lru_cache(maxsize=4096)
def path_to_url(path: str) -> str:
    """``file://`` URL of a local path (expanded, absolute; non-ASCII paths percent-encoded)."""
    if not path:
        raise ValueError("an empty path has no URL")
    if path.startswith("file://"):
        return path
    path = os.path.abspath(os.path.expanduser(path)).replace("\\", "/")
    if any(ord(char) >= 128 for char in path):
        path = "".join(
            chr(byte)
            if (byte < 0x7B and chr(byte).isalnum()) or chr(byte) in _URL_SAFE
            else f"%{byte:02X}"
            for byte in path.encode("utf-8")
        )
    if len(path) > 1 and path[1] == ":":
        return "file:///" + path
    return "file://" + path


def split_anaconda_token(url: str) -> tuple[str, str | None]:
    """``('https://h/path', 'tk-1')`` from ``https://h/t/tk-1/path``; the URL loses its end /."""
    found = _TOKEN.search(url)
    token = found.group(1) if found else None
    cleaned = url.replace("/t/" + token, "", 1) if token is not None else url
    return cleaned.rstrip("/"), token


@functools.lru_cache(maxsize=64)
def _platform_pattern(known_subdirs: frozenset[str]) -> re.Pattern[str]:
    names = "|".join(re.escape(s) for s in sorted(known_subdirs, key=len, reverse=True))
    return re.compile(rf"/({names})(?:/|$)", re.IGNORECASE)


def split_platform(known_subdirs: frozenset[str], url: str) -> tuple[str, str | None]:
    """``('https://h/chan', 'linux-64')`` from ``https://h/chan/linux-64``."""
    found = _platform_pattern(known_subdirs).search(url)
    platform = found.group(1) if found else None
    cleaned = url.replace("/" + platform, "", 1) if platform is not None else url
    return cleaned.rstrip("/"), platform


class UrlParts(NamedTuple):
    scheme: str
    auth: str | None
    hostname: str | None
    port: int | None
    path: str
    query: str


def parse_url(url: str) -> UrlParts:
    """Split a URL (a scheme-less ``host:port/path`` is allowed). Raises ValueError."""
    parts = urlsplit(url if has_scheme(url) else "//" + url)
    username, password = parts.username, parts.password
    auth = f"{username}:{password}" if username and password else username or None
    return UrlParts(parts.scheme, auth, parts.hostname or None, parts.port, parts.path, parts.query)


def host_path(hostname: str | None, port: int | None, path: str | None = None) -> str:
    """``host:port/path`` (no scheme, no credentials); parts that are absent are left out."""
    text = (hostname or "") + (f":{port}" if port else "")
    if path:
        text += path if path.startswith("/") else "/" + path
    return text


def split_scheme_auth_token(url: str) -> tuple[str, str, str | None, str | None]:
    """Location, scheme, auth and token of a URL.

    ``('conda.io/more/path', 'https', 'u:p', 'tok')`` from
    ``https://u:p@conda.io/t/tok/more/path``.
    """
    cleaned, token = split_anaconda_token(url)
    parts = parse_url(cleaned)
    remainder = host_path(parts.hostname, parts.port, parts.path)
    if parts.query:
        remainder += "?" + parts.query
    return remainder, parts.scheme, parts.auth, token


def percent_decode(text: str) -> str:
    return unquote(text) if "%" in text else text


_CREDENTIALS = re.compile(r"(?<=://)[^/@\s]*@")


def mask_url(url: str) -> str:
    """The URL with any ``user:password@`` and ``/t/<token>`` replaced, for messages."""
    masked = _CREDENTIALS.sub("<CREDENTIALS>@", url)
    return _TOKEN.sub("/t/<TOKEN>", masked)
