"""Download one subdir's repodata: ``.zst`` first when the channel has it, conditionally.

:func:`fetch` sends ``If-None-Match`` / ``If-Modified-Since`` from the cached state (only
to the URL the state was fetched from), remembers whether the channel serves
``repodata.json.zst`` (``has_zst``, re-checked weekly as conda does), shows a progress bar
for large bodies, and turns every failure into one :class:`~kernel.errors.ChannelError`
line with the URL's credentials masked.
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from kernel.errors import ChannelError
from kernel.session import redact_url, strip_credentials

RECHECK_ZST_SECONDS = 7 * 24 * 3600
PROGRESS_MIN_BYTES = 1 << 20
#: the body is read and written this much at a time: small writes leave the file in small
#: page-cache pages (Linux keeps large writes as large folios, and mapping one maps all of
#: it), so the reads that later map the file (:mod:`plugins.index.sparse`) touch less
WRITE_SIZE = 1 << 16
READ_SIZE = 1 << 20
_ERRNO = re.compile(r"\[Errno -?\d+\] [^'\")]+")


class UnavailableInvalidChannel(ChannelError):
    """HTTP 404 for a channel's noarch repodata (conda's name for it)."""


def _now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _zst_wanted(state: dict[str, Any]) -> bool:
    known = state.get("has_zst")
    if not isinstance(known, dict) or known.get("value", True):
        return True
    try:
        checked = datetime.strptime(str(known.get("last_checked")), "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return True
    age = datetime.now(timezone.utc) - checked.replace(tzinfo=timezone.utc)
    return age.total_seconds() > RECHECK_ZST_SECONDS


def _reason(exc: BaseException, read_timeout: float) -> str:
    import requests

    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "connection timed out"
    if isinstance(exc, (requests.exceptions.ReadTimeout,)) or "Read timed out" in str(exc):
        return f"no answer within the read timeout ({read_timeout:g} s)"
    if isinstance(exc, requests.exceptions.SSLError):
        return "TLS/SSL error (see ssl_verify)"
    if isinstance(exc, requests.exceptions.ProxyError):
        return "proxy error (see proxy_servers)"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "the connection closed before the end of the body"
    found = _ERRNO.search(str(exc))
    return found.group(0).strip() if found else f"{type(exc).__name__}"


def _get(session: Any, url: str, headers: dict[str, str], config: Any) -> Any:
    import requests

    try:
        return session.get(url, headers=headers, stream=True)
    except ChannelError:
        raise
    except requests.exceptions.RequestException as exc:
        retries = int(config.remote_max_retries)
        raise ChannelError(f"cannot reach {redact_url(url)}: "
                           f"{redact_url(_reason(exc, config.remote_read_timeout_secs))} "
                           f"(after {retries} retries)", url=redact_url(url)) from None


def _read(response: Any, url: str, label: str, config: Any) -> bytes:
    import requests

    from kernel import reporting

    total = int(response.headers.get("Content-Length") or 0) or None
    chunks: list[bytes] = []
    got = 0
    try:
        with _progress(reporting, label, total) as advance:
            for chunk in response.iter_content(1 << 16):
                chunks.append(chunk)
                got += len(chunk)
                advance(len(chunk))
    except requests.exceptions.RequestException as exc:
        raise _cut_short(response, url, got, total, exc, config) from None
    finally:
        response.close()
    return b"".join(chunks)


def _cut_short(response: Any, url: str, got: int, total: int | None, exc: BaseException,
               config: Any) -> ChannelError:
    """The error for a body the connection ended early, with the bytes that did arrive."""
    try:
        got = max(got, int(response.raw.tell()))
    except (AttributeError, TypeError, ValueError):
        pass
    size = f" of {total}" if total else ""
    return ChannelError(f"download of {redact_url(url)} was cut short after {got}{size} "
                        f"bytes: {redact_url(_reason(exc, config.remote_read_timeout_secs))}",
                        url=redact_url(url))


def _stream(response: Any, url: str, label: str, config: Any, to: Path) -> None:
    """The body written to ``to`` as it arrives (decompressed on the way for ``.zst``), so
    that no copy of a large body is held in memory; ``to`` is removed on any failure. It is
    not yet flushed to disk: the caller syncs it before moving it into place."""
    import requests
    import zstandard

    from kernel import reporting

    total = int(response.headers.get("Content-Length") or 0) or None
    inflate = zstandard.ZstdDecompressor().decompressobj() if url.endswith(".zst") else None
    got = 0
    try:
        with open(to, "wb") as f, _progress(reporting, label, total) as advance:
            for chunk in response.iter_content(READ_SIZE):
                got += len(chunk)
                data = inflate.decompress(chunk) if inflate is not None else chunk
                with memoryview(data) as view:
                    for at in range(0, len(view), WRITE_SIZE):
                        f.write(view[at:at + WRITE_SIZE])
                advance(len(chunk))
    except requests.exceptions.RequestException as exc:
        to.unlink(missing_ok=True)
        raise _cut_short(response, url, got, total, exc, config) from None
    except zstandard.ZstdError as exc:
        to.unlink(missing_ok=True)
        raise ChannelError(f"corrupt zstd data from {redact_url(url)}: {exc}",
                           url=redact_url(url)) from None
    except BaseException:
        to.unlink(missing_ok=True)
        raise
    finally:
        response.close()


def _progress(reporting: Any, label: str, total: int | None) -> Any:
    from contextlib import nullcontext

    from kernel.errors import CondaError

    if total is None or total < PROGRESS_MIN_BYTES:
        return nullcontext(lambda n: None)
    try:
        return reporting.progress_bar(label, total)
    except CondaError:  # no reporter backend: download without a bar
        return nullcontext(lambda n: None)


def _decompress(data: bytes, url: str) -> bytes:
    import zstandard

    try:
        return zstandard.ZstdDecompressor().decompressobj().decompress(data)
    except zstandard.ZstdError as exc:
        raise ChannelError(f"corrupt zstd data from {redact_url(url)}: {exc}",
                           url=redact_url(url)) from None


def _http_error(response: Any, url: str, channel: str, auth: str | None,
                problem: str | None, config: Any) -> None:
    code, reason = response.status_code, (response.reason or "").upper()
    where = f"channel {redact_url(channel)} <{redact_url(url)}>"
    if code == 404:
        raise UnavailableInvalidChannel(f"channel not found: {where} (HTTP 404 {reason})",
                              url=redact_url(url), status=code)
    if code in (401, 403):
        if auth:
            how = f"auth handler '{auth}' was used" + (f" and {problem}" if problem else "")
        else:
            how = ("no auth handler is configured for it (channel_settings: "
                   "[{channel: <name or URL>, auth: <handler>}])")
        raise ChannelError(f"HTTP {code} {reason} for {where}: access denied; {how}",
                           url=redact_url(url), status=code)
    retried = f" after {int(config.remote_max_retries)} retries" if code in (
        413, 429, 500, 502, 503, 504) else ""
    raise ChannelError(f"HTTP {code} {reason} for {where}{retried}", url=redact_url(url),
                       status=code)


def fetch(session: Any, subdir_url: str, state: dict[str, Any], *, channel: str,
          config: Any, to: Path | None = None) -> tuple[bytes | Path | None, dict[str, Any]]:
    """``(raw repodata.json bytes, new state)``, or ``(None, new state)`` on 304; with
    ``to``, the raw repodata is written there instead (not yet synced to disk: see
    :func:`plugins.index.cache.sync_in_background`) and ``to`` stands for it."""
    json_url = subdir_url.rstrip("/") + "/repodata.json"
    urls = [json_url + ".zst", json_url] if config.repodata_use_zst and _zst_wanted(
        state) else [json_url]
    has_zst = state.get("has_zst")
    auth = getattr(session, "conda_auth_name", None)
    for url in urls:
        headers: dict[str, str] = {}
        if state.get("url") == strip_credentials(url):
            if state.get("etag"):
                headers["If-None-Match"] = str(state["etag"])
            if state.get("mod"):
                headers["If-Modified-Since"] = str(state["mod"])
        response = _get(session, url, headers, config)
        if url.endswith(".zst"):
            has_zst = {"value": response.status_code in (200, 304), "last_checked": _now_iso()}
            if response.status_code == 404:
                response.close()
                continue
        break
    new_state = {"url": strip_credentials(url), "etag": response.headers.get("ETag"),
                 "mod": response.headers.get("Last-Modified"),
                 "cache_control": response.headers.get("Cache-Control"),
                 "refresh_ns": time.time_ns(), "has_zst": has_zst}
    if response.status_code == 304:
        response.close()
        for key in ("etag", "mod", "cache_control"):
            new_state[key] = new_state[key] or state.get(key)
        return None, new_state
    if response.status_code != 200:
        response.close()
        _http_error(response, url, channel, auth, getattr(session.auth, "problem", None),
                    config)
    label = f"{redact_url(channel)}/{subdir_url.rstrip('/').rsplit('/', 1)[-1]}"
    if to is not None:
        _stream(response, url, label, config, to)
        return to, new_state
    body = _read(response, url, label, config)
    return (_decompress(body, url) if url.endswith(".zst") else body), new_state
