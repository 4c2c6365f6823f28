"""Prefix placeholder replacement: conda's text and binary rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plugins.transaction.placeholders import (
    PREFIX_PLACEHOLDER,
    PaddingError,
    binary_replace,
    replace_long_shebang,
    replace_prefix,
)


def test_text_replaces_every_occurrence() -> None:
    data = f"a={PREFIX_PLACEHOLDER}/lib b={PREFIX_PLACEHOLDER}\n".encode()
    assert replace_prefix(data, "text", PREFIX_PLACEHOLDER, "/p") == b"a=/p/lib b=/p\n"


def test_text_shebang_with_spaces_becomes_env() -> None:
    data = f"#!{PREFIX_PLACEHOLDER}/bin/python -E\nprint(1)\n".encode()
    out = replace_prefix(data, "text", PREFIX_PLACEHOLDER, "/my env")
    assert out == b"#!/usr/bin/env python -E\nprint(1)\n"


def test_long_shebang_becomes_env() -> None:
    long_prefix = "/x" * 80
    data = f"#!{PREFIX_PLACEHOLDER}/bin/python3\n".encode()
    assert replace_prefix(data, "text", PREFIX_PLACEHOLDER, long_prefix) == \
        b"#!/usr/bin/env python3\n"
    short = replace_prefix(data, "text", PREFIX_PLACEHOLDER, "/opt/env")
    assert short == b"#!/opt/env/bin/python3\n"
    assert replace_long_shebang(b"no shebang") == b"no shebang"


def test_binary_pads_each_c_string() -> None:
    data = b"\0/placeholder/abc/lib:/placeholder/d\0rest\0/placeholder\0"
    out = binary_replace(data, b"/placeholder", b"/p")
    assert len(out) == len(data)
    assert out == b"\0/p/abc/lib:/p/d" + b"\0" * 21 + b"rest\0/p" + b"\0" * 10 + b"\0"


def test_binary_refuses_a_longer_prefix() -> None:
    with pytest.raises(PaddingError, match=r"lib/x\.so"):
        replace_prefix(b"\0/short\0", "binary", "/short", "/much/longer/prefix", path="lib/x.so")


def test_binary_without_terminator_is_left_alone() -> None:
    assert binary_replace(b"abc/placeholder", b"/placeholder", b"/p") == b"abc/placeholder"


@given(st.lists(st.sampled_from([b"\0", b"x", b"/", b"PLACEHOLDER_PATH_LONG"]), max_size=40),
       st.text(alphabet="abc/", max_size=21))
def test_binary_replacement_never_changes_length(parts: list[bytes], new: str) -> None:
    data = b"".join(parts) + b"\0"
    out = binary_replace(data, b"PLACEHOLDER_PATH_LONG", new.encode())
    assert len(out) == len(data)
    assert (b"PLACEHOLDER_PATH_LONG" in out) == (b"PLACEHOLDER_PATH_LONG" in new.encode())
