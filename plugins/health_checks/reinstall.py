"""What the file checks' fixers share: reinstall installed packages exactly as they are.

The packages go through the install flow's stages after the solve: the plan
(``plan_transaction`` with ``force_reinstall``), its display and confirmation, then a
crash-safe :class:`plugins.transaction.Transaction`. The solve is skipped on purpose: the
final environment *is* the installed one, and a solver would refuse it while the environment
is broken in other ways (a bad pin, a missing dependency). No channel is needed when the
package cache holds the packages; otherwise each is fetched from the URL in its record.

A file edited in place in the prefix may be a hard link into the package cache, so the
cached copy is damaged too. Before reinstalling, each package's extracted cache folder is
checked against its own ``info/paths.json``; a damaged folder is removed, so the package is
extracted again from its (sha256-verified) archive, or downloaded.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from typing import Any


def cache_entry_damaged(folder: str) -> bool:
    """True when a file of an extracted package no longer has its ``paths.json`` sha256."""
    from plugins.health_checks.records import sha256_file

    try:
        with open(os.path.join(folder, "info", "paths.json"), encoding="utf-8") as f:
            paths = json.load(f).get("paths", [])
    except (OSError, ValueError, AttributeError):
        return False  # nothing to compare against (old packages): trust the folder
    for entry in paths:
        expected = entry.get("sha256") if isinstance(entry, dict) else None
        if not expected or entry.get("path_type", "hardlink") != "hardlink":
            continue
        if sha256_file(os.path.join(folder, entry["_path"])) != expected:
            return True
    return False


def drop_damaged_cache_entries(records: Sequence[dict[str, Any]]) -> list[str]:
    """Remove the damaged extracted cache folders of ``records``; returns those removed."""
    from plugins.package_cache import find_entry

    removed = []
    for record in records:
        entry = find_entry(record)
        if entry is not None and cache_entry_damaged(entry.extracted_package_dir):
            shutil.rmtree(entry.extracted_package_dir, ignore_errors=True)
            removed.append(entry.extracted_package_dir)
    return removed


def reinstall(prefix: str, records: Sequence[dict[str, Any]],
              extra: Sequence[Any] = ()) -> int:
    """Force-reinstall ``records`` (conda-meta dicts) in ``prefix``; returns the exit code.

    ``extra`` are records (``PackageRecord``) to install as well, e.g. a package whose
    conda-meta record was lost and is restored from the package cache.
    """
    import sys

    from kernel import reporting
    from kernel.config import get_config
    from plugins.environment.plan_display import plan_text
    from plugins.package_cache import find_entry
    from plugins.prefix import PrefixData, record_dict
    from plugins.transaction import Transaction, plan_transaction, recover

    config = get_config()
    recover(prefix)
    drop_damaged_cache_entries(records)
    installed = PrefixData(prefix).records()
    names = {str(r["name"]) for r in records}
    plan = plan_transaction(prefix, [*installed, *extra], installed=installed,
                            force_reinstall=names)
    if plan.nothing_to_do:
        return 0
    to_fetch = [r for r in plan.link if find_entry(record_dict(r), None) is None]
    if not config.json:
        reporting.render(plan_text(prefix, plan.unlink, plan.link, specs=sorted(names),
                                   to_download=to_fetch))
    reporting.confirm()
    txn = Transaction(prefix, plan.unlink, plan.link, command_line=sys.argv,
                      progress=not (config.quiet or config.json))
    txn.prepare()
    txn.execute()
    if not config.json:
        reporting.render("Executing transaction: done\n")
    return 0
