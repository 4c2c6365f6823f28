"""conda's own expected solutions (its tests/core/test_solve.py and tests/test_resolve.py)
on conda's test indexes. Every solution is also proven consistent by the checker."""

from __future__ import annotations

import pytest

from tests.solver.checker import check
from tests.solver.conftest import dists, request_for

pytestmark = pytest.mark.needs_models

PY33_NUMPY = ["openssl-1.0.1c-0", "readline-6.2-0", "sqlite-3.7.13-0", "system-5.8-1",
              "tk-8.5.13-0", "zlib-1.2.7-0", "python-3.3.2-0", "numpy-1.7.1-py33_0"]
PY27_NUMPY = ["openssl-1.0.1c-0", "readline-6.2-0", "sqlite-3.7.13-0", "system-5.8-1",
              "tk-8.5.13-0", "zlib-1.2.7-0", "python-2.7.5-0", "numpy-1.7.1-py27_0"]
ACCELERATE = [
    "libnvvm-1.0-p0", "mkl-rt-11.0-p0", "openssl-1.0.1c-0", "readline-6.2-0",
    "sqlite-3.7.13-0", "system-5.8-1", "tk-8.5.13-0", "zlib-1.2.7-0", "llvm-3.2-0",
    "python-2.7.3-7", "bitarray-0.8.1-py27_0", "llvmpy-0.11.2-py27_0", "meta-0.4.2.dev-py27_0",
    "mkl-service-1.0.0-py27_p0", "numpy-1.6.2-py27_p4", "numba-0.8.1-np16py27_0",
    "numexpr-2.1-np16py27_p0", "scipy-0.12.0-np16py27_p0", "numbapro-0.11.0-np16py27_p0",
    "scikit-learn-0.13.1-np16py27_p0", "mkl-11.0-np16py27_p0", "accelerate-1.1.0-np16py27_p0"]


def solve(backend, request):
    result = backend(request)
    check(result, request)
    return result


def test_numpy_picks_the_newest_python_it_supports(backend, index1) -> None:
    result = solve(backend, request_for(index1, ["numpy"]))
    assert dists(result.records) == PY33_NUMPY


def test_python_2_request_downgrades_python_and_rebuilds_numpy(backend, index1) -> None:
    first = backend(request_for(index1, ["numpy"]))
    request = request_for(index1, ["python=2"], installed=first.records, history_specs=["numpy"])
    result = solve(backend, request)
    assert dists(result.records) == PY27_NUMPY


def test_iopro_falls_back_to_the_build_made_for_numpy_1_5(backend, index1) -> None:
    result = solve(backend, request_for(index1, ["iopro", "python 2.7*", "numpy 1.5*"]))
    assert sorted(dists(result.records)) == sorted([
        "iopro-1.4.3-np15py27_p0", "numpy-1.5.1-py27_4", "openssl-1.0.1c-0",
        "python-2.7.5-0", "readline-6.2-0", "sqlite-3.7.13-0", "system-5.8-1", "tk-8.5.13-0",
        "unixodbc-2.3.1-0", "zlib-1.2.7-0"])


def test_accelerate_pulls_the_mkl_feature_builds_in_link_order(backend, index1) -> None:
    result = solve(backend, request_for(index1, ["numpy=1.6", "python=2.7.3", "accelerate"]))
    assert dists(result.records) == ACCELERATE


def test_removing_numbapro_drops_its_dependents_and_the_mkl_builds(backend, index1) -> None:
    history = ["numpy=1.6", "python=2.7.3", "accelerate"]
    first = backend(request_for(index1, history))
    request = request_for(index1, specs_to_remove=["numbapro"], installed=first.records,
                          history_specs=history)
    result = solve(backend, request)
    assert dists(result.link) == ["numpy-1.6.2-py27_4"]
    assert sorted(dists(result.unlink)) == sorted(
        set(ACCELERATE) - {"openssl-1.0.1c-0", "readline-6.2-0", "sqlite-3.7.13-0",
                           "system-5.8-1", "tk-8.5.13-0", "zlib-1.2.7-0", "python-2.7.3-7"})


def test_removing_python_keeps_only_aggressive_updates(backend, index1) -> None:
    first = backend(request_for(index1, ["numpy[build=*py27*]"]))
    request = request_for(index1, specs_to_remove=["python"], installed=first.records,
                          history_specs=["numpy[build=*py27*]"])
    result = solve(backend, request)
    assert dists(result.records) == ["openssl-1.0.1c-0"]


def test_force_remove_takes_out_only_the_named_package(backend, index1) -> None:
    first = backend(request_for(index1, ["numpy[build=*py27*]"]))
    request = request_for(index1, specs_to_remove=["python"], installed=first.records,
                          history_specs=["numpy[build=*py27*]"], force_remove=True)
    result = backend(request)
    assert sorted(dists(result.records)) == sorted(set(PY27_NUMPY) - {"python-2.7.5-0"})


def test_index2_numpy_prefers_mkl_over_nomkl(backend, index2) -> None:
    result = solve(backend, request_for(index2, ["numpy"]))
    assert sorted(dists(result.records)) == sorted([
        "mkl-2017.0.3-0", "openssl-1.0.2l-0", "readline-6.2-2", "sqlite-3.13.0-0",
        "tk-8.5.18-0", "xz-5.2.3-0", "zlib-1.2.11-0", "python-3.6.2-0", "numpy-1.13.1-py36_0"])
