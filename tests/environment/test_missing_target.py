"""A command aimed at an environment that does not exist fails with conda's errors: a name
not found is ``Not a conda environment: <first envs dir>/NAME``, a folder without
``conda-meta`` is ``DirectoryNotACondaEnvironmentError``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

COMMANDS = [("list",), ("remove", "x", "-y"), ("install", "x", "-y"), ("update", "x", "-y"),
            ("doctor",), ("env", "remove", "-y"), ("env", "config", "vars", "list"),
            ("rename", "renamed"), ("package",)]


@pytest.fixture
def envs_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "envs"
    monkeypatch.setenv("CONDA_ENVS_DIRS", str(where))
    return where


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_missing_name_is_not_a_conda_environment(conda, envs_dir: Path,
                                                   command: tuple[str, ...]) -> None:
    done = conda(*command, "-n", "missing")
    assert done.code == 1
    assert done.err.strip() == (
        f"EnvironmentLocationNotFound: Not a conda environment: {envs_dir / 'missing'}")
    assert not (envs_dir / "missing").exists()


def test_json_error_names_the_location(conda, envs_dir: Path) -> None:
    done = conda("list", "-n", "missing", "--json")
    assert done.code == 1
    assert {k: done.json()[k] for k in ("exception_name", "location", "message")} == {
        "exception_name": "EnvironmentLocationNotFound",
        "location": str(envs_dir / "missing"),
        "message": f"Not a conda environment: {envs_dir / 'missing'}"}


@pytest.mark.parametrize("command", COMMANDS[:4], ids=" ".join)
def test_a_missing_prefix_is_not_a_conda_environment(conda, tmp_path: Path,
                                                     command: tuple[str, ...]) -> None:
    done = conda(*command, "-p", tmp_path / "nope")
    assert done.code == 1
    assert done.err.strip() == (
        f"EnvironmentLocationNotFound: Not a conda environment: {tmp_path / 'nope'}")


@pytest.mark.parametrize("command", COMMANDS[:4], ids=" ".join)
def test_a_folder_without_conda_meta_is_not_a_conda_environment(
        conda, tmp_path: Path, command: tuple[str, ...]) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    done = conda(*command, "-p", folder)
    assert done.code == 1
    assert done.err.strip().splitlines() == [
        "DirectoryNotACondaEnvironmentError: The target directory exists, but it is not a "
        "conda environment.",
        "Use 'conda create' to convert the directory to a conda environment.",
        f"  target directory: {folder}"]
    assert os.listdir(folder) == []


def test_clone_of_a_missing_name(conda, envs_dir: Path, tmp_path: Path) -> None:
    done = conda("create", "-p", tmp_path / "new", "--clone", "missing", "--dry-run")
    assert done.code == 1
    assert done.err.strip() == (
        f"EnvironmentLocationNotFound: Not a conda environment: {envs_dir / 'missing'}")
