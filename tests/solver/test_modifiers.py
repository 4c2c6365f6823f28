"""Update modifiers, pins, deps modifiers and the diff against installed records."""

from __future__ import annotations

import pytest

from tests.solver.checker import check
from tests.solver.conftest import dists, request_for

pytestmark = pytest.mark.needs_models


def _installed(backend, source, specs):
    return backend(request_for(source, specs)).records


def test_pin_holds_back_python(backend, index1) -> None:
    request = request_for(index1, ["numpy"], pinned=["python 2.7.*"])
    result = backend(request)
    check(result, request)
    assert "python-2.7.5-0" in dists(result.records)


def test_freeze_installed_keeps_python_when_adding_a_package(backend, index1) -> None:
    installed = _installed(backend, index1, ["python 2.7.3*"])
    request = request_for(index1, ["numpy"], installed=installed,
                          history_specs=["python"], update_modifier="freeze_installed")
    result = backend(request)
    check(result, request)
    assert "python-2.7.3-7" in dists(result.records)
    assert not result.unlink


def test_update_all_keeps_python_on_its_minor_version(backend, index1) -> None:
    # conda's test_update_all_1: "stick with python=2.6 even though UPDATE_ALL"
    installed = _installed(backend, index1, ["python 2.7.3*"])
    request = request_for(index1, installed=installed, history_specs=["python"],
                          update_modifier="update_all")
    result = backend(request)
    check(result, request)
    assert [r.version for r in result.records if r.name == "python"] == ["2.7.5"]


def test_installed_python_stays_on_its_minor_version(backend, index1) -> None:
    installed = _installed(backend, index1, ["python 2.7.3*"])
    request = request_for(index1, ["numpy"], installed=installed, history_specs=["python"])
    result = backend(request)
    check(result, request)
    assert [r.version[:3] for r in result.records if r.name == "python"] == ["2.7"]


def test_no_deps_links_only_the_requested_package(backend, index1) -> None:
    request = request_for(index1, ["numpy"], deps_modifier="no_deps")
    result = backend(request)
    assert dists(result.link) == ["numpy-1.7.1-py33_0"]


def test_only_deps_leaves_the_requested_package_out(backend, index1) -> None:
    request = request_for(index1, ["numpy"], deps_modifier="only_deps")
    result = backend(request)
    check(result, request)
    assert "numpy" not in {r.name for r in result.records}
    assert "python" in {r.name for r in result.records}


def test_force_reinstall_relinks_the_requested_record(backend, index1) -> None:
    installed = _installed(backend, index1, ["numpy"])
    request = request_for(index1, ["numpy"], installed=installed, history_specs=["numpy"],
                          force_reinstall=True)
    result = backend(request)
    assert dists(result.link) == dists(result.unlink) == ["numpy-1.7.1-py33_0"]


def test_add_pip_makes_python_pull_pip(backend, index2) -> None:
    request = request_for(index2, ["python 3.6.*"], add_pip_as_python_dependency=True)
    result = backend(request)
    check(result, request)
    assert "pip" in {r.name for r in result.records}


def test_index4_scipy_pandas_is_consistent(backend, index4) -> None:
    request = request_for(index4, ["scipy", "pandas"])
    result = backend(request)
    check(result, request)
    assert {"blas", "mkl"} <= {r.name for r in result.records}


def test_a_pin_in_the_conflict_is_conda_s_configuration_error(backend, index1) -> None:
    from kernel.errors import SpecsConfigurationConflictError, UnsatisfiableError

    # numpy's py33 build needs python 3.3; the pin holds python on 2.7
    request = request_for(index1, ["numpy 1.7.1 py33_0"], pinned=["python 2.7.*"])
    with pytest.raises(SpecsConfigurationConflictError) as caught:
        backend(request)
    error = caught.value
    assert isinstance(error, UnsatisfiableError)
    assert str(error).startswith("Requested specs conflict with configured specs.")
    assert error.fields["pinned_specs"] == ["python=2.7"]  # conda's canonical form
    assert "numpy==1.7.1=py33_0" in error.fields["requested_specs"]
    assert error.dump_map()["exception_name"] == "SpecsConfigurationConflictError"


def test_a_conflict_without_pins_stays_unsatisfiable(backend, index1) -> None:
    from kernel.errors import SpecsConfigurationConflictError, UnsatisfiableError

    request = request_for(index1, ["numpy 1.7.1 py33_0", "python 2.7.*"])
    with pytest.raises(UnsatisfiableError) as caught:
        backend(request)
    assert not isinstance(caught.value, SpecsConfigurationConflictError)


def test_prune_removes_what_no_requested_spec_needs(backend, index1) -> None:
    # conda's env update --prune: the file's specs are solved as if nothing were
    # installed, so numpy (installed, in the history) goes
    installed = _installed(backend, index1, ["numpy", "python 2.7*"])
    request = request_for(index1, ["python 2.7*"], installed=installed,
                          history_specs=["numpy", "python 2.7*"], prune=True)
    result = backend(request)
    check(result, request)
    assert "numpy" not in {r.name for r in result.records}
    assert dists(result.unlink) == ["numpy-1.7.1-py27_0"]
    assert not result.link


