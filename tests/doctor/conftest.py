"""Fixtures for ``conda doctor``: a healthy environment built from conda's test-recipes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.environment.conftest import Result, conda, recipes, solver_available

__all__ = ["conda", "recipes", "solver_available"]

PACKAGES = ("dependent=1.0", "small-executable", "activate_deactivate_package")


@pytest.fixture(autouse=True)
def doctor_setup(hermetic_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp package cache; environments are registered (as users have them)."""
    pkgs = hermetic_env / "pkgs"
    monkeypatch.setenv("CONDA_PKGS_DIRS", str(pkgs))
    monkeypatch.setenv("CONDA_ADD_PIP_AS_PYTHON_DEPENDENCY", "false")
    monkeypatch.setenv("CONDA_CHANNELS", "file:///nonexistent-channel-set-by-test")
    return pkgs


@pytest.fixture
def env(conda: Callable[..., Result], recipes: str, solver_available: None,
        tmp_path: Path) -> Path:
    """A healthy environment: dependent (with its dependency) and two packages with files."""
    prefix = tmp_path / "env"
    result = conda("create", "-p", prefix, *PACKAGES, "-y")
    assert result.code == 0, result.err
    return prefix


@pytest.fixture
def doctor(conda: Callable[..., Result]) -> Callable[..., dict[str, Any]]:
    """``conda --json doctor ARGS`` as data, with its exit code under ``"code"``."""

    def run(*args: Any) -> dict[str, Any]:
        result = conda("--json", "doctor", *args)
        data = json.loads(result.out)
        data["code"] = result.code
        return data

    return run


def failing(data: dict[str, Any]) -> set[str]:
    return {c["name"] for c in data["checks"] if not c["ok"]}
