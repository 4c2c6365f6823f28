"""Write a channel's ``repodata.json`` (and ``repodata.json.zst``) from its package files.

For every subdir folder of a channel (any folder holding ``.conda`` / ``.tar.bz2`` files,
plus ``noarch``, which is created when absent) each archive's ``info/index.json`` is read
with :func:`conda_package_streaming.package_streaming.stream_conda_info`, its ``size``,
``md5`` and ``sha256`` are computed, and the records are written the way conda-index
writes them: ``info.subdir``, ``packages`` (``.tar.bz2``), ``packages.conda``, ``removed``
and ``repodata_version: 1``, sorted keys, two-space indent.

Every subdir is read completely before anything is written, then each file goes to a
temporary name and is ``os.replace``d: a bad archive stops the run with one line naming
it and leaves the old repodata untouched, or with ``skip_invalid`` (``conda index``'s
default, as conda-index does) is left out with a warning naming it. A record of the
previous repodata is reused when the file's sha256 is unchanged, so re-indexing a large
channel reads no archive twice.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kernel.errors import CondaError

EXTENSIONS = (".conda", ".tar.bz2")
REPODATA = "repodata.json"
_REQUIRED = ("name", "version", "build")


class ChannelIndexError(CondaError):
    """A channel folder or one of its packages cannot be indexed."""


@dataclass
class SubdirIndex:
    """The repodata of one subdir, ready to be written."""

    subdir: str
    folder: str
    repodata: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # unreadable archives left out

    @property
    def count(self) -> int:
        return len(self.repodata["packages"]) + len(self.repodata["packages.conda"])


def _hashes(path: str) -> tuple[int, str, str]:
    md5, sha256 = hashlib.md5(), hashlib.sha256()  # noqa: S324 - conda's file checksum
    size = 0
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            md5.update(chunk)
            sha256.update(chunk)
            size += len(chunk)
    return size, md5.hexdigest(), sha256.hexdigest()


def read_index_json(path: str) -> dict[str, Any]:
    """The ``info/index.json`` of a package archive; errors name the file."""
    from conda_package_streaming.package_streaming import stream_conda_info

    fn = os.path.basename(path)
    try:
        stream = stream_conda_info(path)
        try:
            for tar, member in stream:
                if member.name in ("info/index.json", "./info/index.json"):
                    handle = tar.extractfile(member)
                    if handle is None:
                        break
                    data = json.loads(handle.read().decode("utf-8"))
                    break
            else:
                data = None
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()
    except (OSError, EOFError, ValueError, KeyError, LookupError) as exc:
        raise ChannelIndexError(f"cannot read package {path}: {type(exc).__name__}: {exc}",
                                path=path) from None
    except Exception as exc:  # tarfile/zipfile/zstd errors of a corrupt archive
        raise ChannelIndexError(f"cannot read package {path}: {type(exc).__name__}: {exc}",
                                path=path) from None
    if not isinstance(data, dict):
        raise ChannelIndexError(f"package {path} has no info/index.json", path=path)
    missing = [k for k in _REQUIRED if not data.get(k)]
    if missing:
        raise ChannelIndexError(f"package {fn}: info/index.json lacks {', '.join(missing)}",
                                path=path)
    return data


def _load_previous(folder: str) -> dict[str, dict[str, Any]]:
    try:
        with open(os.path.join(folder, REPODATA), encoding="utf-8") as f:
            old = json.load(f)
    except (OSError, ValueError):
        return {}
    if not isinstance(old, dict):
        return {}
    found: dict[str, dict[str, Any]] = {}
    for key in ("packages", "packages.conda"):
        table = old.get(key)
        if isinstance(table, dict):
            found.update({fn: r for fn, r in table.items() if isinstance(r, dict)})
    return found


def index_subdir(folder: str, subdir: str | None = None,
                 progress: Callable[[str], None] | None = None, *,
                 skip_invalid: bool = False) -> SubdirIndex:
    """Read every package of ``folder`` into repodata (writes nothing).

    An unreadable archive raises :class:`ChannelIndexError`, or with ``skip_invalid`` is
    left out with a warning.
    """
    subdir = subdir or os.path.basename(os.path.normpath(folder))
    previous = _load_previous(folder)
    packages: dict[str, Any] = {}
    conda_packages: dict[str, Any] = {}
    result = SubdirIndex(subdir, folder, {})
    names = sorted(fn for fn in os.listdir(folder) if fn.endswith(EXTENSIONS)
                   and not fn.startswith(".") and os.path.isfile(os.path.join(folder, fn)))
    for fn in names:
        path = os.path.join(folder, fn)
        size, md5, sha256 = _hashes(path)
        old = previous.get(fn)
        if old and old.get("sha256") == sha256 and old.get("size") == size:
            record = dict(old)
        else:
            if progress:
                progress(fn)
            try:
                record = read_index_json(path)
            except ChannelIndexError as exc:
                if not skip_invalid:
                    raise
                result.warnings.append(f"skipped {exc.message}")
                result.skipped.append(path)
                continue
            record.update(size=size, md5=md5, sha256=sha256)
        declared = record.get("subdir")
        if declared and declared != subdir:
            result.warnings.append(f"{subdir}/{fn}: index.json says subdir '{declared}'; "
                                   f"indexed under '{subdir}'")
        record["subdir"] = subdir
        (conda_packages if fn.endswith(".conda") else packages)[fn] = dict(sorted(record.items()))
    result.repodata = {"info": {"subdir": subdir}, "packages": packages,
                       "packages.conda": conda_packages, "removed": [],
                       "repodata_version": 1}
    return result


def find_subdirs(channel: str) -> list[str]:
    """Folder names of ``channel`` that hold packages, plus ``noarch``."""
    found = {"noarch"}
    for entry in os.scandir(channel):
        if entry.is_dir() and not entry.name.startswith("."):
            try:
                if any(fn.endswith(EXTENSIONS) for fn in os.listdir(entry.path)):
                    found.add(entry.name)
            except OSError:
                continue
    return sorted(found)


def _atomic_write(path: str, data: bytes) -> str:
    """Write ``data`` beside ``path``; returns the temporary name (caller replaces)."""
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    return tmp


def index_channel(channel: str, subdirs: Sequence[str] | None = None, *, zst: bool = True,
                  progress: Callable[[str], None] | None = None,
                  skip_invalid: bool = False, shards: bool = False) -> list[SubdirIndex]:
    """Index ``channel`` (a folder) and write each subdir's repodata; returns what was done."""
    channel = os.path.abspath(os.path.expanduser(channel))
    if not os.path.isdir(channel):
        raise ChannelIndexError(f"channel folder not found: {channel}", path=channel)
    chosen = list(subdirs) if subdirs else find_subdirs(channel)
    for name in chosen:
        if not name or "/" in name or name in (".", ".."):
            raise ChannelIndexError(f"invalid subdir name '{name}'", subdir=name)
    results = []
    for name in chosen:
        folder = os.path.join(channel, name)
        if not os.path.isdir(folder):
            if name != "noarch":
                raise ChannelIndexError(f"subdir folder not found: {folder}", path=folder)
            results.append(SubdirIndex(name, folder, {
                "info": {"subdir": name}, "packages": {}, "packages.conda": {},
                "removed": [], "repodata_version": 1}))
            continue
        results.append(index_subdir(folder, name, progress, skip_invalid=skip_invalid))
    write_repodata(results, zst=zst, shards=shards)
    return results


