"""The one HTTP session factory every network call goes through.

:func:`get_session` builds a ``requests.Session`` per scheme, host and channel auth, from
configuration and plugins: the auth handler ``channel_settings`` names (from
``conda_auth_handlers``), headers from ``conda_session_headers`` / ``conda_request_headers``
(names the kernel owns are refused), ``proxy_servers``, ``ssl_verify``, client certificates,
default timeouts, and retries with backoff on 413/429/5xx and connection errors (honouring
``Retry-After``). ``file://`` URLs are served from disk. :func:`redact_url` hides credentials
in any text; every message that may hold a URL goes through it.
"""

from __future__ import annotations

import fnmatch
import logging
import os
import re
import threading
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from kernel.errors import ChannelError, CondaError, PluginError

if TYPE_CHECKING:
    import requests

    from kernel.manager import PluginManager

#: Header names plugins may not set: the kernel, requests or the auth handler own them.
FORBIDDEN_HEADERS = frozenset({
    "authorization", "connection", "content-length", "cookie", "expect", "host",
    "keep-alive", "proxy-authorization", "proxy-connection", "set-cookie", "te", "trailer",
    "transfer-encoding", "upgrade",
})
RETRY_STATUSES = (413, 429, 500, 502, 503, 504)
RETRY_AFTER_MAX = 60

_USERINFO = re.compile(r"(?<=://)[^/\s@]*@")
_TOKEN = re.compile(r"/t/[^/\s]+")
_QUERY = re.compile(r"(?i)([?&](?:token|access_token|api_key|apikey|password|sig)=)[^&#\s]+")
_secrets: set[str] = set()
_lock = threading.Lock()
_sessions: dict[tuple[Any, ...], requests.Session] = {}
_owner: tuple[object, object] | None = None


def register_secret(value: str | None) -> None:
    """Remember a secret (a token read from a file, a password) so output never shows it."""
    if value and len(value) >= 4:
        _secrets.add(value)


def redact_url(text: str) -> str:
    """``text`` with URL credentials, ``/t/<token>/`` parts and known secrets masked."""
    text = _USERINFO.sub("***@", str(text))
    text = _TOKEN.sub("/t/<TOKEN>", text)
    text = _QUERY.sub(r"\1***", text)
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


class RedactingFilter(logging.Filter):
    """Masks credentials in log records (urllib3 logs ``GET /t/<token>/...`` at DEBUG)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        clean = redact_url(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


_LOGGERS = ("urllib3", "urllib3.connectionpool", "urllib3.connection", "urllib3.util.retry",
            "urllib3.response", "urllib3.poolmanager", "requests")
_FILTER = RedactingFilter()


def redact_logs() -> None:
    """Install :class:`RedactingFilter` on the HTTP libraries' loggers and on the root
    logger's handlers (idempotent; called whenever a session is built)."""
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
    for handler in logging.getLogger().handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)


def strip_credentials(url: str) -> str:
    """``url`` without ``user:pass@`` and ``/t/<token>`` (for cache keys and matching)."""
    return _TOKEN.sub("", _USERINFO.sub("", url), count=1)


def channel_settings_for(*candidates: str) -> dict[str, Any]:
    """The first ``channel_settings`` entry whose ``channel`` glob matches a channel name or
    URL in ``candidates`` (a URL also matches an entry naming a URL prefix of it)."""
    from kernel.config import get_config

    names = [strip_credentials(c).rstrip("/") for c in candidates if c]
    for entry in get_config().channel_settings:
        pattern = str(entry.get("channel") or "").rstrip("/")
        if pattern and any(n == pattern or fnmatch.fnmatchcase(n, pattern)
                           or n.startswith(pattern + "/") for n in names):
            return dict(entry)
    return {}


def _checked_headers(manager: PluginManager, hook: str, **kwargs: Any) -> dict[str, str]:
    """Headers from every implementation of ``hook``; a forbidden name names its plugin."""
    headers: dict[str, str] = {}
    for impl in reversed(getattr(manager.hook, hook).get_hookimpls()):
        who = manager.info_for(impl.plugin).provider()
        try:
            records = list(impl.function(**{k: kwargs[k] for k in impl.argnames}) or ())
        except Exception as exc:
            raise PluginError(f"plugin {who} raised in {hook}: {type(exc).__name__}: "
                              f"{redact_url(str(exc))}") from exc
        for record in records:
            if record.name in FORBIDDEN_HEADERS:
                raise PluginError(f"plugin {who} may not set the '{record.name}' header "
                                  f"in {hook}", name=record.name, hook=hook)
            canonical = "-".join(p.capitalize() for p in record.name.split("-"))
            headers[canonical] = record.value
    return headers


