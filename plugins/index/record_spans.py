"""Find every record of a ``repodata.json`` in its raw *bytes*, without decoding any.

Servers send repodata as one compact line (``{"fn":{...},"fn2":{...}}``); conda-index
writes it indented. Both have the same shape: ``packages`` and ``packages.conda`` map file
names to *flat* objects (no object inside a record). :func:`locate` finds the members of
such an object with a few regular-expression passes done in C (no Python work per record
but a ``map``), and checks the shape it assumed in bulk: every ``{`` and ``}`` of the
object belongs to the separators it matched (so no record holds an object, and no brace
hides in a string), and each record has exactly one ``"name"`` key, inside it. When
anything does not fit it returns ``None`` and the caller decodes the file the careful way.

A brace inside a string *and* a separator look-alike around it would make a member end
inside a string: that member then does not decode, which the reader (see
:meth:`plugins.index.sparse.SparseRepodata.raw_records`) treats by re-reading the file the
careful way, so the records returned are always those of ``json.loads``.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from typing import Any

_WS = rb"[ \t\n\r]*"
_NAME = re.compile(rb'"name"' + _WS + rb":" + _WS + rb'"([^"\\]*)"')
_EMPTY = re.compile(rb"\{" + _WS + rb"\}")
_SEP = re.compile(rb"\}" + _WS + rb"," + _WS + rb'"')
_COLON = re.compile(_WS + b":" + _WS)
_AFTER = re.compile(_WS + rb"([,}])")
#: name -> flat array of (start, end) byte offsets of each member text ``,"fn": {...}``
Members = dict[str, array]


def _key(data: Any, key: str) -> int | None:
    """Where the value of the first member ``key`` starts (found as a literal, fast)."""
    literal = b'"' + key.encode() + b'"'
    at = data.find(literal)
    while at >= 0:
        before = data[max(0, at - 64):at].rstrip(b" \t\n\r")
        after = _COLON.match(data, at + len(literal))
        if before[-1:] in (b"{", b",") and after is not None:
            return after.end()
        at = data.find(literal, at + 1)
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
        return None
    member = re.compile(re.escape(sep.group()) + rb'[^"\\]*"' + _WS + rb":" + _WS + rb"\{")
    cands = array("q", [start])
    cands.extend(map(re.Match.start, member.finditer(data, start)))
    found = list(_NAME.finditer(data, start))
    name_at = array("q", map(re.Match.start, found))
    names = list(map(re.Match.group, found, [1] * len(found)))
    del found
    by_name: dict[Any, array] = {}
    count, limit, total = data.count, len(cands), len(name_at)
    ci, ni, p = 0, 0, start
    while True:  # p: the brace before a member of the object
        nxt = cands[ci + 1] if ci + 1 < limit and cands[ci] == p else -1
        if nxt > 0 and ni < total and p < name_at[ni] < nxt and (
                ni + 1 == total or name_at[ni + 1] > nxt) and \
                count(b"{", p + 1, nxt) == 1 and count(b"}", p + 1, nxt) == 0:
            key, end = names[ni], nxt + 1  # a flat record, closed at nxt
            ni += 1
            ci += 1
        else:
            careful = _careful(data, p)
            if careful is None:
                return None
            key, end = careful[0].encode("utf-8"), careful[1]
            ni = bisect_left(name_at, end)
            ci = bisect_left(cands, end - 1)
        spans = by_name.get(key)
        if spans is None:
            spans = by_name[key] = array("q")
        spans.extend((p + 1, end))
        if ci < limit and cands[ci] == end - 1:
            p = end - 1
            continue
        after = _AFTER.match(data, end)
        if after is None:
            return None
        if after.group(1) == b"}":
            return {k.decode("utf-8"): v for k, v in by_name.items()}, after.end()
        p = after.start(1)  # a comma before a member whose value is no object
        ci = bisect_left(cands, p)


def skeleton(data: Any, keys: tuple[str, ...]) -> tuple[dict[str, Any], Members] | None:
    """``(top-level values with each of ``keys`` empty, {name: member offsets})``, or
    ``None`` when the layout is not the one :func:`members` reads."""
    import json

    regions: list[tuple[int, int]] = []
    offsets: Members = {}
    found_keys = []
    starts = [(at, key) for key in keys if (at := _key(data, key)) is not None]
    for at, key in sorted(starts):  # in file order, as json.loads meets them
        located = members(data, at)
        if located is None:
            return None
        for name, spans in located[0].items():
            if name in offsets:
                offsets[name].extend(spans)
            else:
                offsets[name] = spans
        regions.append((at, located[1]))
        found_keys.append(key)
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

