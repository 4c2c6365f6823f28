"""A health check from a pip-installed distribution appears in ``--list``, runs and fixes,
reached through its entry point exactly like the built-in ones (see tests/kernel)."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import venv
from pathlib import Path

import pytest

from tests.conftest import REPO

SOURCE = Path(__file__).resolve().parent / "data" / "doctor-check-plugin"


@pytest.fixture(scope="module")
def plugin_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("doctor-thirdparty")
    target = root / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path("
                              "'purelib'))"], capture_output=True, text=True, check=True)
    Path(purelib.stdout.strip(), "parent-env.pth").write_text(
        "\n".join([*site.getsitepackages(), str(REPO)]) + "\n")
    source = root / "src"  # build outside the repository: no build/ or egg-info left there
    shutil.copytree(SOURCE, source)
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    "--no-build-isolation", str(source)], check=True, capture_output=True,
                   env={**os.environ, "TMPDIR": str(root)})
    return python


def _conda(python: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([python, "-m", "kernel", *args], capture_output=True, text=True,
                          env=dict(os.environ), timeout=60)


def test_installed_check_is_listed_runs_and_fixes(plugin_python: Path, tmp_path: Path) -> None:
    listed = _conda(plugin_python, "doctor", "--list")
    assert listed.returncode == 0, listed.stderr
    line = next(x for x in listed.stdout.splitlines() if x.startswith("do-not-touch"))
    assert "Delete the DO-NOT-TOUCH file." in line and "microconda-doctor-extra 0.4.2" in line

    prefix = tmp_path / "env"
    (prefix / "conda-meta").mkdir(parents=True)
    (prefix / "DO-NOT-TOUCH").write_text("")
    out = _conda(plugin_python, "--json", "doctor", "-p", str(prefix), "do-not-touch")
    data = json.loads(out.stdout)
    assert out.returncode == 1 and data["checks"][0]["distribution"] == "microconda-doctor-extra"
    assert data["checks"][0]["findings"][0]["message"] == "The prefix holds a DO-NOT-TOUCH file."
    fixed = _conda(plugin_python, "doctor", "-p", str(prefix), "do-not-touch", "--fix", "-y")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "✅ do-not-touch: No DO-NOT-TOUCH file." in fixed.stdout
    assert not (prefix / "DO-NOT-TOUCH").exists()


def test_no_plugins_hides_it(plugin_python: Path) -> None:
    listed = _conda(plugin_python, "--no-plugins", "doctor", "--list")
    assert listed.returncode == 0 and "do-not-touch" not in listed.stdout
