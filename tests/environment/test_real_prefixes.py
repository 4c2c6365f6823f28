"""Prefixes the real conda made: we list them, and remove from them, as conda would."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

PREFIXES = ("envpy313tosx_whl", "envpy37win", "py36-osx-whl")


@pytest.fixture
def real_prefix(shared_data: Path, tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    source = shared_data / "conda" / "tests" / "data" / "env_metadata" / request.param
    target = tmp_path / request.param
    shutil.copytree(source, target)
    for path in target.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target


def _record_names(prefix: Path) -> set[str]:
    names = set()
    for path in (prefix / "conda-meta").glob("*.json"):
        names.add(json.loads(path.read_text())["name"])
    return names


@pytest.mark.parametrize("real_prefix", PREFIXES, indirect=True)
def test_list_shows_every_record_of_a_real_conda_prefix(real_prefix, conda):
    result = conda("list", "-p", real_prefix, "--json")
    assert result.code == 0, result.err
    assert {r["name"] for r in result.json()} == _record_names(real_prefix)


@pytest.mark.parametrize("real_prefix", ["py36-osx-whl"], indirect=True)
def test_forced_remove_from_a_real_conda_prefix_drops_only_that_record(real_prefix, conda,
                                                                         monkeypatch):
    monkeypatch.setenv("CONDA_SUBDIR", "osx-64")
    before = _record_names(real_prefix)
    result = conda("remove", "-p", real_prefix, "ca-certificates", "--force", "-y")
    assert result.code == 0, result.err
    assert _record_names(real_prefix) == before - {"ca-certificates"}
    history = (real_prefix / "conda-meta" / "history").read_text()
    assert "# remove specs: ['ca-certificates']" in history


@pytest.mark.parametrize("real_prefix", ["envpy313tosx_whl"], indirect=True)
def test_remove_solves_against_the_prefix_platforms_virtual_packages(real_prefix, conda,
                                                                      monkeypatch):
    monkeypatch.setenv("CONDA_SUBDIR", "osx-arm64")
    monkeypatch.setenv("CONDA_OVERRIDE_OSX", "14.0")
    result = conda("remove", "-p", real_prefix, "bzip2", "-y")
    assert result.code == 0, result.err
    assert "bzip2" not in _record_names(real_prefix)
    assert conda("list", "-p", real_prefix, "--json").code == 0


@pytest.mark.parametrize("real_prefix", ["envpy37win"], indirect=True)
def test_remove_all_deletes_a_real_conda_prefix(real_prefix, conda):
    result = conda("remove", "-p", real_prefix, "--all", "-y")
    assert result.code == 0, result.err
    assert not real_prefix.exists()
