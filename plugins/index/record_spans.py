"""Find every record of a ``repodata.json`` in its raw *bytes*, without decoding any.

Servers send repodata as one compact line (``{"fn":{...},"fn2":{...}}``); conda-index
writes it indented. Both have the same shape: ``packages`` and ``packages.conda`` map file
names to mostly *flat* objects (no object inside a record). :func:`members` reads such an
object a window (:data:`WINDOW` bytes) at a time: a few regular-expression passes done in C
find every ``}`` (a separator between members, as the first record taught, or not) and
every ``"name"`` key; each *slot* between two separators is taken as one record when no
other brace lies in it and it holds exactly one name — checked for the whole window at once,
and runs of one name's records become offsets with no Python work per record. The slots
that fail (a nested object, a brace in a string, no name or two) are decoded with the JSON
scanner. When the object does not have this shape at all, ``None`` is returned and the
caller decodes the file the careful way. A mapped file (``mmap``) is handed back page by
page as it is read (:func:`release`), so a cold parse holds one window, not the file.

A brace inside a string *and* a separator look-alike around it would make a member end
inside a string: that member then does not decode, which the reader (see
:meth:`plugins.index.sparse.SparseRepodata.raw_records`) treats by re-reading the file the
careful way, so the records returned are always those of ``json.loads``.
"""

from __future__ import annotations

import gc
import re
from array import array
from bisect import bisect_left, bisect_right
from itertools import chain, compress, count, repeat
from operator import add, attrgetter, ne, not_, sub
from typing import Any

from plugins.index.raw_file import release

_WS = rb"[ \t\n\r]*"
_NAME = re.compile(rb'"name"' + _WS + rb":" + _WS + rb'"([^"\\]*)"')
_EMPTY = re.compile(rb"\{" + _WS + rb"\}")
_SEP = re.compile(rb"\}" + _WS + rb"," + _WS + rb'"')
_COLON = re.compile(_WS + b":" + _WS)
_AFTER = re.compile(_WS + rb"([,}])")
#: bytes of the file looked at in one go (a larger file is read window by window)
WINDOW = 1 << 21
#: name -> flat array of (start, end) byte offsets of each member text ``,"fn": {...}``
Members = dict[str, array]


def _key(data: Any, key: str, at: int, stop: int) -> int | None:
    """Where the value of the first member ``key`` whose name starts in ``[at, stop)``
    starts (found as a literal, fast), or ``None``."""
    literal = b'"' + key.encode() + b'"'
    at = data.find(literal, at, stop + len(literal))
    while at >= 0:
        before = data[max(0, at - 64):at].rstrip(b" \t\n\r")
        after = _COLON.match(data, at + len(literal))
        if before[-1:] in (b"{", b",") and after is not None:
            return int(after.end())
        at = data.find(literal, at + 1, stop + len(literal))
    return None


def _next_key(data: Any, keys: list[str], at: int) -> tuple[int, str] | None:
    """``(value start, key)`` of the first member named one of ``keys`` from ``at`` on
    (see :func:`_key`), a window at a time (see :func:`release`); ``None`` if none."""
    while at < len(data):
        stop = at + WINDOW
        hits = [(value, key) for key in keys if (value := _key(data, key, at, stop)) is not None]
        if hits:
            return min(hits)
        at = stop
        release(data, at)
    return None


def _careful(data: Any, at: int) -> tuple[str, int] | None:
    """``(name, end)`` of the member after ``at`` (a brace or comma before it), decoded with
    the JSON scanner; ``None`` when it is no record with a name."""
    from plugins.index.sparse import member_value

    window = 1 << 12
    while True:
        chunk = bytes(data[at + 1:at + 1 + window])
        text = chunk.decode("utf-8", "surrogateescape")
        found = re.match(r'[ \t\n\r,]*"(?:[^"\\]|\\.)*"[ \t\n\r]*:[ \t\n\r]*', text)
        try:
            if found is None:
                raise ValueError(text)
            record, end = member_value(text, found.end())
        except RecursionError:
            return None
        except (StopIteration, ValueError):
            if at + 1 + window >= len(data):
                return None
            window *= 4
            continue
        name = record.get("name") if isinstance(record, dict) else None
        if not isinstance(name, str):
            return None
        return name, at + 1 + len(text[:end].encode("utf-8", "surrogateescape"))


