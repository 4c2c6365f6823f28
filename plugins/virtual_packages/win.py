"""``__win``: the Windows version (``10.0.22631``), for every ``win-*`` target.

Targeting Windows from another system gives ``0``; ``CONDA_OVERRIDE_WIN`` states it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kernel import hookimpl
from kernel.types import CondaVirtualPackage

_THREE_PARTS = re.compile(r"\d+(\.\d+){0,2}")


def windows_version() -> str | None:
    """``major.minor.build`` of this Windows, or ``None`` on another system."""
    import platform

    if platform.system() != "Windows":
        return None
    match = _THREE_PARTS.match(platform.win32_ver()[1])
    return match.group() if match else None


@hookimpl
def conda_virtual_packages() -> Iterator[CondaVirtualPackage]:
    from kernel.config import get_config

    if not get_config().subdir.startswith("win-"):
        return
    yield CondaVirtualPackage(name="win", version=windows_version(), build=None,
                              override_entity="version")
