"""The extractors as plugins: registration, dispatch, laziness, and the error contract."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kernel.errors import CondaError
from kernel.manager import PluginManager
from plugins.extractors import conda_format, tar_bz2
from plugins.extractors.safety import PackageExtractionError
from tests.extractors.archives import Entry, build

REPO = Path(__file__).resolve().parents[2]
ENTRY_POINTS = {"extract-conda": "plugins.extractors.conda_format",
                "extract-tar-bz2": "plugins.extractors.tar_bz2"}


def test_hook_yields_one_extractor_per_format(manager):
    records = manager.hook_results("conda_package_extractors")
    assert {(r.name, r.extensions) for r in records} == {("conda", (".conda",)),
                                                         ("tar-bz2", (".tar.bz2",))}
    assert {r.extract for r in records} == {conda_format.extract, tar_bz2.extract}


def test_extract_through_the_hook(extractors, fmt, sandbox):
    archive = build(fmt, sandbox.archives, [Entry("bin/hello", data=b"hi", mode=0o755)])
    extractors[fmt](str(archive), str(sandbox.dest))
    assert (sandbox.dest / "bin" / "hello").read_bytes() == b"hi"


def test_entry_points_are_declared_and_load():
    tomllib = pytest.importorskip("tomllib")
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())
    group = declared["project"]["entry-points"]["microconda.plugins"]
    assert {k: group[k] for k in ENTRY_POINTS} == ENTRY_POINTS
    pm = PluginManager()
    pm.load_entrypoints(entry_points=[{"name": name, "value": value, "dist": "microconda",
                                       "version": "0.1.0"} for name, value in ENTRY_POINTS.items()])
    assert sorted(r.name for r in pm.hook_results("conda_package_extractors")) == ["conda",
                                                                                    "tar-bz2"]


def test_plugin_modules_import_nothing_heavy():
    heavy = ("tarfile", "zipfile", "bz2", "zstandard", "backports.zstd", "compression.zstd",
             "conda_package_streaming", "plugins.extractors.unpack", "plugins.extractors.safety")
    code = ("import sys; before = set(sys.modules); "
            "import kernel, kernel.types; kernel.hookimpl; base = set(sys.modules); "
            "import plugins.extractors.conda_format, plugins.extractors.tar_bz2; "
            f"print(sorted(m for m in {heavy!r} if m in sys.modules and m not in base))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=REPO)
    assert out.stdout.strip() == "[]"


def test_refusal_is_a_conda_error_with_fields(fmt, extract, sandbox):
    archive = build(fmt, sandbox.archives, [Entry("../x", data=b"x")])
    try:
        extract(str(archive), str(sandbox.dest))
    except CondaError as exc:
        assert isinstance(exc, PackageExtractionError)
        data = exc.dump_map()
        assert data["exception_name"] == "PackageExtractionError"
        assert data["archive"] == str(archive) and data["member"] == "../x"
        assert exc.return_code == 1
    else:
        raise AssertionError("not refused")
