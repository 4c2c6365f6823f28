"""Health check ``pip-packages``: no file belongs to both a conda package and a pip package.

Two situations are reported (conda's "clobbered" Python packages):

- *overlap*: a pip distribution's ``RECORD`` lists files that a conda record lists too
  (``pip install`` wrote over a conda package's files without removing it). Removing either
  package would delete files the other still needs; there is no safe automatic fix, so the
  finding says what to run.
- *stale*: a conda package's own metadata entry (``<name>.dist-info``, ``.egg-info``) is gone
  from site-packages because pip replaced or uninstalled it. ``conda list`` no longer shows
  that conda package (as conda), yet its ``conda-meta`` record still claims the files, so a
  later ``conda remove`` would delete what pip installed in their place. The fixer moves
  such a record aside (``conda-meta/.<name>-<version>-<build>.json.pip-replaced``), which
  touches no file of the environment; conda itself deletes that record when it lists the
  environment.

The pip packages come from the ``conda_prefix_data_loaders`` plugins.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import attrs

from kernel import hookimpl
from kernel.types import CondaHealthCheck

NAME = "pip-packages"


@attrs.frozen
class Findings:
    """``overlaps``: ``(pip dist, conda dist, shared paths)``; ``stale``: ``{conda dist:
    (record file, what replaced it or None)}``."""

    overlaps: list[tuple[str, str, list[str]]]
    stale: dict[str, tuple[str, str | None]]


def _dist(record: dict[str, Any]) -> str:
    return f"{record['name']}-{record['version']}-{record['build']}"


def examine(prefix: str) -> Findings:
    from plugins.health_checks.records import scan
    from plugins.prefix import is_external
    from plugins.prefix.prefix_data import replaced_outside_conda, run_loaders
    from plugins.prefix.records import record_filename

    conda = scan(prefix).records
    merged = dict(conda)
    run_loaders(prefix, merged)
    stale: dict[str, tuple[str, str | None]] = {}
    for name, replaced in replaced_outside_conda(prefix, conda, merged).items():
        by = f"{replaced['name']} {replaced['version']}" if replaced else None
        stale[_dist(conda[name])] = (os.path.join(prefix, "conda-meta",
                                                  record_filename(conda[name])), by)
    owner: dict[str, str] = {}
    for record in conda.values():
        if _dist(record) not in stale:
            for path in record.get("files") or ():
                owner[str(path).replace("\\", "/")] = _dist(record)
    overlaps: list[tuple[str, str, list[str]]] = []
    for name in sorted(merged):
        record = merged[name]
        if not is_external(record):
            continue
        shared: dict[str, list[str]] = {}
        for path in record.get("files") or ():
            if path in owner:
                shared.setdefault(owner[path], []).append(str(path))
        for conda_dist, paths in sorted(shared.items()):
            overlaps.append((f"{record['name']}=={record['version']}", conda_dist, paths))
    return Findings(overlaps, stale)


def check(prefix: str, verbose: bool) -> None:
    from plugins.health_checks import report

    found = examine(prefix)
    for pip_dist, conda_dist, paths in found.overlaps:
        report.problem(f"pip package {pip_dist} and conda package {conda_dist} own the same "
                       f"{len(paths)} file(s); remove one of them (pip uninstall or conda "
                       f"remove), then reinstall the other", details=paths,
                       pip_package=pip_dist, conda_package=conda_dist, paths=paths)
    for conda_dist, (path, by) in found.stale.items():
        how = f"replaced by pip's {by}" if by else "removed outside conda"
        report.problem(f"conda package {conda_dist} was {how}; its record still claims the "
                       f"files", record_file=path, conda_package=conda_dist, replaced_by=by)
    if not found.overlaps and not found.stale:
        report.ok("No file is owned by both a conda package and a pip package.")


def fix(prefix: str, args: Any) -> int:
    from kernel import reporting

    found = examine(prefix)
    for _, (path, _by) in found.stale.items():
        aside = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.pip-replaced")
        os.replace(path, aside)
        reporting.render(f"Moved the stale record {path} to {aside}\n")
    for pip_dist, conda_dist, _ in found.overlaps:
        reporting.warn(f"{pip_dist} (pip) and {conda_dist} (conda) share files: no safe "
                       f"automatic fix; remove one of them and reinstall the other")
    return 0


@hookimpl
def conda_health_checks() -> Iterator[CondaHealthCheck]:
    yield CondaHealthCheck(
        name=NAME, action=check, fixer=fix,
        summary="No file is owned by both a conda package and a pip package.",
        fix="Set aside conda records whose package pip replaced or removed (no file of the "
            "environment is touched); shared files are only reported.")
