"""What a sound package becomes on disk: modes, links, times, and the atomic move."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from plugins.extractors import unpack
from plugins.extractors.safety import PackageExtractionError, file_mode
from tests.extractors.archives import Entry, build, tree

F = Entry


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("given,expected", [
    (0o644, 0o644), (0o755, 0o755), (0o777, 0o755), (0o666, 0o644), (0o700, 0o700),
    (0o400, 0o600), (0o444, 0o644), (0o4755, 0o755), (0o2755, 0o755), (0o1777, 0o755),
    (0o6711, 0o711), (0o611, 0o600), (0o000, 0o600),
])
def test_file_modes_keep_exec_bits_and_drop_the_dangerous_ones(given, expected, fmt, extract,
                                                               sandbox):
    assert file_mode(given) == expected
    archive = build(fmt, sandbox.archives, [F("bin/tool", data=b"#!/bin/sh\n", mode=given)])
    extract(str(archive), str(sandbox.dest))
    st = os.stat(sandbox.dest / "bin" / "tool")
    assert stat.S_IMODE(st.st_mode) == expected & ~_umask()


def test_links_times_and_folders(fmt, extract, sandbox):
    entries = [
        F("./lib/", "dir", mode=0o000),  # folder modes are not taken from the archive
        F("lib/libz.so.1.2.11", data=b"ELF", mode=0o755, mtime=1_234_567_890),
        F("lib/libz.so.1", "symlink", target="libz.so.1.2.11"),
        F("lib/libz.so", "symlink", target="./libz.so.1"),
        F("share/doc", "symlink", target="../lib"),
        F("bin//copy", "hardlink", target="./lib/libz.so.1.2.11"),
        F("lib", "dir"),  # a folder may be listed again
        F("dangling", "symlink", target="nowhere/yet"),
        F("./", "dir"),  # the root entry some tars carry
    ]
    archive = build(fmt, sandbox.archives, entries)
    extract(Path(archive), sandbox.dest)  # path-like arguments are fine too
    lib = sandbox.dest / "lib"
    assert os.readlink(lib / "libz.so") == "./libz.so.1"
    assert (lib / "libz.so").read_bytes() == b"ELF"
    assert os.readlink(sandbox.dest / "share" / "doc") == "../lib"
    assert os.stat(sandbox.dest / "bin" / "copy").st_ino == os.stat(lib / "libz.so.1.2.11").st_ino
    assert os.stat(lib / "libz.so.1.2.11").st_mtime == 1_234_567_890
    assert os.access(lib, os.R_OK | os.W_OK | os.X_OK)
    assert os.path.islink(sandbox.dest / "dangling")


def test_existing_destination_is_replaced_whole(fmt, extract, sandbox):
    sandbox.dest.mkdir()
    (sandbox.dest / "stale.txt").write_text("from an older extraction")
    archive = build(fmt, sandbox.archives, [F("new.txt", data=b"new")])
    extract(str(archive), str(sandbox.dest))
    assert sorted(os.listdir(sandbox.dest)) == ["info", "new.txt"]
    assert os.listdir(sandbox.cache) == ["pkg-1.0-0"]


def test_destination_parents_are_made(fmt, extract, sandbox):
    archive = build(fmt, sandbox.archives, [F("a", data=b"1")])
    dest = sandbox.root / "new" / "cache" / "pkg-1.0-0"
    extract(str(archive), str(dest) + os.sep)
    assert (dest / "a").read_bytes() == b"1"


@pytest.mark.reliability
@pytest.mark.parametrize("after", [0, 2])
def test_interrupted_extraction_leaves_no_destination_and_no_debris(after, fmt, extract, sandbox,
                                                                    monkeypatch):
    archive = build(fmt, sandbox.archives, [F(f"f{i}", data=b"x") for i in range(5)])
    real_write = unpack._Writer.write
    calls = []

    def crash(self, tar, info, member):
        calls.append(member.path)
        if len(calls) > after:
            raise KeyboardInterrupt
        return real_write(self, tar, info, member)

    monkeypatch.setattr(unpack._Writer, "write", crash)
    with pytest.raises(KeyboardInterrupt):
        extract(str(archive), str(sandbox.dest))
    assert os.listdir(sandbox.cache) == []


@pytest.mark.reliability
def test_failed_move_keeps_the_old_destination(fmt, extract, sandbox, monkeypatch):
    sandbox.dest.mkdir()
    (sandbox.dest / "old.txt").write_text("old")
    archive = build(fmt, sandbox.archives, [F("a", data=b"1")])
    real_rename = os.rename

    def rename(src, dst):
        if str(dst) == str(sandbox.dest) and not str(src).endswith(".replaced"):
            if not os.path.lexists(dst):
                raise OSError(28, "No space left on device")
        return real_rename(src, dst)

    monkeypatch.setattr(unpack.os, "rename", rename)
    with pytest.raises(PackageExtractionError, match="cannot move the package into"):
        extract(str(archive), str(sandbox.dest))
    assert (sandbox.dest / "old.txt").read_text() == "old"
    assert os.listdir(sandbox.cache) == ["pkg-1.0-0"]


def test_unwritable_destination_is_a_clear_error(fmt, extract, sandbox):
    if os.geteuid() == 0:
        pytest.skip("root ignores folder permissions")
    archive = build(fmt, sandbox.archives, [F("a", data=b"1")])
    sandbox.cache.chmod(0o500)
    try:
        with pytest.raises(PackageExtractionError, match="cannot make a folder beside"):
            extract(str(archive), str(sandbox.dest))
    finally:
        sandbox.cache.chmod(0o700)


def test_extract_twice_gives_the_same_tree(fmt, extract, sandbox, tmp_path):
    archive = build(fmt, sandbox.archives, [F("a/b/c.txt", data=b"c"), F("x", "symlink",
                                                                          target="a/b")])
    extract(str(archive), str(tmp_path / "one"))
    extract(str(archive), str(tmp_path / "two"))
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_destination_that_is_a_file_is_replaced(fmt, extract, sandbox):
    sandbox.dest.write_text("not a folder")
    archive = build(fmt, sandbox.archives, [F("a", data=b"1")])
    extract(str(archive), str(sandbox.dest))
    assert (sandbox.dest / "a").read_bytes() == b"1"
    assert os.listdir(sandbox.cache) == ["pkg-1.0-0"]