def members(data: Any, start: int) -> tuple[Members, int] | None:
    """``({name: offsets}, end)`` of the object whose ``{`` is at ``start`` (``end`` is
    just past its closing brace), or ``None`` when it is not an object of records."""
    empty = _EMPTY.match(data, start)
    if empty is not None:
        return {}, empty.end()
    if data[start:start + 1] != b"{":
        return None
    first = _careful(data, start)
    if first is None:
        return None
    sep = _SEP.match(data, first[1] - 1)  # how this file separates members: "},\n  \""
    if sep is None:
        only = _AFTER.match(data, first[1])  # an object of one record
        if only is None or only.group(1) != b"}":
            return None
        return {first[0]: array("q", (start + 1, first[1]))}, only.end()
    # every "}": a member separator (group 1 matched: the brace before a member) or not
    closes = re.compile(rb"\}(" + re.escape(sep.group()[1:]) + rb'[^"\\{}]*"' + _WS + rb":"
                        + _WS + rb"\{)?")
    by_name: dict[bytes, array] = {}
    _add(by_name, first[0].encode("utf-8"), array("q", (start + 1, first[1])))
    buffer = bytearray(min(WINDOW, len(data)))
    end = first[1]
    while True:  # end: just past a member's closing brace
        if _is_separator(closes, data, end - 1):
            located = _window(data, end - 1, closes, by_name, buffer)
            if located is None:
                return None
            how, at = located
            release(data, at)
            if how != "careful":  # "brace": go on from there; "after": a member ended there
                end = at + 1 if how == "brace" else at
                continue
        else:
            after = _AFTER.match(data, end)
            if after is None:
                return None
            if after.group(1) == b"}":
                return {k.decode("utf-8"): v for k, v in by_name.items()}, after.end()
            at = after.start(1)  # a comma before a member whose value is no object
        careful = _careful(data, at)
        if careful is None:
            return None
        _add(by_name, careful[0].encode("utf-8"), array("q", (at + 1, careful[1])))
        end = careful[1]


def _is_separator(closes: re.Pattern[bytes], data: Any, at: int) -> bool:
    found = closes.match(data, at)
    return found is not None and found.lastindex is not None


def _add(by_name: dict[bytes, array], key: bytes, spans: array) -> None:
    have = by_name.get(key)
    if have is None:
        by_name[key] = spans
    else:
        have.extend(spans)


