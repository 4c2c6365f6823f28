"""Build a ``.tar.bz2`` conda package from files of a prefix (the engine of ``conda package``).

The archive holds the files and ``info/index.json``, ``info/files``, ``info/paths.json``
(sha256, size, and for text files that contain the prefix a ``prefix_placeholder`` so the
package relocates when linked), ``info/has_prefix`` when any, and ``info/link.json`` for
``noarch: python`` packages and entry points. Build strings follow conda's ``conda
package``: ``<build_number>``, ``py<XY>_<n>`` for files under ``site-packages`` of a prefix
with python, ``py_<n>`` for ``noarch: python``. The archive is written to a temporary name
and moved into place, so a failure never leaves a partial package.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tarfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kernel.errors import CondaError

_IGNORED_TOP = ("conda-meta", ".conda_lock", ".nonadmin", "pkgs", "envs", "conda-bld",
                ".microconda")


_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+-]*")
_VERSION = re.compile(r"[A-Za-z0-9_.+!]+")


class PackageBuildError(CondaError):
    """The package cannot be built (nothing to package, a bad name, an unreadable file)."""


@dataclass
class PackageSpec:
    """What to call the package and how it links."""

    name: str
    version: str = "0.0"
    build_number: int = 0
    noarch: str | None = None
    depends: Sequence[str] = ()
    entry_points: Sequence[str] = ()
    subdir: str | None = None
    license: str | None = None
    summary: str | None = None
    extra_index: dict[str, Any] = field(default_factory=dict)


def tracked_files(prefix: str) -> dict[str, str]:
    """``{relative path: dist}`` of every file a conda-meta record lists."""
    from plugins.prefix import PrefixData

    owners: dict[str, str] = {}
    for name, record in PrefixData(prefix).raw_records().items():
        dist = f"{name}-{record.get('version')}-{record.get('build')}"
        for path in record.get("files") or ():
            owners[str(path)] = dist
    return owners


def untracked_files(prefix: str) -> list[str]:
    """Files of ``prefix`` (relative, ``/``-separated) that no package owns."""
    tracked = tracked_files(prefix)
    found = []
    for root, dirs, files in os.walk(prefix):
        rel_root = os.path.relpath(root, prefix)
        if rel_root == ".":
            dirs[:] = [d for d in dirs if d not in _IGNORED_TOP]
        for fn in files:
            rel = fn if rel_root == "." else f"{rel_root}/{fn}".replace(os.sep, "/")
            if rel_root == "." and fn in _IGNORED_TOP:
                continue
            if rel not in tracked and not rel.endswith((".pyc", ".pyo")):
                found.append(rel)
    return sorted(found)


def _build_string(prefix: str, spec: PackageSpec, files: Iterable[str]) -> tuple[str, list[str]]:
    depends = list(spec.depends)
    if spec.noarch == "python":
        if not any(d.split()[0] == "python" for d in depends):
            depends.append("python")
        return f"py_{spec.build_number}", depends
    if spec.noarch is None and any("/site-packages/" in f for f in files):
        from plugins.prefix import PrefixData

        python = PrefixData(prefix).python_version()
        if python:
            major, minor = python.split(".")[:2]
            depends.append(f"python {major}.{minor}*")
            return f"py{major}{minor}_{spec.build_number}", depends
    return str(spec.build_number), depends


def _index_json(spec: PackageSpec, build: str, depends: list[str], subdir: str) -> dict[str, Any]:
    index: dict[str, Any] = {"name": spec.name, "version": spec.version, "build": build,
                             "build_number": spec.build_number, "depends": depends,
                             "subdir": subdir, "timestamp": int(time.time() * 1000)}
    if spec.noarch:
        index["noarch"] = spec.noarch
    elif "-" in subdir:
        platform, arch = subdir.split("-", 1)
        index["platform"] = platform
        index["arch"] = {"64": "x86_64", "32": "x86"}.get(arch, arch)
    if spec.license:
        index["license"] = spec.license
    index.update(spec.extra_index)
    return dict(sorted(index.items()))


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    info.mtime = int(time.time())
    tar.addfile(info, io.BytesIO(data))


def _path_entry(prefix: str, rel: str) -> dict[str, Any]:
    full = os.path.join(prefix, rel)
    if os.path.islink(full):
        return {"_path": rel, "path_type": "softlink", "size_in_bytes": 0}
    with open(full, "rb") as f:
        data = f.read()
    entry: dict[str, Any] = {"_path": rel, "path_type": "hardlink",
                             "sha256": hashlib.sha256(data).hexdigest(),
                             "size_in_bytes": len(data)}
    if prefix.encode() in data:
        entry["prefix_placeholder"] = prefix
        entry["file_mode"] = "binary" if b"\0" in data else "text"
    return entry


def build_package(prefix: str, spec: PackageSpec, *, files: Sequence[str] | None = None,
                  output_dir: str = ".") -> str:
    """Write ``<name>-<version>-<build>.tar.bz2`` into ``output_dir``; returns its path."""
    from kernel.config import get_config
    from kernel.models import MatchSpec

    prefix = os.path.abspath(prefix)
    if not _NAME.fullmatch(spec.name or ""):
        raise PackageBuildError(f"invalid package name '{spec.name}'", name=spec.name)
    if not _VERSION.fullmatch(spec.version or ""):
        raise PackageBuildError(f"invalid package version '{spec.version}'",
                                version=spec.version)
    for dep in spec.depends:
        MatchSpec(dep)
    chosen = sorted(files if files is not None else untracked_files(prefix))
    if not chosen:
        raise PackageBuildError(f"nothing to package: no untracked files in {prefix}",
                                prefix=prefix)
    subdir = "noarch" if spec.noarch else (spec.subdir or str(get_config().subdir))
    build, depends = _build_string(prefix, spec, chosen)
    try:
        paths = [_path_entry(prefix, rel) for rel in chosen]
    except OSError as exc:
        raise PackageBuildError(f"cannot read {exc.filename}: {exc.strerror}") from None
    index = _index_json(spec, build, depends, subdir)
    fn = f"{spec.name}-{spec.version}-{build}.tar.bz2"
    os.makedirs(output_dir, exist_ok=True)
    target = os.path.join(output_dir, fn)
    tmp = f"{target}.{os.getpid()}.part"
    try:
        with tarfile.open(tmp, "w:bz2") as tar:
            for rel in chosen:
                tar.add(os.path.join(prefix, rel), arcname=rel, recursive=False)
            _add_bytes(tar, "info/index.json", json.dumps(index, indent=2).encode())
            _add_bytes(tar, "info/files", "".join(f"{p}\n" for p in chosen).encode())
            _add_bytes(tar, "info/paths.json", json.dumps(
                {"paths": paths, "paths_version": 1}, indent=2).encode())
            with_prefix = [p for p in paths if "prefix_placeholder" in p]
            if with_prefix:
                _add_bytes(tar, "info/has_prefix", "".join(
                    f"{p['prefix_placeholder']} {p['file_mode']} {p['_path']}\n"
                    for p in with_prefix).encode())
            if spec.noarch == "python" or spec.entry_points:
                link = {"noarch": {"type": spec.noarch or "generic",
                                   "entry_points": list(spec.entry_points)},
                        "package_metadata_version": 1}
                _add_bytes(tar, "info/link.json", json.dumps(link, indent=2).encode())
            if spec.summary or spec.license:
                about = {k: v for k, v in (("summary", spec.summary),
                                           ("license", spec.license)) if v}
                _add_bytes(tar, "info/about.json", json.dumps(about, indent=2).encode())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return target
