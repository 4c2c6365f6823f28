"""Health check ``missing-files``: every file the ``conda-meta`` records list exists.

It also reports record files that cannot be read at all (cut short by a crash, not UTF-8,
not JSON). The fixer reinstalls the packages with missing files, and restores a package
whose record is unreadable from the package cache (the broken file is kept as
``conda-meta/.<name>.corrupt``). A package whose own metadata in site-packages pip replaced
or removed is not reinstalled: that would write over pip's files.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from kernel import hookimpl
from kernel.types import CondaHealthCheck

NAME = "missing-files"


def find_missing(records: dict[str, dict[str, Any]], prefix: str) -> dict[str, list[str]]:
    """``{name: [missing paths]}`` for each package with missing files."""
    from plugins.health_checks.records import package_paths, prefix_path

    missing: dict[str, list[str]] = {}
    for name, record in sorted(records.items()):
        for path, _ in package_paths(record):
            if not os.path.lexists(prefix_path(prefix, path)):
                missing.setdefault(name, []).append(path)
    return missing


def check(prefix: str, verbose: bool) -> None:
    from plugins.health_checks import report
    from plugins.health_checks.records import dist_name, scan

    found = scan(prefix)
    for path, reason in found.corrupt.items():
        report.problem(f"{os.path.relpath(path, prefix)} cannot be read: {reason}",
                       record_file=path, reason=reason)
    missing = find_missing(found.records, prefix)
    for name, paths in missing.items():
        dist = dist_name(found.records[name])
        report.problem(f"{dist}: {len(paths)} missing file(s)", details=paths,
                       package=dist, missing=paths)
    if not missing and not found.corrupt:
        report.ok(f"All files listed by {len(found.records)} package record(s) are present.")


def _cached_record(dist: str) -> Any | None:
    """The repodata record of ``dist`` from an extracted package in the cache."""
    import json

    from kernel.models import PackageRecord
    from plugins.package_cache.cache import MARKER, caches

    for cache in caches():
        try:
            with open(os.path.join(cache.pkgs_dir, dist, MARKER), encoding="utf-8") as f:
                return PackageRecord.from_json(json.load(f))
        except (OSError, ValueError):
            continue
    return None


def fix(prefix: str, args: Any) -> int:
    from kernel import reporting
    from plugins.health_checks.records import scan
    from plugins.health_checks.reinstall import reinstall

    found = scan(prefix)
    restore = []
    for path, _ in found.corrupt.items():
        dist = os.path.basename(path)[: -len(".json")]
        record = _cached_record(dist)
        if record is None:
            reporting.warn(f"{dist} is not in the package cache; its unreadable record "
                           f"{path} is left as it is")
            continue
        os.replace(path, os.path.join(os.path.dirname(path), f".{dist}.corrupt"))
        restore.append(record)
    from plugins.prefix.prefix_data import replaced_outside_conda

    replaced = replaced_outside_conda(prefix, found.records)
    broken = []
    for name in find_missing(found.records, prefix):
        if name in replaced:  # reinstalling would write over what pip put there
            reporting.warn(f"{name} is not reinstalled: pip (or another installer) replaced "
                           f"or removed it; see the pip-packages check")
            continue
        broken.append(found.records[name])
    if not broken and not restore:
        return 0
    return reinstall(prefix, broken, extra=restore)


@hookimpl
def conda_health_checks() -> Iterator[CondaHealthCheck]:
    yield CondaHealthCheck(
        name=NAME, action=check, fixer=fix,
        summary="Every file listed in conda-meta records exists; every record is readable.",
        fix="Reinstall the packages with missing files or unreadable records.")
