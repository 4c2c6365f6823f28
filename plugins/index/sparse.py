"""Repodata parsed once, then loaded per package name.

:meth:`SparseRepodata.parse` first finds the records in the raw bytes
(:mod:`plugins.index.record_spans`: per name, the byte spans of its ``"fn": {...}``
members, no record decoded); when the file's layout does not fit that, :func:`scan`
walks a ``repodata.json`` text with the C JSON scanner and records, for each package name,
the file names and offsets of its records in ``packages`` and ``packages.conda``;
everything else (``info``, ``repodata_version``, ``removed``) is kept.
:func:`pack` turns that into one string of file names and one array of *byte* offsets per
name; it is written beside the raw file as a ``marshal`` file (the *sidecar*) stamped with
the raw file's size, mtime and inode, so a warm start reads the small sidecar, then the raw
bytes without decoding them. :meth:`SparseRepodata.raw_records` decodes only the records
of the names asked for, all of one name in a single ``json.loads`` call.
"""

from __future__ import annotations

import json
import marshal
import os
import re
from array import array
from bisect import bisect_left
from itertools import accumulate
from json import decoder as _decoder
from json import scanner as _scanner
from json.decoder import JSONDecodeError
from pathlib import Path
from typing import Any

from plugins.index.raw_file import check_utf8, stamp_of

FORMAT = 3
PACKAGE_KEYS = ("packages", "packages.conda")
_scan_once: Any = _scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]
scanstring: Any = _decoder.scanstring  # type: ignore[attr-defined]
WHITESPACE: Any = _decoder.WHITESPACE  # type: ignore[attr-defined]
Offsets = dict[str, list[tuple[str, int, int]]]


def member_value(text: str, idx: int) -> tuple[Any, int]:
    """The JSON value at ``idx`` of ``text`` and its end (``StopIteration`` if none)."""
    return _scan_once(text, idx)  # type: ignore[no-any-return]


def _ws(text: str, idx: int) -> int:
    return int(WHITESPACE.match(text, idx).end())


def _expect(text: str, idx: int, char: str, what: str) -> int:
    idx = _ws(text, idx)
    if idx >= len(text):
        raise JSONDecodeError("Unexpected end of data", text, idx)
    if text[idx] != char:
        raise JSONDecodeError(f"Expecting {what}", text, idx)
    return _ws(text, idx + 1)


def _value(text: str, idx: int) -> tuple[Any, int]:
    try:
        return _scan_once(text, idx)
    except StopIteration as stop:
        raise JSONDecodeError("Expecting value", text, stop.value) from None


def _members(text: str, idx: int) -> Any:
    """Yield ``(key, value_start)`` of a JSON object starting at ``idx``; the caller moves
    on by sending back the end of each value; returns after the closing brace."""
    idx = _expect(text, idx, "{", "'{'")
    if idx < len(text) and text[idx] == "}":
        return idx + 1
    while True:
        if idx >= len(text):
            raise JSONDecodeError("Unexpected end of data", text, idx)
        if text[idx] != '"':
            raise JSONDecodeError("Expecting property name enclosed in double quotes", text, idx)
        key, idx = scanstring(text, idx + 1)
        idx = _expect(text, idx, ":", "':' delimiter")
        idx = _ws(text, (yield key, idx))
        if idx >= len(text):
            raise JSONDecodeError("Unexpected end of data", text, idx)
        if text[idx] == "}":
            return idx + 1
        if text[idx] != ",":
            raise JSONDecodeError("Expecting ',' delimiter", text, idx)
        idx = _ws(text, idx + 1)


def _walk(text: str, idx: int, visit: Any) -> int:
    members = _members(text, idx)
    try:
        key, start = next(members)
        while True:
            key, start = members.send(visit(key, start))
    except StopIteration as done:
        return int(done.value)


