"""The extraction loop both formats share, and the atomic move into place.

:func:`extract_atomically` builds the package in a hidden sibling of the destination
(``.<name>.<random>.extracting``) and renames it into place only once every member has
passed; on any failure, interruption included, the sibling is removed and the destination is
as it was before the call.

:func:`unpack_tar` streams one tar archive into that sibling. Each member is checked by the
:class:`~plugins.extractors.safety.Guard` before anything is written, then written without
following a link: parent folders are made (or found to be real folders) one at a time and
files are opened with ``O_CREAT | O_EXCL | O_NOFOLLOW``, so even a case-insensitive file
system that merges two names cannot redirect a write.
"""

from __future__ import annotations

import functools
import os
import secrets
import shutil
import stat
import tarfile
from collections.abc import Callable, Generator
from contextlib import closing
from typing import IO, TypeVar

from conda_package_streaming.package_streaming import TarfileNoSameOwner, tar_generator

from kernel.errors import CondaError
from plugins.extractors import safety
from plugins.extractors.safety import (
    BoundedReader,
    Guard,
    LimitExceeded,
    Member,
    PackageExtractionError,
    Readable,
)

T = TypeVar("T")

#: ``fill(archive, folder, guard)``: unpacks the archive into the temporary folder, checking
#: every member with the guard.
Fill = Callable[[str, str, Guard], None]

_CREATE = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
           | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
_OPEN = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


# -- the atomic frame ---------------------------------------------------------------------------


def extract_atomically(archive: str | os.PathLike[str], dest_dir: str | os.PathLike[str],
                       fill: Fill) -> None:
    """Run ``fill(archive, root, guard)`` on a fresh sibling ``root`` of ``dest_dir``, then
    rename it to ``dest_dir``.

    An existing ``dest_dir`` is replaced only after the new tree is complete: it is renamed
    aside, the new tree renamed in, and the old one removed.
    """
    archive_path = os.fspath(archive)
    dest = os.path.abspath(os.fspath(dest_dir))
    if not os.path.isfile(archive_path):
        raise PackageExtractionError(f"cannot extract {archive_path}: no such file",
                                     archive=archive_path)
    parent, name = os.path.split(dest)
    try:
        os.makedirs(parent, exist_ok=True)
        root = _sibling(parent, name, "extracting", make=True)
    except OSError as exc:
        raise PackageExtractionError(
            f"cannot extract {archive_path}: cannot make a folder beside {dest}: "
            f"{exc.strerror or exc}", archive=archive_path) from exc
    guard = Guard(archive_path)
    try:
        try:
            fill(archive_path, root, guard)
        except OSError as exc:  # reading the archive itself failed
            raise PackageExtractionError(f"cannot extract {archive_path}: {exc.strerror or exc}",
                                         archive=archive_path) from exc
        guard.finish()
        _move_into_place(root, dest, archive_path)
    except BaseException:
        _remove(root)
        raise


def _sibling(parent: str, name: str, suffix: str, *, make: bool) -> str:
    """A new hidden name beside ``name`` (made as an empty folder when ``make``)."""
    for _ in range(100):
        path = os.path.join(parent, f".{name[:120]}.{secrets.token_hex(4)}.{suffix}")
        if not make:
            if not os.path.lexists(path):
                return path
            continue
        try:
            os.mkdir(path, 0o777)
            return path
        except FileExistsError:
            continue
    raise FileExistsError(f"no free name beside {os.path.join(parent, name)}")


def _move_into_place(root: str, dest: str, archive: str) -> None:
    try:
        try:
            os.rename(root, dest)  # dest absent (or an empty folder): one atomic step
            return
        except OSError:
            if not os.path.lexists(dest):
                raise
        aside = _sibling(*os.path.split(dest), "replaced", make=False)
        os.rename(dest, aside)
        try:
            os.rename(root, dest)
        except OSError:
            os.rename(aside, dest)
            raise
        _remove(aside)
    except OSError as exc:
        raise PackageExtractionError(f"cannot extract {archive}: cannot move the package into "
                                     f"{dest}: {exc.strerror or exc}", archive=archive) from exc


def _remove(path: str) -> None:
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        elif os.path.lexists(path):
            os.unlink(path)
    except OSError:
        pass


# -- reading --------------------------------------------------------------------------------------


class _HeaderCorrupt(Exception):
    """A tar header in the middle of the archive is invalid (tarfile would stop silently)."""


#: What tarfile raises for a damaged (not all-zero, not missing) header.
_BAD_HEADER = (tarfile.InvalidHeaderError, tarfile.TruncatedHeaderError)  # type: ignore[attr-defined]


class _StrictTarInfo(tarfile.TarInfo):
    """A TarInfo that turns a bad header after the first into an error.

    tarfile ends iteration without a word at an invalid or cut header that is not the first
    one, which would install the members before it as if they were the whole package.
    """

    @classmethod
    def fromtarfile(cls, tar: tarfile.TarFile) -> _StrictTarInfo:
        try:
            return super().fromtarfile(tar)
        except _BAD_HEADER as exc:
            raise _HeaderCorrupt(f"bad tar header: {exc}") from None


