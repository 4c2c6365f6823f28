"""Crash safety: ``kill -9`` (``os._exit(137)``) at deterministic points, then recovery.

Every kill before the commit mark must leave, after ``recover``, the prefix exactly as it
was (same paths, same bytes, no backups, no journal); a kill after the commit mark must be
completed by ``recover``. ``conda-meta`` must be readable in every case.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from plugins.prefix import History, PrefixData
from plugins.transaction import Transaction, needs_recovery, recover
from tests.conftest import REPO
from tests.engine.pkgbuild import FileSpec, build_package, snapshot

pytestmark = pytest.mark.reliability

BEFORE_COMMIT = ["journal_begin:1", "unlink_file:1", "unlink_file:3", "unlink_package:1",
                 "unlink_package:2", "link_file:1", "link_file:4", "link_package:1",
                 "entry_point:1", "record:1", "record:2", "history:1"]
AFTER_COMMIT = ["commit:1", "cleanup:1"]


def spawn(spec: dict, tmp_path: Path, kill_at: str | None = None,
          **popen) -> subprocess.Popen:  # type: ignore[type-arg]
    path = tmp_path / f"spec-{time.monotonic_ns()}.json"
    path.write_text(json.dumps(spec))
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.pop("MICROCONDA_TEST_KILL_AT", None)
    if kill_at:
        env["MICROCONDA_TEST_KILL_AT"] = kill_at
    return subprocess.Popen([sys.executable, "-m", "tests.engine.driver", "transact",
                             str(path)], cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **popen)


@pytest.fixture
def scenario(tmp_path: Path, channel: Path) -> dict:
    """An environment with old/keep/python installed, and an update to apply."""
    def pkg(name: str, version: str = "1.0", **kw) -> dict:  # type: ignore[no-untyped-def]
        return build_package(str(channel), name, version, "0", **kw)[1]

    python = pkg("python", "3.11.0")
    old = pkg("old", files={"bin/old": b"old\n", "share/old/a": b"a", "share/old/b": b"b",
                            "share/shared.txt": b"old version\n"})
    keep = pkg("keep", files={"lib/keep.txt": b"keep\n"})
    new = pkg("new", "2.0", files={"bin/new": FileSpec(b"#!/bin/sh\n", executable=True),
                                   "share/new/x": b"x", "share/new/y": b"y",
                                   "share/shared.txt": b"new version\n"})
    tool = pkg("tool", "1.0", noarch="python", files={"site-packages/tool.py": b"X = 1\n"},
               entry_points=["tool = tool:main"])
    prefix = tmp_path / "env"
    Transaction(str(prefix), (), [python, old, keep], ["old", "keep"], (), "setup",
                progress=False).execute()
    return {"prefix": str(prefix), "unlink": [old, keep], "link": [new, tool],
            "specs": ["new", "tool"], "cmd": "conda install new tool"}


def assert_clean(prefix: Path) -> None:
    assert not needs_recovery(str(prefix))
    assert not (prefix / ".condatmp").exists()
    PrefixData(str(prefix)).raw_records()  # readable


@pytest.mark.parametrize("kill_at", BEFORE_COMMIT)
def test_kill_before_commit_is_rolled_back(scenario: dict, tmp_path: Path, kill_at: str) -> None:
    prefix = Path(scenario["prefix"])
    before = snapshot(str(prefix))
    proc = spawn(scenario, tmp_path, kill_at)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 137, err
    assert needs_recovery(str(prefix))
    assert recover(str(prefix), quiet=True) == "rolled back"
    assert_clean(prefix)
    assert snapshot(str(prefix)) == before


@pytest.mark.parametrize("kill_at", AFTER_COMMIT)
def test_kill_after_commit_is_completed(scenario: dict, tmp_path: Path, kill_at: str) -> None:
    prefix = Path(scenario["prefix"])
    proc = spawn(scenario, tmp_path, kill_at)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 137, err
    assert recover(str(prefix), quiet=True) == "completed"
    assert_clean(prefix)
    records = PrefixData(str(prefix)).raw_records()
    assert sorted(records) == ["new", "python", "tool"]
    for record in records.values():
        assert all(os.path.lexists(prefix / f) for f in record["files"])
    assert (prefix / "share/shared.txt").read_text() == "new version\n"
    assert not (prefix / "bin/old").exists()
    assert History(str(prefix)).revisions()[-1].update_specs == ["new", "tool"]


def test_next_command_recovers_then_runs(scenario: dict, tmp_path: Path) -> None:
    prefix = Path(scenario["prefix"])
    proc = spawn(scenario, tmp_path, "link_file:2")
    proc.communicate(timeout=60)
    assert proc.returncode == 137
    proc = spawn(scenario, tmp_path)  # the driver calls recover() first, as commands do
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "rolled back" in err
    assert_clean(prefix)
    assert sorted(PrefixData(str(prefix)).raw_records()) == ["new", "python", "tool"]


def test_kill_while_creating_an_environment_removes_it(tmp_path: Path, channel: Path) -> None:
    rec = build_package(str(channel), "solo", files={"a": b"a", "b": b"b"})[1]
    prefix = tmp_path / "fresh"
    proc = spawn({"prefix": str(prefix), "link": [rec]}, tmp_path, "link_file:2")
    proc.communicate(timeout=60)
    assert proc.returncode == 137
    assert recover(str(prefix), quiet=True) == "rolled back"
    assert not prefix.exists()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_during_a_post_link_script_rolls_back(
        scenario: dict, tmp_path: Path, channel: Path, sig: signal.Signals) -> None:
    prefix = Path(scenario["prefix"])
    marker = tmp_path / "script-started"
    slow = build_package(str(channel), "slow", files={
        "bin/.slow-post-link.sh": f"touch '{marker}'\nsleep 30\n".encode(),
        "share/slow.txt": b"slow"})[1]
    before = snapshot(str(prefix))
    proc = spawn({**scenario, "link": [*scenario["link"], slow]}, tmp_path)
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert marker.exists(), proc.stderr.read() if proc.poll() is not None else "no start"
    proc.send_signal(sig)
    proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert_clean(prefix)
    assert snapshot(str(prefix)) == before


def test_keyboard_interrupt_in_process_rolls_back(scenario: dict,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import plugins.transaction.link_unlink as link_unlink

    prefix = Path(scenario["prefix"])
    before = snapshot(str(prefix))

    def interrupt(name: str) -> None:
        if name == "record":
            raise KeyboardInterrupt

    monkeypatch.setattr(link_unlink, "kill_point", interrupt)
    with pytest.raises(KeyboardInterrupt):
        Transaction(scenario["prefix"], scenario["unlink"], scenario["link"],
                    progress=False).execute()
    assert_clean(prefix)
    assert snapshot(str(prefix)) == before


@pytest.mark.parametrize("nth", range(1, 8))
def test_kill_during_recovery_is_resumed(scenario: dict, tmp_path: Path, nth: int) -> None:
    """Recovery killed after undoing its n-th step (before marking it undone): the next
    ``recover()`` finishes the rollback and the prefix is byte-for-byte the original.

    The scenario's seven steps include ``share/shared.txt`` removed (old) then created
    (new): undoing the create again after the remove was undone would delete the restored
    file, which the ``undone`` marks prevent."""
    prefix = Path(scenario["prefix"])
    before = snapshot(str(prefix))
    proc = spawn(scenario, tmp_path, "history:1")
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 137, err
    proc = spawn(scenario, tmp_path, f"rollback_step:{nth}")  # the driver recovers first
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 137, err
    assert needs_recovery(str(prefix))
    assert recover(str(prefix), quiet=True) == "rolled back"
    assert_clean(prefix)
    assert snapshot(str(prefix)) == before


def test_recovery_killed_twice_then_resumed(scenario: dict, tmp_path: Path) -> None:
    prefix = Path(scenario["prefix"])
    before = snapshot(str(prefix))
    for kill_at in ("record:1", "rollback_step:1", "rollback_step:2"):
        proc = spawn(scenario, tmp_path, kill_at)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 137, (kill_at, err)
    assert recover(str(prefix), quiet=True) == "rolled back"
    assert_clean(prefix)
    assert snapshot(str(prefix)) == before


def test_undone_marks_follow_a_line_cut_short(scenario: dict, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash mid-line leaves a partial intent line; rollback cuts it off before appending
    its ``undone`` marks, or they would never be read back."""
    import plugins.transaction.journal as journal_mod

    prefix = Path(scenario["prefix"])
    before = snapshot(str(prefix))
    proc = spawn(scenario, tmp_path, "history:1")
    proc.communicate(timeout=60)
    assert proc.returncode == 137
    with open(journal_mod.journal_path(str(prefix)), "ab") as f:
        f.write(b'{"op":"crea')
    calls = []

    def die_second(name: str) -> None:
        calls.append(name)
        if len(calls) == 2:
            raise RuntimeError("killed")

    monkeypatch.setattr(journal_mod, "kill_point", die_second)
    with pytest.raises(RuntimeError):
        recover(str(prefix), quiet=True)
    loaded = journal_mod.Journal.load(str(prefix))
    assert loaded is not None
    assert [s["undone"] for s in loaded.steps].count(True) == 1
    monkeypatch.undo()
    assert recover(str(prefix), quiet=True) == "rolled back"
    assert_clean(prefix)
    assert snapshot(str(prefix)) == before
