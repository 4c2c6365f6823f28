"""Network faults against a real server: retried within limits, then one clear error, and
nothing half-written (no ``*.partial``, no half-extracted folder, no changed prefix, the
previous repodata cache kept)."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable

import pytest

from tests.security.conftest import HostileServer, World, one_clear_line, snapshot

pytestmark = pytest.mark.security

PKG = "/rec/noarch/dependency-2.0-0.conda"
REPODATA = "/rec/noarch/repodata.json"


def _noarch_cache(world: World, channel: str) -> dict[str, bytes]:
    """The repodata cache files of ``channel``'s noarch subdir (name -> bytes); the note
    that the channel has no shard index (``<key>.shards.info.json``) is no repodata."""
    key = hashlib.md5(f"{channel}/noarch/".encode()).hexdigest()[:8]
    cache = world.pkgs / "cache"
    return {p.name: p.read_bytes() for p in cache.glob(f"{key}.*")
            if not p.name.endswith(".shards.info.json")} if cache.is_dir() else {}


def _leftovers(world: World) -> list[str]:
    if not world.pkgs.exists():
        return []
    return [str(p) for p in world.pkgs.rglob("*")
            if p.name.endswith((".partial", ".extracting", ".tmp"))]


@pytest.fixture
def chan(world: World, server: HostileServer,
         recipes_on_server: Callable[[str], str]) -> str:
    url = recipes_on_server("rec")
    world.write_condarc(channels=[url], repodata_use_zst=False, remote_max_retries=2,
                        remote_read_timeout_secs=1.0)
    return url


def _create(world: World, spec: str = "dependency=2.0") -> tuple[int, str]:
    result = world.conda("create", "-p", world.prefix(), spec, "-y")
    return result.code, result.err


def test_connection_reset_once_is_retried(world: World, server: HostileServer,
                                          chan: str) -> None:
    server.reset[PKG] = [100]
    result = world.conda("create", "-p", world.prefix(), "dependency=2.0", "-y")
    assert result.code == 0, str(result)
    assert [p for p in server.paths() if p == PKG] == [PKG, PKG]
    assert not _leftovers(world)


def test_connection_reset_every_time_fails_cleanly(world: World, server: HostileServer,
                                                   chan: str) -> None:
    server.reset[PKG] = [100] * 10
    result = world.conda("create", "-p", world.prefix(), "dependency=2.0", "-y")
    line = one_clear_line(result)
    assert "dependency-2.0-0.conda" in result.err, str(result)
    assert 2 <= server.paths().count(PKG) <= 6, server.paths()
    assert not world.prefix().exists(), line
    assert not _leftovers(world)
    assert not (world.pkgs / "dependency-2.0-0").exists()


@pytest.mark.parametrize("length", ["short", "long"])
def test_wrong_content_length_on_a_package(world: World, server: HostileServer, chan: str,
                                           length: str) -> None:
    size = (server.root / PKG.lstrip("/")).stat().st_size
    server.lie_length[PKG] = [size - 50 if length == "short" else size + 50] * 10
    result = world.conda("create", "-p", world.prefix(), "dependency=2.0", "-y")
    one_clear_line(result)
    assert "dependency-2.0-0.conda" in result.err, str(result)
    assert not world.prefix().exists()
    assert not _leftovers(world)


def test_truncated_repodata_keeps_the_previous_cache(world: World, server: HostileServer,
                                                     chan: str) -> None:
    first = world.conda("search", "dependency")
    assert first.code == 0, str(first)
    before = _noarch_cache(world, chan)
    assert before
    body = (server.root / REPODATA.lstrip("/")).read_bytes()
    (server.root / REPODATA.lstrip("/")).write_bytes(body + b" ")  # a new ETag
    server.truncate[REPODATA] = len(body) // 2
    result = world.conda("search", "dependency")
    line = one_clear_line(result)
    assert "repodata.json" in line and ("cut short" in line or "truncated" in line), line
    assert _noarch_cache(world, chan) == before
    assert not _leftovers(world)


def test_repodata_that_is_reset_mid_body(world: World, server: HostileServer,
                                         chan: str) -> None:
    server.reset[REPODATA] = [500] * 10
    result = world.conda("search", "dependency")
    line = one_clear_line(result)
    assert "repodata.json" in line, line
    assert not _noarch_cache(world, chan)


def test_slow_server_past_the_read_timeout(world: World, server: HostileServer,
                                           chan: str) -> None:
    server.slow["/rec/noarch/repodata.json"] = 4.0
    start = time.monotonic()
    result = world.conda("search", "dependency")
    elapsed = time.monotonic() - start
    line = one_clear_line(result)
    assert "read timeout" in line and "repodata.json" in line, line
    assert elapsed < 12, elapsed


def test_package_body_that_stalls_past_the_read_timeout(world: World, server: HostileServer,
                                                        chan: str) -> None:
    server.stall[PKG] = [(200, 3.0)] * 4
    result = world.conda("create", "-p", world.prefix(), "dependency=2.0", "-y")
    one_clear_line(result)
    assert "dependency-2.0-0.conda" in result.err, str(result)
    assert not world.prefix().exists()
    assert not _leftovers(world)


def test_429_with_retry_after_is_honoured(world: World, server: HostileServer,
                                          chan: str) -> None:
    server.fail[REPODATA] = [429]
    server.retry_after = "1"
    start = time.monotonic()
    result = world.conda("search", "dependency", "--json")
    assert result.code == 0, str(result)
    assert "dependency" in result.json()
    assert time.monotonic() - start >= 0.9
    assert server.paths().count(REPODATA) == 2


def test_429_forever_gives_up_after_the_retries(world: World, server: HostileServer,
                                                chan: str) -> None:
    server.fail[REPODATA] = [429] * 20
    server.retry_after = "0"
    result = world.conda("search", "dependency")
    line = one_clear_line(result)
    assert "429" in line and "retries" in line, line
    assert server.paths().count(REPODATA) == 3  # 1 + remote_max_retries


def test_redirect_loop_is_a_clear_error(world: World, server: HostileServer,
                                        chan: str) -> None:
    server.redirect_loop.add(REPODATA)
    result = world.conda("search", "dependency")
    line = one_clear_line(result)
    assert "repodata.json" in line, line
    assert server.paths().count(REPODATA) <= 40


def test_redirect_loop_on_a_package(world: World, server: HostileServer, chan: str) -> None:
    server.redirect_loop.add(PKG)
    result = world.conda("create", "-p", world.prefix(), "dependency=2.0", "-y")
    one_clear_line(result)
    assert "dependency-2.0-0.conda" in result.err, str(result)
    assert not world.prefix().exists()
    assert not _leftovers(world)


def test_fault_during_install_leaves_the_prefix_as_it_was(world: World, server: HostileServer,
                                                          chan: str) -> None:
    created = world.conda("create", "-p", world.prefix(), "dependency=1.0", "-y")
    assert created.code == 0, str(created)
    before = snapshot(world.prefix())
    before.pop(str(world.prefix() / "conda-meta" / ".lock"), None)
    server.reset["/rec/noarch/dependent-2.0-0.conda"] = [300] * 10
    result = world.conda("install", "-p", world.prefix(), "dependent=2.0", "-y")
    one_clear_line(result)
    after = snapshot(world.prefix())
    after.pop(str(world.prefix() / "conda-meta" / ".lock"), None)
    assert after == before
    assert not _leftovers(world)
    listed = world.conda("list", "-p", world.prefix(), "--json")
    assert [r["version"] for r in json.loads(listed.out)] == ["1.0"]


