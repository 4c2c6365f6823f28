"""Impossible requests: which specs conflict, through which chain, and what is missing."""

from __future__ import annotations

import pytest

from kernel.errors import PackagesNotFoundError, UnsatisfiableError
from tests.solver.conftest import request_for

pytestmark = pytest.mark.needs_models


def _virtual(name: str, version: str):
    from kernel.models import PackageRecord

    raw = {"name": name, "version": version, "build": "0", "build_number": 0,
           "depends": [], "subdir": "linux-64"}
    return PackageRecord.from_repodata(raw, f"{name}-{version}-0.tar.bz2", channel="@",
                                       subdir="linux-64")


def test_conflict_names_both_specs_and_the_chain_to_python(backend, index2) -> None:
    with pytest.raises(UnsatisfiableError) as info:
        backend(request_for(index2, ["python 3.6.*", "pandas 0.18.*", "six"]))
    (conflict,) = info.value.fields["conflicts"]
    assert set(info.value.fields["specs"]) == {"python=3.6", "pandas=0.18"}
    assert conflict["package"] == "python"
    assert ["pandas=0.18", "python=2.7 | python=3.4 | python=3.5"] in conflict["chains"]


def test_conflict_through_a_dependency_names_the_middle_package(backend, index2) -> None:
    with pytest.raises(UnsatisfiableError) as info:
        backend(request_for(index2, ["pandas 0.19.*", "numpy 1.13.*"]))
    (conflict,) = info.value.fields["conflicts"]
    assert conflict["package"] == "numpy"
    assert "pandas=0.19 → numpy=1.11 | numpy=1.12" in info.value.message


def test_missing_package_is_packages_not_found(backend, index2) -> None:
    with pytest.raises(PackagesNotFoundError) as info:
        backend(request_for(index2, ["no-such-package"]))
    assert info.value.fields["packages"] == ["no-such-package"]


def test_missing_virtual_package_names_what_the_system_has(backend) -> None:
    from tests.solver.channels import MemorySource

    raw = {"name": "needs-glibc", "version": "1.0", "build": "0", "build_number": 0,
           "depends": ["__glibc >=2.28"], "subdir": "linux-64"}
    source = MemorySource([("local", {"linux-64": {"needs-glibc-1.0-0.tar.bz2": raw}})])
    request = request_for(source, ["needs-glibc"], virtual_packages=(_virtual("__glibc", "2.17"),))
    with pytest.raises(UnsatisfiableError) as info:
        backend(request)
    assert ("needs-glibc → __glibc[version='>=2.28']: the system has __glibc 2.17"
            in info.value.message)
    assert info.value.fields["conflicts"][0]["package"] == "__glibc"


def test_run_constrained_clash_names_the_constrained_package(backend) -> None:
    from tests.solver.channels import MemorySource

    def raw(name: str, version: str, **extra):
        return {"name": name, "version": version, "build": "0", "build_number": 0,
                "depends": [], "subdir": "noarch", **extra}

    source = MemorySource([("local", {"noarch": {
        "dependency-1.0-0.tar.bz2": raw("dependency", "1.0"),
        "dependency-2.0-0.tar.bz2": raw("dependency", "2.0"),
        "run_constrained-1.0-0.tar.bz2": raw("run_constrained", "1.0",
                                             constrains=["dependency >=2.0"])}})])
    with pytest.raises(UnsatisfiableError) as info:
        backend(request_for(source, ["run_constrained", "dependency 1.0"]))
    (conflict,) = info.value.fields["conflicts"]
    assert conflict["package"] == "dependency"
    assert "run_constrained → constrains dependency[version='>=2.0']" in info.value.message


def test_sudoku_conflict_is_narrowed_to_one_cell(backend, sudoku) -> None:
    # the puzzle has no solution with 1 in cell (0, 1); py-rattler agrees
    with pytest.raises(UnsatisfiableError) as info:
        backend(request_for(sudoku, ["sudoku_0_0", "sudoku_0_1 1"]))
    assert info.value.fields["specs"] == ["sudoku_0_1==1"]
