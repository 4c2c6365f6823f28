"""``__osx``: the macOS version as ``major.minor``, for every ``osx-*`` target.

Big Sur and later must read ``11.x``, not the ``10.16`` that compatibility mode reports;
when Python sees ``10.16`` we ask ``sw_vers`` with ``SYSTEM_VERSION_COMPAT=0``. Targeting
macOS from another system gives ``0``; ``CONDA_OVERRIDE_OSX`` states the version.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kernel import hookimpl
from kernel.types import CondaVirtualPackage

_MAJOR_MINOR = re.compile(r"(\d+)(?:\.(\d+))?")


def macos_version() -> str | None:
    """This Mac's version as ``major.minor``, or ``None`` on another system."""
    import platform

    if platform.system() != "Darwin":
        return None
    release = platform.mac_ver()[0]
    if release.startswith("10.16"):
        import os
        import subprocess

        try:
            release = subprocess.run(
                ["sw_vers", "-productVersion"], capture_output=True, text=True, timeout=10,
                env={**os.environ, "SYSTEM_VERSION_COMPAT": "0"}, check=True).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            pass
    match = _MAJOR_MINOR.match(release)
    return f"{match.group(1)}.{match.group(2) or 0}" if match else None


@hookimpl
def conda_virtual_packages() -> Iterator[CondaVirtualPackage]:
    from kernel.config import get_config

    if not get_config().subdir.startswith("osx-"):
        return
    yield CondaVirtualPackage(name="osx", version=macos_version(), build=None,
                              override_entity="version")
