"""The built-in ``sat`` solver (alias ``classic``): conda's classic pycosat answers.

Only the registration lives here; the engine (and pycosat) load when the first solve
runs, so registering the plugin costs nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kernel import hookimpl

if TYPE_CHECKING:
    from kernel.types import CondaSolver, SolveRequest, SolveResult


def _backend(request: SolveRequest) -> SolveResult:
    from plugins.solvers.sat.solve import backend

    return backend(request)


@hookimpl
def conda_solvers() -> Iterator[CondaSolver]:
    from kernel.types import CondaSolver

    yield CondaSolver(name="sat", backend=_backend, aliases=("classic",))
