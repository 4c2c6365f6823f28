"""``import conda`` gets microconda's adapters only where no real conda is importable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _run(*args: str, pythonpath: str = "", cwd: Path = REPO) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [pythonpath, str(REPO)]))}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=60)


def _real_conda(tmp_path: Path) -> Path:
    """A stand-in for a real conda installation: a ``conda`` package on ``sys.path``."""
    package = tmp_path / "site" / "conda"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("__version__ = '26.7.0'\nREAL = True\n")
    return package.parent


def test_without_a_real_conda_import_conda_gives_the_adapters(tmp_path):
    out = _run("-c", "import plugins.conda_compat, conda, conda.plugins.types; "
                     "print(conda.__file__); print(conda.plugins.types.CondaSubcommand)",
               cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    first, second = out.stdout.splitlines()
    assert first.startswith(str(REPO / "plugins" / "conda_compat" / "api"))
    assert "conda.plugins.types.CondaSubcommand" in second


def test_a_real_conda_is_never_shadowed(tmp_path):
    site = _real_conda(tmp_path)
    out = _run("-c", "import plugins.conda_compat, conda; print(conda.__file__, conda.REAL)",
               pythonpath=str(site), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [str(site / "conda" / "__init__.py"), "True"]


def test_plugins_list_says_which_conda_plugins_get(tmp_path):
    ours = _run("-m", "kernel", "plugins", "list", "--json", cwd=tmp_path)
    real = _run("-m", "kernel", "plugins", "list", "--json", pythonpath=str(_real_conda(tmp_path)),
                cwd=tmp_path)
    notes = [{p["name"]: p.get("note") for p in json.loads(out.stdout)}["conda-compat"]
             for out in (ours, real)]
    assert notes[0] == "conda API for plugins written for conda: provided by microconda"
    assert notes[1].startswith("a real conda is importable (")
    assert notes[1].endswith("): left alone, microconda's conda API unused")


def test_a_run_that_loads_no_conda_api_plugin_imports_no_adapter(tmp_path):
    code = ("import sys; from kernel.cli import main; main(['config', '--show', 'json']); "
            "print(sorted(m for m in sys.modules if m == 'conda' or m.startswith('conda.')))")
    out = _run("-c", code, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == "[]"
