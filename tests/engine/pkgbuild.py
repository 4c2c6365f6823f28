"""Build small conda packages (``.tar.bz2``) for the engine tests.

``build_package(folder, "demo", files={"bin/tool": b"..."})`` writes
``demo-1.0-0.tar.bz2`` with ``info/index.json``, ``info/paths.json`` (sha256, sizes,
prefix placeholders), optional ``info/link.json`` and scripts, and returns the archive's
path with the repodata record a channel would serve for it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
from dataclasses import dataclass
from typing import Any


@dataclass
class FileSpec:
    """A file's bytes and, optionally, a prefix placeholder and its mode."""

    data: bytes
    placeholder: str | None = None
    mode: str = "text"
    executable: bool = False


def _add(tar: tarfile.TarFile, name: str, data: bytes, mode: int = 0o644) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = mode
    tar.addfile(info, io.BytesIO(data))


def build_package(folder: str, name: str, version: str = "1.0", build: str = "0", *,
                  files: dict[str, bytes | FileSpec] | None = None,
                  depends: list[str] | None = None, noarch: str | None = None,
                  entry_points: list[str] | None = None, build_number: int = 0,
                  symlinks: dict[str, str] | None = None,
                  subdir: str | None = None) -> tuple[str, dict[str, Any]]:
    """Write the archive; returns ``(path, record)`` (record has url, md5, sha256, size)."""
    files = files or {}
    symlinks = symlinks or {}
    fn = f"{name}-{version}-{build}.tar.bz2"
    path = os.path.join(folder, fn)
    index = {"name": name, "version": version, "build": build, "build_number": build_number,
             "depends": depends or [], "subdir": subdir or ("noarch" if noarch else "linux-64")}
    if noarch:
        index["noarch"] = noarch
    entries = []
    with tarfile.open(path, "w:bz2") as tar:
        for rel, spec in sorted(files.items()):
            spec = spec if isinstance(spec, FileSpec) else FileSpec(spec)
            _add(tar, rel, spec.data, 0o755 if spec.executable else 0o644)
            item: dict[str, Any] = {"_path": rel, "path_type": "hardlink",
                                    "sha256": hashlib.sha256(spec.data).hexdigest(),
                                    "size_in_bytes": len(spec.data)}
            if spec.placeholder:
                item.update(prefix_placeholder=spec.placeholder, file_mode=spec.mode)
            entries.append(item)
        for rel, target in sorted(symlinks.items()):
            info = tarfile.TarInfo(rel)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            tar.addfile(info)
            entries.append({"_path": rel, "path_type": "softlink",
                            "sha256": "0" * 64, "size_in_bytes": 0})
        _add(tar, "info/index.json", json.dumps(index).encode())
        _add(tar, "info/paths.json", json.dumps({"paths": entries, "paths_version": 1}).encode())
        _add(tar, "info/files", "".join(f"{e['_path']}\n" for e in entries).encode())
        if noarch:
            section: dict[str, Any] = {"type": noarch}
            if entry_points:
                section["entry_points"] = entry_points
            _add(tar, "info/link.json",
                 json.dumps({"noarch": section, "package_metadata_version": 1}).encode())
    with open(path, "rb") as f:
        raw = f.read()
    record = {**index, "fn": fn, "url": path, "channel": "local-test",
              "md5": hashlib.md5(raw).hexdigest(), "sha256": hashlib.sha256(raw).hexdigest(),
              "size": len(raw)}
    return path, record


def archive_record(path: str) -> dict[str, Any]:
    """The record of a real archive on disk (index.json read with conda-package-streaming)."""
    from conda_package_streaming.package_streaming import stream_conda_info

    index: dict[str, Any] = {}
    for tar, member in stream_conda_info(path):
        if member.name == "info/index.json":
            fileobj = tar.extractfile(member)
            assert fileobj is not None
            index = json.loads(fileobj.read())
            break
    with open(path, "rb") as f:
        raw = f.read()
    return {**index, "fn": os.path.basename(path), "url": path, "channel": "local-test",
            "md5": hashlib.md5(raw).hexdigest(), "sha256": hashlib.sha256(raw).hexdigest(),
            "size": len(raw)}


def snapshot(prefix: str) -> dict[str, Any]:
    """Every path under ``prefix`` with its type and content hash (to compare states)."""
    state: dict[str, Any] = {}
    for root, dirs, names in os.walk(prefix):
        for d in dirs:
            full = os.path.join(root, d)
            state[os.path.relpath(full, prefix)] = "link" if os.path.islink(full) else "dir"
        for n in names:
            full = os.path.join(root, n)
            rel = os.path.relpath(full, prefix)
            if rel == os.path.join("conda-meta", ".lock"):
                continue
            if os.path.islink(full):
                state[rel] = ("link", os.readlink(full))
            else:
                with open(full, "rb") as f:
                    state[rel] = hashlib.sha256(f.read()).hexdigest()
    return state
