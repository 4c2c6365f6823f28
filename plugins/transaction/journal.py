"""The write-ahead journal that makes a transaction crash-safe.

Before a transaction changes anything it writes ``conda-meta/.journal.jsonl`` (fsynced);
before each step changes anything, the step's intent is appended with one unbuffered
``write`` — durable against the process dying (``kill -9``, a crash) since the kernel holds
the data; the ``commit`` line is fsynced again, so the point of no return also survives a
power loss. (An fsync per step cost ~6 ms per package and bought nothing against process
death, which is what recovery is for.) Nothing is ever
deleted while the transaction runs: files that must leave the prefix — unlinked or
clobbered — are *moved* (one ``rename``, same filesystem) into
``<prefix>/.condatmp/<txid>/<step>/``. So every state a crash can leave is undoable:

* ``create`` step (files about to appear): each listed path is restored from its backup
  when one exists, left alone when it existed before the step (``existing``), else removed;
  then the directories the step created are removed if empty.
* ``remove`` step (files about to leave): each backup is moved back into place.
* ``append`` step (``conda-meta/history``): the file is cut back to its old size.

A ``commit`` line marks the point of no return; after it, recovery *completes* the
transaction (removes the backups) instead of undoing it. The journal is deleted last. A
line cut short by a crash is ignored: its step had not started. Rollback is idempotent, so
a crash during recovery is recovered by the next command.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from collections.abc import Sequence
from typing import Any

from kernel.errors import PrefixError
from plugins.transaction.killpoints import kill_point

JOURNAL_NAME = ".journal.jsonl"
BACKUP_ROOT = ".condatmp"
FORMAT = 1


def check_short_path(rel: str) -> str:
    """``rel`` when it is a safe path inside a prefix; hostile metadata is refused."""
    parts = rel.replace("\\", "/").split("/")
    if not rel or os.path.isabs(rel) or rel.startswith(("/", "\\")) or ".." in parts or \
            (len(rel) > 1 and rel[1] == ":"):
        raise PrefixError(f"refusing a path that leaves the prefix: {rel!r}", path=rel)
    return rel


def journal_path(prefix: str) -> str:
    return os.path.join(prefix, "conda-meta", JOURNAL_NAME)


def _fsync_dir(path: str) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _lexists(path: str) -> bool:
    return os.path.lexists(path)


def _remove(path: str) -> None:
    """Remove a file, link or directory tree; absent is fine."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    elif _lexists(path):
        os.unlink(path)


def _move(src: str, dst: str) -> None:
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    if os.path.isdir(dst) and not os.path.islink(dst):
        shutil.rmtree(dst)
    os.replace(src, dst)


