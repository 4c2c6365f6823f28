"""Records the real conda wrote: noarch python ``paths_data`` paths are package paths."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from plugins.health_checks.records import package_paths

PIP = "conda/tests/data/env_metadata/envpy313tosx_whl/conda-meta/pip-25.0.1-pyh145f28c_0.json"


def test_noarch_python_paths_data_maps_to_the_installed_files(shared_data: Path) -> None:
    record = json.loads((shared_data / PIP).read_text())
    mapped = [path for path, entry in package_paths(record) if entry]
    assert mapped and set(mapped) <= set(record["files"])
    assert any(path.startswith("bin/") for path in mapped)


def test_missing_files_is_clean_on_a_complete_conda_made_noarch_record(
        shared_data: Path, tmp_path: Path, conda) -> None:
    prefix = tmp_path / "env"
    (prefix / "conda-meta").mkdir(parents=True)
    shutil.copy(shared_data / PIP, prefix / "conda-meta")
    record = json.loads((shared_data / PIP).read_text())
    for rel in record["files"]:
        (prefix / rel).parent.mkdir(parents=True, exist_ok=True)
        (prefix / rel).write_text("")
    result = conda("doctor", "-p", prefix, "missing-files", "--json")
    assert result.code == 0, result.out + result.err
