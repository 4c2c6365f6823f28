"""The credentials of token and ``user:password@`` channels, kept out of records.

A record carries its URL as conda writes it to ``conda-meta`` (:func:`recorded_url`:
``/t/<TOKEN>``, no ``user:password@``). The index registers each subdir URL it fetches
with :func:`register_credentials`; the package download asks :func:`with_credentials`
for the real URL of a record's package. Importing this module is cheap (no ``requests``).
"""

from __future__ import annotations

import re
import threading

from kernel.session import register_secret

_USERINFO = re.compile(r"(?<=://)[^/\s@]*@")
_TOKEN = re.compile(r"/t/[^/\s]+")
_credentials: dict[str, str] = {}  # recorded_url(prefix) -> the prefix with its credentials
_lock = threading.Lock()


def recorded_url(url: str) -> str:
    """``url`` as conda records it in ``conda-meta``: ``/t/<TOKEN>`` for the token,
    ``user:password@`` removed (what every message and file may show)."""
    return _TOKEN.sub("/t/<TOKEN>", _USERINFO.sub("", url), count=1)


def register_credentials(url: str) -> str:
    """Remember the credentials of ``url`` (a channel or subdir URL) so that
    :func:`with_credentials` can put them back into any URL under it; returns
    :func:`recorded_url` of ``url``, the form records carry."""
    shown = recorded_url(url).rstrip("/")
    if shown != url.rstrip("/"):
        found = _TOKEN.search(url)
        register_secret(found.group(0)[3:] if found else None)
        with _lock:
            _credentials[shown] = url.rstrip("/")
    return shown


def with_credentials(url: str) -> str:
    """``url`` with the credentials of the longest registered URL it lies under (a
    package URL taken from a record fetched from a token channel), else ``url`` itself."""
    with _lock:
        known = sorted(_credentials.items(), key=lambda item: len(item[0]), reverse=True)
    for shown, real in known:
        if url == shown or url.startswith(shown + "/"):
            return real + url[len(shown):]
    return url
