"""rename, clean, compare and notices against test-recipes prefixes and a local HTTP server."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.environment.conftest import tree_digest

pytestmark = pytest.mark.usefixtures("solver_available")


def _meta(prefix: Path) -> set[str]:
    return {p.name for p in (prefix / "conda-meta").glob("*.json")}


def _one_error_line(result, name: str) -> str:
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{name}: "), result.err
    return lines[0]


# -- rename -----------------------------------------------------------------------------------


def test_rename(conda, recipes: str, hermetic_env: Path, tmp_path: Path, env_setup: Path,
                monkeypatch: pytest.MonkeyPatch) -> None:
    envs = hermetic_env / "root" / "envs"
    assert conda("create", "-n", "old", "dependent=1.0", "-y").code == 0
    (envs / "old" / "notes.txt").write_text(f"at {envs / 'old'}\n")

    before = tree_digest(envs, env_setup)
    dry = conda("rename", "-n", "old", "new", "--dry-run")
    assert dry.code == 0, dry.err
    assert f"Dry run action: clone {envs / 'old'} {envs / 'new'}" in dry.out
    assert tree_digest(envs, env_setup) == before

    result = conda("rename", "-n", "old", "new", "-y")
    assert result.code == 0, result.err
    assert not (envs / "old").exists()
    assert _meta(envs / "new") == {"dependent-1.0-0.json", "dependency-1.0-0.json"}
    assert (envs / "new" / "notes.txt").read_text() == f"at {envs / 'new'}\n"

    _one_error_line(conda("rename", "-n", "base", "other", "-y"),
                    "CondaEnvironmentRenameError")
    assert conda("create", "-n", "other", "-y").code == 0
    taken = conda("--json", "rename", "-n", "new", "other", "-y")
    assert taken.code == 1 and "Override with --force" in taken.json()["message"]
    forced = conda("rename", "-n", "new", "other", "--force", "-y")
    assert forced.code == 0, forced.err
    assert _meta(envs / "other") == {"dependent-1.0-0.json", "dependency-1.0-0.json"}
    assert not (envs / "new").exists()

    path_dest = tmp_path / "moved"
    assert conda("rename", "-n", "other", path_dest, "-y").code == 0
    assert _meta(path_dest) == {"dependent-1.0-0.json", "dependency-1.0-0.json"}
    monkeypatch.setenv("CONDA_PREFIX", str(path_dest))
    active = conda("rename", "-p", path_dest, "again", "-y")
    assert "Cannot rename the active environment" in _one_error_line(
        active, "CondaEnvironmentRenameError")
    assert conda("rename", "-n", "no-such-env", "x", "-y").code == 1


# -- clean ------------------------------------------------------------------------------------


def test_clean(conda, recipes: str, hermetic_env: Path, env_setup: Path,
               tmp_path: Path) -> None:
    pkgs = env_setup
    assert conda("create", "-n", "keep", "dependent=1.0", "-y").code == 0
    assert conda("create", "-n", "gone", "versioned=1.0", "-y").code == 0
    assert conda("remove", "-n", "gone", "--all", "-y").code == 0
    copied = conda("create", "-p", tmp_path / "copied", "another_dependent=1.0", "-y")
    assert copied.code == 0
    (pkgs / ".logs").mkdir()
    (pkgs / ".logs" / "run.log").write_text("x")
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "a.c~").write_text("x")
    assert (pkgs / "cache").is_dir() and list(pkgs.glob("*.conda"))

    none = conda("--json", "clean")
    assert none.code == 2 and none.json()["exception_name"] == "ArgumentError"
    _one_error_line(conda("clean"), "ArgumentError")

    before = tree_digest(pkgs, tmp_path)
    dry = conda("--json", "clean", "--all", "-c", tmp_path / "junk", "--dry-run")
    assert dry.code == 0, dry.err
    assert tree_digest(pkgs, tmp_path) == before
    data = dry.json()
    unused = data["packages"]["pkgs_dirs"][str(pkgs)]
    assert "versioned-1.0-0" in unused
    assert "dependent-1.0-0" not in unused and "dependency-1.0-0" not in unused
    assert sorted(data["tarballs"]["pkgs_dirs"][str(pkgs)]) == sorted(
        p.name for p in pkgs.glob("*.conda"))
    assert data["index_cache"] == {"files": [str(pkgs / "cache")]}
    assert data["logfiles"] == [str(pkgs / ".logs" / "run.log")]
    assert data["tempfiles"] == [str(tmp_path / "junk" / "a.c~")]

    result = conda("clean", "--packages", "-y")
    assert result.code == 0, result.err
    assert "Will remove" in result.out
    assert not (pkgs / "versioned-1.0-0").exists()
    assert (pkgs / "dependent-1.0-0").is_dir() and (pkgs / "dependency-1.0-0").is_dir()
    assert conda("clean", "-i", "-t", "-l", "-c", tmp_path / "junk", "-y").code == 0
    assert not (pkgs / "cache").exists() and not list(pkgs.glob("*.conda"))
    assert not (pkgs / ".logs" / "run.log").exists()
    assert not (tmp_path / "junk" / "a.c~").exists()
    again = conda("clean", "-t", "-y")
    assert "There are no unused tarball(s) to remove." in again.out
    # the environments still work: nothing they use was removed
    assert conda("remove", "-n", "keep", "dependent", "-y").code == 0


# -- compare ----------------------------------------------------------------------------------


def test_compare(conda, recipes: str, tmp_path: Path) -> None:
    prefix = tmp_path / "env"
    assert conda("create", "-p", prefix, "dependent=1.0", "-y").code == 0
    good = tmp_path / "good.yml"
    good.write_text("name: x\ndependencies:\n  - dependent=1.0\n  - dependency >=1\n")
    result = conda("compare", "-p", prefix, good)
    assert result.code == 0, result.err
    assert result.out.startswith("Success. All the packages in the specification file")

    bad = tmp_path / "bad.yml"
    bad.write_text("dependencies:\n  - dependent=2.0\n  - versioned\n  - pip:\n    - nothere\n")
    result = conda("compare", "-p", prefix, bad)
    assert result.code == 1
    assert result.out.splitlines() == [  # as the real conda 26.7 prints them
        "pip not found",
        "dependent found but mismatch. Specification pkg: dependent=2.0, Running pkg: "
        "dependent=1.0=0",
        "versioned not found",
        "nothere not found"]
    as_json = conda("--json", "compare", "-p", prefix, bad)
    assert as_json.code == 1 and as_json.json()[2] == "versioned not found"

    _one_error_line(conda("compare", "-p", prefix, tmp_path / "missing.yml"),
                    "EnvironmentFileError")
    (tmp_path / "broken.yml").write_text("dependencies: [a\n")
    broken = conda("--json", "compare", "-p", prefix, tmp_path / "broken.yml")
    assert broken.code == 1 and broken.json()["exception_name"] == "EnvironmentFileError"


# -- notices ----------------------------------------------------------------------------------


NOTICES = {"notices": [
    {"id": "old", "message": "Expired notice", "level": "info",
     "created_at": "2020-01-01T00:00:00+00:00", "expired_at": "2020-02-01T00:00:00+00:00"},
    {"id": "a", "message": "Please upgrade", "level": "warning",
     "created_at": "2024-01-01T12:00:00+00:00", "expired_at": "2999-01-01T00:00:00+00:00",
     "interval": 604800},
    {"id": "b", "message": "Newer news", "level": "critical",
     "created_at": "2024-06-01T12:00:00+00:00", "expired_at": None},
]}


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 serving ``tmp_path/www``; yields its URL and the paths
    requested."""
    root = tmp_path / "www"
    (root / "chan").mkdir(parents=True)
    (root / "chan" / "notices.json").write_text(json.dumps(NOTICES))
    (root / "broken").mkdir()
    (root / "broken" / "notices.json").write_text("{not json")
    requested: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "public, max-age=600")
            super().end_headers()

        def do_GET(self) -> None:
            requested.append(self.path)
            super().do_GET()

        def log_message(self, *args) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", requested
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_notices(conda, server: tuple[str, list[str]]) -> None:
    url, requested = server
    result = conda("notices", "-c", f"{url}/chan", "--override-channels")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert f'Channel "{url}/chan" has the following notices:' in lines
    assert lines.index("  Newer news") < lines.index("  Please upgrade")
    assert any(line.startswith("  [critical] -- ") for line in lines)
    assert "Expired notice" not in result.out
    assert requested == ["/chan/notices.json"]

    data = conda("--json", "notices", "-c", f"{url}/chan", "--override-channels").json()
    assert [n["id"] for n in data] == ["b", "a"]
    assert data[1] == {"id": "a", "channel_name": f"{url}/chan", "message": "Please upgrade",
                       "level": "warning", "created_at": "2024-01-01T12:00:00+00:00",
                       "expired_at": "2999-01-01T00:00:00+00:00", "interval": 604800}
    assert requested == ["/chan/notices.json"]  # max-age=600: served from the cache

    empty = conda("notices", "-c", f"{url}/nothing", "--override-channels")
    assert empty.code == 0 and "There are no channel notices." in empty.out
    broken = conda("notices", "-c", f"{url}/broken", "-c", f"{url}/chan",
                   "--override-channels")
    assert broken.code == 0
    assert "malformed notices file" in broken.err and "Please upgrade" in broken.out
    refused = conda("--json", "notices", "--override-channels")
    assert refused.code == 2 and refused.json()["exception_name"] == "ArgumentError"
