"""Where an environment's python keeps its packages, and which metadata entries are there.

An *anchor* is the prefix-relative path that stands for one installed distribution, spelled
as conda spells it: ``<sp>/<name>.dist-info/RECORD``, ``<sp>/<name>.egg-info`` (the file
form) or ``<sp>/<name>.egg-info/PKG-INFO`` (the folder form), ``<sp>/<name>.egg/EGG-INFO/
PKG-INFO`` and ``<sp>/<name>.egg-link``. Anchors that a conda record lists among its files
belong to conda; the rest were put there by pip or another installer.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Mapping
from typing import Any

#: how a conda package's own metadata entry ends (conda's anchor endings)
CONDA_ANCHOR_ENDINGS = (".egg-info/PKG-INFO", ".dist-info/RECORD", ".egg-info")


def major_minor(version: str) -> str | None:
    """``3.11`` of ``3.11.5``; ``None`` when ``version`` does not start with two numbers."""
    match = re.match(r"(\d+)\.(\d+)", version.strip())
    return f"{match.group(1)}.{match.group(2)}" if match else None


def site_packages_short_path(python: Mapping[str, Any]) -> str | None:
    """The prefix-relative site-packages of the installed ``python`` record."""
    declared = python.get("python_site_packages_path")
    if isinstance(declared, str) and declared:
        return declared.replace("\\", "/").strip("/")
    if sys.platform == "win32":
        return "Lib/site-packages"
    version = major_minor(str(python.get("version") or ""))
    return f"lib/python{version}/site-packages" if version else None


def resolved_short_path(prefix: str, short_path: str) -> str | None:
    """``short_path`` with symbolic links resolved, still relative to ``prefix`` (``None``
    when it resolves outside the prefix or is not a folder)."""
    full = os.path.realpath(os.path.join(prefix, short_path))
    root = os.path.realpath(prefix)
    if not os.path.isdir(full):
        return None
    relative = os.path.relpath(full, root)
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return None
    return relative.replace(os.sep, "/")


def anchor_of(sp_dir: str, entry: os.DirEntry[str]) -> str | None:
    """The anchor that the site-packages entry ``entry`` stands for, if it is one."""
    name = entry.name
    if name.endswith(".dist-info"):
        return f"{sp_dir}/{name}/RECORD"
    if name.endswith(".egg-info"):
        return f"{sp_dir}/{name}" if _is_file(entry) else f"{sp_dir}/{name}/PKG-INFO"
    if name.endswith(".egg"):
        return f"{sp_dir}/{name}/EGG-INFO/PKG-INFO" if _is_dir(entry) else None
    if name.endswith(".egg-link"):
        return f"{sp_dir}/{name}"
    return None


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def site_packages_anchors(prefix: str, sp_dir: str) -> set[str]:
    """Every anchor found in ``<prefix>/<sp_dir>`` (one ``scandir``, nothing opened); an
    unreadable folder raises ``OSError``."""
    found: set[str] = set()
    with os.scandir(os.path.join(prefix, sp_dir)) as entries:
        for entry in entries:
            anchor = anchor_of(sp_dir, entry)
            if anchor:
                found.add(anchor)
    return found


def conda_anchors(sp_dir: str, records: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """``{anchor: package name}`` for the metadata entries conda records list as files:
    ``<sp_dir>/<x>.dist-info/RECORD``, ``<sp_dir>/<x>.egg-info/PKG-INFO`` or
    ``<sp_dir>/<x>.egg-info`` (conda's anchor pattern)."""
    head = sp_dir.rstrip("/") + "/"
    owned: dict[str, str] = {}
    for record in records:
        for path in record.get("files") or ():
            path = str(path).replace("\\", "/")
            if not path.startswith(head) or not path.endswith(CONDA_ANCHOR_ENDINGS):
                continue
            slashes = path[len(head):].count("/")
            if slashes == (0 if path.endswith(".egg-info") else 1):
                owned[path] = str(record.get("name"))
    return owned


_NAME = re.compile(r"[^\s=<>!~\[(;,|*]+")


def dependency_name(spec: str) -> str:
    """The package name of a ``depends`` entry (``python >=3.8``, ``python>=3.8``,
    ``conda-forge::python 3.11.*``)."""
    match = _NAME.match(spec.strip().rsplit("::", 1)[-1])
    return match.group(0) if match else ""


def python_dependents(records: Mapping[str, Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The records that depend on ``python``, directly or through others (conda looks for
    its own metadata entries among these only)."""
    needs = {name: {dependency_name(str(spec)) for spec in record.get("depends") or ()}
             for name, record in records.items()}
    found = {"python"}
    grew = True
    while grew:
        grew = False
        for name, deps in needs.items():
            if name not in found and deps & found:
                found.add(name)
                grew = True
    found.discard("python")
    return [records[name] for name in sorted(found)]
