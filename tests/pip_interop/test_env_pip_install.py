"""The ``pip:`` entries that ``conda env update`` installs show up in ``list`` and ``export``.

The environment's python is this test run's interpreter behind a wrapper that points pip's
``--target`` at the environment's site-packages; the package is a wheel built here, so pip
runs for real and offline.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.engine.pkgbuild import build_package
from tests.pip_interop.conftest import SP, Prefix, Result, pypi_row

Conda = Callable[..., Result]


def _wheel(folder: Path) -> Path:
    files = {"demo_pkg/__init__.py": "VALUE = 1\n",
             "demo_pkg-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: Demo_Pkg\n"
                                                "Version: 1.0\n",
             "demo_pkg-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\n"
                                             "Root-Is-Purelib: true\nTag: py3-none-any\n"}

    def digest(text: str) -> str:
        raw = hashlib.sha256(text.encode()).digest()
        return "sha256=" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    record = "".join(f"{k},{digest(v)},{len(v)}\n" for k, v in files.items())
    path = folder / "demo_pkg-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
        archive.writestr("demo_pkg-1.0.dist-info/RECORD",
                         record + "demo_pkg-1.0.dist-info/RECORD,,\n")
    return path


def _channel(folder: Path) -> str:
    """A file:// channel holding an empty ``pip`` package."""
    noarch = folder / "noarch"
    noarch.mkdir(parents=True)
    (folder / "linux-64").mkdir()
    (folder / "linux-64" / "repodata.json").write_text(
        json.dumps({"info": {"subdir": "linux-64"}, "packages": {}}))
    _, record = build_package(str(noarch), "pip", "24.0", "0", subdir="noarch",
                              files={"share/pip-marker": b"x"})
    entry = {k: v for k, v in record.items() if k not in ("url", "channel", "fn")}
    (noarch / "repodata.json").write_text(json.dumps(
        {"info": {"subdir": "noarch"}, "packages": {record["fn"]: entry}}))
    return folder.as_uri()


def test_pip_entries_installed_by_env_update_are_listed(
        conda: Conda, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        hermetic_env: Path) -> None:
    probe = subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True,
                           check=False)
    if probe.returncode != 0:
        pytest.skip("pip is not installed in the interpreter running the tests")
    monkeypatch.setenv("CONDA_PKGS_DIRS", str(hermetic_env / "pkgs"))
    monkeypatch.setenv("CONDA_ADD_PIP_AS_PYTHON_DEPENDENCY", "false")
    monkeypatch.setenv("CONDA_REGISTER_ENVS", "false")
    monkeypatch.setenv("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    p = Prefix(tmp_path / "env")
    p.python()
    python = p.root / "bin" / "python"
    python.write_text(f'#!/bin/sh\nPIP_TARGET="{p.root / SP}" exec "{sys.executable}" "$@"\n')
    python.chmod(0o755)
    wheel = _wheel(tmp_path)
    spec = tmp_path / "environment.yml"
    channel = _channel(tmp_path / "channel")
    monkeypatch.setenv("CONDA_CHANNELS", channel)
    spec.write_text(f"channels:\n  - {channel}\ndependencies:\n"
                    f"  - pip\n  - pip:\n    - --no-index\n    - {wheel}\n")
    result = conda("env", "update", "-p", p, "-f", spec, "-y")
    assert result.code == 0, result.err
    rows = conda("list", "-p", p, "demo", "--json").json()
    assert rows == [pypi_row("demo-pkg", "1.0")]
    exported = conda("env", "export", "-p", p).out
    assert "  - pip:\n      - demo-pkg==1.0\n" in exported