def test_a_requested_feature_needs_no_tracking_package(backend, index1) -> None:
    # conda's pseudo record for the requested feature tracks it (the checker would
    # look for a real tracking record)
    request = request_for(index1, ["*[track_features=mkl]", "numpy 1.6*", "python 2.7*"])
    result = backend(request)
    assert "numpy-1.6.2-py27_p4" in dists(result.records)
    assert "accelerate" not in {r.name for r in result.records}


def test_update_deps_keeps_python_on_its_minor_version(backend, index4) -> None:
    history = ["python=2.7", "numpy=1.11", "pandas=0.20"]
    installed = _installed(backend, index4, history)
    request = request_for(index4, ["pandas"], installed=installed, history_specs=history,
                          update_modifier="update_deps")
    result = backend(request)
    check(result, request)
    versions = {r.name: r.version for r in result.records}
    assert versions["python"].startswith("2.7.")
    assert (versions["pandas"], versions["numpy"]) == ("0.23.4", "1.15.0")


def test_only_deps_keeps_a_requested_package_another_one_needs(backend, index4) -> None:
    # numpy 1.15's mkl_fft and mkl_random depend on numpy: conda's only_deps drops only
    # requested packages that nothing else needs, so numpy 1.15 is installed
    installed = _installed(backend, index4, ["python=2.7", "numpy=1.11"])
    request = request_for(index4, ["numpy=1.15"], installed=installed,
                          history_specs=["python=2.7", "numpy=1.11"], deps_modifier="only_deps")
    result = backend(request)
    check(result, request)
    assert sorted(dists(result.link)) == [
        "mkl_fft-1.0.4-py27h4414c95_1", "mkl_random-1.0.1-py27h4414c95_1",
        "numpy-1.15.0-py27h1b885b7_0", "numpy-base-1.15.0-py27h3dfced4_0"]


def test_a_pin_the_request_reaches_is_installed(backend, index4) -> None:
    # conda makes a pin on a name in the request's reduced index a hard spec: pinning
    # nomkl installs it, and with it the openblas builds of numpy
    request = request_for(index4, ["numpy"], pinned=["nomkl"])
    result = backend(request)
    check(result, request)
    names = {r.name: r.build for r in result.records}
    assert "nomkl" in names
    assert names["blas"] == "openblas"


def test_a_pin_out_of_the_request_s_reach_installs_nothing(backend, index1) -> None:
    request = request_for(index1, ["numpy"], pinned=["iopro<=1.4.2"])
    result = backend(request)
    assert "iopro" not in {r.name for r in result.records}


def _conda_base(backend, index4, conda: str):
    """A root prefix holding conda ``conda`` on python 3.6, and its history."""
    installed = _installed(backend, index4, [f"conda {conda}", "python 3.6*"])
    return {"installed": installed, "history_specs": ["conda", "python"]}


def _version(records, name: str) -> str:
    return next(r.version for r in records if r.name == name)


def test_root_prefix_never_downgrades_conda(backend, index4) -> None:
    # conda's business rule in its own prefix: pycosat 0.6.2 needs a conda older than the
    # installed 4.5.9 (4.4 and later need pycosat >=0.6.3), so the request cannot be met
    # there; elsewhere conda just moves back
    base = _conda_base(backend, index4, "4.5.9")
    elsewhere = backend(request_for(index4, ["pycosat 0.6.2"], **base))
    from kernel.errors import UnsatisfiableError
    from kernel.models import VersionOrder

    assert VersionOrder(_version(elsewhere.records, "conda")) < VersionOrder("4.5.9")
    with pytest.raises(UnsatisfiableError):
        backend(request_for(index4, ["pycosat 0.6.2"], conda_prefix=True, **base))


def test_root_prefix_updates_conda_on_any_install(backend, index4) -> None:
    base = _conda_base(backend, index4, "4.5.8")
    request = request_for(index4, ["zlib"], conda_prefix=True,
                          update_modifier="freeze_installed", **base)
    result = backend(request)
    check(result, request)
    from kernel.models import VersionOrder

    assert VersionOrder(_version(result.records, "conda")) > VersionOrder("4.5.8")


def test_root_prefix_keeps_conda_without_auto_update_conda(backend, index4) -> None:
    base = _conda_base(backend, index4, "4.5.8")
    request = request_for(index4, ["zlib"], conda_prefix=True, auto_update_conda=False,
                          update_modifier="freeze_installed", **base)
    result = backend(request)
    check(result, request)
    assert _version(result.records, "conda") == "4.5.8"


def test_root_prefix_downgrades_conda_when_a_version_is_requested(backend, index4) -> None:
    base = _conda_base(backend, index4, "4.5.9")
    request = request_for(index4, ["conda 4.5.8"], conda_prefix=True, **base)
    result = backend(request)
    check(result, request)
    assert _version(result.records, "conda") == "4.5.8"
