"""One installed Python distribution (``.dist-info``, ``.egg-info``, ``.egg``, ``.egg-link``)
read into the record conda shows for it.

Only what the record needs is read: the header block of ``METADATA`` / ``PKG-INFO`` (up to
the first blank line; the long description after it is never parsed), the first column of
``RECORD`` or ``installed-files.txt``, and ``direct_url.json`` (PEP 610) when present. The
record has conda's shape for pip packages: channel ``pypi``, subdir ``pypi``, build
``pypi_0`` (``<develop>`` / ``dev_0`` for a ``setup.py develop`` egg-link), the name
normalised as conda normalises it (lower case, ``.`` and ``_`` become ``-``).
"""

from __future__ import annotations

import json
import os
import posixpath
import stat
from typing import Any

#: conda's ``PackageType`` values for these records
WHEEL = "virtual_python_wheel"
EGG_MANAGEABLE = "virtual_python_egg_manageable"
EGG_UNMANAGEABLE = "virtual_python_egg_unmanageable"
EGG_LINK = "virtual_python_egg_link"
PYTHON_PACKAGE_TYPES = frozenset({WHEEL, EGG_MANAGEABLE, EGG_UNMANAGEABLE})


class DistributionError(Exception):
    """The distribution's metadata is missing or unusable; the message says why."""


def norm_name(name: str) -> str:
    """conda's spelling of a distribution name: ``Foo_Bar.baz`` is ``foo-bar-baz``."""
    return name.replace(".", "-").replace("_", "-").lower()


def read_headers(path: str) -> dict[str, str]:
    """The single-use ``Name`` and ``Version`` headers of a core-metadata file (the last of
    each wins, as with conda's parser); reading stops at the blank line that ends them."""
    found: dict[str, str] = {}
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    break
                if "\x00" in line:
                    raise DistributionError(f"{os.path.basename(path)} is not a metadata file")
                if line[0] in " \t" or ":" not in line:
                    continue
                key, _, value = line.partition(":")
                key = key.strip().lower()
                if key == "name" or key == "version":
                    found[key] = value.strip()
    except UnicodeDecodeError:
        raise DistributionError(f"{os.path.basename(path)} is not UTF-8 text") from None
    return found


def _listed_paths(manifest: str, sp_dir: str, under: str) -> list[str]:
    """The prefix-relative paths in the first column of ``RECORD`` / ``installed-files.txt``
    (``under`` is prepended for the latter, whose paths are relative to the egg-info).

    Most lines are split by hand; a quoted first column (a path with a comma) goes through
    :mod:`csv`, and only paths with ``.``/``..`` parts are normalised.
    """
    with open(manifest, encoding="utf-8") as f:
        lines = f.read().splitlines()
    paths: dict[str, None] = {}
    head = f"{sp_dir}/{under}"
    for line in lines:
        if not line:
            continue
        if line[0] == '"':
            import csv

            first = next(csv.reader([line]), [""])[0]
        else:
            first = line.split(",", 1)[0]
        if not first:
            continue
        path = head + first
        if "/." in path or "//" in path:
            path = posixpath.normpath(path)
        paths[path] = None
    return list(paths)


def _direct_url(info_dir: str) -> dict[str, Any] | None:
    try:
        with open(os.path.join(info_dir, "direct_url.json"), encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("url"), str) else None


def _egg_link_target(link_file: str) -> str:
    """The metadata file of the egg-info that a ``.egg-link`` points at."""
    with open(link_file, encoding="utf-8", errors="replace") as f:
        target = (f.readline() or "").strip()
    try:
        infos = sorted(n for n in os.listdir(target) if n.endswith(".egg-info"))
    except OSError:
        infos = []
    if len(infos) != 1:
        raise DistributionError(f"expected exactly one .egg-info in {target or '(empty)'}, "
                                f"found {len(infos)}")
    found = os.path.join(target, infos[0])
    return os.path.join(found, "PKG-INFO") if os.path.isdir(found) else found


def read_distribution(prefix: str, anchor: str, sp_dir: str) -> dict[str, Any]:
    """The record of the distribution behind ``anchor`` (see :mod:`.site_packages`).

    Raises :class:`DistributionError` or ``OSError`` when it cannot be read.
    """
    full = os.path.join(prefix, anchor)
    channel, build, files = "pypi", "pypi_0", []
    extra: dict[str, Any] = {}
    if anchor.endswith(".egg-link"):
        metadata, fn, package_type = _egg_link_target(full), None, EGG_LINK
        channel, build = "<develop>", "dev_0"
    elif ".dist-info/" in anchor:
        info_dir = os.path.dirname(full)
        if not stat.S_ISDIR(os.stat(info_dir).st_mode):  # a link loop raises ELOOP here
            raise DistributionError("it is not a folder")
        metadata = os.path.join(info_dir, "METADATA")
        if not os.path.isfile(metadata):
            raise DistributionError("it has no METADATA file")
        fn, package_type = os.path.basename(info_dir), WHEEL
        if os.path.isfile(full):
            files = _listed_paths(full, sp_dir, "")
        direct = _direct_url(info_dir)
        if direct is not None:
            extra["direct_url"] = direct["url"]
            extra["editable"] = bool((direct.get("dir_info") or {}).get("editable"))
    elif anchor.endswith(".egg-info"):
        metadata, fn, package_type = full, os.path.basename(full), EGG_UNMANAGEABLE
    else:  # <name>.egg-info/PKG-INFO or <name>.egg/EGG-INFO/PKG-INFO
        info_dir = os.path.dirname(full)
        metadata, fn = full, os.path.basename(info_dir)
        installed = os.path.join(info_dir, "installed-files.txt")
        if os.path.isfile(installed):
            files = _listed_paths(installed, sp_dir, fn + "/")
            package_type = EGG_MANAGEABLE
        else:
            package_type = EGG_UNMANAGEABLE
    if not os.path.isfile(metadata):
        raise DistributionError(f"{metadata} is missing")
    headers = read_headers(metadata)
    name, version = norm_name(headers.get("name", "")), headers.get("version", "")
    if not name:
        raise DistributionError("its metadata has no Name")
    if not version:
        raise DistributionError("its metadata has no Version")
    record: dict[str, Any] = {
        "name": name, "version": version, "build": build, "build_number": 0,
        "channel": channel, "subdir": "pypi", "fn": fn, "depends": [], "constrains": [],
        "files": files, "package_type": package_type}
    record.update(extra)
    return record
