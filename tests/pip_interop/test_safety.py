"""pip's packages are never solver inputs nor deleted by a transaction; site-packages is read
only by the commands that show them; ``conda doctor`` reports files both installers own."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.pip_interop.conftest import SP, Prefix, Result, metadata, tree

Conda = Callable[..., Result]
SKIPPED = "skipping the Python package"


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch, hermetic_env: Path) -> None:
    monkeypatch.setenv("CONDA_PKGS_DIRS", str(hermetic_env / "pkgs"))
    monkeypatch.setenv("CONDA_ADD_PIP_AS_PYTHON_DEPENDENCY", "false")
    monkeypatch.setenv("CONDA_REGISTER_ENVS", "false")
    monkeypatch.setenv("CONDA_OFFLINE", "true")


def _replaced_idna(p: Prefix) -> None:
    """conda's idna 3.4 whose dist-info pip replaced with idna 3.7 (sharing __init__.py)."""
    files = [f"{SP}/idna/__init__.py", f"{SP}/idna/core.py", f"{SP}/idna-3.4.dist-info/RECORD"]
    p.conda_record("idna", "3.4", "py_0", files, depends=["python"], subdir="noarch")
    shutil.rmtree(p.root / SP / "idna-3.4.dist-info")
    p.dist_info("idna-3.7.dist-info", metadata("idna", "3.7"),
                "idna/__init__.py,,\nidna-3.7.dist-info/RECORD,,\n")
    p.file("idna/__init__.py", "pip's")


@pytest.mark.parametrize("argv", [
    ("remove", "six", "--dry-run"), ("install", "six", "--dry-run"), ("list", "--explicit"),
    ("list", "--revisions"), ("shell.posix", "activate")])
def test_commands_that_do_not_show_pip_packages_never_read_them(
        conda: Conda, pip_prefix: Prefix, argv: tuple[str, ...]) -> None:
    pip_prefix.dist_info("broken-1.0.dist-info", b"\x00\x01")
    assert SKIPPED in conda("list", "-p", pip_prefix).err  # the entry is noticed when read
    args = [*argv, pip_prefix] if argv[0] == "shell.posix" else [*argv, "-p", pip_prefix]
    result = conda(*args)
    assert SKIPPED not in result.err + result.out


def test_prefix_data_reads_site_packages_only_when_asked(pip_prefix: Prefix) -> None:
    from plugins.prefix import PrefixData

    assert sorted(PrefixData(str(pip_prefix)).raw_records()) == ["python", "six"]
    assert "attrs" in PrefixData(str(pip_prefix), interoperability=True).raw_records()


def test_conda_cannot_remove_a_pip_package(conda: Conda, pip_prefix: Prefix) -> None:
    before = tree(pip_prefix.root)
    result = conda("--json", "remove", "-p", pip_prefix, "attrs", "-y")
    assert result.code == 1
    assert result.json()["exception_name"] == "PackagesNotFoundError"
    after = tree(pip_prefix.root)
    after.pop("conda-meta/.lock", None)  # the prefix lock the command took
    assert after == before


def test_conda_cannot_update_a_pip_package(conda: Conda, pip_prefix: Prefix) -> None:
    result = conda("--json", "update", "-p", pip_prefix, "attrs", "--dry-run")
    assert result.code == 1
    assert result.json()["exception_name"] == "PackageNotInstalledError"


def test_removing_a_conda_package_keeps_the_files_pip_owns(conda: Conda,
                                                           tmp_path: Path) -> None:
    p = Prefix(tmp_path / "env")
    p.python()
    _replaced_idna(p)
    result = conda("remove", "-p", p, "idna", "-y")
    assert result.code == 0, result.err
    assert (p.root / SP / "idna" / "__init__.py").read_text() == "pip's"
    assert not (p.root / SP / "idna" / "core.py").exists()
    assert not (p.root / "conda-meta" / "idna-3.4-py_0.json").exists()
    assert (p.root / SP / "idna-3.7.dist-info" / "RECORD").exists()


def _doctor(conda: Conda, prefix: Prefix, *extra: str) -> dict[str, Any]:
    result = conda("--json", "doctor", "-p", prefix, *extra)
    data = result.json()
    return next(c for c in data["checks"] if c["name"] == "pip-packages")


def test_doctor_is_quiet_on_a_healthy_pip_environment(conda: Conda,
                                                      pip_prefix: Prefix) -> None:
    assert _doctor(conda, pip_prefix)["ok"] is True


def test_doctor_reports_files_both_installers_own(conda: Conda, pip_prefix: Prefix) -> None:
    shared = f"{SP}/requests/__init__.py"
    pip_prefix.conda_record("requests-conda", "2.28.0", "py_0", [shared],
                            depends=["python"], subdir="noarch")
    check = _doctor(conda, pip_prefix)
    assert check["ok"] is False
    [finding] = check["findings"]
    assert finding["data"] == {"pip_package": "requests==2.31.0",
                               "conda_package": "requests-conda-2.28.0-py_0",
                               "paths": [shared]}
    before = tree(pip_prefix.root)
    conda("doctor", "-p", pip_prefix, "--fix", "-y")
    assert tree(pip_prefix.root) == before  # no safe fix: nothing is touched


def test_doctor_sets_aside_a_record_pip_replaced(conda: Conda, tmp_path: Path) -> None:
    p = Prefix(tmp_path / "env")
    p.python()
    _replaced_idna(p)
    check = _doctor(conda, p)
    assert [f["data"]["replaced_by"] for f in check["findings"]] == ["idna 3.7"]
    outside_meta = tree(p.root / "lib")
    result = conda("doctor", "-p", p, "--fix", "-y")
    assert "idna is not reinstalled" in result.err  # missing-files leaves pip's files alone
    assert not (p.root / "conda-meta" / "idna-3.4-py_0.json").exists()
    assert (p.root / "conda-meta" / ".idna-3.4-py_0.json.pip-replaced").exists()
    assert tree(p.root / "lib") == outside_meta
    assert _doctor(conda, p)["ok"] is True
