"""Health check ``file-locking``: the prefix's filesystem supports the engine's lock.

Every transaction holds an exclusive ``flock`` on ``conda-meta/.lock`` (``msvcrt`` on
Windows). The check takes that kind of lock on a scratch file in ``conda-meta`` and then
tries a second, independent one: where the filesystem ignores locks (some network mounts)
the second one succeeds too, and two commands could change the prefix at once. There is no
fixer: mount the filesystem with locking, or keep environments elsewhere.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator

from kernel import hookimpl
from kernel.types import CondaHealthCheck

NAME = "file-locking"


def probe(directory: str) -> str | None:
    """``None`` when locking works in ``directory``, else what goes wrong."""
    from plugins.prefix import filelock

    path = os.path.join(directory, f".doctor-lock-{os.getpid()}")
    try:
        first = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        return f"cannot create a lock file in {directory}: {exc.strerror or exc}"
    second = -1
    try:
        if not filelock.try_lock(first):
            return "the lock is refused although nobody holds it"
        second = os.open(path, os.O_RDWR)
        if filelock.try_lock(second):
            return "a second lock on the same file was granted: locks are not enforced"
        return None
    except OSError as exc:
        name = errno.errorcode.get(exc.errno or 0, "error")
        return f"locking fails with {name}: {exc.strerror or exc}"
    finally:
        for fd in (second, first):
            if fd >= 0:
                os.close(fd)
        try:
            os.unlink(path)
        except OSError:
            pass


def check(prefix: str, verbose: bool) -> None:
    from plugins.health_checks import report

    meta = os.path.join(prefix, "conda-meta")
    problem = probe(meta)
    if problem is None:
        report.ok(f"File locking works in {meta}.")
    else:
        report.problem(f"File locking does not work in {meta}: {problem}",
                       details=["Two conda commands could change this environment at once."])


@hookimpl
def conda_health_checks() -> Iterator[CondaHealthCheck]:
    yield CondaHealthCheck(
        name=NAME, action=check,
        summary="The prefix's filesystem supports the lock transactions take.")