_KEY = re.compile(r'[ \t\n\r]*"([^"\\]*)"[ \t\n\r]*:[ \t\n\r]*')
_NEXT = re.compile(r"[ \t\n\r]*([,}])")


def _packages(text: str, idx: int, offsets: Offsets) -> int:
    """Record the offsets of every member of the ``packages`` object at ``idx``."""
    idx = _expect(text, idx, "{", "'{'")
    if text.startswith("}", idx):
        return idx + 1
    key_match, next_match, scan_once = _KEY.match, _NEXT.match, _scan_once
    while True:
        found = key_match(text, idx)
        if found is not None:
            fn, start = found.group(1), found.end()
        else:  # an escaped file name, or an error that the general path reports
            idx = _ws(text, idx)
            if not text.startswith('"', idx):
                raise JSONDecodeError("Expecting property name enclosed in double quotes",
                                      text, idx)
            fn, idx = scanstring(text, idx + 1)
            start = _expect(text, idx, ":", "':' delimiter")
        try:
            record, end = scan_once(text, start)
            name = record["name"]
            if name.__class__ is not str:  # a number or a list is no package name
                raise TypeError(name)
            offsets.setdefault(name, []).append((fn, start, end))
        except StopIteration as stop:
            raise JSONDecodeError("Expecting value", text, stop.value) from None
        except (KeyError, TypeError):
            _package(text, fn, start, {})
        sep = next_match(text, end)
        if sep is None:
            _expect(text, end, ",", "',' delimiter")
        if sep.group(1) == "}":  # type: ignore[union-attr]
            return sep.end()  # type: ignore[union-attr]
        idx = sep.end()  # type: ignore[union-attr]


_LAYOUT = re.compile(r'\{\n( +)"[^"\\\n]*": \{\n( +)"')


def _indented_packages(text: str, start: int) -> tuple[Offsets, int] | None:
    """The offsets of a ``packages`` object written one key per line
    (``json.dumps(indent=…)``, as conda-index writes every channel), found by searching for
    the lines that open a record and that name it — without decoding the records (several
    times faster); ``None`` when the layout is anything else, or any record does not fit it
    (the caller then decodes every record). Records are not validated here:
    :meth:`SparseRepodata.raw_records` decodes them when they are asked for.
    """
    layout = _LAYOUT.match(text, start)
    line = text.rfind("\n", 0, start) + 1
    indent = len(text[line:start]) - len(text[line:start].lstrip(" "))
    if layout is None or line == 0 or not text.startswith('"', line + indent):
        return None
    pad, inner = layout.group(1), layout.group(2)
    if not indent < len(pad) < len(inner):
        return None
    # no line of the object starts with the object's own indentation but its last
    stop = text.find("\n" + " " * indent + "}", start)
    sibling = "\n" + pad + '"'
    if stop < 0 or text[stop - 1] != "}":
        return None
    keys = re.compile(re.escape(sibling) + r'([^"\\\n]*)": \{').finditer(text, start, stop)
    name_lines = re.compile(re.escape("\n" + inner + '"name": "')
                            + r'([^"\\\n]*)"').finditer(text, start, stop)

    def next_name() -> tuple[int, str]:
        found = next(name_lines, None)
        return (found.start(), found.group(1)) if found is not None else (stop + 1, "")

    offsets: Offsets = {}
    at, name = next_name()
    current = next(keys, None)
    if current is None or current.start() != start + 1:
        return None
    count = 0
    while current is not None:  # streamed: no list of 450,000 matches in memory
        following = next(keys, None)
        begin, fn = current.start(), current.group(1)
        end = following.start() - 1 if following is not None else stop
        if not begin < at < end or text[end - 1] != "}" or (end != stop and text[end] != ","):
            return None  # a record without a name line, or not closed where it ends
        offsets.setdefault(name, []).append((fn, current.end() - 1, end))
        while at < end:  # a second "name" line of one record is not a name
            at, name = next_name()
        count += 1
        current = following
    if text.count(sibling, start, stop) != count:
        return None  # a record key the search did not recognise (an escaped file name)
    return offsets, stop + indent + 2


