"""A real HTTP server on 127.0.0.1 serving channel folders, with knobs for auth, failures,
slowness, ETags, zst-only and truncated bodies. Tests start it in a thread."""

from __future__ import annotations

import base64
import hashlib
import threading
import time
from collections.abc import Callable
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class _Quiet(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that hang up early (timeouts under test) are expected


class ChannelServer:
    def __init__(self, root: Path):
        self.root = root
        self.log: list[tuple[str, dict[str, str]]] = []
        self.basic: dict[str, tuple[str, str]] = {}  # path prefix -> (user, password)
        self.bearer: dict[str, str] = {}  # path prefix -> token
        self.url_tokens: set[str] = set()  # tokens accepted as /t/<token>/...
        self.fail: dict[str, list[int]] = {}  # path -> statuses answered first, in order
        self.retry_after: str | None = None
        self.slow: dict[str, float] = {}  # path prefix -> seconds before answering
        self.no_json: set[str] = set()  # prefixes where repodata.json is 404 (zst only)
        self.truncate: dict[str, int] = {}  # path -> bytes actually sent
        self.cache_control: str | None = None
        self.etags = True
        #: (which paths, barrier): the first ``barrier.parties`` requests for such paths wait
        #: there until that many are in flight at once (a 409 if they never are)
        self.together: tuple[Callable[[str], bool], threading.Barrier] | None = None
        self.in_flight = self.max_in_flight = 0
        self._lock = threading.Lock()
        self._gated = 0
        self._httpd = _Quiet(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,),
                                        daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def start(self) -> ChannelServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def paths(self) -> list[str]:
        return [p for p, _ in self.log]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _send(self, code: int, body: bytes = b"", headers: dict[str, str] | None = None,
                      length: int | None = None) -> None:
                self.send_response(code)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body) if length is None else length))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def do_GET(self) -> None:
                with server._lock:
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    self._get()
                finally:
                    with server._lock:
                        server.in_flight -= 1

            def _get(self) -> None:
                path = self.path.split("?", 1)[0]
                server.log.append((self.path, dict(self.headers.items())))
                if server.together is not None and server.together[0](path):
                    barrier = server.together[1]
                    with server._lock:
                        waits = server._gated < barrier.parties
                        server._gated += waits
                    if waits:
                        try:
                            barrier.wait()
                        except threading.BrokenBarrierError:
                            return self._send(409, b"not that many at once")
                if path.startswith("/t/"):
                    _, _, token, rest = path.split("/", 3)
                    if token not in server.url_tokens:
                        return self._send(401, b"bad token")
                    path = "/" + rest
                for prefix, (user, password) in server.basic.items():
                    expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
                    if path.startswith(prefix) and self.headers.get("Authorization") != expected:
                        return self._send(401, b"login", {"WWW-Authenticate": 'Basic realm="x"'})
                for prefix, token in server.bearer.items():
                    if path.startswith(prefix) and \
                            self.headers.get("Authorization") != f"Bearer {token}":
                        return self._send(403, b"forbidden")
                for prefix, seconds in server.slow.items():
                    if path.startswith(prefix):
                        time.sleep(seconds)
                pending = server.fail.get(path)
                if pending:
                    extra = {"Retry-After": server.retry_after} if server.retry_after else {}
                    return self._send(pending.pop(0), b"oops", extra)
                if path.endswith("repodata.json") and any(
                        path.startswith(p) for p in server.no_json):
                    return self._send(404, b"no json here")
                file = server.root / path.lstrip("/")
                if ".." in path or not file.is_file():
                    return self._send(404, b"not found")
                body = file.read_bytes()
                headers = {"Last-Modified": formatdate(file.stat().st_mtime, usegmt=True)}
                if server.cache_control:
                    headers["Cache-Control"] = server.cache_control
                if server.etags:
                    headers["ETag"] = '"' + hashlib.md5(body).hexdigest() + '"'
                    if self.headers.get("If-None-Match") == headers["ETag"]:
                        return self._send(304, b"", headers)
                if path in server.truncate:
                    self._send(200, body[: server.truncate[path]], headers, length=len(body))
                    self.close_connection = True
                    return None
                return self._send(200, body, headers)

        return Handler
