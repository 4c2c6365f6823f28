"""Build package archives, honest or hostile, in both formats, with tarfile/zipfile/zstd."""

from __future__ import annotations

import bz2
import io
import json
import os
import stat
import tarfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from conda_package_streaming.package_streaming import zstd

FORMATS = (".conda", ".tar.bz2")
INDEX = json.dumps({"name": "pkg", "version": "1.0", "build": "0", "build_number": 0,
                    "depends": [], "subdir": "noarch"}).encode()


@dataclass
class Entry:
    """One tar member. ``kind``: file, dir, symlink, hardlink, chr, blk, fifo, or a raw
    one-byte tar type such as ``b"V"``."""

    name: str
    kind: str | bytes = "file"
    data: bytes = b""
    target: str = ""
    mode: int = 0o644
    mtime: int = 1_600_000_000
    pax: dict[str, str] = field(default_factory=dict)
    size: int | None = None  # a size that lies about the data (for bombs)


_TYPES: dict[str, bytes] = {
    "file": tarfile.REGTYPE, "dir": tarfile.DIRTYPE, "symlink": tarfile.SYMTYPE,
    "hardlink": tarfile.LNKTYPE, "chr": tarfile.CHRTYPE, "blk": tarfile.BLKTYPE,
    "fifo": tarfile.FIFOTYPE,
}


def tar_bytes(entries: Iterable[Entry]) -> bytes:
    """An uncompressed tar of ``entries`` written exactly as given (no name cleaning)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for entry in entries:
            info = tarfile.TarInfo(entry.name)
            info.type = entry.kind if isinstance(entry.kind, bytes) else _TYPES[entry.kind]
            info.mode = entry.mode
            info.mtime = entry.mtime
            info.linkname = entry.target
            info.pax_headers = dict(entry.pax)
            if info.type in (tarfile.CHRTYPE, tarfile.BLKTYPE):
                info.devmajor, info.devminor = 1, 3
            if info.isreg() or isinstance(entry.kind, bytes):
                info.size = len(entry.data) if entry.size is None else entry.size
                tar.addfile(info, io.BytesIO(entry.data))
            else:
                tar.addfile(info)
    return buf.getvalue()


def info_entries() -> list[Entry]:
    return [Entry("info", "dir", mode=0o755), Entry("info/index.json", data=INDEX)]


def write_tar_bz2(path: Path, tar: bytes) -> Path:
    path.write_bytes(bz2.compress(tar, 1))
    return path


def zst(data: bytes) -> bytes:
    return zstd.compress(data)


METADATA = b'{"conda_pkg_format_version": 2}'


def write_conda(path: Path, pkg: bytes | None, info: bytes | None = None, *,
                stem: str | None = None, metadata: bytes | None = METADATA,
                extra: Sequence[tuple[str, bytes]] = (), raw: bool = False) -> Path:
    """A ``.conda`` zip; ``pkg``/``info`` are tar bytes (zstd-compressed here unless ``raw``),
    ``None`` leaves the component out."""
    stem = stem or path.name[: -len(".conda")]
    if info is None and not raw:
        info = tar_bytes(info_entries())
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        if metadata is not None:
            zf.writestr("metadata.json", metadata)
        for kind, tar in (("info", info), ("pkg", pkg)):
            if tar is not None:
                zf.writestr(f"{kind}-{stem}.tar.zst", tar if raw else zst(tar))
        for name, data in extra:
            zf.writestr(name, data)
    return path


def build(fmt: str, directory: Path, entries: Sequence[Entry], name: str = "pkg-1.0-0") -> Path:
    """An archive of ``fmt`` whose payload is ``entries`` (an info/ part is added)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}{fmt}"
    if fmt == ".conda":
        return write_conda(path, tar_bytes(entries))
    return write_tar_bz2(path, tar_bytes([*info_entries(), *entries]))


def wrap(fmt: str, directory: Path, tar: bytes, name: str = "pkg-1.0-0") -> Path:
    """An existing tar as the payload of an archive of ``fmt``."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}{fmt}"
    if fmt == ".conda":
        return write_conda(path, tar)
    return write_tar_bz2(path, tar)


def snapshot(root: Path) -> dict[str, tuple[object, ...]]:
    """Every path under ``root`` with its type, mode, size, link target and content."""
    seen: dict[str, tuple[object, ...]] = {}
    for here, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(here, name)
            st = os.lstat(path)
            rel = os.path.relpath(path, root)
            if stat.S_ISLNK(st.st_mode):
                seen[rel] = ("link", os.readlink(path))
            elif stat.S_ISREG(st.st_mode):
                with open(path, "rb") as fh:
                    seen[rel] = ("file", st.st_mode, st.st_mtime_ns, fh.read())
            else:
                seen[rel] = ("other", st.st_mode)
    return seen


def tree(root: Path) -> dict[str, tuple[object, ...]]:
    """The extracted tree as relative path -> (kind, mode, content or link target)."""
    out: dict[str, tuple[object, ...]] = {}
    for here, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(here, name)
            st = os.lstat(path)
            rel = os.path.relpath(path, root)
            if stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", os.readlink(path))
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = ("dir",)
            else:
                with open(path, "rb") as fh:
                    out[rel] = ("file", stat.S_IMODE(st.st_mode), fh.read())
    return out
