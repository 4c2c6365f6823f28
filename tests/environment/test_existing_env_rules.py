"""conda's solver rules on existing environments, driven through the CLI on conda's own
test indexes (``index.json``, ``index4.json``) laid out as ``file://`` channels.

Each expected answer is what the real conda (26.7, classic solver) gives for the same
prefix, history and command (compared side by side while writing these tests).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.solver.channels import split_flat_index

ACCELERATE_ENV = [
    "libnvvm-1.0-p0", "mkl-rt-11.0-p0", "openssl-1.0.1c-0", "readline-6.2-0",
    "sqlite-3.7.13-0", "system-5.8-1", "tk-8.5.13-0", "zlib-1.2.7-0", "llvm-3.2-0",
    "python-2.7.3-7", "bitarray-0.8.1-py27_0", "llvmpy-0.11.2-py27_0", "meta-0.4.2.dev-py27_0",
    "mkl-service-1.0.0-py27_p0", "numpy-1.6.2-py27_p4", "numba-0.8.1-np16py27_0",
    "numexpr-2.1-np16py27_p0", "scipy-0.12.0-np16py27_p0", "numbapro-0.11.0-np16py27_p0",
    "scikit-learn-0.13.1-np16py27_p0", "mkl-11.0-np16py27_p0", "accelerate-1.1.0-np16py27_p0"]


def _channel(shared_data: Path, tmp_path: Path, index: str,
             drop: Sequence[str] = ()) -> tuple[str, dict[str, tuple[str, str, dict]]]:
    """conda's flat test index as a channel; returns its URL and dist -> record."""
    flat = json.loads((shared_data / "conda" / "tests" / "data" / index).read_text())
    root = tmp_path / f"channel-{index.split('.')[0]}"
    by_dist = {}
    for subdir, records in split_flat_index(flat).items():
        kept = {fn: {**r, "subdir": subdir} for fn, r in records.items()
                if r["name"] not in drop}
        (root / subdir).mkdir(parents=True)
        (root / subdir / "repodata.json").write_text(json.dumps(
            {"info": {"subdir": subdir}, "packages": kept}))
        for fn, r in kept.items():
            by_dist[f"{r['name']}-{r['version']}-{r['build']}"] = (subdir, fn, r)
    return root.as_uri(), by_dist


def _prefix(tmp_path: Path, url: str, by_dist: dict[str, tuple[str, str, dict]],
            dists: Sequence[str], history: Sequence[str], pinned: str = "") -> Path:
    """An environment holding ``dists``, whose history asked for ``history``."""
    prefix = tmp_path / "env"
    meta = prefix / "conda-meta"
    meta.mkdir(parents=True)
    lines = ["==> 2020-01-01 00:00:00 <==", "# cmd: conda create", "# conda version: 4.8.0"]
    for dist in dists:
        subdir, fn, raw = by_dist[dist]
        record = {**raw, "channel": f"{url}/{subdir}", "fn": fn, "url": f"{url}/{subdir}/{fn}",
                  "files": [], "paths_data": {"paths": [], "paths_version": 1}}
        (meta / f"{dist}.json").write_text(json.dumps(record))
        lines.append(f"+{url}/{subdir}::{dist}")
    lines.append(f"# update specs: {json.dumps(list(history))}")
    (meta / "history").write_text("\n".join(lines) + "\n")
    if pinned:
        (meta / "pinned").write_text(pinned)
    return prefix


def _plan(conda: Callable[..., Any], command: str, prefix: Path, url: str,
          *args: str) -> dict[str, Any]:
    result = conda(command, "-p", str(prefix), "--dry-run", "--json", "--override-channels",
                   "-c", url, *args)
    return dict(result.json())


def _dists(plan: dict[str, Any], key: str) -> list[str]:
    return sorted(a["dist_name"] for a in plan["actions"].get(key, []))


@pytest.fixture
def index1(shared_data: Path, tmp_path: Path) -> tuple[str, dict[str, tuple[str, str, dict]]]:
    return _channel(shared_data, tmp_path, "index.json")


