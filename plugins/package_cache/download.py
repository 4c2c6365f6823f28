"""Fetching one package archive into a cache, verified.

``http(s)://`` goes through the kernel's session (auth, headers, proxies, retries,
timeouts), with the credentials of the channel the URL lies under put back (a record from a
``/t/<token>/`` channel carries ``/t/<TOKEN>/``, as conda writes it to ``conda-meta``);
``file://`` URLs and plain paths are copied from disk. The bytes land in a temporary file
beside the target and are renamed into place only after the size and the sha256 (the md5
when that is all the record has) match. A mismatch, a short read or a broken connection
deletes the temporary file and fetches once more; a second failure is a :class:`FetchError`
naming the (redacted) URL.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from kernel.errors import CondaError

CHUNK = 1 << 18
ATTEMPTS = 2


class FetchError(CondaError):
    """A package archive could not be fetched or failed verification."""


class _Mismatch(Exception):
    pass


def expected(record: Mapping[str, Any]) -> tuple[int | None, str | None, str | None]:
    """``(size, algorithm, digest)`` the record promises (``None`` when it does not say)."""
    size = record.get("size")
    size = int(size) if isinstance(size, int) or (isinstance(size, str) and size.isdigit()) \
        else None
    if record.get("sha256"):
        return size, "sha256", str(record["sha256"]).lower()
    if record.get("md5"):
        return size, "md5", str(record["md5"]).lower()
    return size, None, None


def _local_path(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme == "file":
        return url2pathname(parts.path)
    if not parts.scheme or len(parts.scheme) == 1:  # a plain path (or C:\ on Windows)
        return url
    return None


def _stream(url: str, out: Any, feed: Callable[[bytes], None]) -> None:
    local = _local_path(url)
    if local is not None:
        try:
            with open(local, "rb") as src:
                for chunk in iter(lambda: src.read(CHUNK), b""):
                    out.write(chunk)
                    feed(chunk)
        except FileNotFoundError:
            raise FetchError(f"package archive not found: {url}", url=url) from None
        return
    import requests

    from kernel.session import get_session, redact_url
    from plugins.index.credentials import with_credentials

    real = with_credentials(url)  # a record shows a token channel's token as <TOKEN>
    try:
        with get_session(real).get(real, stream=True) as response:
            if response.status_code == 404:
                raise FetchError(f"package not found (HTTP 404): {redact_url(url)}",
                                 url=redact_url(url))
            response.raise_for_status()
            for chunk in response.iter_content(CHUNK):
                out.write(chunk)
                feed(chunk)
    except requests.RequestException as exc:
        raise _Mismatch(f"{type(exc).__name__}: {redact_url(str(exc))}") from None


def _attempt(url: str, target: str, record: Mapping[str, Any],
             advance: Callable[[int], None]) -> None:
    size, algorithm, digest = expected(record)
    hasher = hashlib.new(algorithm) if algorithm else None
    received = 0
    tmp = f"{target}.{secrets.token_hex(4)}.partial"

    def feed(chunk: bytes) -> None:
        nonlocal received
        received += len(chunk)
        if hasher is not None:
            hasher.update(chunk)
        advance(len(chunk))

    try:
        with open(tmp, "wb") as out:
            _stream(url, out, feed)
        if size is not None and received != size:
            raise _Mismatch(f"expected {size} bytes, got {received}")
        if hasher is not None and hasher.hexdigest() != digest:
            raise _Mismatch(f"{algorithm} mismatch: expected {digest}, got {hasher.hexdigest()}")
        os.replace(tmp, target)
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def download(url: str, target: str, record: Mapping[str, Any],
             advance: Callable[[int], None] = lambda n: None) -> None:
    """Fetch ``url`` to ``target`` (verified, atomic), retrying once on a bad result."""
    from kernel.session import redact_url

    reasons = []
    for _ in range(ATTEMPTS):
        try:
            _attempt(url, target, record, advance)
            return
        except _Mismatch as exc:
            reasons.append(str(exc))
    raise FetchError(f"failed to fetch {redact_url(url)} after {ATTEMPTS} attempts: "
                     f"{reasons[-1]}", url=redact_url(url))


def verify_file(path: str, record: Mapping[str, Any]) -> bool:
    """Whether an archive already on disk has the record's size and digest."""
    size, algorithm, digest = expected(record)
    try:
        if size is not None and os.path.getsize(path) != size:
            return False
        if algorithm is None:
            return os.path.isfile(path)
        h = hashlib.new(algorithm)
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(CHUNK), b""):
                h.update(chunk)
    except OSError:
        return False
    return h.hexdigest() == digest
