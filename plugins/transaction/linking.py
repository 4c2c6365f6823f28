"""Putting one file of an extracted package into a prefix.

The link type is chosen once per package, as conda does: ``always_copy`` → copy;
``always_softlink`` → soft link; a hard link when the package cache and the prefix share a
filesystem; else a soft link when ``allow_softlinks``; else a copy. Whatever the type, a
file with a prefix placeholder is always written as a new file (placeholder replaced, mode
kept), a ``no_link`` file is copied, and a package's own soft links are recreated as soft
links. Every function returns what the prefix record needs to know about the result.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from dataclasses import dataclass

from plugins.transaction.killpoints import kill_point
from plugins.transaction.package_info import PackageInfo, PathEntry
from plugins.transaction.placeholders import replace_prefix

HARDLINK, SOFTLINK, COPY, DIRECTORY = 1, 2, 3, 4
LINK_NAMES = {HARDLINK: "hardlink", SOFTLINK: "softlink", COPY: "copy", DIRECTORY: "directory"}


@dataclass(frozen=True)
class Placed:
    """The result of placing one file: its prefix record entry."""

    short_path: str
    source_path: str
    path_type: str
    sha256: str | None
    sha256_in_prefix: str | None
    size_in_bytes: int | None
    prefix_placeholder: str | None = None
    file_mode: str | None = None
    no_link: bool = False

    def paths_data(self) -> dict[str, object]:
        """The ``paths_data.paths`` item conda writes for this file.

        ``_path`` is the path inside the package, as conda writes it: for a noarch python
        package ``site-packages/…`` and ``python-scripts/…``, while ``files`` holds where the
        file landed (``lib/python3.X/site-packages/…``, ``bin/…``).
        """
        item: dict[str, object] = {"_path": self.source_path, "path_type": self.path_type}
        if self.prefix_placeholder:
            item["prefix_placeholder"] = self.prefix_placeholder
            item["file_mode"] = self.file_mode or "text"
        if self.no_link:
            item["no_link"] = True
        if self.sha256:
            item["sha256"] = self.sha256
        if self.sha256_in_prefix:
            item["sha256_in_prefix"] = self.sha256_in_prefix
        if self.size_in_bytes is not None:
            item["size_in_bytes"] = self.size_in_bytes
        return item


def sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _hardlink_works(source: str, probe_dir: str) -> bool:
    probe = os.path.join(probe_dir, f".hardlink-probe-{os.getpid()}")
    try:
        os.link(source, probe)
    except OSError:
        return False
    kill_point("link_probe")
    os.unlink(probe)
    return True


def _softlink_works(source: str, probe_dir: str) -> bool:
    probe = os.path.join(probe_dir, f".softlink-probe-{os.getpid()}")
    try:
        os.symlink(source, probe)
    except (OSError, NotImplementedError):
        return False
    os.unlink(probe)
    return True


def determine_link_type(extracted_dir: str, probe_dir: str, *, always_copy: bool = False,
                        always_softlink: bool = False, allow_softlinks: bool = False) -> int:
    """conda's choice of link type for a package (see the module docstring).

    The probe links are made in ``probe_dir``, a folder on the prefix's filesystem that a
    crash cannot leave behind (the transaction's scratch space), never in the prefix.
    """
    probe = os.path.join(extracted_dir, "info", "index.json")
    if always_copy:
        return COPY
    if always_softlink:
        return SOFTLINK
    if _hardlink_works(probe, probe_dir):
        return HARDLINK
    if allow_softlinks and _softlink_works(probe, probe_dir):
        return SOFTLINK
    return COPY


def _copy(source: str, target: str) -> None:
    shutil.copyfile(source, target, follow_symlinks=False)
    shutil.copymode(source, target)


def _write_replaced(source: str, target: str, entry: PathEntry, prefix: str) -> str:
    with open(source, "rb") as f:
        data = f.read()
    data = replace_prefix(data, entry.file_mode or "text", entry.prefix_placeholder or "",
                          prefix, path=entry.path)
    with open(target, "wb") as f:
        f.write(data)
    mode = stat.S_IMODE(os.lstat(source).st_mode)
    os.chmod(target, mode | stat.S_IWUSR)
    return hashlib.sha256(data).hexdigest()


def place_file(package: PackageInfo, entry: PathEntry, short_path: str, prefix: str,
               link_type: int) -> Placed:
    """Put ``entry`` at ``prefix/short_path``; the target must not exist."""
    source = package.source(entry)
    target = os.path.join(prefix, short_path)
    parent = os.path.dirname(target)
    if parent and not os.path.isdir(parent):  # one stat, not a failing mkdir per file
        os.makedirs(parent, exist_ok=True)
    sha, size = entry.sha256, entry.size_in_bytes
    if entry.path_type == "directory":
        os.makedirs(target, exist_ok=True)
        return Placed(short_path, entry.path, "directory", None, None, None)
    if entry.path_type == "softlink" or os.path.islink(source):
        os.symlink(os.readlink(source), target)
        return Placed(short_path, entry.path, "softlink", sha, sha, size)
    if entry.prefix_placeholder:
        new_sha = _write_replaced(source, target, entry, prefix)
        return Placed(short_path, entry.path, "hardlink", sha, new_sha,
                      os.path.getsize(target), entry.prefix_placeholder,
                      entry.file_mode or "text", entry.no_link)
    kind = COPY if entry.no_link else link_type
    if kind == HARDLINK:
        try:
            os.link(source, target)
        except OSError:
            _copy(source, target)
    elif kind == SOFTLINK:
        os.symlink(source, target)
    else:
        _copy(source, target)
    if sha is None:
        sha = sha256_file(target)
    if size is None:
        size = os.path.getsize(target)
    return Placed(short_path, entry.path, "hardlink", sha, sha, size, no_link=entry.no_link)
