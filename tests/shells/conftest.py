"""Fixtures for the shell tests: fake environments on disk and real shells to drive."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

CONDA = Path(sys.executable).parent / "conda"
#: a name with a space and a quote: every shell must quote it
ENV_NAME = "it's my env"


def need(shell: str) -> str:
    """The shell's path, or skip the test saying which shell is missing."""
    path = shutil.which(shell)
    if path is None:
        pytest.skip(f"{shell} is not installed here (apt-get install {shell})")
    return path


def make_prefix(prefix: Path, env_vars: dict[str, str] | None = None) -> Path:
    """A conda prefix: conda-meta/ (with state env vars), bin/python, activate.d scripts."""
    (prefix / "conda-meta").mkdir(parents=True)
    (prefix / "conda-meta" / "history").write_text("")
    if env_vars is not None:
        (prefix / "conda-meta" / "state").write_text(json.dumps({"env_vars": env_vars}))
    bindir = prefix / "bin"
    bindir.mkdir()
    python = bindir / "python"
    python.write_text("#!/bin/sh\necho \"fake python from $0\"\n")
    python.chmod(0o755)
    act, deact = prefix / "etc/conda/activate.d", prefix / "etc/conda/deactivate.d"
    act.mkdir(parents=True)
    deact.mkdir(parents=True)
    tag = prefix.name.replace("'", "").replace(" ", "_").upper()
    scripts = {
        ".sh": ('export ACT_{t}="$CONDA_PREFIX"\n', "unset ACT_{t}\n"),
        ".fish": ("set -gx ACT_{t} $CONDA_PREFIX\n", "set -e ACT_{t}\n"),
        ".csh": ('setenv ACT_{t} "$CONDA_PREFIX:q"\n', "unsetenv ACT_{t}\n"),
        ".xsh": ("$ACT_{t} = $CONDA_PREFIX\n", "${{...}}.pop('ACT_{t}', None)\n"),
    }
    for ext, (on, off) in scripts.items():
        (act / f"10-test{ext}").write_text(on.format(t=tag))
        (deact / f"10-test{ext}").write_text(off.format(t=tag))
    return prefix


@pytest.fixture
def envs(hermetic_env: Path) -> dict[str, Path]:
    """base (the root prefix), a named env with a tricky name, and a second one 'two'."""
    root = Path(os.environ["CONDA_ROOT"])
    make_prefix(root)
    one = make_prefix(root / "envs" / ENV_NAME,
                      {"STATE_VAR": "va'l $(echo no) `no` \\n", "CLOBBER": "from-env"})
    two = make_prefix(root / "envs" / "two", {"TWO_VAR": "2"})
    return {"base": root, "one": one, "two": two}


@pytest.fixture
def shell_environ(envs: dict[str, Path]) -> dict[str, str]:
    """The environment a shell under test starts with."""
    env = dict(os.environ)
    env.update(CONDA_AUTO_ACTIVATE="false", CLOBBER="original", TARGET1=str(envs["one"]),
               LC_ALL="C.UTF-8")
    env.pop("PS1", None)
    return env


@pytest.fixture
def conda() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the installed ``conda`` console script."""
    if not CONDA.exists():
        pytest.skip(f"console script not installed next to {sys.executable}")

    def run(*args: str, env: dict[str, str] | None = None,
            **kw: object) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(CONDA), *args], capture_output=True, text=True,
                              env=env, timeout=60, **kw)  # type: ignore[call-overload]

    return run
