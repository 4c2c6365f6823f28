"""``~/.conda/environments.txt``: the environments this user has made, one path a line.

Registration is idempotent (a path already listed is not added again) and both register
and unregister rewrite the file atomically under a small lock, so two commands finishing
at once cannot lose each other's line. Like conda, prefixes made by conda-build
(``_placehold``/``skeleton_`` in the path) are never registered, and a prefix that still
holds package records is not unregistered.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from plugins.prefix.filelock import LockedFile


def environments_txt() -> str:
    """The user's environments file (under ``$HOME``)."""
    return os.path.join(os.path.expanduser("~"), ".conda", "environments.txt")


def _lines(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return [line.strip() for line in f]
    except FileNotFoundError:
        return []


def registered_environments(path: str | None = None) -> list[str]:
    """The listed prefixes, in file order, without blanks, comments or duplicates."""
    seen: dict[str, None] = {}
    for line in _lines(path or environments_txt()):
        if line and not line.startswith("#"):
            seen.setdefault(line, None)
    return list(seen)


def _rewrite(path: str, lines: list[str]) -> None:
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("".join(f"{line}\n" for line in lines))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _normal(prefix: str) -> str:
    return os.path.normpath(os.path.abspath(prefix))


def register_env(prefix: str, path: str | None = None) -> bool:
    """List ``prefix``; returns False when it was already listed or is not to be listed."""
    location = _normal(prefix)
    if "_placehold" in location or "skeleton_" in location:
        return False
    path = path or environments_txt()
    with LockedFile(path + ".lock"):
        current = registered_environments(path)
        if location in current:
            return False
        _rewrite(path, [*current, location])
    return True


def _still_installed(prefix: str) -> bool:
    meta = os.path.join(prefix, "conda-meta")
    try:
        return any(n.endswith(".json") and not n.startswith(".") for n in os.listdir(meta))
    except OSError:
        return False


def unregister_env(prefix: str, path: str | None = None) -> bool:
    """Drop ``prefix`` from the list unless it still holds packages; True when dropped."""
    location = _normal(prefix)
    if _still_installed(location):
        return False
    path = path or environments_txt()
    if not os.path.exists(path):
        return False
    with LockedFile(path + ".lock"):
        current = registered_environments(path)
        if location not in current:
            return False
        _rewrite(path, [p for p in current if p != location])
    return True


def iter_existing_environments(path: str | None = None) -> Iterator[str]:
    """Listed prefixes that still exist as conda environments."""
    for prefix in registered_environments(path):
        if os.path.isdir(os.path.join(prefix, "conda-meta")):
            yield prefix
