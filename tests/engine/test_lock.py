"""The prefix lock between processes: waiting, timing out, never interleaving."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kernel.errors import PrefixError
from plugins.prefix import History, PrefixData
from plugins.transaction import PrefixLock
from tests.conftest import REPO
from tests.engine.pkgbuild import build_package
from tests.engine.test_crash import spawn

pytestmark = pytest.mark.reliability


def hold(prefix: Path, seconds: float) -> subprocess.Popen:  # type: ignore[type-arg]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen([sys.executable, "-m", "tests.engine.driver", "hold", str(prefix),
                             str(seconds)], cwd=REPO, env=env, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_a_held_lock_times_out_naming_the_holder(tmp_path: Path) -> None:
    prefix = tmp_path / "env"
    holder = hold(prefix, 5)
    try:
        start = time.monotonic()
        with pytest.raises(PrefixError, match=f"held by process {holder.pid}"):
            PrefixLock(str(prefix), timeout=0.3).acquire()
        assert time.monotonic() - start < 3
    finally:
        holder.kill()
        holder.wait()


def test_a_waiting_command_says_so_then_proceeds(tmp_path: Path) -> None:
    prefix = tmp_path / "env"
    holder = hold(prefix, 0.8)
    notices: list[str] = []
    start = time.monotonic()
    with PrefixLock(str(prefix), timeout=30, notice_after=0.1, notice=notices.append):
        assert time.monotonic() - start > 0.5  # we got it only after the holder let go
    assert notices and "Waiting for another conda command" in notices[0]
    holder.wait()


def test_the_lock_dies_with_a_killed_holder(tmp_path: Path) -> None:
    prefix = tmp_path / "env"
    holder = hold(prefix, 60)
    holder.kill()
    holder.wait()
    with PrefixLock(str(prefix), timeout=2):
        pass


def test_two_transactions_on_one_prefix_never_interleave(tmp_path: Path,
                                                         channel: Path) -> None:
    prefix = tmp_path / "env"
    slow_files = {f"share/a/{i}": b"a" for i in range(200)}
    a = build_package(str(channel), "a", files={**slow_files,
                      "bin/.a-post-link.sh": b"sleep 0.5\n"})[1]
    b = build_package(str(channel), "b", files={f"share/b/{i}": b"b" for i in range(200)})[1]
    first = spawn({"prefix": str(prefix), "link": [a], "specs": ["a"]}, tmp_path)
    time.sleep(0.2)
    second = spawn({"prefix": str(prefix), "link": [b], "specs": ["b"]}, tmp_path)
    for proc in (first, second):
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    assert sorted(PrefixData(str(prefix)).raw_records()) == ["a", "b"]
    revisions = History(str(prefix)).revisions()
    assert [len(r.linked) for r in revisions] == [1, 1]
    assert {r.update_specs[0] for r in revisions} == {"a", "b"}
