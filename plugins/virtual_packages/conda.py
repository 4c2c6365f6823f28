"""``__conda``: the conda version whose behaviour microconda provides.

Packages constrain ``__conda`` to say which conda features their installation needs
(``__conda >=23.7``), so the number must be on conda's release scale: microconda's own
version (``kernel.__version__``, 0.x) would fail every such constraint. We report the conda
release whose behaviour we follow, :data:`kernel.CONDA_VERSION` (the same number as
``conda --version``, ``conda info`` and the User-Agent). Like conda, it cannot be overridden.
"""

from __future__ import annotations

from collections.abc import Iterator

from kernel import CONDA_VERSION, hookimpl
from kernel.types import CondaVirtualPackage


@hookimpl
def conda_virtual_packages() -> Iterator[CondaVirtualPackage]:
    yield CondaVirtualPackage(name="conda", version=CONDA_VERSION, build=None)
