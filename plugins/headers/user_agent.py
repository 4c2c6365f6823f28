"""The ``User-Agent`` header, built like conda's and naming microconda.

``microconda/0.1.0 requests/2.32.3 CPython/3.12.4 Linux/6.8.0 ubuntu/24.04 glibc/2.39``:
the program, the HTTP library, the interpreter, the kernel and, where known, the
distribution and C library. Computed once per run, when the first session is built.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from kernel import hookimpl
from kernel.types import CondaRequestHeader


def _linux_details() -> list[str]:
    import platform

    parts: list[str] = []
    try:
        release = platform.freedesktop_os_release()
        parts.append(f"{release.get('ID', 'linux')}/{release.get('VERSION_ID', 'unknown')}")
    except OSError:
        pass
    libc, version = platform.libc_ver()
    if libc and version:
        parts.append(f"{libc}/{version}")
    return parts


@cache
def user_agent() -> str:
    """The header value; every token is ``name/version``."""
    import platform
    import sys

    import requests

    from kernel import __version__

    parts = [f"microconda/{__version__}", f"requests/{requests.__version__}",
             f"{platform.python_implementation()}/{platform.python_version()}"]
    system, release = platform.system() or "unknown", platform.release() or "unknown"
    parts.append(f"{system}/{release.split()[0]}")
    if sys.platform.startswith("linux"):
        parts.extend(_linux_details())
    elif sys.platform == "darwin":
        parts.append(f"OSX/{platform.mac_ver()[0]}")
    return " ".join(p.replace(" ", "_") for p in parts)


@hookimpl
def conda_session_headers(host: str) -> Iterator[CondaRequestHeader]:
    yield CondaRequestHeader(name="User-Agent", value=user_agent())