def _package(text: str, fn: str, start: int, offsets: Offsets) -> int:
    record, end = _value(text, start)
    name = record.get("name") if isinstance(record, dict) else None
    if not isinstance(name, str):
        raise JSONDecodeError(f"record {fn!r} has no package name", text, start)
    offsets.setdefault(name, []).append((fn, start, end))
    return int(end)


def scan(text: str) -> tuple[dict[str, Any], Offsets]:
    """``(top-level values except packages, {name: [(fn, start, end), …]})``.

    Raises ``json.JSONDecodeError`` (with line, column and position) on malformed or
    truncated input, or when a record has no string ``name``.
    """
    meta: dict[str, Any] = {}
    # per package key: a repeated key replaces the earlier one's records, as in json.loads
    by_key: dict[str, Offsets] = {}

    def top(key: str, start: int) -> int:
        if key in PACKAGE_KEYS:
            fast = _indented_packages(text, start)
            if fast is not None:
                by_key[key] = fast[0]
                return fast[1]
            by_key[key] = {}
            return _packages(text, start, by_key[key])
        meta[key], end = _value(text, start)
        return int(end)

    end = _ws(text, _walk(text, 0, top))
    if end != len(text):
        raise JSONDecodeError("Extra data", text, end)
    offsets: Offsets = {}
    for found in by_key.values():
        for name, entries in found.items():
            offsets.setdefault(name, []).extend(entries)
    return meta, offsets


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
#: per name: file names joined by NUL and (start, end) of each record's value, or ``None``
#: and (start, end) of each member text ``"fn": {...}`` (see :mod:`record_spans`)
Packed = dict[str, tuple[str | None, bytes]]


def pack(text: str, offsets: Offsets) -> Packed:
    """Per name: file names joined by NUL, and (start, end) *byte* offsets as an array."""
    runs = [(m.start(), len(m.group().encode()) - len(m.group()))
            for m in _NON_ASCII.finditer(text)] if not text.isascii() else []
    starts = [start for start, _ in runs]
    extra = list(accumulate(e for _, e in runs))

    def to_bytes(offset: int) -> int:
        i = bisect_left(starts, offset)
        return offset + (extra[i - 1] if i else 0)

    packed: Packed = {}
    for name, entries in offsets.items():
        flat = array("q", (o for _, s, e in entries for o in (s, e)))
        if runs:
            flat = array("q", map(to_bytes, flat))
        packed[name] = ("\0".join(fn for fn, _, _ in entries), flat.tobytes())
    return packed


