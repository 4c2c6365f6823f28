"""Bombs: every limit holds, in bounded time and memory (the limits are made small here)."""

from __future__ import annotations

import bz2
import os
import time
import tracemalloc
from pathlib import Path

import pytest

from plugins.extractors import safety
from tests.extractors.archives import Entry, build, info_entries, tar_bytes, write_conda

pytestmark = pytest.mark.security

KIB, MIB = 1024, 1024 * 1024


def _zeros_bz2(path: Path, head: bytes, zeros: int) -> Path:
    """``head`` then ``zeros`` NUL bytes, bzip2-compressed as a stream (never all in memory)."""
    compressor = bz2.BZ2Compressor(1)
    with path.open("wb") as out:
        out.write(compressor.compress(head))
        block = bytes(MIB)
        for _ in range(zeros // MIB):
            out.write(compressor.compress(block))
        out.write(compressor.flush())
    return path


def test_member_count_limit(fmt, extract, sandbox, monkeypatch):
    monkeypatch.setattr(safety, "MAX_MEMBERS", 10)
    archive = build(fmt, sandbox.archives, [Entry(f"f{i}", data=b"x") for i in range(20)])
    sandbox.refused(extract, archive, "past the limit of 10 members per package")


def test_one_huge_member_is_refused_before_it_is_decompressed(fmt, extract, sandbox,
                                                              monkeypatch):
    monkeypatch.setattr(safety, "MAX_TOTAL_BYTES", 64 * KIB)
    archive = build(fmt, sandbox.archives, [Entry("zeros", data=bytes(8 * MIB))])
    assert archive.stat().st_size < 64 * KIB  # a bomb: small archive, large content
    start = time.perf_counter()
    sandbox.refused(extract, archive, "member 'zeros' (8388608 bytes) would take the package "
                                      "past the limit of 65536 extracted bytes")
    assert time.perf_counter() - start < 5


def test_many_members_together_over_the_byte_limit(fmt, extract, sandbox, monkeypatch):
    monkeypatch.setattr(safety, "MAX_TOTAL_BYTES", 1 * MIB)
    entries = [Entry(f"part{i}", data=bytes(200 * KIB)) for i in range(10)]
    archive = build(fmt, sandbox.archives, entries)
    sandbox.refused(extract, archive, "member 'part5'")


def test_trailing_zero_bomb_after_the_tar_is_bounded(extractors, sandbox, monkeypatch):
    monkeypatch.setattr(safety, "MAX_TRAILING_BYTES", 64 * KIB)
    tar = tar_bytes([*info_entries(), Entry("a", data=b"x")])
    archive = _zeros_bz2(sandbox.archives / "pkg-1.0-0.tar.bz2", tar, 64 * MIB)
    assert archive.stat().st_size < 64 * KIB
    tracemalloc.start()
    start = time.perf_counter()
    try:
        sandbox.refused(extractors[".tar.bz2"], archive,
                        "more than 65536 bytes after the end of its tar data")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - start < 5
    assert peak < 4 * MIB


def test_huge_pax_header_is_refused_in_bounded_memory(fmt, extract, sandbox, monkeypatch):
    monkeypatch.setattr(safety, "MAX_HEADER_BYTES", 64 * KIB)
    entry = Entry("a", data=b"x", pax={"comment": "x" * (16 * MIB)})
    archive = build(fmt, sandbox.archives, [entry])
    tracemalloc.start()
    try:
        sandbox.refused(extract, archive, "a tar header is over the limit of 65536 bytes")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * MIB


def test_huge_long_name_is_refused(fmt, extract, sandbox, monkeypatch):
    monkeypatch.setattr(safety, "MAX_HEADER_BYTES", 64 * KIB)
    archive = build(fmt, sandbox.archives, [Entry("d/" * (256 * KIB) + "f", data=b"x")])
    sandbox.refused(extract, archive, "a tar header is over the limit")


def test_whole_stream_limit_counts_headers_too(fmt, extract, sandbox, monkeypatch):
    monkeypatch.setattr(safety, "MAX_TOTAL_BYTES", 1 * MIB)
    monkeypatch.setattr(safety, "MAX_METADATA_BYTES", 1 * MIB)
    monkeypatch.setattr(safety, "MAX_HEADER_BYTES", 64 * KIB)
    entries = [Entry(f"f{i}", data=b"x", pax={"comment": "y" * (60 * KIB)}) for i in range(60)]
    archive = build(fmt, sandbox.archives, entries)
    sandbox.refused(extract, archive, "decompressed tar stream is over the limit of")


def test_conda_component_declaring_too_many_bytes(extractors, sandbox, monkeypatch):
    monkeypatch.setattr(safety, "MAX_TOTAL_BYTES", 4 * KIB)
    monkeypatch.setattr(safety, "MAX_METADATA_BYTES", 4 * KIB)
    pkg = tar_bytes([Entry("noise", data=os.urandom(64 * KIB))])  # does not compress
    archive = write_conda(sandbox.archives / "pkg-1.0-0.conda", pkg)
    sandbox.refused(extractors[".conda"], archive, "its component 'pkg-pkg-1.0-0.tar.zst' "
                                                   "declares")


def test_limits_are_read_at_each_call(fmt, extract, sandbox, monkeypatch):
    archive = build(fmt, sandbox.archives, [Entry("a", data=bytes(2 * KIB))])
    monkeypatch.setattr(safety, "MAX_TOTAL_BYTES", KIB)
    sandbox.refused(extract, archive, "member 'a'")
    monkeypatch.undo()
    extract(str(archive), str(sandbox.dest))
    assert (sandbox.dest / "a").stat().st_size == 2 * KIB
