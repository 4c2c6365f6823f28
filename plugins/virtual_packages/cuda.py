"""``__cuda``: the CUDA version the NVIDIA driver supports, absent without a driver.

Present for every target platform, as in conda: the driver belongs to the machine, and
``CONDA_OVERRIDE_CUDA`` states it for a machine without one. When an override is set the
driver is not probed at all; otherwise :mod:`plugins.virtual_packages.cuda_detect` asks
``libcuda`` in a child process with a time limit.
"""

from __future__ import annotations

from collections.abc import Iterator

from kernel import hookimpl
from kernel.types import CondaVirtualPackage


@hookimpl
def conda_virtual_packages() -> Iterator[CondaVirtualPackage]:
    from kernel.config import get_config
    from kernel.virtual_packages import override_for

    if override_for("cuda", get_config()) is not None:
        version = None  # the kernel puts the override here; no need to wake the GPU
    else:
        from plugins.virtual_packages.cuda_detect import detect_cuda_version

        version = detect_cuda_version()
        if version is None:
            return
    yield CondaVirtualPackage(name="cuda", version=version, build=None,
                              override_entity="version")
