"""conda's options for sharded repodata: ``--[no-]repodata-use-shards`` on the commands
that read channels, and ``repodata_threads`` (how many fetches at once), against a real
server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from plugins.index.shard_format import SHARD_INDEX_FN
from tests.index.test_shards import INDEX2, load, shard_channel, shard_gets
from tests.network.server import ChannelServer

SUBDIRS = ["linux-64", "noarch"]


@pytest.fixture
def sharded(server: ChannelServer, channel_dir: Any) -> str:
    shard_channel(channel_dir(INDEX2, "sharded"))
    return f"{server.url}/sharded"


def _run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: dict[str, Any],
         *argv: str) -> int:
    from kernel.cli import main
    from plugins.reporters import console
    from plugins.reporters import json as json_backend
    from tests.network.helpers import configure_run

    configure_run(tmp_path, monkeypatch, settings, console, json_backend,
                  fake_reporters=False)
    return main(list(argv))


def _conda(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: dict[str, Any],
           *argv: str) -> int:
    """``conda ARGV`` in this process with every installed plugin (the whole command)."""
    import kernel.config
    import kernel.manager
    import kernel.reporting
    from kernel.cli import main
    from kernel.session import clear_sessions

    condarc = tmp_path / "condarc"
    condarc.write_text(json.dumps({"pkgs_dirs": [str(tmp_path / "pkgs")], **settings}))
    monkeypatch.setenv("CONDARC", str(condarc))
    kernel.config.set_config(None)
    kernel.manager.set_plugin_manager(None)
    kernel.reporting.reset()
    clear_sessions()
    return main(list(argv))


def _read_repodata_json(server: ChannelServer) -> bool:
    return any(p.endswith("/linux-64/repodata.json") for p in server.paths())


def test_search_no_repodata_use_shards_reads_repodata_json(
        sharded: str, server: ChannelServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(tmp_path, monkeypatch, {"channels": [sharded], "subdirs": SUBDIRS},
                "search", "numpy>=1.13", "--json", "--no-repodata-use-shards") == 0
    assert json.loads(capsys.readouterr().out)["numpy"]
    assert not any(p.endswith(".msgpack.zst") for p in server.paths())
    assert _read_repodata_json(server)


def test_search_repodata_use_shards_overrides_the_condarc(
        sharded: str, server: ChannelServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(tmp_path, monkeypatch, {"channels": [sharded], "subdirs": SUBDIRS,
                                        "repodata_use_shards": False},
                "search", "numpy>=1.13", "--json", "--repodata-use-shards") == 0
    assert json.loads(capsys.readouterr().out)["numpy"]
    assert len(shard_gets(server)) == 1
    assert not _read_repodata_json(server)


@pytest.mark.parametrize(("flag", "shards"), [("--no-repodata-use-shards", False),
                                              ("--repodata-use-shards", True)])
def test_create_takes_the_flag(sharded: str, server: ChannelServer, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str], flag: str,
                               shards: bool) -> None:
    settings = {"channels": [sharded], "subdirs": SUBDIRS, "root_prefix": str(tmp_path / "r"),
                "envs_dirs": [str(tmp_path / "envs")], "register_envs": False,
                "repodata_use_shards": not shards}
    monkeypatch.setenv("CONDA_SUBDIR", "linux-64")
    assert _conda(tmp_path, monkeypatch, settings, "create", "-n", "t", "--dry-run",
                  "--json", flag, "numpy") == 0
    linked = json.loads(capsys.readouterr().out)["actions"]["LINK"]
    assert any(r["name"] == "numpy" for r in linked)
    assert bool(shard_gets(server)) is shards
    assert _read_repodata_json(server) is not shards


def _is_shard(path: str) -> bool:
    return path.endswith(".msgpack.zst") and not path.endswith(SHARD_INDEX_FN)


def test_repodata_threads_one_fetches_one_thing_at_a_time(
        sharded: str, server: ChannelServer, configure: Any) -> None:
    configure(subdirs=SUBDIRS, repodata_threads=1)
    index = load(sharded)
    index.preload(sorted(index.names())[:12])
    assert len(shard_gets(server)) >= 12
    assert server.max_in_flight == 1  # the shard walk, and the subdirs before it


@pytest.mark.parametrize(("setting", "at_once"), [(None, 10), (0, 10), (4, 4)])
def test_repodata_threads_is_how_many_shards_are_fetched_at_once(
        sharded: str, server: ChannelServer, configure: Any, setting: int | None,
        at_once: int) -> None:
    """The first ``at_once`` shard requests wait at the server until that many are in
    flight together (refused if they never are); unset or 0 means conda's 10."""
    server.together = (_is_shard, threading.Barrier(at_once, timeout=30))
    configure(subdirs=SUBDIRS, **({} if setting is None else {"repodata_threads": setting}))
    index = load(sharded)
    index.preload(sorted(index.names())[:24])
    assert len(shard_gets(server)) >= 24
    assert server.max_in_flight == at_once


def test_repodata_threads_reads_and_shows_as_condas(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert _conda(tmp_path, monkeypatch, {}, "config", "--show", "repodata_threads",
                "repodata_use_shards") == 0
    assert capsys.readouterr().out.splitlines() == ["repodata_threads: None",
                                                    "repodata_use_shards: True"]
    assert _conda(tmp_path, monkeypatch, {}, "config", "--describe", "repodata_threads") == 0
    assert "# repodata_threads: 0" in capsys.readouterr().out.splitlines()
    monkeypatch.setenv("CONDA_REPODATA_THREADS", "3")
    assert _conda(tmp_path, monkeypatch, {}, "config", "--show", "repodata_threads",
                "--json") == 0
    assert json.loads(capsys.readouterr().out) == {"repodata_threads": 3}
    monkeypatch.setenv("CONDA_REPODATA_THREADS", "-1")
    assert _conda(tmp_path, monkeypatch, {}, "config", "--show", "repodata_threads") != 0
    assert "CONDA_REPODATA_THREADS" in capsys.readouterr().err
