"""The ``pypi`` prefix data loader: packages that pip (or setuptools) put into the
environment's site-packages, shown as conda shows them.

``load_site_packages(prefix, records)`` finds the site-packages of the installed ``python``
record (``python_site_packages_path`` when the record has it, else
``lib/pythonX.Y/site-packages``, ``Lib/site-packages`` on Windows), lists its metadata
entries, leaves out the ones owned by a conda record that depends on python (directly or
not), and reads the rest. As conda does, the records it finds are added to ``records`` (a
pip record replaces a conda record of the same name) and a conda record whose own metadata
entry is gone from site-packages (pip replaced or removed it) is dropped from ``records``;
unlike conda, its ``conda-meta`` file is never deleted. An entry that cannot be read is
skipped with one warning naming its path.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kernel import hookimpl
from kernel.types import CondaPrefixDataLoader

NAME = "pypi"


def _warn(message: str) -> None:
    from kernel.reporting import warn

    warn(message)


def load_site_packages(prefix: str, records: dict[str, Any]) -> dict[str, Any]:
    """Add the non-conda Python distributions of ``prefix`` to ``records``; returns them."""
    import os

    from plugins.prefix_data_loaders.pypi.distribution import DistributionError, read_distribution
    from plugins.prefix_data_loaders.pypi.site_packages import (
        conda_anchors,
        python_dependents,
        resolved_short_path,
        site_packages_anchors,
        site_packages_short_path,
    )

    python = records.get("python")
    if not isinstance(python, dict) or not python.get("version"):
        return {}
    short = site_packages_short_path(python)
    sp_dir = resolved_short_path(prefix, short) if short else None
    if not short or not sp_dir:
        return {}
    conda_records = python_dependents({n: r for n, r in records.items() if isinstance(r, dict)})
    owned = conda_anchors(sp_dir, conda_records)
    if sp_dir != short:
        for anchor, name in conda_anchors(short, conda_records).items():
            owned[sp_dir + anchor[len(short):]] = name
    try:
        present = site_packages_anchors(prefix, sp_dir)
    except OSError as exc:
        _warn(f"cannot read {os.path.join(prefix, sp_dir)}: {exc.strerror or exc}; "
              f"packages installed by pip are not shown")
        return {}
    for anchor in sorted(set(owned) - present):
        records.pop(owned[anchor], None)
    added: dict[str, Any] = {}
    for anchor in sorted(present - set(owned)):
        try:
            record = read_distribution(prefix, anchor, sp_dir)
        except (OSError, DistributionError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            where = os.path.join(prefix, os.path.dirname(anchor) if anchor.endswith(
                ("/RECORD", "/PKG-INFO")) else anchor)
            _warn(f"skipping the Python package at {where}: {reason}")
            continue
        records[record["name"]] = record
        added[record["name"]] = record
    return added


@hookimpl
def conda_prefix_data_loaders() -> Iterator[CondaPrefixDataLoader]:
    yield CondaPrefixDataLoader(name=NAME, loader=load_site_packages)