def write_repodata(results: Iterable[SubdirIndex], *, zst: bool = True,
                   shards: bool = False) -> None:
    """Write every subdir's files to temporary names first, then move them into place;
    ``shards`` writes sharded repodata too (:mod:`plugins.index.shard_writer`)."""
    import zstandard

    from plugins.index.shard_format import SHARD_INDEX_FN
    from plugins.index.shard_writer import write_shards

    pending: list[tuple[str, str]] = []
    stale: list[str] = []
    try:
        for result in results:
            os.makedirs(result.folder, exist_ok=True)
            text = json.dumps(result.repodata, indent=2, sort_keys=True) + "\n"
            raw = text.encode("utf-8")
            target = os.path.join(result.folder, REPODATA)
            pending.append((_atomic_write(target, raw), target))
            if zst:
                packed = zstandard.ZstdCompressor(level=16).compress(raw)
                pending.append((_atomic_write(target + ".zst", packed), target + ".zst"))
            else:
                stale.append(target + ".zst")
            if shards:
                pending += write_shards(result.folder, result.repodata, _atomic_write)
            else:
                stale.append(os.path.join(result.folder, SHARD_INDEX_FN))
    except OSError as exc:
        for tmp, _ in pending:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        raise ChannelIndexError(f"cannot write repodata: {exc}") from None
    for tmp, target in pending:
        os.replace(tmp, target)
    for path in stale:  # an old .zst or shard index would hide the new repodata.json
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
