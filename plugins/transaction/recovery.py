"""``recover(prefix)``: finish what a crashed command left, before anything else runs.

Every mutating command calls it first. With no journal it costs one ``lstat``. With one,
it takes the prefix lock, then rolls the interrupted transaction back — or, when the
journal holds its commit mark, completes it — and says so on stderr.
"""

from __future__ import annotations

import os

from plugins.transaction.journal import Journal, journal_path
from plugins.transaction.lock import PrefixLock


def needs_recovery(prefix: str) -> bool:
    """True when ``prefix`` holds the journal of an unfinished transaction."""
    return os.path.lexists(journal_path(prefix))


def recover(prefix: str, *, lock_timeout: float | None = None, quiet: bool = False) -> str | None:
    """Repair ``prefix`` after a crash: ``"rolled back"``, ``"completed"`` or ``None``."""
    prefix = os.path.abspath(prefix)
    if not needs_recovery(prefix):
        return None
    with PrefixLock(prefix, lock_timeout):
        journal = Journal.load(prefix)
        if journal is None:  # another process recovered it while we waited for the lock
            return None
        if journal.committed:
            journal.finish()
            outcome = "completed"
        else:
            journal.rollback()
            outcome = "rolled back"
    if not quiet:
        from kernel.reporting import warn

        warn(f"an interrupted transaction in {prefix} was found and {outcome} "
             f"(transaction {journal.txid})")
    return outcome
