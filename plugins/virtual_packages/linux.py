"""``__linux``: the kernel release, for every ``linux-*`` target.

The version is the leading dotted-numeric part of ``platform.release()``
(``6.8.0-45-generic`` -> ``6.8.0``), as conda does. Targeting Linux from another system
gives ``0``, and so does an empty ``CONDA_OVERRIDE_LINUX``: ``__linux`` marks a Linux
target and never disappears from one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kernel import hookimpl
from kernel.types import CondaVirtualPackage

_RELEASE = re.compile(r"\d+\.\d+(\.\d+)?(\.\d+)?")


def linux_version(release: str) -> str | None:
    """The upstream part of a kernel release string, or ``None`` when there is none."""
    match = _RELEASE.match(release.strip())
    return match.group() if match else None


@hookimpl
def conda_virtual_packages() -> Iterator[CondaVirtualPackage]:
    import platform

    from kernel.config import get_config

    if not get_config().subdir.startswith("linux-"):
        return
    release = platform.release() if platform.system() == "Linux" else None
    yield CondaVirtualPackage(name="linux", version=release, build=None,
                              override_entity="version", empty_override=None,
                              version_validation=linux_version)
