"""``conda package`` (build, --which, --untracked, --reset) and the README demo."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def test_package_builds_from_untracked_files(conda, tmp_path: Path) -> None:
    prefix = tmp_path / "stage"
    assert conda("create", "-p", prefix, "-y").code == 0
    (prefix / "bin").mkdir()
    (prefix / "bin" / "tool").write_text(f"#!/bin/sh\necho {prefix}/share\n")
    (prefix / "share").mkdir()
    (prefix / "share" / "data.txt").write_text("data\n")
    untracked = conda("package", "-p", prefix, "--untracked").out.split()
    assert untracked == ["bin/tool", "share/data.txt"]
    which = conda("--json", "package", "-p", prefix, "--which", prefix / "bin" / "tool")
    assert which.json() == {str(prefix / "bin" / "tool"): None}
    out = tmp_path / "out"
    result = conda("package", "-p", prefix, "--pkg-name", "tool", "--pkg-version", "1.2",
                   "--pkg-build", "3", "--depends", "dependency >=1", "--output-dir", out)
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1] == "tool-1.2-3.tar.bz2"
    with tarfile.open(out / "tool-1.2-3.tar.bz2") as tar:
        names = set(tar.getnames())
        index = json.load(tar.extractfile("info/index.json"))  # type: ignore[arg-type]
        paths = json.load(tar.extractfile("info/paths.json"))  # type: ignore[arg-type]
    assert {"bin/tool", "share/data.txt", "info/files", "info/index.json",
            "info/paths.json", "info/has_prefix"} <= names
    assert (index["name"], index["version"], index["build"], index["depends"]) == \
        ("tool", "1.2", "3", ["dependency >=1"])
    tool = next(p for p in paths["paths"] if p["_path"] == "bin/tool")
    assert tool["prefix_placeholder"] == str(prefix) and tool["file_mode"] == "text"
    assert conda("package", "-p", prefix, "--reset").code == 0
    assert conda("package", "-p", prefix, "--untracked").out == ""
    nothing = conda("package", "-p", prefix, "--pkg-name", "tool")
    assert nothing.code == 1 and "nothing to package" in nothing.err


def test_package_rejects_bad_name(conda, tmp_path: Path) -> None:
    prefix = tmp_path / "stage"
    assert conda("create", "-p", prefix, "-y").code == 0
    (prefix / "f").write_text("x")
    result = conda("package", "-p", prefix, "--pkg-name", "bad name")
    assert result.code == 1 and "bad name" in result.err
    assert not list(Path.cwd().glob("bad name*"))


@pytest.mark.usefixtures("solver_available")
def test_demo_runs_end_to_end(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(REPO / "demo" / "run.py"), "--workdir",
                             str(tmp_path / "demo")], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Hello, microconda!" in result.stdout
    assert "demo: OK" in result.stdout
