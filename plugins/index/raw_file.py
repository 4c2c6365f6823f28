"""The raw repodata file read without holding it: mapped (:func:`map_file`), its pages
handed back as a reader goes through it (:func:`release`), checked for UTF-8 a window at a
time (:func:`check_utf8`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def map_file(path: Path) -> tuple[Any, tuple[int, int, int]]:
    """``(the file mapped read-only, or b"" when empty; its stamp)``: the bytes stay in the
    page cache, and the parse hands back what it has read (see :mod:`record_spans`)."""
    import mmap

    with open(path, "rb") as f:
        stamp = stamp_of(os.fstat(f.fileno()))
        if not stamp[0]:
            return b"", stamp
        if os.name == "nt":  # a mapped file cannot be moved into place there
            return f.read(), stamp
        return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ), stamp


def release(data: Any, upto: int) -> None:
    """Hand back the pages of a mapped file read so far (they stay in the page cache):
    the peak memory of a cold parse is one window, not the file."""
    import mmap

    if isinstance(data, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED"):
        upto -= upto % mmap.PAGESIZE
        if upto > 0:
            data.madvise(mmap.MADV_DONTNEED, 0, upto)


def check_utf8(data: Any, window: int = 1 << 22) -> None:
    """Raise ``UnicodeDecodeError`` (``start``: the first bad byte's offset in ``data``)
    unless ``data`` is UTF-8 — a window at a time, so that a mapped file is never all
    copied into memory."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    for at in range(0, len(data), window):
        release(data, at)
        chunk = bytes(data[at:at + window])
        pending = len(decoder.getstate()[0])  # a character cut by the previous window
        if not pending and chunk.isascii():
            continue
        try:
            decoder.decode(chunk, final=at + window >= len(data))
        except UnicodeDecodeError as exc:
            start = at - pending + exc.start
            raise UnicodeDecodeError(exc.encoding, exc.object, start,
                                     start + exc.end - exc.start, exc.reason) from None
    release(data, len(data))
    if decoder.getstate()[0]:
        raise UnicodeDecodeError("utf-8", b"", len(data) - len(decoder.getstate()[0]),
                                 len(data), "unexpected end of data")


def stamp_of(stat: os.stat_result) -> tuple[int, int, int]:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)
