"""``kill -9`` at random times and at every engine kill point, then judge what is left.

After each crash:

1. a read-only ``conda list -p P --json`` works and every record file is whole;
2. the package cache holds no entry that looks complete but is not, and the repodata cache
   parses (a state file either agrees with its raw file or is one the index ignores);
3. the next mutating command (``conda install`` of a package that does not exist: it
   recovers, then fails to solve) leaves the prefix byte for byte as it was *before* the
   operation or as a serial run leaves it *after*; no journal, no backups;
4. running the operation again completes: the prefix equals the serial run's, no orphan
   files beyond those the serial run's post-link scripts make, no record with missing files,
   ``conda doctor`` clean (when that command exists), caches consistent.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import pytest

from plugins.transaction.killpoints import POINTS
from tests.reliability.conftest import SCENARIOS, Scenario, Slot, Slots
from tests.reliability.harness import (
    Run,
    check_doctor,
    check_package_cache,
    check_records,
    check_repodata_cache,
    diff,
    doctor_available,
    list_json,
    orphans,
    snapshot,
)

pytestmark = pytest.mark.reliability

TRIALS = 20
SEED = 20240917
MISSING = "rel-no-such-package"


@dataclass
class Outcome:
    killed: bool
    state: str  # "before" or "after": what the recovery left
    recovered: str  # what the recovering command said ("rolled back", "completed", "")
    journal: bool  # the crash left a transaction journal


def judge(slots: Slots, slot: Slot, scenario: Scenario, crash: Run, *,
          doctor: bool = False, doctored: set[str] | None = None) -> Outcome:
    """Checks 1-4 of the module docstring after ``crash``; returns what happened.

    ``conda doctor`` runs when ``doctor`` says so, and after a recovery unless ``doctored``
    shows this kind of recovery already got it (the prefix it judges is by then byte for
    byte the serial run's, so a second report would be the same)."""
    ref = slot.reference(scenario)
    prefix, conda = slot.prefix, slot.conda()
    context = f"{scenario.name} trial ({crash.args[-1] if crash.args else ''}), " \
              f"exit {crash.code} after {crash.seconds:.3f}s"
    # 1. read-only view
    names = {item["name"] for item in list_json(conda, prefix)}
    assert names == set(check_records_whole(prefix)), context
    # 2. caches as the crash left them
    check_package_cache(slot.pkgs, slots.channel_dir, slots.trees)
    check_repodata_cache(slot.pkgs)
    # 3. the next mutating command recovers (only needed when a transaction had begun:
    # without a journal nothing was changed yet, or everything was already done)
    said = ""
    journal = (prefix / "conda-meta" / ".journal.jsonl").exists()
    if journal:
        recovery = conda("install", "-p", str(prefix), "-y", MISSING)
        assert recovery.code != 0 and MISSING in recovery.out + recovery.err, recovery.err
        said = "rolled back" if "rolled back" in recovery.err else \
            "completed" if "was found and completed" in recovery.err else ""
        assert said, f"{context}: recovery said nothing: {recovery.err[-2000:]}"
    assert not (prefix / "conda-meta" / ".journal.jsonl").exists(), context
    assert not (prefix / ".condatmp").exists(), context
    state = snapshot(prefix)
    if state == ref.after:
        outcome = "after"
    else:
        assert state == ref.before, f"{context}: recovered prefix is neither the state " \
                                    f"before nor after:\n{diff(state, ref.before)}"
        outcome = "before"
    # 4. the operation completes
    if outcome == "before":
        conda(*scenario.argv(prefix)).ok()
    final = snapshot(prefix)
    assert final == ref.after, f"{context}: final state differs:\n{diff(final, ref.after)}"
    check_records(prefix)
    assert orphans(prefix) <= ref.after_orphans, context
    kind = f"{outcome} {said}"
    if doctor or (journal and (doctored is None or kind not in doctored)):
        if doctored is not None:
            doctored.add(kind)
        check_doctor(conda, prefix)
    check_package_cache(slot.pkgs, slots.channel_dir, slots.trees)
    assert check_repodata_cache(slot.pkgs) >= 1 or scenario.op == "remove", context
    return Outcome(crash.killed or crash.code == 137, outcome, said, journal)


def check_records_whole(prefix: Path) -> set[str]:
    """Record files parse and name their package (files may be missing mid-transaction)."""
    import json

    names = set()
    for path in (prefix / "conda-meta").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert path.name == f"{data['name']}-{data['version']}-{data['build']}.json"
        names.add(data["name"])
    return names


#: tries per trial: a run that ends before its kill time is tried again, aimed at its own
#: length (the machine's load changed since the reference run was timed)
ATTEMPTS = 3


@pytest.mark.parametrize("name", ["install", "update", "remove"])
def test_kill_at_random_times(slots: Slots, name: str) -> None:
    """``TRIALS`` seeded SIGKILLs of the process group at a random fraction of the operation
    (cold package cache, so downloads and extraction are hit too).

    Even seeds aim at the whole run, odd seeds at the transaction: they are killed a random
    fraction of the journal's lifetime after the journal appears. Fractions are of lengths
    this machine just showed -- the serial reference run's at first, then, when a run ends
    (or leaves its transaction) before its kill time, that run's own -- so how busy the
    machine is changes where a kill lands, not whether the run is hit at all.
    """
    scenario = SCENARIOS[name]
    for slot in slots.all:  # references first: the measured lengths are needed
        slot.reference(scenario)

    doctored: set[str] = set()
    retried: dict[int, int] = {}

    def trial(slot: Slot, seed: int) -> Outcome:
        rng = random.Random(f"{SEED}-{name}-{seed}")
        fraction = rng.random()
        ref = slot.reference(scenario)
        inside = seed % 2 == 1 and ref.transaction is not None
        length = ref.transaction if inside and ref.transaction else ref.seconds
        for tries in range(1, ATTEMPTS + 1):
            retried[seed] = tries - 1
            slot.restore(scenario)
            crash = slot.conda().killed_after(fraction * length, *scenario.argv(slot.prefix),
                                              after=slot.journal if inside else None)
            ran = crash.phase if inside else None if crash.killed else crash.seconds
            if ran is None:
                break  # killed before the end of what it aimed at
            length = ran
        where = "of the transaction" if inside else "of the run"
        crash.args.append(f"seed {seed}, kill at {fraction:.3f} {where}, {length:.3f}s")
        return judge(slots, slot, scenario, crash, doctor=seed == 0, doctored=doctored)

    outcomes = slots.run(trial, range(TRIALS))
    killed = sum(o.killed for o in outcomes)
    inside = sum(o.journal for o in outcomes)
    assert len(outcomes) == TRIALS
    assert killed >= TRIALS * 3 // 4, f"only {killed} of {TRIALS} trials were killed mid-way"
    assert inside >= TRIALS // 4, \
        f"only {inside} of {TRIALS} trials were killed inside the transaction"
    print(f"\n{name}: {TRIALS} trials, {killed} killed mid-way, {inside} inside a transaction, "
          f"{sum(o.state == 'before' for o in outcomes)} left the state before, "
          f"{sum(o.recovered == 'rolled back' for o in outcomes)} rolled back by recovery, "
          f"{sum(retried.values())} runs tried again")


#: (scenario, kill point, n): the n-th pass of the point kills the process
KILLS = [("install", point, 1) for point in POINTS] + [
    ("update", "unlink_file", 2), ("update", "unlink_package", 1), ("update", "link_file", 3),
    ("update", "entry_point", 1), ("remove", "unlink_file", 3), ("remove", "unlink_package", 2),
    ("remove", "commit", 1), ("install", "link_file", 7), ("install", "record", 5),
    ("post-link-file", "record", 1), ("post-link-file", "history", 1),
    ("post-link-file", "commit", 1)]
#: points an operation never passes (nothing of that kind to do)
UNREACHED = {("install", "unlink_file"), ("install", "unlink_package")}


def test_every_kill_point(slots: Slots) -> None:
    """``MICROCONDA_TEST_KILL_AT=<point>:<n>`` for every point the engine defines."""
    doctored: set[str] = set()

    def trial(slot: Slot, kill: tuple[str, str, int]) -> tuple[str, Outcome | None]:
        name, point, nth = kill
        scenario = SCENARIOS[name]
        slot.restore(scenario)
        crash = slot.conda()(*scenario.argv(slot.prefix), kill_at=f"{point}:{nth}")
        crash.args.append(f"{point}:{nth}")
        if (name, point) in UNREACHED:
            assert crash.code == 0, crash.err
            return point, None
        assert crash.code == 137, f"{name} never reached {point}:{nth}: {crash.err[-2000:]}"
        outcome = judge(slots, slot, scenario, crash, doctored=doctored)
        # before the commit mark recovery undoes, after it recovery completes
        committed = point in ("commit", "cleanup")
        assert outcome.state == ("after" if committed else "before"), (name, point, nth)
        assert outcome.recovered == ("completed" if committed else "rolled back"), \
            (name, point, nth, outcome)
        return point, outcome

    results = slots.run(trial, KILLS)
    covered = {point for point, outcome in results if outcome is not None}
    assert covered == set(POINTS), f"kill points never reached: {set(POINTS) - covered}"
    print(f"\nkill points: {len(covered)} of {len(POINTS)} covered in {len(KILLS)} trials")


def test_doctor_check_is_skipped_only_when_absent() -> None:
    if not doctor_available():
        pytest.skip("plugins/subcommands/doctor.py does not exist yet: the `conda doctor "
                    "-p P` assertion of the crash tests is skipped")


#: an environment python that dies as ``py_compile`` can: between writing a ``.pyc`` to its
#: temporary name and renaming it -- the whole process group is killed there
DYING_PYTHON = """#!/bin/sh
for list; do :; done
target=$(head -n 1 "$list" | cut -f 2)
mkdir -p "$(dirname "$target")"
printf 'half a pyc' > "$target.140000000000"
kill -9 0
"""


def test_a_compiler_killed_mid_file_leaves_no_temporary_file(slots: Slots) -> None:
    """``kill -9`` while ``.pyc`` files are compiled: recovery leaves the prefix as before."""
    scenario = SCENARIOS["update"]

    def trial(slot: Slot, _: int) -> None:
        slot.restore(scenario)
        python = slot.prefix / "bin" / "python"
        python.unlink()
        python.write_text(DYING_PYTHON)
        python.chmod(0o755)
        before = snapshot(slot.prefix)
        conda = slot.conda()
        crash = conda(*scenario.argv(slot.prefix))
        assert crash.code == -9 and slot.journal.exists(), crash.err[-2000:]
        recovery = conda("install", "-p", str(slot.prefix), "-y", MISSING)
        assert "rolled back" in recovery.err, recovery.err[-2000:]
        assert not (slot.prefix / ".condatmp").exists()
        state = snapshot(slot.prefix)
        assert state == before, diff(state, before)

    slots.run(trial, [0])
