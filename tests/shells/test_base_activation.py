"""``conda activate`` in real bash on a fresh install: base exists, missing targets fail."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.shells.conftest import CONDA, need

SCRIPT = """eval "$('{conda}' shell.bash hook)"
conda activate
echo "status=$?"
echo "prefix=$CONDA_PREFIX"; echo "name=$CONDA_DEFAULT_ENV"; echo "path=$PATH"
conda activate does-not-exist
echo "status=$?"
conda activate "$HOME/no/such/env"
echo "status=$?"
echo "prefix=$CONDA_PREFIX"
"""


@pytest.fixture
def fresh(hermetic_env: Path) -> tuple[dict[str, str], Path]:
    """A shell environment whose root prefix does not exist yet, as after a pip install."""
    if not CONDA.exists():
        pytest.skip(f"console script not installed next to {CONDA.parent}")
    root = Path(os.environ["CONDA_ROOT"])
    assert not root.exists()
    env = dict(os.environ, CONDA_AUTO_ACTIVATE="false", LC_ALL="C.UTF-8")
    return env, root


def test_activate_without_argument_creates_and_enters_base(fresh, tmp_path: Path) -> None:
    bash = need("bash")
    env, root = fresh
    done = subprocess.run([bash, "--norc", "--noprofile", "-c", SCRIPT.format(conda=CONDA)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    lines = done.stdout.splitlines()
    assert lines[:3] == ["status=0", f"prefix={root}", "name=base"], (done.stdout, done.stderr)
    assert lines[3] == f"path={root}/bin:{env['PATH']}"
    assert (root / "conda-meta" / "history").is_file()
    # conda's errors, and the active environment is left as it was
    assert lines[4:] == ["status=1", "status=1", f"prefix={root}"]
    assert done.stderr == (
        "EnvironmentNameNotFound: Could not find conda environment: does-not-exist\n"
        "You can list all discoverable environments with `conda info --envs`.\n"
        f"EnvironmentLocationNotFound: Not a conda environment: {env['HOME']}/no/such/env\n")


def test_new_shell_auto_activates_a_fresh_base(fresh, tmp_path: Path) -> None:
    bash = need("bash")
    env, root = fresh
    env["CONDA_AUTO_ACTIVATE"] = "true"
    script = f"""eval "$('{CONDA}' shell.bash hook)"\necho "prefix=$CONDA_PREFIX"\n"""
    done = subprocess.run([bash, "--norc", "--noprofile", "-c", script], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.stdout == f"prefix={root}\n", done.stderr
    assert done.stderr == ""
