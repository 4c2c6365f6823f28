"""Health check ``interrupted-transaction``: no journal of a crashed command is left.

A transaction writes ``conda-meta/.journal.jsonl`` before it changes anything and deletes
it last; one left behind means a command was killed part-way. The next mutating command
would recover it anyway, but until then the prefix may be half-changed. A journal whose
writer still holds the prefix lock belongs to a command that is running now, and is fine.
The fixer runs the engine's ``recover()``: roll back, or complete a committed transaction.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from kernel import hookimpl
from kernel.types import CondaHealthCheck

NAME = "interrupted-transaction"


def _lock_held(prefix: str) -> bool:
    from plugins.prefix import filelock

    path = os.path.join(prefix, "conda-meta", ".lock")
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return False
    try:
        if filelock.try_lock(fd):
            filelock.unlock(fd)
            return False
        return True
    finally:
        os.close(fd)


def check(prefix: str, verbose: bool) -> None:
    from plugins.health_checks import report
    from plugins.transaction import needs_recovery
    from plugins.transaction.journal import Journal, journal_path

    if not needs_recovery(prefix):
        report.ok("No interrupted transaction.")
        return
    if _lock_held(prefix):
        report.ok("A transaction is running in this environment right now.")
        return
    journal = Journal.load(prefix)
    if journal is None:
        report.ok("No interrupted transaction.")
        return
    outcome = "completed" if journal.committed else "rolled back"
    report.problem(f"An interrupted transaction ({journal.txid}) was left; it will be "
                   f"{outcome}.", txid=journal.txid, committed=journal.committed,
                   steps=len(journal.steps), journal=journal_path(prefix),
                   details=[f"journal: {journal_path(prefix)}",
                            f"started by process {journal.header.get('pid', '?')}, "
                            f"{len(journal.steps)} step(s) recorded"])


def fix(prefix: str, args: Any) -> int:
    from kernel import reporting
    from plugins.transaction import recover

    outcome = recover(prefix, quiet=True)
    if outcome:
        reporting.render(f"The interrupted transaction was {outcome}.\n")
    return 0


@hookimpl
def conda_health_checks() -> Iterator[CondaHealthCheck]:
    yield CondaHealthCheck(
        name=NAME, action=check, fixer=fix,
        summary="No transaction journal was left by a crashed command.",
        fix="Recover it: roll the transaction back, or complete it when it had committed.")