class SparseRepodata:
    """One subdir's repodata: names known at once, records decoded per name."""

    def __init__(self, json_path: Path, meta: dict[str, Any], offsets: Packed,
                 data: Any = None, stamp: tuple[int, ...] = ()):
        self.json_path = json_path
        #: (size, mtime_ns, inode) of the raw file these offsets belong to
        self.stamp = stamp
        self.meta = meta
        self.offsets = offsets
        self._data = data

    @property
    def info(self) -> dict[str, Any]:
        info = self.meta.get("info")
        return info if isinstance(info, dict) else {}

    def names(self) -> list[str]:
        return list(self.offsets)

    def data(self) -> Any:
        """The raw file (mapped, not read, when it is the one the offsets were made from);
        re-parsed when it was replaced since."""
        if self._data is None:
            import mmap

            with open(self.json_path, "rb") as f:
                stamp = stamp_of(os.fstat(f.fileno()))
                if stamp == tuple(self.stamp) and stamp[0]:
                    self._data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
                    return self._data
                data = f.read()
                stamp = stamp_of(os.fstat(f.fileno()))
            fresh = SparseRepodata.parse(self.json_path, data, stamp)
            self.meta, self.offsets, self.stamp = fresh.meta, fresh.offsets, stamp
            self._data = data
        return self._data

    def raw_records(self, name: str) -> list[tuple[str, dict[str, Any]]]:
        """``[(fn, raw record dict), …]`` of ``name``, in file order."""
        if name not in self.offsets:
            return []
        data = self.data()
        fns, raw_offsets = self.offsets[name]
        pos = array("q")
        pos.frombytes(raw_offsets)
        if fns is None:
            from plugins.index.record_spans import decode

            found = decode(data, pos)
            if found is not None and all(isinstance(r, dict) and r.get("name") == name
                                         for _, r in found):
                return found
            # the fast form assumed a shape this file does not have: decode it carefully
            self._reparse(data, name)
            return self.raw_records(name)
        body = b",".join([data[pos[i]:pos[i + 1]] for i in range(0, len(pos), 2)])
        try:
            decoded = json.loads(b"[" + body + b"]")
        except ValueError as exc:  # records are decoded first here (see _indented_packages)
            self._malformed(f"a record of '{name}' does not parse ({exc})")
        if len(decoded) * 2 != len(pos) or not all(isinstance(r, dict) for r in decoded):
            self._malformed(f"the records of '{name}' are not objects")
        return list(zip(fns.split("\0"), decoded, strict=True))

    def _malformed(self, why: str) -> None:
        from kernel.errors import ChannelError

        raise ChannelError(f"malformed repodata in the cache file {self.json_path}: {why}; "
                           f"the channel serves broken repodata, or the cache is damaged "
                           f"(conda clean --index-cache)") from None

    def _reparse(self, data: Any, name: str) -> None:
        try:
            text = bytes(data).decode("utf-8")
            meta, offsets = scan(text)
        except ValueError as exc:
            self._malformed(f"a record of '{name}' does not parse ({exc})")
        self.meta, self.offsets = meta, dict(pack(text, offsets))

    # -- the sidecar --------------------------------------------------------------------

    def save(self, index_path: Path) -> None:
        from plugins.index.cache import atomic_write

        atomic_write(index_path, marshal.dumps((FORMAT, self.stamp, self.meta, self.offsets)))

    @classmethod
    def load(cls, json_path: Path, index_path: Path) -> SparseRepodata | None:
        """From the sidecar, or ``None`` when it is missing, stale or unreadable."""
        try:
            stat = os.stat(json_path)
            with open(index_path, "rb") as f:
                data = marshal.loads(f.read())  # noqa: S302 - our own cache file, checked
            version, stamp, meta, offsets = data
        except (OSError, ValueError, EOFError, TypeError):
            return None
        if (version, stamp) != (FORMAT, stamp_of(stat)) or not isinstance(meta, dict) or \
                not isinstance(offsets, dict):
            return None
        return cls(json_path, meta, offsets, stamp=stamp)

    @classmethod
    def parse(cls, json_path: Path, data: Any, stamp: tuple[int, ...] = ()) -> SparseRepodata:
        """From the raw file's bytes (``bytes``, or the file mapped with ``mmap``, which is
        then read a window at a time: never all of it in memory): the records found in the
        bytes when the file has the usual shape (:mod:`record_spans`), else by decoding it
        with :func:`scan`.

        Raises ``UnicodeDecodeError`` or ``json.JSONDecodeError`` on bad input.
        """
        from plugins.index.record_spans import skeleton

        check_utf8(data)
        fast = skeleton(data, PACKAGE_KEYS)
        if fast is not None:
            found = fast[1]
            packed: Packed = {}
            for name in list(found):  # one name's array at a time: never both forms whole
                packed[name] = (None, found.pop(name).tobytes())
            return cls(json_path, fast[0], packed, data, stamp)
        text = bytes(data).decode("utf-8")
        meta, offsets = scan(text)
        return cls(json_path, meta, pack(text, offsets), data, stamp)
