"""Deterministic crash points for the reliability tests.

``MICROCONDA_TEST_KILL_AT=<point>:<n>`` makes the *n*-th call of :func:`kill_point` with
that point name end the process with ``os._exit(137)`` — the same abrupt end as
``kill -9``: no ``finally`` blocks, no flushing, no atexit. Unset (always, outside tests)
it costs one dictionary lookup per call.
"""

from __future__ import annotations

import os
import sys

ENV_VAR = "MICROCONDA_TEST_KILL_AT"

#: The named points, in the order a transaction passes them.
POINTS = (
    "journal_begin",     # journal header written, nothing else changed yet
    "unlink_file",       # after each file moved out of the prefix
    "unlink_package",    # after each package (files and record) unlinked
    "link_probe",        # while the hard-link probe of a package's link type exists
    "link_file",         # after each file linked into the prefix
    "link_package",      # after each package's files are linked
    "entry_point",       # after each noarch entry point script is written
    "compile",           # after .pyc compilation
    "record",            # after each conda-meta record is written
    "history",           # after conda-meta/history was appended
    "commit",            # after the commit mark, before the cleanup
    "cleanup",           # after the backups were removed, before the journal is
)

#: Points passed only while a transaction is rolled back (in-process or by ``recover``).
ROLLBACK_POINTS = (
    "rollback_step",     # after each step is undone, before its ``undone`` mark is written
)

_counts: dict[str, int] = {}


def kill_point(name: str) -> None:
    """Die here if the test harness asked for it (see the module docstring)."""
    wanted = os.environ.get(ENV_VAR)
    if not wanted:
        return
    point, _, nth = wanted.partition(":")
    if point != name:
        return
    _counts[name] = _counts.get(name, 0) + 1
    if _counts[name] >= int(nth or 1):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(137)
