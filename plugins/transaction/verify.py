"""Checks made before a transaction changes anything: path conflicts and package integrity.

**Path conflicts** (``path_conflict``). A package about to be linked *clobbers* a path when
that path belongs to an installed package that this transaction does not unlink, or to
another package linked by the same transaction. As conda does: ``clobber`` and ``warn``
replace the file (the last package linked wins) and say so on one line naming both packages
and the path; ``prevent`` refuses the whole transaction with a :class:`ClobberError` before
the journal is written, so the prefix is left untouched. A file in the prefix that no
package record claims is replaced silently (and, like every clobbered file, restored on
rollback).

**Safety checks** (``safety_checks``, ``extra_safety_checks``). Each regular file of an
extracted package in the cache is compared with ``info/paths.json``: it must exist and have
``size_in_bytes``; with ``extra_safety_checks`` its ``sha256`` must match too. ``enabled``
raises a :class:`SafetyError` naming the package and the file; ``warn`` says so on one line
per file and goes on; ``disabled`` skips the check. Legacy packages without sizes and
hashes, soft links and directories are not checked.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kernel.errors import CondaError, PrefixError
from plugins.prefix.records import record_filename
from plugins.transaction import noarch
from plugins.transaction.link_unlink import PackageLink
from plugins.transaction.linking import sha256_file

PATH_CONFLICT_MODES = ("clobber", "warn", "prevent")
SAFETY_CHECK_MODES = ("enabled", "warn", "disabled")


class ClobberError(PrefixError):
    """``path_conflict: prevent`` and a package would overwrite another package's file."""


class SafetyError(CondaError):
    """``safety_checks: enabled`` and an extracted package does not match its manifest."""


@dataclass(frozen=True)
class PathConflict:
    """``package`` (being linked) would replace ``path``, which belongs to ``owner``."""

    path: str
    package: str
    owner: str
    owner_installed: bool  # True: an installed package; False: one in this transaction

    def describe(self) -> str:
        where = "installed package" if self.owner_installed else "package"
        return f"{self.package} would overwrite {self.path} of {where} {self.owner}"


def package_targets(pkg: PackageLink, site_packages: str) -> list[str]:
    """The prefix paths ``pkg`` writes: its files (not directories) and entry points."""
    targets = [noarch.target_short_path(e.path, pkg.info.noarch, site_packages)
               for e in pkg.info.paths if e.path_type != "directory"]
    targets += [noarch.entry_point_short_path(noarch.parse_entry_point(spec)[0])
                for spec in pkg.info.entry_points]
    return targets


def find_path_conflicts(installed: Mapping[str, Mapping[str, Any]], unlinked: Iterable[str],
                        packages: Sequence[PackageLink],
                        site_packages: str) -> list[PathConflict]:
    """Every path a package in ``packages`` would take from another package.

    ``installed`` maps names to installed records; packages named in ``unlinked`` (removed
    by this transaction) own nothing.
    """
    leaving = set(unlinked)
    owners: dict[str, tuple[str, bool]] = {}
    for name, record in installed.items():
        if name in leaving:
            continue
        dist = record_filename(dict(record))[:-5]
        for rel in record.get("files") or ():
            owners[str(rel)] = (dist, True)
    conflicts: list[PathConflict] = []
    for pkg in packages:
        targets = package_targets(pkg, site_packages)
        for target in dict.fromkeys(targets):
            owner = owners.get(target)
            if owner is not None and owner[0] != pkg.dist:
                conflicts.append(PathConflict(target, pkg.dist, owner[0], owner[1]))
        for target in targets:
            owners[target] = (pkg.dist, False)
    return conflicts


def check_path_conflicts(conflicts: Sequence[PathConflict], mode: str,
                         notice: Callable[[str], None]) -> None:
    """Apply ``path_conflict`` (see the module docstring) to ``conflicts``."""
    if not conflicts:
        return
    if mode == "prevent":
        first = conflicts[0]
        more = f" (and {len(conflicts) - 1} more path conflicts)" if len(conflicts) > 1 else ""
        raise ClobberError(f"path_conflict is 'prevent': {first.describe()}{more}; "
                           "nothing was changed", path=first.path, package=first.package,
                           owner=first.owner)
    for conflict in conflicts:
        notice(f"ClobberWarning: {conflict.package} replaces {conflict.path}, "
               f"which belongs to {conflict.owner} (path_conflict: {mode})")


def package_problems(pkg: PackageLink, *, extra: bool) -> list[tuple[str, str]]:
    """``(path, problem)`` for each file of the extracted ``pkg`` that is not as listed."""
    problems: list[tuple[str, str]] = []
    for entry in pkg.info.paths:
        if entry.path_type in ("softlink", "directory"):
            continue
        source = pkg.info.source(entry)
        try:
            st = os.lstat(source)
        except FileNotFoundError:
            problems.append((entry.path, "is missing"))
            continue
        if os.path.islink(source):
            continue
        if entry.size_in_bytes is not None and st.st_size != entry.size_in_bytes:
            problems.append((entry.path, f"has {st.st_size} bytes, info/paths.json says "
                                         f"{entry.size_in_bytes}"))
        elif extra and entry.sha256 and sha256_file(source) != entry.sha256:
            problems.append((entry.path, "has a sha256 other than info/paths.json's"))
    return problems


def check_packages(packages: Sequence[PackageLink], mode: str, extra: bool,
                   notice: Callable[[str], None]) -> None:
    """Apply ``safety_checks`` (see the module docstring) to the extracted ``packages``."""
    if mode == "disabled":
        return
    for pkg in packages:
        for path, problem in package_problems(pkg, extra=extra):
            message = (f"package {pkg.dist} in the package cache ({pkg.info.extracted_dir}) "
                       f"appears corrupted: {path} {problem}")
            if mode == "enabled":
                raise SafetyError(f"{message}; remove it from the cache and retry",
                                  package=pkg.dist, path=path)
            notice(f"SafetyWarning: {message}")
