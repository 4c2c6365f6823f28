"""Advisory whole-file locks: ``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows.

The lock belongs to the open file description, so it dies with its process: a command
killed with ``kill -9`` never leaves a stale lock behind.
"""

from __future__ import annotations

import os
import sys
import time
from types import TracebackType


def try_lock(fd: int) -> bool:
    """Take an exclusive lock on ``fd`` without waiting; False when another holds it."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def unlock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


class LockedFile:
    """``with LockedFile(path):`` — a short critical section guarded by ``path``."""

    def __init__(self, path: str, poll: float = 0.01):
        self.path = path
        self.poll = poll
        self.fd = -1

    def __enter__(self) -> LockedFile:
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        while not try_lock(self.fd):
            time.sleep(self.poll)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        unlock(self.fd)
        os.close(self.fd)
