"""The ``User-Agent`` value, a public module: the header provider sends it and
``conda info`` shows it (with the installed ``requests`` version, not importing it)."""

from __future__ import annotations

import os
import sys


def build_user_agent(requests_version: str) -> str:
    """The value for HTTP library version ``requests_version`` (``conda info`` shows it
    without importing ``requests``)."""
    import platform

    from kernel import CONDA_VERSION, __version__

    parts = [f"conda/{CONDA_VERSION}", f"microconda/{__version__}", f"requests/{requests_version}",
             f"{platform.python_implementation()}/{platform.python_version()}",
             f"{platform.system() or 'unknown'}/{(platform.release() or 'unknown').split()[0]}"]
    if sys.platform.startswith("linux"):
        try:
            release = platform.freedesktop_os_release()
            parts.append(f"{release.get('ID', 'linux')}/{release.get('VERSION_ID', 'unknown')}")
        except OSError:
            pass
        libc = os.confstr("CS_GNU_LIBC_VERSION") if hasattr(os, "confstr") else None
        if libc and " " in libc:
            name, version = libc.split(None, 1)
            parts.append(f"{name}/{version}")
    elif sys.platform == "darwin":
        parts.append(f"OSX/{platform.mac_ver()[0]}")
    return " ".join(p.replace(" ", "_") for p in parts)

