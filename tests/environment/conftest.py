"""Fixtures for the environment commands: a file:// channel, a temp package cache, a CLI."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import kernel.config
import kernel.manager
import kernel.reporting


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture(autouse=True)
def env_setup(hermetic_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp package cache, no environment registration, no pip-for-python."""
    pkgs = hermetic_env / "pkgs"
    monkeypatch.setenv("CONDA_PKGS_DIRS", str(pkgs))
    monkeypatch.setenv("CONDA_REGISTER_ENVS", "false")
    monkeypatch.setenv("CONDA_ADD_PIP_AS_PYTHON_DEPENDENCY", "false")
    monkeypatch.setenv("CONDA_CHANNELS", "file:///nonexistent-channel-set-by-test")
    return pkgs


@pytest.fixture
def conda(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run ``conda ARGS`` in this process; returns exit code, stdout and stderr."""
    from kernel.cli import main

    def run(*args: str) -> Result:
        kernel.config.set_config(None)
        kernel.reporting.reset()
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def solver_available() -> None:
    manager = kernel.manager.get_plugin_manager()
    if not any(r.name == "sat" for r in manager.hook_results("conda_solvers")):
        pytest.skip("no 'sat' solver plugin is registered in this installation")


@pytest.fixture
def recipes(shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A writable copy of conda's test-recipes channel; returns its file:// URL and makes
    it the only configured channel."""
    target = tmp_path / "test-recipes"
    shutil.copytree(shared_data / "conda" / "tests" / "data" / "test-recipes", target)
    for path in target.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    url = target.as_uri()
    monkeypatch.setenv("CONDA_CHANNELS", url)
    return url


def tree_digest(*roots: Path) -> dict[str, tuple[int, int]]:
    """``{path: (size, mtime_ns)}`` of every file and folder under ``roots``.

    The prefix lock file (``conda-meta/.lock``) is left out: a command that takes the
    lock and then fails has changed nothing, though the lock file's time moved.
    """
    seen: dict[str, tuple[int, int]] = {}
    for root in roots:
        if not root.exists():
            seen[str(root)] = (-1, -1)
            continue
        for path in [root, *root.rglob("*")]:
            if path.name == ".lock" and path.parent.name == "conda-meta":
                continue
            st = path.lstat()
            seen[str(path)] = (st.st_size if path.is_file() else 0, st.st_mtime_ns)
    return seen
