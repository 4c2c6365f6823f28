"""Copy an environment: its package records, then the files no package owns.

conda's ``clone_env``: the records of the source prefix become the final state of the new
one (linked from the package cache, downloaded from their ``url`` when missing, so the
prefix placeholders are written for the *new* location); ``conda`` and ``conda-env`` and
whatever depends on them are left out; then every *untracked* file (in the source, owned by
no package) is copied, with the old prefix replaced by the new one in text files.
``create --clone`` and ``rename`` both use it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Sequence
from typing import Any

from kernel.errors import CondaError

#: top-level entries of a prefix that are never copied (conda's ``walk_prefix`` ignores)
_IGNORED_TOP = {"pkgs", "envs", "conda-bld", "conda-meta", ".conda_lock", "users", "info",
                "conda-recipes", ".index", ".unionfs", ".nonadmin", ".condatmp", ".trash"}
#: records of these names (and what depends on them) are not cloned, as in conda
_NOT_CLONED = ("conda", "conda-env")
_PREFIX_ONLY = ("files", "paths_data", "link", "extracted_package_dir",
                "package_tarball_full_path", "requested_spec", "requested_specs")


class CloneError(CondaError):
    """The source of a clone is missing, the same as the target, or cannot be read."""


def _depends_names(record: dict[str, Any]) -> set[str]:
    from plugins.prefix.history import spec_name

    return {spec_name(str(d)) for d in record.get("depends") or ()}


def clone_records(source: str) -> tuple[list[dict[str, Any]], list[str]]:
    """``(records to link, dist names left out)`` of the environment at ``source``."""
    from plugins.prefix import PrefixData

    raw = PrefixData(source).raw_records()
    dropped = {n for n in _NOT_CLONED if n in raw}
    changed = True
    while changed:
        changed = False
        for name, record in raw.items():
            if name not in dropped and _depends_names(record) & dropped:
                dropped.add(name)
                changed = True
    records = [{k: v for k, v in record.items() if k not in _PREFIX_ONLY}
               for name, record in sorted(raw.items()) if name not in dropped]
    skipped = sorted(f"{r['name']}-{r['version']}-{r['build']}"
                     for n, r in raw.items() if n in dropped)
    return records, skipped


def requested_specs(source: str) -> list[str]:
    """What the user asked for in the source, so the clone's history says the same."""
    from plugins.prefix import PrefixData

    return list(PrefixData(source).requested_specs_map().values())


def _walk(prefix: str) -> Iterator[str]:
    for root, dirs, files in os.walk(prefix):
        rel_root = os.path.relpath(root, prefix)
        if rel_root == ".":
            dirs[:] = [d for d in dirs if d not in _IGNORED_TOP]
            files = [f for f in files if f not in _IGNORED_TOP]
        for name in dirs:  # symlinks to folders are files to copy
            if os.path.islink(os.path.join(root, name)):
                yield os.path.normpath(os.path.join(rel_root, name))
        for name in files:
            yield os.path.normpath(os.path.join(rel_root, name))


def untracked_files(source: str) -> list[str]:
    """Paths (relative, ``/``-separated) in ``source`` that no package record lists."""
    from plugins.prefix import PrefixData

    owned: set[str] = set()
    for record in PrefixData(source).raw_records().values():
        owned.update(str(f) for f in record.get("files") or ())
    found = []
    for path in _walk(source):
        rel = path.replace(os.sep, "/")
        if rel in owned or rel.endswith("~") or (rel.endswith(".pyc") and rel[:-1] in owned):
            continue
        found.append(rel)
    return sorted(found)


def copy_untracked(source: str, target: str, files: Sequence[str]) -> int:
    """Copy ``files`` from ``source`` to ``target``; text has ``source`` replaced."""
    copied = 0
    for rel in files:
        src, dst = os.path.join(source, rel), os.path.join(target, rel)
        folder = os.path.dirname(dst)
        if os.path.islink(folder) or os.path.isfile(folder):
            os.unlink(folder)
        os.makedirs(folder, exist_ok=True)
        if os.path.lexists(dst):
            os.unlink(dst)
        if os.path.islink(src):
            os.symlink(os.readlink(src), dst)
            copied += 1
            continue
        try:
            with open(src, "rb") as f:
                data = f.read()
        except OSError:
            continue
        try:
            data = data.decode("utf-8").replace(source, target).encode("utf-8")
        except UnicodeDecodeError:
            pass  # binary: copied as it is
        with open(dst, "wb") as f:
            f.write(data)
        shutil.copystat(src, dst)
        copied += 1
    return copied


def check_clone_paths(source: str, target: str) -> None:
    if not os.path.isdir(os.path.join(source, "conda-meta")):
        from plugins.environment.resolve_prefix import not_an_environment

        raise not_an_environment(source)
    if os.path.normcase(os.path.realpath(source)) == os.path.normcase(
            os.path.realpath(target)):
        raise CloneError(f"cannot clone an environment into itself: {source}", source=source)


def clone_into(source: str, target: str, *, progress: bool = False,
               command_line: Sequence[str] = ()) -> int:
    """Clone without showing a plan (``rename``); returns the number of packages linked."""
    from plugins.transaction import Transaction, plan_transaction

    check_clone_paths(source, target)
    records, _ = clone_records(source)
    files = untracked_files(source)
    plan = plan_transaction(target, records, installed=[])
    txn = Transaction(target, plan.unlink, plan.link, requested_specs=requested_specs(source),
                      command_line=list(command_line), progress=progress)
    txn.execute()
    os.makedirs(os.path.join(target, "conda-meta"), exist_ok=True)
    copy_untracked(source, target, files)
    return len(plan.link)
