"""Prefix placeholder replacement, the way conda does it.

conda-build records, for each file that mentions its build prefix, the placeholder
(``/opt/anaconda1anaconda2anaconda3`` for old packages, a long ``_h_env_placehold…`` path
for new ones) and a mode:

* ``text``: every occurrence is replaced by the new prefix (lengths may change). A shebang
  naming the placeholder has the spaces of the new prefix escaped, and a shebang longer
  than the kernel accepts (127 bytes) becomes ``#!/usr/bin/env <interpreter>``.
* ``binary``: the file keeps its length. Each NUL-terminated C string holding the
  placeholder gets the new prefix and is padded with NULs; a new prefix longer than the
  placeholder cannot fit and is refused.
"""

from __future__ import annotations

import re

from kernel.errors import CondaError

PREFIX_PLACEHOLDER = "/opt/anaconda1anaconda2anaconda3"
SHEBANG_MAX = 127
_SHEBANG = re.compile(rb"^(#!(?:[ ]*)(/(?:\\ |[^ \n\r\t])*)(.*))$", re.MULTILINE)


class PaddingError(CondaError):
    """A binary file's placeholder is shorter than the new prefix."""


def text_replace(data: bytes, placeholder: bytes, new_prefix: bytes) -> bytes:
    """Replace every occurrence; a placeholder shebang gets the spaces escaped."""
    newline = data.find(b"\n")
    if newline > -1 and data.startswith(b"#!"):
        first, rest = data[:newline], data[newline:]
        marker = b"#!" + placeholder
        if marker in first:
            escaped = b"#!" + new_prefix.replace(b" ", b"\\ ")
            data = first.replace(marker, escaped) + rest
    return data.replace(placeholder, new_prefix)


def binary_replace(data: bytes, placeholder: bytes, new_prefix: bytes) -> bytes:
    """Same-length replacement inside NUL-terminated strings (see the module docstring)."""
    grow = len(new_prefix) - len(placeholder)

    def pad(match: re.Match[bytes]) -> bytes:
        chunk = match.group()
        count = chunk.count(placeholder)
        if grow > 0:
            raise PaddingError("placeholder too short")
        return chunk.replace(placeholder, new_prefix) + b"\0" * (-grow * count)

    pattern = re.compile(re.escape(placeholder) + rb"([^\0]*?)\0")
    replaced = pattern.sub(pad, data)
    if len(replaced) != len(data):  # pragma: no cover - guarded by the padding rule
        raise PaddingError("binary replacement changed the file length")
    return replaced


def replace_long_shebang(data: bytes) -> bytes:
    """``#!/long/prefix/bin/python -x`` → ``#!/usr/bin/env python -x``.

    Only when the line is longer than 127 bytes or its directory holds escaped spaces.
    """
    if not data.startswith(b"#!"):
        return data
    match = _SHEBANG.match(data.split(b"\n", 1)[0])
    if not match:
        return data
    interpreter_dir, _, executable = match.group(2).rpartition(b"/")
    if len(match.group(1)) <= SHEBANG_MAX and b"\\ " not in interpreter_dir:
        return data
    new_line = b"#!/usr/bin/env " + executable + match.group(3)
    return data.replace(match.group(1), new_line, 1)


def replace_prefix(data: bytes, mode: str, placeholder: str, new_prefix: str, *,
                   path: str = "", windows: bool = False) -> bytes:
    """The bytes of a file with ``placeholder`` replaced for ``new_prefix``.

    ``path`` only names the file in errors. Raises :class:`PaddingError` when a binary
    placeholder is too short for the new prefix.
    """
    old, new = placeholder.encode(), new_prefix.encode()
    if mode == "text":
        data = text_replace(data, old, new)
        return data if windows else replace_long_shebang(data)
    if mode == "binary":
        try:
            return binary_replace(data, old, new)
        except PaddingError:
            raise PaddingError(
                f"cannot install {path or 'a binary file'}: the new prefix {new_prefix!r} "
                f"({len(new)} bytes) is longer than the package's build prefix placeholder "
                f"({len(old)} bytes); choose a shorter environment path", path=path) from None
    raise CondaError(f"invalid prefix replacement mode {mode!r} for {path or 'a file'}")
