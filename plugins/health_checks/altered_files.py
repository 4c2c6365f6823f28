"""Health check ``altered-files``: installed files still have the sha256 recorded for them.

The record's ``paths_data`` holds ``sha256_in_prefix`` (after prefix replacement) or
``sha256``; files without either (``.pyc``, entry points, old records) and missing files
(``missing-files`` reports those) are skipped. The fixer reinstalls the altered packages.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from kernel import hookimpl
from kernel.types import CondaHealthCheck

NAME = "altered-files"


def find_altered(records: dict[str, dict[str, Any]], prefix: str) -> dict[str, list[str]]:
    """``{name: [altered paths]}`` for each package with altered files."""
    from plugins.health_checks.records import package_paths, prefix_path, sha256_file

    altered: dict[str, list[str]] = {}
    for name, record in sorted(records.items()):
        for path, entry in package_paths(record):
            expected = entry.get("sha256_in_prefix") or entry.get("sha256")
            if not expected or entry.get("path_type", "hardlink") not in ("hardlink", None):
                continue
            full = prefix_path(prefix, path)
            if os.path.islink(full) or not os.path.isfile(full):
                continue
            if sha256_file(full) != expected:
                altered.setdefault(name, []).append(path)
    return altered


def check(prefix: str, verbose: bool) -> None:
    from plugins.health_checks import report
    from plugins.health_checks.records import dist_name, scan

    records = scan(prefix).records
    altered = find_altered(records, prefix)
    for name, paths in altered.items():
        dist = dist_name(records[name])
        report.problem(f"{dist}: {len(paths)} altered file(s)", details=paths,
                       package=dist, altered=paths)
    if not altered:
        report.ok(f"No installed file differs from its recorded sha256 "
                  f"({len(records)} package record(s)).")


def fix(prefix: str, args: Any) -> int:
    from plugins.health_checks.records import scan
    from plugins.health_checks.reinstall import reinstall

    records = scan(prefix).records
    altered = find_altered(records, prefix)
    if not altered:
        return 0
    return reinstall(prefix, [records[name] for name in altered])


@hookimpl
def conda_health_checks() -> Iterator[CondaHealthCheck]:
    yield CondaHealthCheck(
        name=NAME, action=check, fixer=fix,
        summary="Installed files still match the sha256 in their package records.",
        fix="Reinstall the packages whose files were altered.")
