"""``default_channels`` decides what ``defaults`` stands for, as in conda: a record from
pkgs/main is shown as ``defaults`` only while pkgs/main is one of them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture
def main_prefix(shared_data: Path, tmp_path: Path) -> Path:
    """A prefix the real conda made from pkgs/main (osx-64 records)."""
    target = tmp_path / "py36"
    shutil.copytree(shared_data / "conda" / "tests" / "data" / "env_metadata" / "py36-osx-whl",
                    target)
    for path in target.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target


def _xz_line(out: str) -> str:
    return next(line for line in out.splitlines() if line.startswith("xz "))


def test_pkgs_main_is_defaults_by_default(conda, main_prefix: Path) -> None:
    result = conda("list", "-p", main_prefix, "^xz$")
    assert result.code == 0, result.err
    assert _xz_line(result.out).endswith("h1de35cc_4")
    assert conda("list", "-p", main_prefix, "^xz$", "--canonical").out == (
        "defaults/osx-64::xz-5.2.4-h1de35cc_4\n")


def test_empty_default_channels_shows_pkgs_main_by_url(conda, main_prefix: Path,
                                                         hermetic_env: Path) -> None:
    (hermetic_env / ".condarc").write_text("default_channels: []\n")
    result = conda("list", "-p", main_prefix, "^xz$")
    assert result.code == 0, result.err
    assert _xz_line(result.out).split()[-2:] == ["h1de35cc_4",
                                                 "https://repo.anaconda.com/pkgs/main"]
    assert conda("list", "-p", main_prefix, "^xz$", "--canonical").out == (
        "https://repo.anaconda.com/pkgs/main/osx-64::xz-5.2.4-h1de35cc_4\n")


def test_empty_default_channels_leaves_defaults_with_no_channel(conda, hermetic_env: Path,
                                                                 monkeypatch) -> None:
    monkeypatch.delenv("CONDA_CHANNELS")
    (hermetic_env / ".condarc").write_text("channels: [defaults]\ndefault_channels: []\n")
    result = conda("info", "--json")
    assert result.code == 0, result.err
    assert result.json()["channels"] == []


@pytest.mark.parametrize("condarc", ["", "default_channels: []\n"])
def test_list_json_gives_the_channel_name_not_the_canonical_one(conda, main_prefix: Path,
                                                                hermetic_env: Path,
                                                                condarc: str) -> None:
    (hermetic_env / ".condarc").write_text(condarc)
    result = conda("list", "-p", main_prefix, "^xz$", "--json")
    assert result.code == 0, result.err
    assert [(r["channel"], r["base_url"]) for r in result.json()] == [
        ("pkgs/main", "https://repo.anaconda.com/pkgs/main")]


def test_plan_json_gives_a_file_channel_by_its_name(conda, recipes: str, tmp_path: Path,
                                                    solver_available: None) -> None:
    result = conda("create", "-p", tmp_path / "env", "dependent", "--dry-run", "--json")
    assert result.code == 0, result.err
    assert {(r["name"], r["channel"], r["base_url"])
            for r in result.json()["actions"]["LINK"]} == {
        ("dependency", "test-recipes", recipes), ("dependent", "test-recipes", recipes)}
