"""Prefix data: real conda prefixes, corrupt records, history, pins, environments.txt."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from plugins.prefix import (
    CorruptedEnvironmentError,
    History,
    PrefixData,
    parse_history,
    read_pinned,
    register_env,
    registered_environments,
    unregister_env,
)
from plugins.prefix.history import dist_str, spec_name

ENV_METADATA = "conda/tests/data/env_metadata"


def copy_prefix(shared: Path, rel: str, tmp_path: Path) -> Path:
    target = tmp_path / Path(rel).name
    shutil.copytree(shared / rel, target)
    return target


@pytest.mark.parametrize("name,count,python", [
    ("envpy37win", 8, "3.7.0"), ("py36-osx-whl", None, "3.6.6"),
    ("envpy313tosx_whl", 16, "3.13.2")])
def test_reads_real_conda_prefixes(shared_data: Path, tmp_path: Path, name: str,
                                   count: int | None, python: str) -> None:
    prefix = copy_prefix(shared_data, f"{ENV_METADATA}/{name}", tmp_path)
    data = PrefixData(str(prefix))
    records = data.raw_records()
    if count is not None:
        assert len(records) == count
    assert data.python_version() == python
    assert all(r["files"] for r in records.values() if r["name"] == "python")
    requested = data.requested_specs_map()
    assert requested["python"].startswith("python=")


def test_real_history_revisions(shared_data: Path, tmp_path: Path) -> None:
    prefix = copy_prefix(shared_data, f"{ENV_METADATA}/envpy313tosx_whl", tmp_path)
    (rev,) = History(str(prefix)).revisions()
    assert rev.date == "2025-03-14 13:51:04"
    assert rev.conda_version == "25.1.2"
    assert rev.cmd.endswith("--solver classic")
    assert "conda-forge/noarch::pip-25.0.1-pyh145f28c_0" in rev.linked
    assert rev.update_specs == ["python_abi[build=*_cp313t]", "python=3.13", "pip"]
    assert History(str(prefix)).requested_specs_map() == {
        "python_abi": "python_abi[build=*_cp313t]", "python": "python=3.13", "pip": "pip"}


def test_history_replays_updates_removes_and_old_formats() -> None:
    text = """==> 2016-01-01 10:00:00 <==
# cmd: conda create -n x python numpy
+defaults::python-2.7.11-0
# install specs: python, numpy
==> 2018-01-01 10:00:00 <==
# cmd: conda install scipy
# conda version: 4.5.0
# update specs: ['scipy>=1', 'numpy 1.1*']
==> 2019-01-01 10:00:00 <==
# cmd: conda remove python
-defaults::python-2.7.11-0
# remove specs: ['python']
# neutered specs: ['numpy']
"""
    revs = parse_history(text)
    assert [r.date[:4] for r in revs] == ["2016", "2018", "2019"]
    assert revs[0].update_specs == ["python", "numpy"]
    assert revs[2].unlinked == ["defaults::python-2.7.11-0"]
    history = History("/nonexistent")
    history.read_text = lambda: text  # type: ignore[method-assign]
    assert history.requested_specs_map() == {"numpy": "numpy", "scipy": "scipy>=1"}
    assert history.requested_specs_map(installed=["scipy"]) == {"scipy": "scipy>=1"}


def test_written_revision_reads_back(tmp_path: Path) -> None:
    history = History(str(tmp_path))
    history.append(History.format_revision(
        unlinked=["defaults/linux-64::a-1-0"], linked=["defaults/linux-64::a-2-0"],
        update_specs=["a>=2"], remove_specs=["b"], command_line="conda install a>=2",
        conda_version="25.7.0", when=0))
    text = (tmp_path / "conda-meta/history").read_text()
    assert "# update specs: ['a>=2']\n" in text and "# remove specs: ['b']\n" in text
    (rev,) = history.revisions()
    assert (rev.unlinked, rev.linked, rev.update_specs) == (
        ["defaults/linux-64::a-1-0"], ["defaults/linux-64::a-2-0"], ["a>=2"])


@pytest.mark.parametrize("spec,name", [
    ("numpy", "numpy"), ("numpy>=1.2", "numpy"), ("conda-forge::numpy 1.2 *", "numpy"),
    ("python_abi[build=*_cp313t]", "python_abi"), ("pkgs/main/linux-64::scipy=1", "scipy")])
def test_spec_name(spec: str, name: str) -> None:
    assert spec_name(spec) == name


def test_dist_str_matches_conda() -> None:
    assert dist_str({"name": "pip", "version": "25.0.1", "build": "pyh145f28c_0",
                     "channel": "https://conda.anaconda.org/conda-forge/noarch",
                     "subdir": "noarch"}) == "conda-forge/noarch::pip-25.0.1-pyh145f28c_0"
    assert dist_str({"name": "a", "version": "1", "build": "0",
                     "channel": "https://repo.anaconda.com/pkgs/main/linux-64",
                     "subdir": "linux-64"}) == "defaults/linux-64::a-1-0"


def test_corrupt_json_names_the_file(shared_data: Path, tmp_path: Path) -> None:
    for kind in ("json", "unicode"):
        prefix = copy_prefix(shared_data, f"conda/tests/data/corrupt/{kind}", tmp_path)
        with pytest.raises(CorruptedEnvironmentError, match=r"corrupt-1\.2\.3-hashhash\.json"):
            PrefixData(str(prefix)).raw_records()


def test_appledouble_files_are_skipped(shared_data: Path, tmp_path: Path) -> None:
    prefix = copy_prefix(shared_data, "conda/tests/data/corrupt/dot_underscore", tmp_path)
    assert list(PrefixData(str(prefix)).raw_records()) == ["valid"]


def test_misnamed_record_is_ignored_with_a_warning(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    meta = tmp_path / "conda-meta"
    meta.mkdir()
    (meta / "a-1-0.json").write_text('{"name": "b", "version": "1", "build": "0"}')
    assert PrefixData(str(tmp_path)).raw_records() == {}
    assert "malformed prefix record" in capsys.readouterr().err


def test_pinned(tmp_path: Path) -> None:
    assert read_pinned(str(tmp_path)) == []
    (tmp_path / "conda-meta").mkdir()
    (tmp_path / "conda-meta/pinned").write_text("numpy 1.26.*\n\n# a comment\npython=3.11 # x\n")
    assert read_pinned(str(tmp_path)) == ["numpy 1.26.*", "python=3.11"]


def test_environments_txt_register_unregister(tmp_path: Path) -> None:
    env = tmp_path / "env"
    assert register_env(str(env)) is True
    assert register_env(str(env) + "/") is False  # normalised, deduplicated
    assert registered_environments() == [str(env)]
    (env / "conda-meta").mkdir(parents=True)
    (env / "conda-meta/x-1-0.json").write_text("{}")
    assert unregister_env(str(env)) is False  # still holds packages
    (env / "conda-meta/x-1-0.json").unlink()
    assert unregister_env(str(env)) is True
    assert registered_environments() == []
    assert register_env(str(tmp_path / "_h_env_placehold_placehold")) is False
