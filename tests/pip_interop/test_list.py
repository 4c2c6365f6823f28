"""``conda list`` shows what pip installed as the real conda 26.7 does (rows taken from it)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.pip_interop.conftest import (
    SP,
    Prefix,
    Result,
    conda_row,
    metadata,
    pypi_row,
    tree,
)

Conda = Callable[..., Result]

#: conda 26.7.1's `conda list --json` on the pip_prefix fixture, row for row
ISSUE_ROWS = [
    pypi_row("attrs", "23.2.0"), pypi_row("foo-bar", "1.0"), pypi_row("my-tool", "0.3.1"),
    pypi_row("protobuf", "4.25.1"), conda_row("python", "3.11.5", "h955ad1f_0", "linux-64"),
    pypi_row("requests", "2.31.0"), conda_row("six", "1.16.0", "pyhd3eb1b0_1", "noarch"),
    pypi_row("zope-interface", "5.4.0")]


def test_json_rows_are_the_real_condas(conda: Conda, pip_prefix: Prefix) -> None:
    result = conda("list", "-p", pip_prefix, "--json")
    assert result.code == 0, result.err
    assert result.json() == ISSUE_ROWS
    assert result.err == ""


def test_plain_rows_show_pypi_channel_and_build(conda: Conda, pip_prefix: Prefix) -> None:
    result = conda("list", "-p", pip_prefix)
    rows = [line.split() for line in result.out.splitlines() if not line.startswith("#")]
    assert rows == [["attrs", "23.2.0", "pypi_0", "pypi"], ["foo-bar", "1.0", "pypi_0", "pypi"],
                    ["my-tool", "0.3.1", "pypi_0", "pypi"],
                    ["protobuf", "4.25.1", "pypi_0", "pypi"],
                    ["python", "3.11.5", "h955ad1f_0", "conda-forge"],
                    ["requests", "2.31.0", "pypi_0", "pypi"],
                    ["six", "1.16.0", "pyhd3eb1b0_1", "conda-forge"],
                    ["zope-interface", "5.4.0", "pypi_0", "pypi"]]


def test_regex_and_full_name_select_pip_rows(conda: Conda, pip_prefix: Prefix) -> None:
    assert [r["name"] for r in conda("list", "-p", pip_prefix, "req", "--json").json()] == [
        "requests"]
    assert [r["name"] for r in conda("list", "-p", pip_prefix, "-f", "my-tool",
                                     "--json").json()] == ["my-tool"]


def test_export_lists_pip_packages_as_conda_does(conda: Conda, pip_prefix: Prefix) -> None:
    lines = conda("list", "-p", pip_prefix, "--export").out.splitlines()
    assert [line for line in lines if not line.startswith("#")] == [
        "attrs=23.2.0=pypi_0", "foo-bar=1.0=pypi_0", "my-tool=0.3.1=pypi_0",
        "protobuf=4.25.1=pypi_0", "python=3.11.5=h955ad1f_0", "requests=2.31.0=pypi_0",
        "six=1.16.0=pyhd3eb1b0_1", "zope-interface=5.4.0=pypi_0"]


def test_no_pip_leaves_them_out(conda: Conda, pip_prefix: Prefix) -> None:
    """Deliberately not as conda 26.7, which accepts --no-pip and still lists them."""
    rows = conda("list", "-p", pip_prefix, "--no-pip", "--json").json()
    assert [r["name"] for r in rows] == ["python", "six"]


def test_canonical_names_pip_rows_pypi(conda: Conda, pip_prefix: Prefix) -> None:
    lines = conda("list", "-p", pip_prefix, "-c").out.splitlines()
    assert "pypi/pypi::attrs-23.2.0-pypi_0" in lines
    assert "pypi/pypi::zope-interface-5.4.0-pypi_0" in lines


def test_explicit_lists_only_conda_packages(conda: Conda, pip_prefix: Prefix) -> None:
    lines = conda("list", "-p", pip_prefix, "--explicit").out.splitlines()
    assert [line for line in lines if not line.startswith("#")] == [
        "@EXPLICIT", "https://conda.anaconda.org/conda-forge/linux-64/python-3.11.5-h955ad1f_0.conda",
        "https://conda.anaconda.org/conda-forge/noarch/six-1.16.0-pyhd3eb1b0_1.conda"]


def test_edge_forms_are_the_real_condas(conda: Conda, tmp_path: Path) -> None:
    """A setup.py-develop egg-link, an .egg folder, a conda package pip upgraded, one pip
    removed, and a conda package with a dist-info that does not depend on python."""
    p = Prefix(tmp_path / "env")
    p.python()
    src = tmp_path / "src" / "devpkg"
    (src / "Dev_Pkg.egg-info").mkdir(parents=True)
    (src / "Dev_Pkg.egg-info" / "PKG-INFO").write_text(
        "Metadata-Version: 1.1\nName: Dev_Pkg\nVersion: 0.0.1.dev0\n")
    p.file("Dev-Pkg.egg-link", f"{src}\n.\n")
    p.file("oldegg-1.2-py3.11.egg/EGG-INFO/PKG-INFO",
           "Metadata-Version: 1.1\nName: oldegg\nVersion: 1.2\n")
    p.conda_record("idna", "3.4", "py_0", [f"{SP}/idna-3.4.dist-info/RECORD"],
                   depends=["python >=3.6"], subdir="noarch")
    shutil.rmtree(p.root / SP / "idna-3.4.dist-info")  # pip replaced it
    p.dist_info("idna-3.7.dist-info", metadata("idna", "3.7"), "idna/__init__.py,,\n")
    p.conda_record("wheelish", "1.0", "h0_0", [f"{SP}/wheelish-1.0.dist-info/RECORD"])
    p.dist_info("wheelish-1.0.dist-info", metadata("wheelish", "1.0"))
    p.conda_record("gone", "2.0", "py_0", [f"{SP}/gone-2.0.dist-info/RECORD"],
                   depends=["idna"], subdir="noarch")
    shutil.rmtree(p.root / SP / "gone-2.0.dist-info")  # pip uninstalled it
    before = tree(p.root / "conda-meta")
    result = conda("list", "-p", p, "--json")
    assert result.code == 0, result.err
    assert result.json() == [
        pypi_row("dev-pkg", "0.0.1.dev0", "dev_0", "<develop>"), pypi_row("idna", "3.7"),
        pypi_row("oldegg", "1.2"), conda_row("python", "3.11.5", "h955ad1f_0", "linux-64"),
        pypi_row("wheelish", "1.0")]
    assert tree(p.root / "conda-meta") == before  # conda deletes the two records; we don't


def test_declared_site_packages_path_is_read(conda: Conda, tmp_path: Path) -> None:
    p = Prefix(tmp_path / "env", sp="lib/python3.13t/site-packages")
    p.python("3.13.0", python_site_packages_path="lib/python3.13t/site-packages")
    p.dist_info("attrs-23.2.0.dist-info", metadata("attrs", "23.2.0"))
    other = Prefix(p.root)  # the plain lib/python3.11/site-packages is not python's
    other.dist_info("wrong-1.0.dist-info", metadata("wrong", "1.0"))
    names = [r["name"] for r in conda("list", "-p", p, "--json").json()]
    assert names == ["attrs", "python"]


def test_symlinked_site_packages_is_followed(conda: Conda, tmp_path: Path) -> None:
    p = Prefix(tmp_path / "env", sp="lib/python3.11t/site-packages")
    os.symlink("python3.11t", p.root / "lib" / "python3.11")
    p.python()
    p.dist_info("attrs-23.2.0.dist-info", metadata("attrs", "23.2.0"))
    assert [r["name"] for r in conda("list", "-p", p, "--json").json()] == ["attrs", "python"]


def test_no_python_record_means_no_pip_rows(conda: Conda, tmp_path: Path) -> None:
    p = Prefix(tmp_path / "env")
    p.dist_info("attrs-23.2.0.dist-info", metadata("attrs", "23.2.0"))
    assert conda("list", "-p", p, "--json").json() == []


@pytest.mark.parametrize(("name", "expected"), [
    ("Foo.Bar_baz", "foo-bar-baz"), ("ruamel.yaml", "ruamel-yaml"), ("PyYAML", "pyyaml")])
def test_names_are_normalised_as_conda_does(conda: Conda, tmp_path: Path, name: str,
                                            expected: str) -> None:
    p = Prefix(tmp_path / "env")
    p.python()
    p.dist_info(f"{name}-1.0.dist-info", metadata(name, "1.0"))
    names = [r["name"] for r in conda("list", "-p", p, "--json").json()]
    assert names == sorted([expected, "python"])


@pytest.mark.parametrize("depends", [["python>=3.8"], ["conda-forge::python 3.11.*"],
                                     ["requests-base"]])
def test_a_conda_packages_own_dist_info_is_not_a_pip_package(conda: Conda, tmp_path: Path,
                                                             depends: list[str]) -> None:
    p = Prefix(tmp_path / "env")
    p.python()
    p.conda_record("requests-base", "1.0", "py_0", [], depends=["python"], subdir="noarch")
    p.conda_record("attrs", "23.2.0", "py_0", [f"{SP}/attrs-23.2.0.dist-info/RECORD"],
                   depends=depends, subdir="noarch")
    p.dist_info("attrs-23.2.0.dist-info", metadata("attrs", "23.2.0"))
    rows = conda("list", "-p", p, "attrs", "--json").json()
    assert [(r["name"], r["channel"]) for r in rows] == [("attrs", "conda-forge")]


@pytest.mark.parametrize("anchor", ["legacy-1.0-py3.11.egg-info",
                                    "legacy-1.0-py3.11.egg-info/PKG-INFO"])
def test_a_conda_packages_own_egg_info_is_not_a_pip_package(conda: Conda, tmp_path: Path,
                                                            anchor: str) -> None:
    p = Prefix(tmp_path / "env")
    p.python()
    p.file(anchor, "Metadata-Version: 1.1\nName: legacy\nVersion: 1.0\n")
    p.conda_record("legacy", "1.0", "py_0", [f"{SP}/{anchor}"], depends=["python"],
                   subdir="noarch")
    rows = conda("list", "-p", p, "legacy", "--json").json()
    assert [(r["name"], r["channel"]) for r in rows] == [("legacy", "conda-forge")]
