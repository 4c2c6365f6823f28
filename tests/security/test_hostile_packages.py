"""Hostile packages through the full install path: ``conda index``, then ``conda install``.

Every package is refused with one clear line, nothing is written outside the package cache
and the prefix, and the prefix is exactly as it was (its files, records and history).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.engine.pkgbuild import build_package
from tests.security.conftest import (
    HostileServer,
    World,
    new_world,
    one_clear_line,
    snapshot,
)
from tests.security.hostile import Case, build_archive, cases

pytestmark = pytest.mark.security

MiB = 1 << 20


@dataclass
class Setup:
    world: World
    server: HostileServer
    channel: Path
    outside: Path
    by_id: dict[str, tuple[Case, str]]
    indexed_by_hand: list[str]

    @property
    def url(self) -> str:
        return f"{self.server.url}/evil"


def _write_repodata(subdir: Path, repodata: dict[str, object]) -> None:
    import zstandard

    raw = json.dumps(repodata, indent=2, sort_keys=True).encode()
    (subdir / "repodata.json").write_bytes(raw)
    (subdir / "repodata.json.zst").write_bytes(zstandard.ZstdCompressor().compress(raw))


def _record(path: Path) -> dict[str, object]:
    data = path.read_bytes()
    name = path.name.rsplit("-", 2)[0]
    return {"name": name, "version": "1.0", "build": "0", "build_number": 0,
            "depends": [], "subdir": "noarch", "size": len(data),
            "md5": hashlib.md5(data).hexdigest(), "sha256": hashlib.sha256(data).hexdigest()}


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    root = tmp_path_factory.mktemp("hostile")
    world = new_world(root / "w")
    outside = root / "w" / "outside"
    outside.mkdir()
    (outside / "victim.txt").write_text("victim\n")
    server = HostileServer(root / "srv").start() if (root / "srv").mkdir() is None else None
    assert server is not None
    channel = root / "srv" / "evil"
    noarch = channel / "noarch"
    noarch.mkdir(parents=True)
    build_package(str(noarch), "honest", files={"share/honest.txt": b"honest\n"},
                  subdir="noarch")
    by_id: dict[str, tuple[Case, str]] = {}
    all_cases = cases(outside)
    for case in all_cases:
        for fmt in case.fmts:
            build_archive(case, fmt, noarch)
            by_id[f"{case.name}{fmt}"] = (case, fmt)
    indexed = world.conda("index", channel, "--skip-invalid")
    assert indexed.code == 0, str(indexed)
    repodata = json.loads((noarch / "repodata.json").read_text())
    known = {**repodata["packages"], **repodata["packages.conda"]}
    by_hand = []
    for archive in sorted(noarch.iterdir()):
        if archive.name.endswith((".conda", ".tar.bz2")) and archive.name not in known:
            key = "packages.conda" if archive.name.endswith(".conda") else "packages"
            repodata[key][archive.name] = _record(archive)
            by_hand.append(archive.name)
    for case in all_cases:  # lies told after the channel was indexed
        if case.mangle is not None and case.after_index:
            for fmt in case.fmts:
                path = noarch / f"{case.package(fmt)}-1.0-0{fmt}"
                path.write_bytes(case.mangle(path.read_bytes()))
    _write_repodata(noarch, repodata)
    created = world.conda("create", "-p", world.prefix(), "honest", "-y", "-c",
                          f"{server.url}/evil", "--override-channels")
    assert created.code == 0, str(created)
    yield Setup(world, server, channel, outside, by_id, by_hand)
    server.stop()


def _outside_state(s: Setup) -> dict[str, tuple[int, int, int]]:
    prefix = snapshot(s.world.root / "envs")
    prefix.pop(str(s.world.prefix() / "conda-meta" / ".lock"), None)  # the lock's mtime
    return {**snapshot(s.outside), **prefix,
            "/etc/hostname": os.stat("/etc/hostname")[:] if os.path.exists(
                "/etc/hostname") else (0, 0, 0)}  # type: ignore[dict-item]


IDS = [f"{c.name}{fmt}" for c in cases(Path("/x")) for fmt in c.fmts]


@pytest.mark.parametrize("case_id", IDS)
def test_hostile_package_is_refused(setup: Setup, case_id: str) -> None:
    case, fmt = setup.by_id[case_id]
    world = setup.world
    before = _outside_state(setup)
    history = (world.prefix() / "conda-meta" / "history").read_bytes()
    result, rss_kib = world.conda_measured("install", "-p", world.prefix(),
                                           case.package(fmt), "-y", "-c", setup.url,
                                           "--override-channels")
    line = one_clear_line(result)
    assert len(line) < 600, line
    after = _outside_state(setup)
    diff = sorted(k for k in {*before, *after} if before.get(k) != after.get(k))
    assert not diff, f"{case_id} changed {diff}: {result}"
    assert (world.prefix() / "conda-meta" / "history").read_bytes() == history
    assert not list(setup.outside.glob("*pwned*"))
    assert rss_kib < 400 * 1024, f"{case_id}: peak RSS {rss_kib} KiB"
    assert _disk_use(world.pkgs) < 64 * MiB, f"{case_id}: package cache grew too large"
    leftovers = [p.name for p in world.pkgs.iterdir() if p.name.endswith(".extracting")]
    assert not leftovers, leftovers


def _disk_use(root: Path) -> int:
    return sum(p.lstat().st_size for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("scheme", ["http", "file"])
@pytest.mark.parametrize("lie", ["same-size", "grown", "shrunk"])
def test_archive_that_disagrees_with_repodata_is_refused(
        setup: Setup, tmp_path: Path, scheme: str, lie: str) -> None:
    """size/sha256 in repodata win: a swapped archive is fetched, checked, refused."""
    world = setup.world
    folder = setup.channel.parent / f"lies-{scheme}-{lie}"
    noarch = folder / "noarch"
    noarch.mkdir(parents=True)
    path, _ = build_package(str(noarch), f"liar-{lie}", files={"share/x.txt": b"x" * 4000},
                            subdir="noarch")
    assert world.conda("index", folder).code == 0
    data = Path(path).read_bytes()
    changed = {"same-size": data[:-1] + bytes([data[-1] ^ 1]), "grown": data + b"\0" * 10,
               "shrunk": data[:-10]}[lie]
    Path(path).write_bytes(changed)
    url = folder.as_uri() if scheme == "file" else f"{setup.server.url}/{folder.name}"
    before = _outside_state(setup)
    result = world.conda("install", "-p", world.prefix(), f"liar-{lie}", "-y", "-c", url,
                         "--override-channels")
    line = one_clear_line(result)
    assert "liar" in line and ("sha256" in line or "bytes" in line or "size" in line), line
    assert _outside_state(setup) == before
    assert not [p for p in world.pkgs.iterdir() if p.name.startswith(f"liar-{lie}")
                and not p.name.endswith((".conda", ".tar.bz2"))], "refused archive extracted"


def test_the_prefix_still_works_after_every_attack(setup: Setup) -> None:
    """After all the refusals the environment is intact and can still change."""
    world = setup.world
    listed = world.conda("list", "-p", world.prefix(), "--json")
    assert listed.code == 0 and [r["name"] for r in listed.json()] == ["honest"], str(listed)
    assert (world.prefix() / "share" / "honest.txt").read_text() == "honest\n"
    removed = world.conda("remove", "-p", world.prefix(), "honest", "-y")
    assert removed.code == 0, str(removed)
    assert not (world.prefix() / "share" / "honest.txt").exists()


def test_channel_indexed_with_conda_index(setup: Setup) -> None:
    """Most hostile packages went through ``conda index``; only those it cannot read (bombs,
    broken zips) were added by hand, as a hostile channel would serve them anyway."""
    assert len(setup.indexed_by_hand) < len(setup.by_id) // 2, setup.indexed_by_hand
