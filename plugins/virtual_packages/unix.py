"""``__unix``: present, as ``0``, for every POSIX target (``linux-*``, ``osx-*``, …).

It carries no version, so ``CONDA_OVERRIDE_UNIX`` has no effect.
"""

from __future__ import annotations

from collections.abc import Iterator

from kernel import hookimpl
from kernel.types import CondaVirtualPackage

UNIX_PLATFORMS = frozenset({"linux", "osx", "freebsd", "emscripten"})


@hookimpl
def conda_virtual_packages() -> Iterator[CondaVirtualPackage]:
    from kernel.config import get_config

    if get_config().subdir.partition("-")[0] in UNIX_PLATFORMS:
        yield CondaVirtualPackage(name="unix", version=None, build=None)
