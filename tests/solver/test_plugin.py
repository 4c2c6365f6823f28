"""Registration: the solver is reached through the hook, cheaply."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pluggy

from kernel.hookspecs import CondaSpecs

REPO = Path(__file__).resolve().parents[2]


def _solvers() -> list:
    from plugins.solvers import sat

    pm = pluggy.PluginManager("conda")
    pm.add_hookspecs(CondaSpecs)
    pm.register(sat)
    return [s for found in pm.hook.conda_solvers() for s in found]


def test_hook_yields_sat_with_classic_alias() -> None:
    (solver,) = _solvers()
    assert (solver.name, solver.aliases) == ("sat", ("classic",))


def test_registration_imports_neither_pycosat_nor_the_engine() -> None:
    code = ("import sys; import plugins.solvers.sat as s; list(s.conda_solvers()); "
            "print('pycosat' in sys.modules, 'plugins.solvers.sat.solve' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, check=True, env={"PYTHONPATH": str(REPO)})
    assert out.stdout.split() == ["False", "False"]
