"""Prefixes that pip has written into, built file by file, and the CLI to look at them."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.environment.conftest import Result, conda

__all__ = ["Result", "conda"]

SP = "lib/python3.11/site-packages"
CHANNEL = "https://conda.anaconda.org/conda-forge"


class Prefix:
    """An environment folder: conda records in conda-meta, distributions in site-packages."""

    def __init__(self, root: Path, sp: str = SP):
        self.root = root
        self.sp = sp
        (root / "conda-meta").mkdir(parents=True, exist_ok=True)
        (root / "conda-meta" / "history").write_text("")
        (root / sp).mkdir(parents=True, exist_ok=True)

    def __str__(self) -> str:
        return str(self.root)

    def conda_record(self, name: str, version: str, build: str, files: Sequence[str] = (),
                     depends: Sequence[str] = (), subdir: str = "linux-64",
                     **extra: Any) -> dict[str, Any]:
        fn = f"{name}-{version}-{build}.conda"
        record = {"name": name, "version": version, "build": build, "build_number": 0,
                  "channel": f"{CHANNEL}/{subdir}", "subdir": subdir, "fn": fn,
                  "url": f"{CHANNEL}/{subdir}/{fn}", "md5": "0" * 32, "depends": list(depends),
                  "files": list(files),
                  "paths_data": {"paths_version": 1, "paths": [
                      {"_path": f, "path_type": "hardlink"} for f in files]},
                  **extra}
        (self.root / "conda-meta" / f"{name}-{version}-{build}.json").write_text(
            json.dumps(record))
        for rel in files:
            path = self.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                path.write_text("")
        return record

    def python(self, version: str = "3.11.5", **extra: Any) -> dict[str, Any]:
        return self.conda_record("python", version, "h955ad1f_0", ["bin/python3.11"], **extra)

    def dist_info(self, dirname: str, metadata: str | bytes | None,
                  record: str | None = "", others: dict[str, str] | None = None) -> Path:
        folder = self.root / self.sp / dirname
        folder.mkdir(parents=True, exist_ok=True)
        if metadata is not None:
            data = metadata.encode() if isinstance(metadata, str) else metadata
            (folder / "METADATA").write_bytes(data)
        if record is not None:
            (folder / "RECORD").write_text(record)
        for name, text in (others or {}).items():
            (folder / name).write_text(text)
        return folder

    def file(self, rel: str, text: str = "") -> Path:
        path = self.root / self.sp / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path


def metadata(name: str, version: str | None, *extra: str) -> str:
    lines = ["Metadata-Version: 2.1", f"Name: {name}"]
    if version is not None:
        lines.append(f"Version: {version}")
    return "\n".join([*lines, *extra]) + "\n\nA long description.\nName: not-this\n"


@pytest.fixture
def pip_prefix(tmp_path: Path) -> Prefix:
    """The issue's environment, grown: python and a conda noarch package with its own
    dist-info, then pip's: two wheels, an editable install with a PEP 610 direct_url.json,
    an egg-info file, an egg-info folder and a namespace package."""
    p = Prefix(tmp_path / "env")
    p.python()
    six = [f"{SP}/six.py", f"{SP}/six-1.16.0.dist-info/METADATA",
           f"{SP}/six-1.16.0.dist-info/RECORD"]
    p.conda_record("six", "1.16.0", "pyhd3eb1b0_1", six, depends=["python"], subdir="noarch",
                   noarch="python")
    p.dist_info("six-1.16.0.dist-info", metadata("six", "1.16.0"), "six.py,,\n")
    p.dist_info("attrs-23.2.0.dist-info",
                metadata("attrs", "23.2.0", "Requires-Python: >=3.7",
                         "Requires-Dist: importlib-metadata; python_version < \"3.8\""),
                "attr/__init__.py,sha256=WlXJN6ICB0Y_HZ0lmuTUgia0kuSdn2p67d4N6cYxNVM,3307\n"
                "attrs-23.2.0.dist-info/RECORD,,\n")
    p.dist_info("requests-2.31.0.dist-info",
                metadata("requests", "2.31.0", "Requires-Dist: idna (<4,>=2.5)"),
                "requests/__init__.py,sha256=AAAA,10\nrequests-2.31.0.dist-info/RECORD,,\n")
    p.dist_info("my_tool-0.3.1.dist-info", metadata("My_Tool", "0.3.1"),
                "__editable__.my_tool-0.3.1.pth,,\n",
                {"direct_url.json": json.dumps({"url": "file:///src/my-tool",
                                                "dir_info": {"editable": True}})})
    p.file("__editable__.my_tool-0.3.1.pth", "/src/my-tool\n")
    p.file("Foo.Bar-1.0-py3.11.egg-info",
           "Metadata-Version: 1.1\nName: Foo.Bar\nVersion: 1.0\n")
    p.file("zope.interface-5.4.0-py3.11.egg-info/PKG-INFO",
           "Metadata-Version: 2.1\nName: zope.interface\nVersion: 5.4.0\n")
    p.file("zope.interface-5.4.0-py3.11.egg-info/installed-files.txt",
           "../zope/interface/__init__.py\nPKG-INFO\n")
    p.file("google/protobuf/__init__.py")
    p.dist_info("protobuf-4.25.1.dist-info", metadata("protobuf", "4.25.1"),
                "google/protobuf/__init__.py,,\n")
    p.file("protobuf-4.25.1-py3.11-nspkg.pth", "import sys\n")
    return p


def pypi_row(name: str, version: str, build: str = "pypi_0",
             channel: str = "pypi") -> dict[str, Any]:
    """One row of conda 26.7's ``conda list --json`` for a pip package."""
    return {"base_url": f"https://conda.anaconda.org/{channel}",
            "build_number": 0, "build_string": build, "channel": channel,
            "dist_name": f"{name}-{version}-{build}", "name": name, "platform": "pypi",
            "version": version}


def conda_row(name: str, version: str, build: str, subdir: str) -> dict[str, Any]:
    return {"base_url": CHANNEL, "build_number": 0, "build_string": build,
            "channel": "conda-forge", "dist_name": f"{name}-{version}-{build}", "name": name,
            "platform": subdir, "version": version}


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes (links are not followed)."""
    out: dict[str, bytes] = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            if not os.path.islink(path):
                out[os.path.relpath(path, root)] = Path(path).read_bytes()
    return out
