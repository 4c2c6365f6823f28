"""Many real ``conda`` processes at once: on one prefix, and on many prefixes sharing one
package cache. Every command completes (waiting for the prefix lock when it must), the end
state is the one a serial run of the same commands gives, and no cache entry is corrupt.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence

import pytest

from tests.reliability.conftest import Slots
from tests.reliability.harness import (
    TIMEOUT,
    Conda,
    check_doctor,
    check_package_cache,
    check_records,
    check_repodata_cache,
    diff,
    kill_group,
    orphans,
    snapshot,
)

pytestmark = pytest.mark.reliability

BASE = ("versioned=1.0", "track_feature=1.0", "python", "post_link-b",
        "dependency=1.0")
#: five installs and five removes that do not depend on each other: any order gives one state
ONE_PREFIX_OPS = [("install", "clobber-a"), ("install", "small-executable"),
                  ("install", "activate_deactivate_package"),
                  ("install", "post_link_run_in_env_package"),
                  ("install", "pre_link_messages_package"),
                  ("remove", "versioned"), ("remove", "track_feature"),
                  ("remove", "python"), ("remove", "post_link-b"),
                  ("remove", "dependency")]
#: package sets for ten new prefixes; they overlap, so ten processes fetch the same packages
CREATE_SETS = [("post_link-c", "dependent=1.0", "activate_deactivate_package"),
               ("post_link-d", "dependent=2.0", "clobber-a", "versioned=2.0"),
               ("post_link-c", "python", "versioned=2.0", "dependent=2.0")]


def run_all(conda: Conda, commands: Sequence[Sequence[str]]) -> list[tuple[int, str]]:
    """Start every command at once; wait for all; ``[(exit code, stderr)]``."""
    procs = [conda.popen(*args) for args in commands]
    results = []
    for proc in procs:
        try:
            _, err = proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            for p in procs:
                kill_group(p)
            raise AssertionError("a concurrent conda command hung") from None
        results.append((proc.returncode, err))
    return results


def without_history(state: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in state.items() if k != "conda-meta/history"}


def test_ten_processes_on_one_prefix(slots: Slots) -> None:
    root = slots.root / "one-prefix"
    serial, concurrent = root / "serial" / "env", root / "concurrent" / "env"
    # the serial reference, one command after the other
    conda = Conda(root / "home", slots.channel, root / "serial-pkgs")
    conda("create", "-p", str(serial), "-y", *BASE).ok()
    for op, spec in ONE_PREFIX_OPS:
        conda(op, "-p", str(serial), "-y", spec).ok()
    # the same ten commands at once, on a cold package cache
    conda = Conda(root / "home", slots.channel, root / "pkgs")
    Conda(root / "home", slots.channel, root / "base-pkgs")(
        "create", "-p", str(concurrent), "-y", *BASE).ok()
    results = run_all(conda, [(op, "-p", str(concurrent), "-y", spec)
                              for op, spec in ONE_PREFIX_OPS])
    failed = [(ONE_PREFIX_OPS[i], err[-1500:]) for i, (code, err) in enumerate(results) if code]
    assert not failed, failed
    records = check_records(concurrent)
    assert {n: r["version"] for n, r in records.items()} == \
        {n: r["version"] for n, r in check_records(serial).items()}
    got, want = without_history(snapshot(concurrent)), without_history(snapshot(serial))
    assert got == want, diff(got, want)
    assert orphans(concurrent) == orphans(serial)
    assert not (concurrent / "conda-meta" / ".journal.jsonl").exists()
    history = (concurrent / "conda-meta" / "history").read_text()
    assert history.count("# cmd:") == 1 + len(ONE_PREFIX_OPS)
    check_doctor(conda, concurrent)
    check_package_cache(root / "pkgs", slots.channel_dir, slots.trees)
    check_repodata_cache(root / "pkgs")  # whole files; the state may lag (see below)


def test_ten_prefixes_share_one_package_cache(slots: Slots) -> None:
    root = slots.root / "shared-cache"
    # serial references, one per package set, each with its own cache
    refs = []
    for i, specs in enumerate(CREATE_SETS):
        prefix = root / f"ref{i}"
        Conda(root / "home", slots.channel, root / f"ref-pkgs{i}")(
            "create", "-p", str(prefix), "-y", *specs).ok()
        refs.append(without_history(snapshot(prefix)))
    conda = Conda(root / "home", slots.channel, root / "pkgs")
    prefixes = [root / f"env{i}" for i in range(10)]
    commands = [("create", "-p", str(p), "-y", *CREATE_SETS[i % len(CREATE_SETS)])
                for i, p in enumerate(prefixes)]
    results = run_all(conda, commands)
    failed = [(commands[i], err[-1500:]) for i, (code, err) in enumerate(results) if code]
    assert not failed, failed
    for i, prefix in enumerate(prefixes):
        check_records(prefix)
        got, want = without_history(snapshot(prefix)), refs[i % len(CREATE_SETS)]
        assert got == want, f"{prefix}:\n{diff(got, want)}"
    complete = check_package_cache(root / "pkgs", slots.channel_dir, slots.trees)
    wanted = {r["fn"] for p in prefixes for r in check_records(p).values()}
    assert complete == len(wanted)
    # Ten processes committing the same repodata race between the raw file and its state
    # (plugins/index: the state is stamped from a fresh stat of whatever raw file is there
    # when it is written): the state left may describe a raw file another process replaced.
    # The index ignores such a state and fetches again, so the next command heals it.
    check_repodata_cache(root / "pkgs")
    conda("search", "--override-channels", "-c", slots.channel, "versioned").ok()
    assert check_repodata_cache(root / "pkgs") >= 1
    # then ten removals at once, on the same prefixes: each leaves what a serial one leaves
    results = run_all(conda, [("remove", "-p", str(p), "-y", "dependency") for p in prefixes])
    assert not [err for code, err in results if code]
    for prefix in prefixes:
        records = check_records(prefix)
        assert "dependency" not in records and "dependent" not in records
        assert not orphans(prefix) - {"bin/file"}
    check_doctor(conda, prefixes[0])
    shutil.rmtree(root, ignore_errors=True)


def test_same_package_from_several_processes(slots: Slots) -> None:
    """Six commands install two versions of one package at once: each plan was made before
    its command held the lock, yet the prefix ends with exactly one record for the name
    (found: two records, ``versioned-1.0`` and ``versioned-2.0``, before the fix)."""
    root = slots.root / "same-package"
    prefix = root / "env"
    conda = Conda(root / "home", slots.channel, root / "pkgs")
    conda("create", "-p", str(prefix), "-y", "post_link-b").ok()
    conda("install", "-p", str(prefix), "-y", "--download-only", "versioned=1.0").ok()
    conda("install", "-p", str(prefix), "-y", "--download-only", "versioned=2.0").ok()
    versions = ["1.0", "2.0"] * 3
    results = run_all(conda, [("install", "-p", str(prefix), "-y", f"versioned={v}")
                              for v in versions])
    assert not [err for code, err in results if code]
    records = check_records(prefix)
    assert sorted(records) == ["post_link-b", "versioned"]
    assert records["versioned"]["version"] in ("1.0", "2.0")
    assert not orphans(prefix)
    check_doctor(conda, prefix)
