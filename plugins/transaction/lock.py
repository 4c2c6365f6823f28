"""The prefix lock: two mutating commands on one prefix never interleave.

An exclusive ``fcntl`` lock (``msvcrt`` on Windows) on ``<prefix>/conda-meta/.lock``. The
holder writes its pid into the file so a waiting command can say whom it waits for. The
lock dies with its process, so a ``kill -9`` never leaves a stale lock behind.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import ClassVar

from kernel.errors import PrefixError
from plugins.prefix.filelock import try_lock, unlock

LOCK_NAME = ".lock"


def _default_notice(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class PrefixLock:
    """``with PrefixLock(prefix):`` holds the prefix for this process.

    ``timeout`` is how long to wait (``None`` waits for ever); a notice saying who holds
    the lock is given once after ``notice_after`` seconds through ``notice``. Re-entrant
    within one thread: a nested ``with`` on the same prefix does not deadlock.
    """

    _held: ClassVar[dict[tuple[str, int], int]] = {}

    def __init__(self, prefix: str, timeout: float | None = None, *, poll: float = 0.05,
                 notice_after: float = 1.0, notice: Callable[[str], None] | None = None):
        self.prefix = os.path.abspath(prefix)
        self.path = os.path.join(self.prefix, "conda-meta", LOCK_NAME)
        self.timeout = timeout
        self.poll = poll
        self.notice_after = notice_after
        self.notice = notice or _default_notice
        self._fd: int | None = None
        self._nested = False

    def _key(self) -> tuple[str, int]:
        return self.path, threading.get_ident()

    def holder(self) -> str:
        """The pid written by the current holder (``?`` when unknown)."""
        try:
            with open(self.path, encoding="ascii", errors="replace") as f:
                return f.read(32).strip() or "?"
        except OSError:
            return "?"

    def acquire(self) -> None:
        if self._key() in PrefixLock._held:
            self._nested = True
            return
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        start = time.monotonic()
        noticed = False
        while not try_lock(fd):
            waited = time.monotonic() - start
            if self.timeout is not None and waited >= self.timeout:
                os.close(fd)
                raise PrefixError(
                    f"timed out after {self.timeout:g}s waiting for the lock on {self.prefix} "
                    f"(held by process {self.holder()}); another conda command is changing "
                    "this environment", prefix=self.prefix)
            if not noticed and waited >= self.notice_after:
                self.notice(f"Waiting for another conda command (process {self.holder()}) "
                            f"to release the lock on {self.prefix}...")
                noticed = True
            time.sleep(self.poll)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        PrefixLock._held[self._key()] = fd

    def release(self) -> None:
        if self._nested:
            self._nested = False
            return
        fd, self._fd = self._fd, None
        if fd is None:
            return
        PrefixLock._held.pop(self._key(), None)
        try:
            os.ftruncate(fd, 0)
            unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> PrefixLock:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()
