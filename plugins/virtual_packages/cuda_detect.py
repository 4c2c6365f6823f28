"""Find the CUDA driver version by asking libcuda, in a child process with a time limit.

Standard library only, so it runs where microconda's dependencies are not installed
(``python3 plugins/virtual_packages/cuda_detect.py`` prints the version or nothing).

Loading a GPU driver can hang, crash, or leave threads and signal handlers behind, so the
driver is never loaded into the calling process. A child loads ``libcuda``, calls
``cuInit(0)`` and ``cuDriverGetVersion``, and writes ``"12.4"`` (from ``12040``) back.
On Linux a ``fork()`` child with a pipe costs about a millisecond; where forking is unsafe
(macOS, Windows, or a process already running threads) the child is a fresh
``sys.executable`` running this file. A child that does not answer within ``timeout``
seconds is killed and the result is ``None``, as it is when there is no driver.
"""

from __future__ import annotations

import logging
import os
import re
import select
import sys
import threading
import time
from collections.abc import Sequence

#: Seconds to wait for the driver; a cold ``cuInit`` on a many-GPU machine takes seconds.
DEFAULT_TIMEOUT = 30.0
#: ``os.pathsep``-separated library paths tried instead of the platform's defaults.
LIBRARY_ENV = "MICROCONDA_LIBCUDA"

_VERSION = re.compile(r"^\d+\.\d+$")
log = logging.getLogger(__name__)


def library_candidates(system: str | None = None) -> list[str]:
    """The file names and paths of the CUDA driver library to try, in order."""
    override = os.environ.get(LIBRARY_ENV)
    if override:
        return [p for p in override.split(os.pathsep) if p]
    system = system or sys.platform
    if system.startswith("linux"):
        # Bare names go through the loader's search path; then the usual driver folders
        # (RHEL/Fedora, Debian/Ubuntu, WSL). The versioned name is what drivers install.
        dirs = ("", "/usr/lib64/nvidia/", "/usr/lib/x86_64-linux-gnu/",
                "/usr/lib/aarch64-linux-gnu/", "/usr/lib/wsl/lib/")
        return [f"{d}{name}" for d in dirs for name in ("libcuda.so.1", "libcuda.so")]
    if system == "darwin":
        return ["libcuda.1.dylib", "libcuda.dylib",
                "/usr/local/cuda/lib/libcuda.1.dylib", "/usr/local/cuda/lib/libcuda.dylib"]
    if system in ("win32", "cygwin"):
        return ["nvcuda.dll"]
    return []


def format_driver_version(value: int) -> str:
    """``12040`` -> ``"12.4"``: CUDA encodes ``major * 1000 + minor * 10``."""
    return f"{value // 1000}.{(value % 1000) // 10}"


def query_driver(candidates: Sequence[str]) -> str | None:
    """Load the first library that loads and ask it; run this only in a child process."""
    import ctypes

    # An empty or wrong CUDA_VISIBLE_DEVICES makes cuInit fail although a driver exists.
    os.environ.pop("CUDA_VISIBLE_DEVICES", None)
    loader = getattr(ctypes, "WinDLL", ctypes.CDLL) if sys.platform == "win32" else ctypes.CDLL
    for candidate in candidates:
        try:
            lib = loader(candidate)
        except OSError:
            continue
        try:
            if lib.cuInit(ctypes.c_uint(0)) != 0:
                return None
            version = ctypes.c_int(0)
            if lib.cuDriverGetVersion(ctypes.byref(version)) != 0 or version.value <= 0:
                return None
        except AttributeError:  # a library of that name that is not the driver
            continue
        return format_driver_version(version.value)
    return None


def detect_cuda_version(timeout: float = DEFAULT_TIMEOUT,
                        candidates: Sequence[str] | None = None) -> str | None:
    """The driver's CUDA version (``"12.4"``), or ``None`` without a driver or in time."""
    candidates = list(library_candidates() if candidates is None else candidates)
    if not candidates:
        return None
    if _fork_is_safe():
        answer = _ask_forked_child(candidates, timeout)
    else:
        answer = _ask_subprocess(candidates, timeout)
    return answer if answer and _VERSION.match(answer) else None


def _fork_is_safe() -> bool:
    # fork() copies one thread only: a lock another thread holds stays locked in the
    # child. macOS system libraries are not fork-safe at all.
    return (hasattr(os, "fork") and sys.platform.startswith("linux")
            and threading.active_count() == 1)


def _ask_forked_child(candidates: list[str], timeout: float) -> str | None:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into the caller's code
        status = 1
        try:
            os.close(read_fd)
            os.write(write_fd, (query_driver(candidates) or "").encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)
    try:
        return _read_until(read_fd, pid, timeout)
    finally:
        os.close(read_fd)


def _read_until(read_fd: int, pid: int, timeout: float) -> str | None:
    deadline = time.monotonic() + timeout
    data = b""
    while True:
        left = deadline - time.monotonic()
        ready = select.select([read_fd], [], [], max(left, 0))[0] if left > 0 else []
        if not ready:
            import signal

            os.kill(pid, signal.SIGKILL)
            _reap(pid)
            return _gave_up(timeout)
        chunk = os.read(read_fd, 64)
        if not chunk:  # the child closed the pipe: it is done
            _reap(pid)
            return data.decode(errors="replace").strip() or None
        data += chunk


def _gave_up(timeout: float) -> str | None:
    log.warning("CUDA driver detection gave no answer in %.1f s; __cuda is left out "
                "(set CONDA_OVERRIDE_CUDA to state it)", timeout)
    return None


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:  # SIGCHLD ignored: the system reaped it already
        pass


def _ask_subprocess(candidates: list[str], timeout: float) -> str | None:
    import subprocess  # the fork path (Linux) needs none of it

    if not sys.executable:  # embedded interpreter: nothing to run the child with
        return None
    # -I: no user site, no PYTHON* variables; this file needs the standard library only.
    command = [sys.executable, "-I", os.path.abspath(__file__), *candidates]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              check=False)
    except subprocess.TimeoutExpired:
        return _gave_up(timeout)
    except OSError:
        return None
    return done.stdout.strip() or None


if __name__ == "__main__":
    print(query_driver(sys.argv[1:] or library_candidates()) or "")