@cache
def _classes() -> tuple[type, type, type]:
    """Adapter classes, defined on first use so importing this module skips requests."""
    import io
    from email.utils import formatdate
    from urllib.request import url2pathname

    from requests.adapters import BaseAdapter, HTTPAdapter
    from requests.models import Response
    class CondaAdapter(HTTPAdapter):
        def __init__(self, timeout: tuple[float, float], manager: PluginManager,
                     **kwargs: Any):
            self.default_timeout = timeout
            self.manager = manager
            super().__init__(**kwargs)

        def send(self, request: Any, **kwargs: Any) -> Any:  # type: ignore[override]
            if kwargs.get("timeout") is None:
                kwargs["timeout"] = self.default_timeout
            parts = urlsplit(request.url)
            request.headers.update(_checked_headers(
                self.manager, "conda_request_headers", host=parts.hostname or "",
                path=parts.path))
            return super().send(request, **kwargs)

    class FileAdapter(BaseAdapter):
        """``file://`` URLs: 200 with the file, 304 on a matching If-Modified-Since, 404."""

        def send(self, request: Any, **kwargs: Any) -> Any:  # type: ignore[override]
            response = Response()
            response.url, response.request = request.url, request
            path = url2pathname(urlsplit(request.url).path)
            try:
                stat = os.stat(path)
                modified = formatdate(stat.st_mtime, usegmt=True)
                response.headers["Last-Modified"] = modified
                if request.headers.get("If-Modified-Since") == modified:
                    response.status_code, response.raw = 304, io.BytesIO(b"")
                else:
                    response.raw = open(path, "rb")
                    response.status_code = 200
                    response.headers["Content-Length"] = str(stat.st_size)
            except OSError as exc:
                response.status_code, response.reason = 404, exc.strerror or "Not Found"
                response.raw = io.BytesIO(b"")
            return response

        def close(self) -> None:
            pass

    class OfflineAdapter(BaseAdapter):
        def send(self, request: Any, **kwargs: Any) -> Any:  # type: ignore[override]
            raise ChannelError(f"offline mode: not fetching {redact_url(request.url)}")

        def close(self) -> None:
            pass

    return CondaAdapter, FileAdapter, OfflineAdapter


def _retry(config: Any) -> Any:
    from urllib3.util.retry import Retry

    kwargs: dict[str, Any] = dict(
        total=int(config.remote_max_retries), backoff_factor=float(config.remote_backoff_factor),
        status_forcelist=RETRY_STATUSES, raise_on_status=False, raise_on_redirect=False,
        respect_retry_after_header=True, backoff_max=RETRY_AFTER_MAX)
    try:
        return Retry(**kwargs, retry_after_max=RETRY_AFTER_MAX)
    except TypeError:  # urllib3 < 2.6 has no cap on Retry-After
        return Retry(**kwargs)


def _build(config: Any, manager: PluginManager, host: str, auth_name: str | None,
           channel_name: str) -> requests.Session:
    import requests

    redact_logs()
    adapter_class, file_adapter, offline_adapter = _classes()
    session = requests.Session()
    session.headers.update(_checked_headers(manager, "conda_session_headers", host=host))
    if config.offline:
        adapter = offline_adapter()
    else:
        timeout = (float(config.remote_connect_timeout_secs),
                   float(config.remote_read_timeout_secs))
        adapter = adapter_class(timeout, manager, max_retries=_retry(config))
    for scheme in ("http://", "https://"):
        session.mount(scheme, adapter)
    session.mount("file://", file_adapter())
    session.proxies.update(dict(config.proxy_servers))
    verify = config.ssl_verify
    if verify is True:
        verify = config.env.get("REQUESTS_CA_BUNDLE") or True
    session.verify = verify
    if config.client_ssl_cert:
        session.cert = ((config.client_ssl_cert, config.client_ssl_cert_key)
                        if config.client_ssl_cert_key else config.client_ssl_cert)
    session.conda_auth_name = auth_name  # type: ignore[attr-defined]
    if auth_name:
        record = manager.find("conda_auth_handlers", auth_name, what="auth handler")
        try:
            session.auth = record.handler(channel_name)
        except CondaError:
            raise
        except Exception as exc:
            raise PluginError(f"auth handler '{auth_name}' failed for channel "
                              f"{redact_url(channel_name)}: {type(exc).__name__}: "
                              f"{redact_url(str(exc))}") from exc
    return session


def get_session(url: str, channel_name: str | None = None) -> requests.Session:
    """The session for ``url`` (of channel ``channel_name``), built once per run and key."""
    from kernel.config import get_config
    from kernel.manager import get_plugin_manager

    global _owner
    config, manager = get_config(), get_plugin_manager()
    parts = urlsplit(url)
    entry = channel_settings_for(*(c for c in (channel_name, url) if c))
    auth_name = str(entry["auth"]) if entry.get("auth") else None
    name = channel_name or strip_credentials(url)
    key = (parts.scheme, parts.hostname or "", auth_name, name if auth_name else None)
    with _lock:
        if _owner is None or _owner[0] is not config or _owner[1] is not manager:
            clear_sessions()
            _owner = (config, manager)
        session = _sessions.get(key)
        if session is None:
            session = _sessions[key] = _build(config, manager, parts.hostname or "",
                                              auth_name, name)
    return session


def clear_sessions() -> None:
    """Close and forget every session (after the configuration or plugins changed)."""
    for session in _sessions.values():
        session.close()
    _sessions.clear()

