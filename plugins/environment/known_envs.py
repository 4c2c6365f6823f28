"""Which environments exist, as ``conda env list`` / ``conda info --envs`` list them.

conda's rule: the prefixes listed in ``~/.conda/environments.txt`` and the folders of every
``envs_dirs`` entry that are conda environments, plus the root prefix, which is always
listed (it is the base environment, even before microconda has made it on disk), sorted by
path. ``envs_details`` is conda's ``--json`` companion: per prefix its name, creation and
modification times, and whether it is active, base, frozen (CEP 22) or writable.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timezone
from typing import Any


def _is_env(path: str) -> bool:
    return os.path.isdir(os.path.join(path, "conda-meta"))


def _same(a: str, b: str) -> bool:
    return os.path.normcase(os.path.normpath(a)) == os.path.normcase(os.path.normpath(b))


def known_envs(config: Any) -> list[str]:
    """Every known environment prefix, the root prefix included, sorted, once each."""
    home = config.env.get("HOME") or os.path.expanduser("~")
    try:  # read here, not through plugins.prefix: info --json stays light
        with open(os.path.join(home, ".conda", "environments.txt"), encoding="utf-8",
                  errors="replace") as f:
            candidates = [line.strip() for line in f
                          if line.strip() and not line.startswith("#")]
    except OSError:
        candidates = []
    for envs_dir in config.envs_dirs:
        try:
            candidates.extend(entry.path for entry in os.scandir(envs_dir) if entry.is_dir())
        except OSError:
            continue
    found: dict[str, str] = {}
    for path in candidates:
        if _is_env(path):
            found.setdefault(os.path.normcase(os.path.normpath(path)), os.path.normpath(path))
    root = os.path.normpath(str(config.root_prefix))
    found.setdefault(os.path.normcase(root), root)
    return sorted(found.values())


def env_name(prefix: str, config: Any) -> str:
    """``base``, the folder name inside an ``envs_dirs`` entry, else ``""`` (conda's
    ``PrefixData.name``)."""
    if _same(prefix, str(config.root_prefix)):
        return "base"
    parent = os.path.dirname(os.path.normpath(prefix))
    if any(_same(parent, envs_dir) for envs_dir in config.envs_dirs):
        return os.path.basename(os.path.normpath(prefix))
    return ""


def _created(prefix: str) -> str | None:
    meta = os.path.join(prefix, "conda-meta")
    try:
        stat = os.stat(meta)
    except OSError:
        return None
    when = getattr(stat, "st_birthtime", None)
    if when is None and sys.platform == "win32":
        when = stat.st_ctime
    if when is None:  # Linux: the time conda writes into conda-meta/created_at
        try:
            with open(os.path.join(meta, "created_at"), encoding="utf-8") as f:
                when = float(f.read().strip())
        except (OSError, ValueError):
            return None
    return datetime.fromtimestamp(when, tz=timezone.utc).isoformat()


def _last_modified(history: str) -> str | None:
    try:
        return datetime.fromtimestamp(os.stat(history).st_mtime, tz=timezone.utc).isoformat()
    except OSError:
        return None


def envs_details(prefixes: list[str], config: Any) -> dict[str, dict[str, Any]]:
    """conda's ``envs_details``: per prefix ``name created last_modified active base frozen
    writable`` (``writable`` is ``None`` where there is no ``conda-meta/history``)."""
    active = config.active_prefix
    details: dict[str, dict[str, Any]] = {}
    for prefix in prefixes:
        history = os.path.join(prefix, "conda-meta", "history")
        has_history = os.path.isfile(history)
        details[prefix] = {
            "name": env_name(prefix, config),
            "created": _created(prefix),
            "last_modified": _last_modified(history),
            "active": bool(active) and _same(prefix, str(active)),
            "base": _same(prefix, str(config.root_prefix)),
            "frozen": os.path.isfile(os.path.join(prefix, "conda-meta", "frozen")),
            "writable": os.access(history, os.W_OK) if has_history else None,
        }
    return details
