"""``__archspec``: version ``1``, build = the CPU microarchitecture (``icelake``, ``m1``).

On the machine's own platform the build is ``archspec.cpu.host()``'s name (remembered per
CPU: :mod:`.host_cpu`). For another target (``--platform``, ``subdir``) this CPU says
nothing, so the build is the target's generic architecture (``linux-aarch64`` ->
``aarch64``, ``*-64`` -> ``x86_64``), the mapping of CEP 30. ``CONDA_OVERRIDE_ARCHSPEC``
replaces the build; an empty one removes ``__archspec``.
"""

from __future__ import annotations

from collections.abc import Iterator

from kernel import hookimpl
from kernel.types import CondaVirtualPackage

#: The second part of a subdir -> archspec's generic name for that architecture.
GENERIC = {"32": "x86", "64": "x86_64", "arm64": "aarch64"}


def generic_microarchitecture(subdir: str) -> str:
    """The architecture a target subdir names, without looking at this machine."""
    arch = subdir.partition("-")[2] or "0"
    return GENERIC.get(arch, arch)


def archspec_build(subdir: str) -> str:
    """This CPU's microarchitecture when ``subdir`` is the machine's own, else generic."""
    from kernel.config import host_subdir

    if subdir == host_subdir():
        from plugins.virtual_packages.host_cpu import host_microarchitecture

        try:
            return host_microarchitecture()
        except Exception:  # archspec missing, or a CPU it cannot read: fall back
            pass
    return generic_microarchitecture(subdir)


@hookimpl
def conda_virtual_packages() -> Iterator[CondaVirtualPackage]:
    from kernel.config import get_config

    yield CondaVirtualPackage(name="archspec", version="1",
                              build=archspec_build(get_config().subdir),
                              override_entity="build")
