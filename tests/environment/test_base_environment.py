"""The root prefix is a working base environment from the first command (a pip install has
none yet): commands that target base create it as an empty environment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def root() -> Path:
    """The root prefix the hermetic environment configures, which does not exist yet."""
    path = Path(os.environ["CONDA_ROOT"])
    assert not path.exists()
    return path


def test_list_without_a_target_creates_an_empty_base(conda, root: Path) -> None:
    done = conda("list")
    assert done.code == 0, done.err
    assert done.out.startswith(f"# packages in environment at {root}:\n")
    assert (root / "conda-meta" / "history").read_text() == ""
    assert [p.name for p in root.iterdir()] == ["conda-meta"]


def test_install_without_a_target_installs_into_base(conda, recipes: str, root: Path) -> None:
    done = conda("install", "-y", "small-executable")
    assert done.code == 0, done.err
    assert (root / "bin" / "small").is_file()
    history = (root / "conda-meta" / "history").read_text()
    assert "+" in history and "small-executable-1.0-0" in history
    listed = conda("list", "-n", "base", "--json").json()
    assert [r["name"] for r in listed] == ["small-executable"]


def test_doctor_without_a_target_checks_base(conda, root: Path) -> None:
    done = conda("doctor")
    assert "EnvironmentLocationNotFound" not in done.err
    assert f"Environment Health Report for: {root}" in done.out
    assert (root / "conda-meta").is_dir()


def test_an_existing_base_is_left_as_it_is(conda, root: Path) -> None:
    (root / "conda-meta").mkdir(parents=True)
    (root / "conda-meta" / "history").write_text("==> 2024-01-01 00:00:00 <==\n")
    assert conda("list").code == 0
    assert (root / "conda-meta" / "history").read_text() == "==> 2024-01-01 00:00:00 <==\n"


def test_a_root_prefix_that_cannot_be_made_is_one_clear_error(
        conda, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv("CONDA_ROOT_PREFIX", str(tmp_path / "a-file" / "base"))
    done = conda("list")
    assert done.code == 1 and done.err.count("\n") == 1, done.err
    assert f"cannot create the base environment at {tmp_path / 'a-file' / 'base'}" in done.err


def test_env_list_shows_base_before_it_is_made_and_makes_nothing(conda, root: Path) -> None:
    listed = conda("env", "list")
    assert listed.code == 0, listed.err
    assert f"{'base':<20}     {root}" in listed.out.splitlines()
    as_json = conda("env", "list", "--json").json()
    assert as_json["envs"] == [str(root)]
    assert as_json["envs_details"][str(root)]["base"] is True
    assert not root.exists()