def guarded(guard: Guard, call: Callable[..., T], *args: object) -> T:
    """Call a reading step, turning what a broken stream raises into one clear error."""
    try:
        return call(*args)
    except CondaError:
        raise
    except LimitExceeded as exc:
        raise guard.over_limit(str(exc)) from None
    except Exception as exc:
        raise guard.corrupt(exc) from exc


Members = Generator[tuple[tarfile.TarFile, tarfile.TarInfo], None, None]


def _members(reader: BoundedReader) -> Members:
    """Iterate the stream with conda-package-streaming's tar generator and our TarInfo."""
    opener = functools.partial(TarfileNoSameOwner.open, tarinfo=_StrictTarInfo)
    return tar_generator(reader, tarfile_open=opener)


def unpack_tar(stream: Readable, root: str, guard: Guard) -> None:
    """Extract the decompressed tar ``stream`` into ``root``, member by member."""
    reader = BoundedReader(stream, already=guard.stream_bytes)
    writer = _Writer(root, guard)
    with closing(guarded(guard, _members, reader)) as members:
        while True:
            item = guarded(guard, next, members, None)
            if item is None:
                break
            tar, info = item
            member = guard.check(info)
            reader.allow(info.size if member is not None and member.kind == "file" else 0)
            if member is not None:
                writer.write(tar, info, member)
    guarded(guard, reader.drain)
    guard.stream_bytes += reader.consumed


# -- writing --------------------------------------------------------------------------------------


class _Writer:
    """Writes checked members under ``root`` without ever following a link."""

    def __init__(self, root: str, guard: Guard) -> None:
        self.root = root
        self.guard = guard
        self.dirs: set[str] = {""}

    def _full(self, path: str) -> str:
        return os.path.join(self.root, *path.split("/"))

    def write(self, tar: tarfile.TarFile, info: tarfile.TarInfo, member: Member) -> None:
        name = info.name
        parts = member.path.split("/")
        try:
            for depth in range(1, len(parts)):
                self._dir(name, "/".join(parts[:depth]))
            full = self._full(member.path)
            if member.kind == "dir":
                self._dir(name, member.path)
            elif member.kind == "file":
                self._file(tar, info, full, member.mode)
            elif member.kind == "symlink":
                os.symlink(member.target, full)
                _set_mtime(full, info.mtime, follow=False)
            else:
                self._hardlink(self._full(member.target), full)
        except FileExistsError:
            self.guard.refuse(name, "collides with a path extracted before it (a file system "
                                    "that ignores case or normalises names?)")
        except OSError as exc:
            raise PackageExtractionError(
                f"cannot extract {self.guard.archive}: writing member {name!r} failed: "
                f"{exc.strerror or exc}", archive=self.guard.archive, member=name) from exc

    def _dir(self, member: str, path: str) -> None:
        if path in self.dirs:
            return
        full = self._full(path)
        try:
            os.mkdir(full, 0o777)
        except FileExistsError:
            if not stat.S_ISDIR(os.lstat(full).st_mode):
                self.guard.refuse(member, f"would be written through {path!r}, which is not a "
                                          f"folder on disk")
        self.dirs.add(path)

    def _file(self, tar: tarfile.TarFile, info: tarfile.TarInfo, full: str, mode: int) -> None:
        source = guarded(self.guard, tar.extractfile, info)
        if source is None:  # pragma: no cover - only for non-files, which never get here
            raise self.guard.corrupt(ValueError("no data for a regular file"))
        fd = os.open(full, _CREATE, mode)
        with open(fd, "wb") as out:
            written = self._copy(source, out)
            out.flush()
            _set_mtime(fd, info.mtime)
        if written != info.size:
            raise self.guard.corrupt(EOFError(f"member {info.name!r} has {written} of its "
                                              f"{info.size} bytes"))

    def _copy(self, source: IO[bytes], out: IO[bytes]) -> int:
        written = 0
        while chunk := guarded(self.guard, source.read, safety.CHUNK_SIZE):
            out.write(chunk)
            written += len(chunk)
        return written

    def _hardlink(self, source: str, full: str) -> None:
        try:
            os.link(source, full)
            return
        except FileExistsError:
            raise
        except OSError:
            pass  # no hardlinks here (some file systems, some platforms): copy instead
        src = os.open(source, _OPEN)
        with open(src, "rb") as data:
            fd = os.open(full, _CREATE, stat.S_IMODE(os.fstat(src).st_mode))
            with open(fd, "wb") as out:
                shutil.copyfileobj(data, out, safety.CHUNK_SIZE)


def _set_mtime(target: int | str, mtime: float, *, follow: bool = True) -> None:
    """Keep the member's modification time where the platform allows; never fail on it."""
    try:
        if isinstance(target, int):
            if os.utime in os.supports_fd:
                os.utime(target, (mtime, mtime))
        elif follow or os.utime in os.supports_follow_symlinks:
            os.utime(target, (mtime, mtime), follow_symlinks=follow)
    except (OSError, OverflowError, ValueError, TypeError):
        pass
