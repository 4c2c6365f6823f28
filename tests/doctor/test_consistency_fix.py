"""``conda doctor --fix`` for ``consistency`` solves against the environment's own channels,
honours ``-c``/``--override-channels``/``--offline``, and reports a failed attempt once."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.doctor.conftest import failing
from tests.doctor.test_breakages import remove_dependency_record, unregister
from tests.environment.conftest import Result
from tests.network.server import ChannelServer


@pytest.fixture
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ChannelServer]:
    """A real HTTP channel on 127.0.0.1 made the configured channel; it has no packages, so
    a solve that consulted it would fail (and it logs every request)."""
    root = tmp_path / "configured-srv"
    root.mkdir()
    server = ChannelServer(root).start()
    monkeypatch.setenv("CONDA_CHANNELS", f"{server.url}/empty")
    yield server
    server.stop()


@pytest.fixture
def broken(env: Path, configured: ChannelServer) -> Path:
    """The environment with a dependency's record removed; configured channels elsewhere."""
    remove_dependency_record(env)
    return env


def test_fix_uses_the_environments_own_channels(broken: Path, doctor,
                                                configured: ChannelServer) -> None:
    fixed = doctor("-p", broken, "consistency", "--fix", "-y")
    assert [(f["name"], f["status"]) for f in fixed["fixes"]] == [("consistency", "fixed")], \
        fixed["fixes"]
    assert failing(fixed) == set()
    assert (broken / "conda-meta" / "dependency-1.0-0.json").is_file()
    assert configured.paths() == []


def test_fix_works_offline_from_a_local_channel(broken: Path, doctor, doctor_setup: Path,
                                                configured: ChannelServer) -> None:
    shutil.rmtree(doctor_setup / "cache")  # no cached repodata: file:// is read offline
    fixed = doctor("-p", broken, "consistency", "--fix", "-y", "--offline")
    assert [f["status"] for f in fixed["fixes"]] == ["fixed"], fixed["fixes"]
    assert configured.paths() == []


def test_override_channels_uses_only_the_given_channel(broken: Path, doctor, recipes: str,
                                                       tmp_path: Path) -> None:
    moved = tmp_path / "moved-channel"
    shutil.move(recipes[len("file://"):], moved)  # the environment's own channel is gone
    gone = doctor("-p", broken, "consistency", "--fix", "-y")
    assert [f["status"] for f in gone["fixes"]] == ["failed"]
    assert "channel not found" in gone["fixes"][0]["error"]
    fixed = doctor("-p", broken, "consistency", "--fix", "-y", "--override-channels",
                   "-c", moved.as_uri())
    assert [f["status"] for f in fixed["fixes"]] == ["fixed"], fixed["fixes"]
    assert failing(fixed) == set()


def test_a_fix_that_cannot_reach_its_channel_is_attempted_once(
        broken: Path, conda: Callable[..., Result], recipes: str, tmp_path: Path) -> None:
    shutil.rmtree(recipes[len("file://"):])
    unregister(broken)  # a second failing check whose fix succeeds
    done = conda("doctor", "-p", broken, "--fix", "-y")
    assert done.code == 1
    assert done.out.count("'consistency': ") == 1, done.out
    assert done.out.count("fixing 'consistency' failed: ") == 1, done.out

