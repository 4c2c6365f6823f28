"""Fixtures for the security suite: a hostile-capable HTTP server, the real ``conda``.

Every test here drives the installed ``conda`` console script (next to ``sys.executable``)
in a subprocess with a hermetic environment, so what is checked is what a user runs.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from tests.network.server import ChannelServer

CONDA = Path(sys.executable).parent / "conda"
TOKEN = "tk-8c1e5ab0d7f94e2c"
USER, PASSWORD = "alice", "pw-Zq93xLk7uV"
SECRETS = (TOKEN, PASSWORD)
RECIPES = ("conda", "tests", "data", "test-recipes")


class HostileServer(ChannelServer):
    """:class:`ChannelServer` plus what an attacker or a broken network does.

    ``token_only``: path prefixes served only below ``/t/<token>/``; ``redirect_loop``:
    paths that redirect to themselves. Per path, one value used per request, in order:
    ``reset`` (bytes sent before the connection is reset with RST), ``lie_length`` (the
    Content-Length announced), ``stall`` ((bytes sent, seconds of silence before the rest)).
    """

    def __init__(self, root: Path):
        self.token_only: set[str] = set()
        self.reset: dict[str, list[int]] = {}
        self.lie_length: dict[str, list[int]] = {}
        self.redirect_loop: set[str] = set()
        self.stall: dict[str, list[tuple[int, float]]] = {}
        super().__init__(root)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        base = super()._handler()
        server = self

        class Handler(base):  # type: ignore[valid-type,misc]
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                if any(path.startswith(p) for p in server.token_only):
                    server.log.append((self.path, dict(self.headers.items())))
                    self.send_response(401)
                    self.send_header("Content-Length", "9")
                    self.end_headers()
                    self.wfile.write(b"bad token")
                    return None
                plain = path.split("/", 4)[-1] if path.startswith("/t/") else path
                plain = "/" + plain.lstrip("/")
                if plain in server.redirect_loop:
                    server.log.append((self.path, dict(self.headers.items())))
                    self.send_response(302)
                    self.send_header("Location", self.path)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                file = server.root / plain.lstrip("/")
                special = tuple(queue[plain].pop(0) if queue.get(plain) else None
                                for queue in (server.reset, server.lie_length, server.stall))
                if any(v is not None for v in special) and file.is_file():
                    server.log.append((self.path, dict(self.headers.items())))
                    body = file.read_bytes()
                    reset, length, stall = special
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body) if length is None
                                                           else length))
                    self.end_headers()
                    if reset is not None:
                        self.wfile.write(body[:reset])
                        self.wfile.flush()
                        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                                   struct.pack("ii", 1, 0))
                        self.close_connection = True
                        return None
                    if stall is not None:
                        self.wfile.write(body[: stall[0]])
                        self.wfile.flush()
                        time.sleep(stall[1])
                        body = body[stall[0]:]
                    self.wfile.write(body if length is None else body[:length])
                    self.close_connection = True
                    return None
                return super().do_GET()

        return Handler


@dataclass
class Result:
    code: int
    out: str
    err: str
    args: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return self.out + self.err

    def json(self) -> Any:
        return json.loads(self.out)

    def __str__(self) -> str:
        return f"conda {' '.join(self.args)} -> {self.code}\n{self.out}\n{self.err}"


@dataclass
class World:
    """Hermetic paths and the environment of every ``conda`` run of one test."""

    root: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def pkgs(self) -> Path:
        return self.root / "pkgs"

    @property
    def condarc(self) -> Path:
        return self.root / "condarc"

    def prefix(self, name: str = "env") -> Path:
        return self.root / "envs" / name

    def write_condarc(self, **settings: Any) -> None:
        base = {"remote_max_retries": 1, "remote_backoff_factor": 0.01,
                "remote_connect_timeout_secs": 2.0, "remote_read_timeout_secs": 3.0,
                "local_repodata_ttl": 0, "channels": ["file:///nonexistent-set-by-test"]}
        self.condarc.write_text(json.dumps({**base, **settings}))

    def conda(self, *args: str | Path, env: dict[str, str] | None = None,
              timeout: float = 60, stdin: str | None = None) -> Result:
        argv = tuple(str(a) for a in args)
        proc = subprocess.run([str(CONDA), *argv], env={**self.env, **(env or {})},
                              capture_output=True, text=True, timeout=timeout,
                              input=stdin, cwd=self.root, errors="replace")
        return Result(proc.returncode, proc.stdout, proc.stderr, argv)

    def conda_measured(self, *args: str | Path, timeout: float = 60) -> tuple[Result, int]:
        """Run the console script's entry point (``kernel.cli:run``) in a fresh python and
        return its result and peak resident memory in KiB."""
        rss = self.root / f"rss-{os.getpid()}-{time.monotonic_ns()}"
        boot = ("import atexit, sys\n"  # VmHWM starts anew at exec (ru_maxrss does not)
                f"out = {str(rss)!r}\n"
                "def peak():\n"
                "    for line in open('/proc/self/status'):\n"
                "        if line.startswith('VmHWM:'):\n"
                "            open(out, 'w').write(line.split()[1])\n"
                "atexit.register(peak)\n"
                "sys.argv[0] = 'conda'\n"
                "from kernel.cli import run\nrun()\n")
        argv = tuple(str(a) for a in args)
        proc = subprocess.run([sys.executable, "-c", boot, *argv], env=self.env,
                              capture_output=True, text=True, timeout=timeout,
                              cwd=self.root, errors="replace")
        return Result(proc.returncode, proc.stdout, proc.stderr, argv), int(rss.read_text())


def new_world(root: Path) -> World:
    """A hermetic world under ``root`` (skips when the console script is not installed)."""
    if not CONDA.exists():
        pytest.skip(f"no conda console script next to {sys.executable} (pip install -e .)")
    w = World(root)
    w.home.mkdir(parents=True)
    (w.root / "envs").mkdir()
    keep = {k: v for k, v in os.environ.items()
            if not k.startswith(("CONDA", "MAMBA_", "MICROCONDA_", "REQUESTS_CA", "NETRC"))}
    w.env = {**keep, "HOME": str(w.home), "XDG_CONFIG_HOME": str(w.home / ".config"),
             "XDG_CACHE_HOME": str(w.home / ".cache"), "CONDA_ROOT": str(w.root / "root"),
             "CONDA_PKGS_DIRS": str(w.pkgs), "CONDARC": str(w.condarc),
             "CONDA_REGISTER_ENVS": "false", "CONDA_ADD_PIP_AS_PYTHON_DEPENDENCY": "false",
             "CONDA_SUBDIR": "linux-64", "PYTHONDONTWRITEBYTECODE": "1"}
    w.write_condarc()
    return w


@pytest.fixture
def world(tmp_path: Path) -> World:
    return new_world(tmp_path)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[HostileServer]:
    root = tmp_path / "srv"
    root.mkdir()
    srv = HostileServer(root).start()
    yield srv
    srv.stop()


def copy_recipes(shared_data: Path, target: Path) -> Path:
    shutil.copytree(shared_data.joinpath(*RECIPES), target)
    for path in target.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target


@pytest.fixture
def recipes_on_server(server: HostileServer, shared_data: Path) -> Callable[[str], str]:
    """Copy test-recipes under the server root as ``name``; returns its plain URL."""

    def make(name: str = "rec") -> str:
        copy_recipes(shared_data, server.root / name)
        return f"{server.url}/{name}"

    return make


def files_under(*roots: Path) -> Iterator[Path]:
    for root in roots:
        if root.is_file():
            yield root
        elif root.is_dir():
            for path in root.rglob("*"):
                if path.is_file() and not path.is_symlink():
                    yield path


def leaks(secrets: tuple[str, ...], *texts: str, roots: tuple[Path, ...] = ()) -> list[str]:
    """Where any secret shows: ``'output'`` or the file paths holding it."""
    found = [f"output: ...{t[max(0, t.find(s) - 80): t.find(s) + 40]!r}..."
             for t in texts for s in secrets if s in t]
    needles = [s.encode() for s in secrets]
    for path in files_under(*roots):
        data = path.read_bytes()
        found += [str(path) for n in needles if n in data]
    return found


def snapshot(*roots: Path) -> dict[str, tuple[int, int, int]]:
    """``{path: (mode, size, mtime_ns)}`` of everything under ``roots`` (links not followed)."""
    seen: dict[str, tuple[int, int, int]] = {}
    for root in roots:
        if not os.path.lexists(root):
            continue
        for path in [root, *root.rglob("*")]:
            st = path.lstat()
            seen[str(path)] = (st.st_mode, st.st_size if not path.is_dir() else 0,
                               st.st_mtime_ns if not path.is_dir() else 0)
    return seen


def one_clear_line(result: Result) -> str:
    """The error of a failed run: no traceback, and a first line that says something."""
    assert result.code != 0, str(result)
    assert "Traceback" not in result.text, str(result)
    lines = [line for line in (result.err or result.out).splitlines() if line.strip()]
    assert lines, str(result)
    return lines[0]
