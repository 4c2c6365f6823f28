"""Each virtual package is its own entry point, and registering one costs nothing."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest

from kernel.manager import PluginManager
from kernel.virtual_packages import virtual_package_triples

from .conftest import MODULES

REPO = Path(__file__).resolve().parents[2]


def _declared() -> dict[str, str]:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    data = tomllib.loads((REPO / "pyproject.toml").read_text())
    points = data["project"]["entry-points"]["microconda.plugins"]
    return {k: v for k, v in points.items() if v.startswith("plugins.virtual_packages.")}


def test_one_entry_point_per_module() -> None:
    assert _declared() == {f"virtual-{m}": f"plugins.virtual_packages.{m}" for m in MODULES}


def test_installed_entry_points_load_through_the_manager() -> None:
    installed = [ep for ep in importlib.metadata.entry_points(group="microconda.plugins")
                 if ep.value.startswith("plugins.virtual_packages.")]
    if not installed:  # pragma: no cover - the editable install predates our entry points
        pytest.skip("run `pip install --no-deps -e .` to install the entry points")
    pm = PluginManager()
    pm.load_entrypoints(entry_points=[
        {"name": ep.name, "value": ep.value, "dist": "microconda", "version": "0"}
        for ep in installed])
    names = {triple[0] for triple in virtual_package_triples(pm)}
    assert {"__archspec", "__conda"} <= names


def test_importing_the_plugins_loads_no_detection_code() -> None:
    modules = ", ".join(f"plugins.virtual_packages.{m}" for m in MODULES)
    code = (f"import sys, {modules}\n"
            "heavy = {'archspec', 'ctypes', 'plugins.virtual_packages.cuda_detect'}\n"
            "print(sorted(heavy & set(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=REPO)
    assert done.stdout.strip() == "[]"
