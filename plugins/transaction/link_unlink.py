"""Linking and unlinking whole packages, each change journalled before it happens.

Every function here takes the transaction's :class:`~plugins.transaction.journal.Journal`,
declares the paths it is about to create or remove (one fsynced line per package, not per
file), then changes the prefix. A path already present where a package wants to write is
moved into the journal's backup first (the clobber is undone on rollback).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kernel.errors import PrefixError
from plugins.prefix.records import record_filename, write_record
from plugins.transaction import noarch
from plugins.transaction.journal import Journal, check_short_path
from plugins.transaction.killpoints import kill_point
from plugins.transaction.linking import Placed, place_file
from plugins.transaction.package_info import PackageInfo


@dataclass
class PackageLink:
    """One package on its way into the prefix, and what linking it produced."""

    record: dict[str, Any]
    info: PackageInfo
    link_type: int
    tarball: str
    requested_spec: str | None = None
    placed: list[Placed] = field(default_factory=list)
    entry_points: list[str] = field(default_factory=list)
    pycs: list[str] = field(default_factory=list)

    @property
    def dist(self) -> str:
        return f"{self.record['name']}-{self.record['version']}-{self.record['build']}"

    def py_sources(self) -> list[str]:
        """Short paths of the ``.py`` files a noarch python package put in site-packages."""
        if self.info.noarch != "python":
            return []
        return [p.short_path for p in self.placed if p.short_path.endswith(".py")
                and p.source_path.startswith("site-packages/")]

    def prefix_record(self) -> dict[str, Any]:
        """The ``conda-meta`` record, in conda's shape."""
        record = dict(self.record)
        files = [p.short_path for p in self.placed if p.path_type != "directory"]
        paths = [p.paths_data() for p in self.placed]
        paths += [{"_path": p, "path_type": "pyc_file"} for p in self.pycs]
        ep_type = "windows_python_entry_point_script" if noarch.WINDOWS else \
            "unix_python_entry_point"
        paths += [{"_path": p, "path_type": ep_type} for p in self.entry_points]
        record.update(
            files=[*files, *self.pycs, *self.entry_points],
            paths_data={"paths_version": 1, "paths": paths},
            link={"source": self.info.extracted_dir, "type": self.link_type},
            extracted_package_dir=self.info.extracted_dir,
            package_tarball_full_path=self.tarball,
            requested_spec=str(self.requested_spec) if self.requested_spec else "None",
        )
        if self.info.noarch == "python":
            record.setdefault("package_type", "noarch_python")
        return record


def link_files(journal: Journal, prefix: str, pkg: PackageLink, site_packages: str) -> None:
    """Place every file of ``pkg`` (noarch python paths mapped to ``site_packages``)."""
    targets = [noarch.target_short_path(e.path, pkg.info.noarch, site_packages)
               for e in pkg.info.paths]
    seen: set[str] = set()
    for target in targets:
        if target in seen:
            raise PrefixError(f"package {pkg.dist} lists {target} twice", path=target)
        seen.add(target)
    step = journal.begin_create(targets, label=pkg.dist)
    for entry, target in zip(pkg.info.paths, targets, strict=True):
        journal.stash(step, target)
        pkg.placed.append(place_file(pkg.info, entry, target, prefix, pkg.link_type))
        kill_point("link_file")
    kill_point("link_package")


def write_entry_points(journal: Journal, prefix: str, pkg: PackageLink) -> None:
    """Write the ``bin/<name>`` scripts of a noarch python package's entry points."""
    if not pkg.info.entry_points:
        return
    parsed = [noarch.parse_entry_point(spec) for spec in pkg.info.entry_points]
    paths = [noarch.entry_point_short_path(name) for name, _, _ in parsed]
    step = journal.begin_create(paths, label=f"{pkg.dist} entry points")
    for (_, module, func), path in zip(parsed, paths, strict=True):
        journal.stash(step, path)
        noarch.write_entry_point(prefix, path, module, func)
        pkg.entry_points.append(path)
        kill_point("entry_point")


def compile_pycs(journal: Journal, prefix: str, pkgs: Sequence[PackageLink],
                 python_version: str | None) -> None:
    """Compile the noarch python sources of ``pkgs`` with the environment's python."""
    if not python_version:
        return
    pairs: list[tuple[str, str, PackageLink]] = [
        (src, noarch.pyc_short_path(src, python_version), pkg)
        for pkg in pkgs for src in pkg.py_sources()]
    if not pairs or not os.access(noarch.python_executable(prefix), os.X_OK):
        return
    step = journal.begin_create([dst for _, dst, _ in pairs], label="compile")
    for _, dst, _ in pairs:
        journal.stash(step, dst)
    made = set(noarch.compile_pyc(prefix, [(s, d) for s, d, _ in pairs],
                                  journal.scratch("compile-list.txt")))
    for _, dst, pkg in pairs:
        if dst in made:
            pkg.pycs.append(dst)
    kill_point("compile")


def write_records(journal: Journal, prefix: str, pkgs: Sequence[PackageLink]) -> None:
    """Write the ``conda-meta`` record of each linked package (the last link step)."""
    records = [pkg.prefix_record() for pkg in pkgs]
    paths = [f"conda-meta/{record_filename(r)}" for r in records]
    step = journal.begin_create(paths, label="records")
    scratch = os.path.dirname(journal.scratch("records"))
    for record, path in zip(records, paths, strict=True):
        journal.stash(step, path)
        write_record(prefix, record, tmp_dir=scratch)
        kill_point("record")


def _prune_dirs(prefix: str, files: Sequence[str]) -> None:
    dirs: set[str] = set()
    for rel in files:
        parent = os.path.dirname(rel)
        while parent and parent != "conda-meta":
            dirs.add(parent)
            parent = os.path.dirname(parent)
    for rel in sorted(dirs, key=lambda d: d.count("/"), reverse=True):
        try:
            os.rmdir(os.path.join(prefix, rel))
        except OSError:
            pass


def unlink_package(journal: Journal, prefix: str, record: dict[str, Any],
                   warn: Callable[[str], None] | None = None,
                   keep: frozenset[str] = frozenset()) -> None:
    """Move an installed package's files, then its record, out of the prefix (the paths in
    ``keep``, which another installer owns too, stay)."""
    files = []
    for rel in record.get("files") or ():
        if str(rel) in keep:
            continue
        try:
            files.append(check_short_path(str(rel)))
        except PrefixError as exc:
            if warn is not None:
                warn(f"{record_filename(record)}: {exc}")
    meta = f"conda-meta/{record_filename(record)}"
    step = journal.begin_remove([*files, meta], label=record_filename(record)[:-5])
    for rel in files:
        journal.stash(step, rel)
        kill_point("unlink_file")
    journal.stash(step, meta)
    _prune_dirs(prefix, files)
    kill_point("unlink_package")