def _window(data: Any, at: int, closes: re.Pattern[bytes], by_name: dict[bytes, array],
            buffer: bytearray) -> tuple[str, int] | None:
    """The members after the separator at ``at`` found in one window of the file, in bulk.

    Each *slot* runs from one separator's brace to the next. A slot is a flat record when
    no other ``{``/``}`` lies in it and it holds exactly one ``"name"`` member — checked for
    the whole window at once (C-level passes); the slots that fail are decoded carefully.
    Returns ``("brace", at)`` (go on from the separator at ``at``), ``("careful", at)`` (no
    second separator in the window: decode the member at ``at``), ``("after", end)`` (a
    member decoded carefully ended at ``end`` with no separator after it), or ``None``.
    """
    size = min(len(buffer), len(data) - at)
    with memoryview(data) as source, memoryview(buffer) as into:
        into[:size] = source[at:at + size]  # one buffer for every window: no new pages
    chunk = buffer
    found = list(closes.finditer(chunk, 0, size))
    seps = array("q", compress(map(re.Match.start, found),
                               map(attrgetter("lastindex"), found)))
    slots = len(seps) - 1
    if slots < 1:
        return "careful", at
    last = seps[-1]
    bad: set[int] = {bisect_right(seps, e) - 1 for e in compress(
        map(re.Match.start, found), map(not_, map(attrgetter("lastindex"), found))) if e < last}
    del found
    named = list(_NAME.finditer(chunk, 0, last))
    starts = array("q", map(re.Match.start, named))
    names = list(map(re.Match.group, named, repeat(1)))
    del named
    slot_of = list(map(bisect_left, repeat(seps.tolist()), starts))  # slot + 1 of each
    if not names:
        bad.update(range(slots))
    else:  # a slot with no "name", or more than one, is decoded carefully
        bad.update(range(slot_of[0] - 1))
        bad.update(range(slot_of[-1], slots))
        for i in compress(count(), map(ne, map(sub, slot_of[1:], slot_of[:-1]), repeat(1))):
            if slot_of[i + 1] == slot_of[i]:
                bad.add(slot_of[i] - 1)
            else:
                bad.update(range(slot_of[i], slot_of[i + 1] - 1))
    opens = chunk.count(b"{", 0, last) - sum(chunk.count(b"{", seps[s] + 1, seps[s + 1])
                                             for s in bad)
    if opens != slots - len(bad):  # a brace in a string somewhere: count slot by slot
        bad.update(s for s in range(slots) if s not in bad and
                   chunk.count(b"{", seps[s] + 1, seps[s + 1]) != 1)
    # slots from which a run of one name's flat records starts: name changes, bad slots
    bounds = {slot_of[i] - 1 for i in compress(range(1, len(names)),
                                               map(ne, names[1:], names[:-1]))}
    bounds.update(bad)
    bounds.update(s + 1 for s in bad)
    bounds.add(slots)
    cuts = sorted(bounds)
    spans_at = array("q", map(add, seps, repeat(at + 1)))
    s = 0
    while s < slots:
        if s in bad:
            careful = _careful(data, at + seps[s])
            if careful is None:
                return None
            _add(by_name, careful[0].encode("utf-8"),
                 array("q", (spans_at[s], careful[1])))
            s = bisect_left(seps, careful[1] - 1 - at)
            if s > slots or seps[s] != careful[1] - 1 - at:
                return "after", careful[1]
            continue
        stop = cuts[bisect_right(cuts, s)]
        pairs = zip(spans_at[s:stop], spans_at[s + 1:stop + 1], strict=True)
        _add(by_name, names[bisect_left(slot_of, s + 1)], array("q", chain.from_iterable(pairs)))
        s = stop
    return "brace", at + last


def skeleton(data: Any, keys: tuple[str, ...]) -> tuple[dict[str, Any], Members] | None:
    """``(top-level values with each of ``keys`` empty, {name: member offsets})``, or
    ``None`` when the layout is not the one :func:`members` reads."""
    import json

    regions: list[tuple[int, int]] = []
    offsets: Members = {}
    found_keys = []
    remaining, after = list(keys), 0
    # in file order, as json.loads meets them; each looked for after the last one's value
    # (one that is also inside it, or earlier, is checked by the json.loads below)
    while remaining and (found := _next_key(data, remaining, after)) is not None:
        at, key = found
        remaining.remove(key)
        collecting = gc.isenabled()
        gc.disable()  # (many short-lived match objects; nothing cyclic is made here)
        try:
            located = members(data, at)
        finally:
            if collecting:
                gc.enable()
        if located is None:
            return None
        for name, spans in located[0].items():
            if name in offsets:
                offsets[name].extend(spans)
            else:
                offsets[name] = spans
        regions.append((at, located[1]))
        found_keys.append(key)
        after = located[1]
    regions.sort()
    parts, at = [], 0
    for begin, end in regions:
        parts += [bytes(data[at:begin]), b'{"\\u0000": 0}']
        at = end
    parts.append(bytes(data[at:]))
    try:
        meta = json.loads(b"".join(parts))
    except (ValueError, RecursionError):  # deep nesting: decoded the careful way
        return None
    if not isinstance(meta, dict):
        return None
    for key in found_keys:  # the regions found were these keys' values at the top level
        if meta.pop(key, None) != {"\0": 0}:
            return None
    return meta, offsets


def decode(data: Any, spans: array) -> list[tuple[str, Any]] | None:
    """``[(fn, record), …]`` of the member texts at ``spans``, or ``None`` when they do not
    decode to one object member each."""
    import json

    body = b"},{".join([data[spans[i]:spans[i + 1]].lstrip(b" \t\n\r,")
                        for i in range(0, len(spans), 2)])
    try:
        decoded = json.loads(b"[{" + body + b"}]")
    except (ValueError, RecursionError):  # deep nesting: decoded the careful way
        return None
    if len(decoded) * 2 != len(spans) or not all(len(d) == 1 for d in decoded):
        return None
    return [next(iter(d.items())) for d in decoded]