class Journal:
    """One transaction's journal. Build with :meth:`begin`; read back with :meth:`load`."""

    def __init__(self, prefix: str, txid: str, header: dict[str, Any],
                 steps: list[dict[str, Any]] | None = None, committed: bool = False):
        self.prefix = prefix
        self.txid = txid
        self.header = header
        self.steps: list[dict[str, Any]] = steps or []
        self.committed = committed
        self.path = journal_path(prefix)
        self.backup_dir = os.path.join(prefix, BACKUP_ROOT, txid)
        self._fd: int | None = None

    # -- writing ----------------------------------------------------------------------------

    @classmethod
    def begin(cls, prefix: str, *, created_prefix: bool = False,
              info: dict[str, Any] | None = None) -> Journal:
        """Start a journal; refuses when one already exists (call ``recover`` first)."""
        path = journal_path(prefix)
        if _lexists(path):
            raise PrefixError(f"an unfinished transaction journal exists at {path}; "
                              "run recovery before starting another transaction")
        txid = f"{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        header = {"journal": FORMAT, "txid": txid, "pid": os.getpid(),
                  "created_prefix": created_prefix, "started": time.time(), **(info or {})}
        journal = cls(prefix, txid, header)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        journal._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o644)
        journal._write(header)
        _fsync_dir(os.path.dirname(path))
        kill_point("journal_begin")
        return journal

    def _write(self, entry: dict[str, Any], *, sync: bool = True) -> None:
        if self._fd is None:
            raise PrefixError(f"journal {self.path} is not open for writing")
        os.write(self._fd, (json.dumps(entry, separators=(",", ":")) + "\n").encode())
        if sync:
            os.fsync(self._fd)

    def step(self, op: str, **data: Any) -> int:
        """Record the intent of the next step (before it starts); returns its number."""
        number = len(self.steps)
        entry = {"op": op, "step": number, **data}
        self._write(entry, sync=False)
        self.steps.append(entry)
        return number

    def begin_create(self, paths: Sequence[str], label: str = "") -> int:
        """Intent for ``paths`` (relative to the prefix) about to be created."""
        for rel in paths:
            check_short_path(rel)
        existing = [p for p in paths if _lexists(os.path.join(self.prefix, p))]
        dirs: list[str] = []
        seen: set[str] = set()
        for rel in paths:
            parent = os.path.dirname(rel)
            while parent and parent not in seen:
                seen.add(parent)
                if not os.path.isdir(os.path.join(self.prefix, parent)):
                    dirs.append(parent)
                parent = os.path.dirname(parent)
        return self.step("create", label=label, paths=list(paths), existing=existing,
                         dirs=sorted(dirs))

    def begin_remove(self, paths: Sequence[str], label: str = "") -> int:
        """Intent for ``paths`` about to be moved out of the prefix."""
        for rel in paths:
            check_short_path(rel)
        return self.step("remove", label=label, paths=list(paths))

    def begin_append(self, rel: str) -> int:
        """Intent for an append to ``rel`` (its size now is kept to cut it back)."""
        full = os.path.join(self.prefix, rel)
        size = os.path.getsize(full) if os.path.isfile(full) else -1
        return self.step("append", path=rel, size=size)

    def begin_scripts(self, label: str = "") -> int:
        """Intent for running post-link scripts: every path in the prefix now (``conda-meta``
        and the backups aside), so that rollback removes what the scripts create."""
        return self.step("scripts", label=label, present=sorted(_tree(self.prefix)))

    def backup_of(self, step: int, rel: str) -> str:
        return os.path.join(self.backup_dir, str(step), rel)

    def stash(self, step: int, rel: str) -> bool:
        """Move ``rel`` out of the prefix into the step's backup; False when absent."""
        full = os.path.join(self.prefix, rel)
        if not _lexists(full):
            return False
        _move(full, self.backup_of(step, rel))
        return True

    def scratch(self, name: str) -> str:
        """A path for temporary files that vanish with the backups."""
        path = os.path.join(self.backup_dir, "scratch", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return path

    def commit(self) -> None:
        """Mark the point of no return (durably)."""
        self._write({"op": "commit"})
        self.committed = True
        kill_point("commit")

    def finish(self) -> None:
        """After commit: drop the backups, then the journal."""
        self.close()
        _remove(self.backup_dir)
        _prune_empty(os.path.join(self.prefix, BACKUP_ROOT))
        kill_point("cleanup")
        if _lexists(self.path):
            os.unlink(self.path)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _open_for_undo(self) -> int | None:
        """The journal opened for ``undone`` lines, a line cut short by a crash cut off
        first (lines after it would never be read back); None when there is no journal."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND)
        except FileNotFoundError:
            return None
        size = os.fstat(fd).st_size
        with open(self.path, "rb") as f:
            data = f.read()
        end = data.rfind(b"\n") + 1
        if end != size:
            os.ftruncate(fd, end)
        return fd

    # -- reading and undoing -----------------------------------------------------------------

    @classmethod
    def load(cls, prefix: str) -> Journal | None:
        """The journal left in ``prefix`` (``None`` when there is none)."""
        path = journal_path(prefix)
        try:
            with open(path, "rb") as f:
                raw = f.read()
        except FileNotFoundError:
            return None
        lines = raw.split(b"\n")
        entries = []
        for line in lines:
            try:
                entries.append(json.loads(line))
            except ValueError:
                break  # a line cut short by a crash: its step never started
        if not entries or "txid" not in entries[0]:
            # the header itself was cut short: nothing was changed yet
            return cls(prefix, "unknown", {"txid": "unknown"})
        header, rest = entries[0], entries[1:]
        committed = any(e.get("op") == "commit" for e in rest)
        undone = {e.get("step") for e in rest if e.get("op") == "undone"}
        steps = [{**e, "undone": e.get("step") in undone} for e in rest
                 if e.get("op") not in ("commit", "undone")]
        return cls(prefix, header["txid"], header, steps, committed)

    def rollback(self) -> None:
        """Undo every recorded step, newest first, then drop backups and the journal.

        After each step is undone an ``undone`` line is appended, so a rollback that is
        itself interrupted resumes at the step it was undoing: a step already undone is
        never undone twice (undoing a ``create`` again would delete a file that an older
        ``remove`` step has since put back).
        """
        self.close()
        fd = self._open_for_undo()
        try:
            for entry in reversed(self.steps):
                if entry.get("undone"):
                    continue
                undo = _UNDO.get(entry.get("op", ""))
                if undo is not None:
                    undo(self, entry)
                kill_point("rollback_step")
                if fd is not None:
                    line = {"op": "undone", "step": entry["step"]}
                    os.write(fd, (json.dumps(line, separators=(",", ":")) + "\n").encode())
                entry["undone"] = True
        finally:
            if fd is not None:
                os.close(fd)
        _remove(self.backup_dir)
        _prune_empty(os.path.join(self.prefix, BACKUP_ROOT))
        if _lexists(self.path):
            os.unlink(self.path)
        if self.header.get("created_meta") or self.header.get("created_prefix"):
            remove_created_prefix(self.prefix, bool(self.header.get("created_prefix")))


def _undo_create(journal: Journal, entry: dict[str, Any]) -> None:
    existing = set(entry.get("existing", ()))
    for rel in reversed(entry.get("paths", ())):
        full = os.path.join(journal.prefix, rel)
        backup = journal.backup_of(entry["step"], rel)
        if _lexists(backup):
            _move(backup, full)
        elif rel not in existing:
            _remove(full)
    for rel in sorted(entry.get("dirs", ()), key=len, reverse=True):
        try:
            os.rmdir(os.path.join(journal.prefix, rel))
        except OSError:
            pass


def _undo_remove(journal: Journal, entry: dict[str, Any]) -> None:
    for rel in entry.get("paths", ()):
        backup = journal.backup_of(entry["step"], rel)
        if _lexists(backup):
            _move(backup, os.path.join(journal.prefix, rel))


def _tree(prefix: str) -> set[str]:
    """Relative paths of everything under ``prefix`` except ``conda-meta/`` and backups."""
    found: set[str] = set()
    for root, dirs, names in os.walk(prefix):
        rel_root = os.path.relpath(root, prefix)
        if rel_root == ".":
            dirs[:] = [d for d in dirs if d not in ("conda-meta", BACKUP_ROOT)]
            rel_root = ""
        for name in [*dirs, *names]:
            found.add(os.path.join(rel_root, name).replace(os.sep, "/"))
    return found


def _undo_scripts(journal: Journal, entry: dict[str, Any]) -> None:
    """Remove what scripts created (files they changed in place cannot be restored)."""
    present = set(entry.get("present", ()))
    for rel in sorted(_tree(journal.prefix) - present, key=lambda p: p.count("/"),
                      reverse=True):
        _remove(os.path.join(journal.prefix, rel))


def _undo_append(journal: Journal, entry: dict[str, Any]) -> None:
    full = os.path.join(journal.prefix, entry["path"])
    size = int(entry.get("size", -1))
    if size < 0:
        if _lexists(full):
            os.unlink(full)
    elif os.path.isfile(full):
        with open(full, "r+b") as f:
            f.truncate(size)


_UNDO = {"create": _undo_create, "remove": _undo_remove, "append": _undo_append,
         "scripts": _undo_scripts}


def _prune_empty(path: str) -> None:
    try:
        os.rmdir(path)
    except OSError:
        pass


def remove_created_prefix(prefix: str, remove_prefix: bool) -> None:
    """Undo the creation of ``conda-meta`` (and of the prefix): only our own files remain."""
    meta = os.path.join(prefix, "conda-meta")
    leftovers = set(os.listdir(meta)) if os.path.isdir(meta) else set()
    if leftovers - {".lock", JOURNAL_NAME}:
        return
    for name in leftovers:
        try:
            os.unlink(os.path.join(meta, name))
        except OSError:
            pass
    _prune_empty(meta)
    if remove_prefix:
        _prune_empty(prefix)
