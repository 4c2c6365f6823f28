"""Hostile conda packages, built in both formats with real package metadata.

Each :class:`Case` is a package named ``evil-<case>`` with ``info/index.json`` and
``info/paths.json`` (computed from the payload unless the case overrides it) so that
``conda index`` accepts it and ``conda install`` reaches the extractor and the linker.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.extractors.archives import Entry, tar_bytes, write_tar_bz2, zst


@dataclass
class Case:
    name: str
    entries: list[Entry]
    paths: list[dict[str, Any]] | None = None  # info/paths.json "paths"; None: computed
    legacy: bool = False  # no info/paths.json (info/files only)
    info_extra: list[Entry] = field(default_factory=list)
    index_extra: dict[str, Any] = field(default_factory=dict)
    fmts: tuple[str, ...] = (".tar.bz2", ".conda")
    #: rewrites the finished archive (bytes -> bytes), after indexing when ``after_index``
    mangle: Callable[[bytes], bytes] | None = None
    after_index: bool = False
    #: the archive is written by hand, not by :func:`build_archive` (bombs)
    raw: Callable[[str, Path], Path] | None = None

    def package(self, fmt: str) -> str:
        return f"evil-{self.name}-{'c' if fmt == '.conda' else 'b'}"


def _paths_json(entries: list[Entry]) -> bytes:
    paths = []
    for e in entries:
        if e.kind == "file":
            paths.append({"_path": e.name, "path_type": "hardlink",
                          "sha256": hashlib.sha256(e.data).hexdigest(),
                          "size_in_bytes": len(e.data)})
        elif e.kind == "symlink":
            paths.append({"_path": e.name, "path_type": "softlink"})
    return json.dumps({"paths": paths, "paths_version": 1}).encode()


def info_entries(name: str, case: Case) -> list[Entry]:
    index = {"name": name, "version": "1.0", "build": "0", "build_number": 0,
             "depends": [], "subdir": "noarch", **case.index_extra}
    paths = (_paths_json(case.entries) if case.paths is None
             else json.dumps({"paths": case.paths, "paths_version": 1}).encode())
    listing = [] if case.legacy else [Entry("info/paths.json", data=paths)]
    return [Entry("info", "dir", mode=0o755), Entry("info/index.json", data=json.dumps(
        index).encode()), *listing, *case.info_extra]


def write_conda(path: Path, info: bytes, pkg: bytes) -> Path:
    stem = path.name[: -len(".conda")]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("metadata.json", b'{"conda_pkg_format_version": 2}')
        zf.writestr(f"info-{stem}.tar.zst", zst(info))
        zf.writestr(f"pkg-{stem}.tar.zst", pkg)
    return path


def build_archive(case: Case, fmt: str, folder: Path) -> Path:
    name = case.package(fmt)
    path = folder / f"{name}-1.0-0{fmt}"
    if case.raw is not None:
        return case.raw(name, path)
    info = info_entries(name, case)
    if fmt == ".conda":
        write_conda(path, tar_bytes(info), zst(tar_bytes(case.entries)))
    else:
        write_tar_bz2(path, tar_bytes([*info, *case.entries]))
    if case.mangle is not None and not case.after_index:
        path.write_bytes(case.mangle(path.read_bytes()))
    return path


def corrupt_zip_member(data: bytes) -> bytes:
    """Flip one byte in the middle of the ``pkg-*`` member's data (CRC mismatch)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = next(i for i in zf.infolist() if i.filename.startswith("pkg-"))
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]


def zip_declares_huge(data: bytes) -> bytes:
    """The ``pkg-*`` member's central-directory entry claims 64 GiB uncompressed (ZIP64)."""
    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf) as zf:
        members = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as zf:
        for fname, body in members:
            zf.writestr(fname, body)
        for info in zf.infolist():
            if info.filename.startswith("pkg-"):
                info.file_size = 64 << 30
    return out.getvalue()


def lying_header_bomb(fmt: str) -> Callable[[str, Path], Path]:
    """A payload member whose header declares 32 GiB (more than MAX_TOTAL_BYTES)."""

    def write(name: str, path: Path) -> Path:
        case = Case("bomb", [])
        info = tar_bytes(info_entries(name, case))
        import tarfile

        member = tarfile.TarInfo("big.bin")
        member.size, member.mode = 32 << 30, 0o644
        payload = member.tobuf(tarfile.PAX_FORMAT) + b"\0" * (1 << 20)  # 1 MiB of 32 GiB
        if fmt == ".conda":
            return write_conda(path, info, zst(payload))
        return write_tar_bz2(path, info[:-1024] + payload)

    return write


def trailing_bomb(name: str, path: Path) -> Path:
    """A ``.conda`` whose payload tar is followed by 256 MiB of zeros (a zstd bomb)."""
    import zstandard

    info = tar_bytes(info_entries(name, Case("trail", [Entry("ok.txt", data=b"ok\n")])))
    pkg = tar_bytes([Entry("ok.txt", data=b"ok\n")])
    compressor = zstandard.ZstdCompressor(level=3)
    chunks = compressor.compressobj()
    blob = chunks.compress(pkg)
    zero = b"\0" * (1 << 24)
    for _ in range(16):
        blob += chunks.compress(zero)
    blob += chunks.flush()
    return write_conda(path, info, blob)


def pax_bomb(name: str, path: Path) -> Path:
    """A ``.conda`` whose payload has a 64 MiB pax header (a metadata bomb)."""
    info = tar_bytes(info_entries(name, Case("pax", [])))
    pkg = tar_bytes([Entry("ok.txt", data=b"ok\n", pax={"comment": "x" * (64 << 20)})])
    return write_conda(path, info, zst(pkg))


