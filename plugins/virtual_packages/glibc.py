"""``__glibc``: the GNU C library's version, for every ``linux-*`` target.

Read with ``os.confstr("CS_GNU_LIBC_VERSION")`` (``"glibc 2.36"``) and cut to
``major.minor``. Where it cannot be read (another host system, musl) the version is ``0``,
as in conda; ``CONDA_OVERRIDE_GLIBC=2.17`` states it, an empty value removes ``__glibc``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kernel import hookimpl
from kernel.types import CondaVirtualPackage

_MAJOR_MINOR = re.compile(r"\d+\.\d+")


def glibc_version() -> str | None:
    """This system's glibc version as ``major.minor``, or ``None``."""
    import os

    try:
        text = os.confstr("CS_GNU_LIBC_VERSION") or ""
    except (AttributeError, ValueError, OSError):  # not glibc, or not a POSIX system
        return None
    family, _, version = text.partition(" ")
    match = _MAJOR_MINOR.match(version)
    return match.group() if family == "glibc" and match else None


@hookimpl
def conda_virtual_packages() -> Iterator[CondaVirtualPackage]:
    import platform

    from kernel.config import get_config

    if not get_config().subdir.startswith("linux-"):
        return
    version = glibc_version() if platform.system() == "Linux" else None
    yield CondaVirtualPackage(name="glibc", version=version, build=None,
                              override_entity="version")