@pytest.fixture
def system_env(index1: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """conda's test_pinned_1: system 5.8 build 0 installed, pins from the variable."""
    monkeypatch.setenv("CONDA_PINNED_PACKAGES", "python=2.6&iopro<=1.4.2")
    url, by_dist = index1
    return _prefix(tmp_path, url, by_dist, ["system-5.8-0"], ["system=5.8=0"])


def test_pinned_packages_variable_is_split_on_ampersands(
        conda: Any, index1: Any, system_env: Path, solver_available: None) -> None:
    plan = _plan(conda, "install", system_env, index1[0], "python")
    assert "python-2.6.8-6" in _dists(plan, "LINK")


def test_no_pin_drops_the_pins(conda: Any, index1: Any, system_env: Path,
                               solver_available: None) -> None:
    plan = _plan(conda, "install", system_env, index1[0], "--no-pin", "python")
    assert "python-3.3.2-0" in _dists(plan, "LINK")


def test_a_request_contradicting_a_pin_is_conda_s_configuration_error(
        conda: Any, index1: Any, system_env: Path, solver_available: None) -> None:
    plan = _plan(conda, "install", system_env, index1[0], "scikit-learn==0.13")
    assert plan["exception_name"] == "SpecsConfigurationConflictError"
    assert "python=2.6" in plan["pinned_specs"]


def test_pins_from_the_file_and_the_variable_combine(
        conda: Any, index1: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        solver_available: None) -> None:
    url, by_dist = index1
    monkeypatch.setenv("CONDA_PINNED_PACKAGES", "numpy=1.6")
    prefix = _prefix(tmp_path, url, by_dist, ["system-5.8-0"], ["system=5.8=0"],
                     pinned="python 2.6.*\n")
    linked = _dists(_plan(conda, "install", prefix, url, "numpy"), "LINK")
    assert [d for d in linked if d.startswith(("numpy-", "python-"))] == [
        "numpy-1.6.2-py26_4", "python-2.6.8-6"]


def test_install_accepts_update_specs(conda: Any, index1: Any, tmp_path: Path,
                                      solver_available: None) -> None:
    url, by_dist = index1
    env = ["openssl-1.0.1c-0", "readline-6.2-0", "sqlite-3.7.13-0", "system-5.8-1",
           "tk-8.5.13-0", "zlib-1.2.7-0", "python-2.7.5-0", "numpy-1.6.2-py27_4"]
    prefix = _prefix(tmp_path, url, by_dist, env, ["python=2.7", "numpy"])
    plan = _plan(conda, "install", prefix, url, "--update-specs", "numpy")
    assert _dists(plan, "LINK") == ["numpy-1.7.1-py27_0"]
    assert _dists(plan, "UNLINK") == ["numpy-1.6.2-py27_4"]


def test_update_all_with_a_spec_keeps_python_on_its_minor_version(
        conda: Any, index1: Any, tmp_path: Path, solver_available: None) -> None:
    url, by_dist = index1
    env = ["openssl-1.0.1c-0", "readline-6.2-0", "sqlite-3.7.13-0", "system-5.8-1",
           "tk-8.5.13-0", "zlib-1.2.7-0", "python-2.7.3-7", "numpy-1.6.2-py27_4"]
    prefix = _prefix(tmp_path, url, by_dist, env, ["python=2.7", "numpy"])
    plan = _plan(conda, "update", prefix, url, "--all", "numpy")
    assert _dists(plan, "LINK") == ["numpy-1.7.1-py27_0", "python-2.7.5-0"]


def test_satisfied_skip_solve_changes_nothing(conda: Any, index1: Any, tmp_path: Path,
                                              solver_available: None) -> None:
    url, by_dist = index1
    env = ["openssl-1.0.1c-0", "readline-6.2-0", "sqlite-3.7.13-0", "system-5.8-1",
           "tk-8.5.13-0", "zlib-1.2.7-0", "python-2.7.5-0", "numpy-1.6.2-py27_4"]
    prefix = _prefix(tmp_path, url, by_dist, env, ["python=2.7", "numpy"])
    result = conda("install", "-p", str(prefix), "--dry-run", "--json",
                   "--override-channels", "-c", url, "-S", "numpy")
    assert result.json() == {"success": True,
                             "message": "All requested packages already installed."}


def test_a_requested_feature_opts_into_the_featured_builds(
        conda: Any, index1: Any, tmp_path: Path, solver_available: None) -> None:
    url, by_dist = index1
    prefix = _prefix(tmp_path, url, by_dist, [], [])
    plan = _plan(conda, "install", prefix, url, "*[track_features=mkl]", "numpy=1.6",
                 "python=2.7")
    linked = _dists(plan, "LINK")
    assert "numpy-1.6.2-py27_p4" in linked
    assert "mkl-rt-11.0-p0" in linked


def test_removing_the_feature_tracker_swaps_the_featured_builds_out(
        conda: Any, index1: Any, tmp_path: Path, solver_available: None) -> None:
    url, by_dist = index1
    prefix = _prefix(tmp_path, url, by_dist, ACCELERATE_ENV,
                     ["numpy=1.6", "python=2.7.3", "accelerate"])
    plan = _plan(conda, "remove", prefix, url, "accelerate")
    assert _dists(plan, "LINK") == ["numpy-1.6.2-py27_4"]
    assert {"mkl-rt-11.0-p0", "numpy-1.6.2-py27_p4", "scipy-0.12.0-np16py27_p0"} <= set(
        _dists(plan, "UNLINK"))


def test_two_specs_of_one_name_are_merged(conda: Any, index1: Any, tmp_path: Path,
                                          solver_available: None) -> None:
    url, by_dist = index1
    prefix = _prefix(tmp_path, url, by_dist, [], [])
    plan = _plan(conda, "install", prefix, url, "numpy[build=*py27*]", "numpy=1.7")
    assert "numpy-1.7.1-py27_0" in _dists(plan, "LINK")


def test_two_specs_of_one_name_matching_nothing_together_are_not_found(
        conda: Any, index1: Any, tmp_path: Path, solver_available: None) -> None:
    url, by_dist = index1
    prefix = _prefix(tmp_path, url, by_dist, [], [])
    plan = _plan(conda, "install", prefix, url, "numpy=1.5", "numpy=1.6")
    assert plan["exception_name"] == "PackagesNotFoundInChannelsError"


def test_incompatible_specs_of_one_name_are_an_error(
        conda: Any, index1: Any, tmp_path: Path, solver_available: None) -> None:
    url, by_dist = index1
    prefix = _prefix(tmp_path, url, by_dist, [], [])
    plan = _plan(conda, "install", prefix, url, "numpy=1.7=py27_0", "numpy=1.7=py33_0")
    assert "Incompatible component merge" in plan["message"]


def test_no_channels_at_all_is_no_channels_configured(
        conda: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        solver_available: None) -> None:
    condarc = tmp_path / "condarc"
    condarc.write_text("channels: []\n")
    monkeypatch.delenv("CONDA_CHANNELS")
    monkeypatch.setenv("CONDARC", str(condarc))
    result = conda("create", "-p", str(tmp_path / "new"), "--dry-run", "--json", "numpy")
    assert result.code != 0
    assert result.json()["exception_name"] == "NoChannelsConfiguredError"


def test_a_dependency_no_channel_provides_is_packages_not_found(
        conda: Any, shared_data: Path, tmp_path: Path, solver_available: None) -> None:
    url, _ = _channel(shared_data, tmp_path, "index4.json", drop=["chardet"])
    result = conda("create", "-p", str(tmp_path / "new"), "--dry-run", "--json",
                   "--override-channels", "-c", url, "requests")
    error = result.json()
    assert error["exception_name"] == "PackagesNotFoundInChannelsError"
    assert error["packages"] == ["requests -> chardet[version='>=3.0.2,<3.1.0']"]
    assert "  - requests -> chardet[version='>=3.0.2,<3.1.0']\n" in error["message"]


def test_channel_priority_disabled_takes_the_first_channel_on_a_tie(
        conda: Any, shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        solver_available: None) -> None:
    first, _ = _channel(shared_data, tmp_path / "a", "index.json")
    second, _ = _channel(shared_data, tmp_path / "b", "index.json")
    monkeypatch.setenv("CONDA_CHANNEL_PRIORITY", "disabled")
    result = conda("create", "-p", str(tmp_path / "new"), "--dry-run", "--json",
                   "--override-channels", "-c", first, "-c", second, "numpy=1.7",
                   "python=2.7")
    links = result.json()["actions"]["LINK"]
    assert {a["base_url"] for a in links} == {first}


def _created(conda: Callable[..., Any], url: str, by_dist: dict[str, tuple[str, str, dict]],
             tmp_path: Path, specs: Sequence[str]) -> Path:
    """An environment as ``conda create specs`` would make it (history: ``specs``)."""
    plan = conda("create", "-p", str(tmp_path / "scratch"), "--dry-run", "--json",
                 "--override-channels", "-c", url, *specs).json()
    return _prefix(tmp_path, url, by_dist, _dists(plan, "LINK"), specs)


def test_python_3_7_from_a_py27_env_changes_no_more_than_conda(
        conda: Any, shared_data: Path, tmp_path: Path, solver_available: None) -> None:
    # conda's install first freezes what does not conflict; the py27 records that do
    # become optional, so cryptography-vectors (only cryptography 2.3 needs it) goes and
    # cryptography 2.2.2 comes, as in conda's test_python2_update
    url, by_dist = _channel(shared_data, tmp_path, "index4.json")
    prefix = _created(conda, url, by_dist, tmp_path, ["conda", "python=2"])
    plan = _plan(conda, "install", prefix, url, "python=3.7")
    linked, unlinked = _dists(plan, "LINK"), _dists(plan, "UNLINK")
    assert "cryptography-2.2.2-py37h14c3975_0" in linked
    assert "python-3.7.0-hc3d631a_0" in linked
    assert "cryptography-vectors-2.3-py27_0" in unlinked
    assert not [d for d in linked if d.startswith("cryptography-vectors")]


def test_install_moves_the_featured_stack_with_the_request(
        conda: Any, index1: Any, tmp_path: Path, solver_available: None) -> None:
    # what conflicts with numpy 1.7 (the np16 builds) changes, the rest stays frozen
    url, by_dist = index1
    prefix = _prefix(tmp_path, url, by_dist, ACCELERATE_ENV,
                     ["numpy=1.6", "python=2.7.3", "accelerate"])
    plan = _plan(conda, "install", prefix, url, "numpy=1.7")
    assert _dists(plan, "LINK") == [
        "accelerate-1.1.0-np17py27_p0", "mkl-11.0-np17py27_p0", "numba-0.8.1-np17py27_0",
        "numbapro-0.11.0-np17py27_p0", "numexpr-2.1-np17py27_p0", "numpy-1.7.1-py27_p0",
        "scikit-learn-0.13.1-np17py27_p0", "scipy-0.12.0-np17py27_p0"]


@pytest.fixture
def conda_base(conda: Any, shared_data: Path, tmp_path: Path,
               monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    """The root prefix holding conda 4.5.8 on python 3.6 (conda's own prefix)."""
    url, by_dist = _channel(shared_data, tmp_path, "index4.json")
    plan = conda("create", "-p", str(tmp_path / "scratch"), "--dry-run", "--json",
                 "--override-channels", "-c", url, "conda=4.5.8", "python=3.6").json()
    prefix = _prefix(tmp_path, url, by_dist, _dists(plan, "LINK"), ["conda", "python=3.6"])
    monkeypatch.setenv("CONDA_ROOT_PREFIX", str(prefix))
    return url, prefix


def test_conda_in_the_root_prefix_updates_with_any_install(
        conda: Any, conda_base: tuple[str, Path], solver_available: None) -> None:
    url, prefix = conda_base
    linked = _dists(_plan(conda, "install", prefix, url, "jpeg"), "LINK")
    assert [d for d in linked if d.startswith("conda-")] == ["conda-4.5.10-py36_0"]


def test_auto_update_conda_false_keeps_conda_in_the_root_prefix(
        conda: Any, conda_base: tuple[str, Path], monkeypatch: pytest.MonkeyPatch,
        solver_available: None) -> None:
    url, prefix = conda_base
    monkeypatch.setenv("CONDA_AUTO_UPDATE_CONDA", "false")
    linked = _dists(_plan(conda, "install", prefix, url, "jpeg"), "LINK")
    assert [d for d in linked if d.startswith(("conda-", "jpeg-"))] == ["jpeg-9b-h024ee3a_2"]


def test_conda_in_the_root_prefix_is_not_downgraded_by_a_dependency(
        conda: Any, conda_base: tuple[str, Path], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, solver_available: None) -> None:
    # pycosat 0.6.2 needs conda < 4.4: refused in conda's own prefix, done elsewhere
    url, prefix = conda_base
    plan = _plan(conda, "install", prefix, url, "pycosat=0.6.2")
    assert plan["exception_name"] == "UnsatisfiableError"
    monkeypatch.setenv("CONDA_ROOT_PREFIX", str(tmp_path / "another-root"))
    linked = _dists(_plan(conda, "install", prefix, url, "pycosat=0.6.2"), "LINK")
    from kernel.models import VersionOrder

    moved = [d.split("-")[1] for d in linked if d.startswith("conda-")]
    assert len(moved) == 1 and VersionOrder(moved[0]) < VersionOrder("4.5.8")