def cases(outside: Path) -> list[Case]:
    """Every hostile package; ``outside`` is a folder no install may touch."""
    ok = Entry("ok.txt", data=b"ok\n")
    victim = str(outside / "victim.txt")
    return [
        Case("dotdot", [ok, Entry("../../../../outside/dotdot-pwned", data=b"pwned")]),
        Case("dotdot-deep", [ok, Entry("lib/../../../../../../outside/dd-pwned",
                                       data=b"pwned")]),
        Case("absolute", [ok, Entry(str(outside / "abs-pwned"), data=b"pwned")]),
        Case("symlink-abs-write", [Entry("lib", "dir", mode=0o755),
                                   Entry("lib/sneaky", "symlink", target=str(outside)),
                                   Entry("lib/sneaky/through-pwned", data=b"pwned")]),
        Case("symlink-rel-write", [Entry("lib", "dir", mode=0o755),
                                   Entry("lib/up", "symlink", target="../../../../outside"),
                                   Entry("lib/up/rel-pwned", data=b"pwned")]),
        Case("symlink-chain", [Entry("cur", "symlink", target="."),
                               Entry("par", "symlink", target="cur/.."),
                               Entry("par/chain-pwned", data=b"pwned")]),
        Case("symlink-then-dup", [Entry("bin", "dir", mode=0o755),
                                  Entry("bin/moo", "symlink", target=victim),
                                  Entry("bin/moo", data=b"pwned")]),
        Case("hardlink-etc", [ok, Entry("lib-hostname", "hardlink", target="/etc/hostname")]),
        Case("hardlink-outside", [ok, Entry("lib-victim", "hardlink", target=victim)]),
        Case("hardlink-dotdot", [ok, Entry("lib-v2", "hardlink",
                                           target="../../../outside/victim.txt")]),
        Case("chardev", [ok, Entry("dev-null", "chr")]),
        Case("blockdev", [ok, Entry("dev-sda", "blk")]),
        Case("fifo", [ok, Entry("pipe", "fifo")]),
        Case("duplicate", [Entry("bin", "dir", mode=0o755),
                           Entry("bin/tool", data=b"#!/bin/sh\necho honest\n", mode=0o755),
                           Entry("bin/tool", data=b"#!/bin/sh\necho evil\n", mode=0o755)]),
        Case("paths-dotdot", [ok], paths=[
            {"_path": "ok.txt", "path_type": "hardlink", "size_in_bytes": 3},
            {"_path": "../../outside/paths-pwned", "path_type": "hardlink"}]),
        Case("paths-absolute", [ok], paths=[
            {"_path": str(outside / "paths-abs-pwned"), "path_type": "hardlink"}]),
        Case("paths-missing", [ok], paths=[
            {"_path": "ok.txt", "path_type": "hardlink", "size_in_bytes": 3},
            {"_path": "bin/not-in-payload", "path_type": "hardlink", "size_in_bytes": 5}]),
        Case("paths-size-lies", [ok], paths=[
            {"_path": "ok.txt", "path_type": "hardlink", "size_in_bytes": 3000}]),
        Case("paths-wrong-type", [ok], paths=[{"_path": 42, "path_type": "hardlink"}]),
        Case("legacy-files-dotdot", [ok], legacy=True, info_extra=[
            Entry("info/files", data=b"ok.txt\n../../outside/legacy-pwned\n")],
            fmts=(".tar.bz2",)),
        Case("entry-point-escape", [ok], index_extra={"noarch": "python"}, info_extra=[
            Entry("info/link.json", data=json.dumps({"noarch": {
                "type": "python", "entry_points": ["../../../outside/ep-pwned = os:getcwd"]},
                "package_metadata_version": 1}).encode())], fmts=(".tar.bz2",)),
        Case("placeholder-too-short", [Entry("lib", "dir", mode=0o755), Entry(
            "lib/blob.bin", data=b"\0\0/short\0tail\0")], paths=[
            {"_path": "lib/blob.bin", "path_type": "hardlink", "file_mode": "binary",
             "prefix_placeholder": "/short", "size_in_bytes": 14}]),
        Case("conda-crc", [ok], fmts=(".conda",), mangle=corrupt_zip_member),
        Case("conda-not-zstd", [ok], fmts=(".conda",), mangle=lambda d: _swap_pkg(
            d, b"BZh91AY&SY" + b"x" * 64)),
        Case("conda-zip-bomb", [ok], fmts=(".conda",), mangle=zip_declares_huge),
        Case("conda-inner-lies", [ok], fmts=(".conda",), mangle=lambda d: _swap_pkg(
            d, zst(tar_bytes([Entry("../outside/inner-pwned", data=b"pwned")])))),
        Case("bz2-bomb", [], fmts=(".tar.bz2",), raw=lying_header_bomb(".tar.bz2")),
        Case("zst-bomb", [], fmts=(".conda",), raw=lying_header_bomb(".conda")),
        Case("zst-trailing-bomb", [], fmts=(".conda",), raw=trailing_bomb),
        Case("pax-bomb", [], fmts=(".conda",), raw=pax_bomb),
    ]


def _swap_pkg(data: bytes, new_pkg: bytes) -> bytes:
    """The ``.conda`` with its ``pkg-*`` member replaced by ``new_pkg`` (raw bytes)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as zf:
        for fname, body in members:
            zf.writestr(fname, new_pkg if fname.startswith("pkg-") else body)
    return out.getvalue()
