"""A distribution that cannot be read is skipped with one warning naming it; the rest is listed."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.pip_interop.conftest import SP, Prefix, Result, metadata

Conda = Callable[..., Result]


def _broken_binary(p: Prefix) -> str:
    p.dist_info("broken-1.0.dist-info", b"\x00\xff\xfe not metadata\n")
    return "broken-1.0.dist-info"


def _not_utf8(p: Prefix) -> str:
    p.dist_info("latin-1.0.dist-info", "Name: caf\xe9\nVersion: 1.0\n".encode("latin-1"))
    return "latin-1.0.dist-info"


def _no_version(p: Prefix) -> str:
    p.dist_info("noversion-1.0.dist-info", metadata("noversion", None))
    return "noversion-1.0.dist-info"


def _no_name(p: Prefix) -> str:
    p.dist_info("noname-1.0.dist-info", "Metadata-Version: 2.1\nVersion: 1.0\n")
    return "noname-1.0.dist-info"


def _no_metadata(p: Prefix) -> str:
    p.dist_info("nometa-1.0.dist-info", None)
    return "nometa-1.0.dist-info"


def _metadata_is_a_folder(p: Prefix) -> str:
    (p.dist_info("odd-1.0.dist-info", None) / "METADATA").mkdir()
    return "odd-1.0.dist-info"


def _symlink_loop(p: Prefix) -> str:
    os.symlink("loop.dist-info", p.root / SP / "loop.dist-info")
    return "loop.dist-info"


def _egg_info_loop(p: Prefix) -> str:
    os.symlink("loop.egg-info", p.root / SP / "loop.egg-info")
    return "loop.egg-info"


def _dangling_egg_link(p: Prefix) -> str:
    p.file("gone.egg-link", "/nonexistent/checkout\n.\n")
    return "gone.egg-link"


@pytest.mark.parametrize("make", [_broken_binary, _not_utf8, _no_version, _no_name,
                                  _no_metadata, _metadata_is_a_folder, _symlink_loop,
                                  _egg_info_loop, _dangling_egg_link])
def test_unreadable_entry_is_skipped_with_one_warning(conda: Conda, tmp_path: Path,
                                                      make: Callable[[Prefix], str]) -> None:
    p = Prefix(tmp_path / "env")
    p.python()
    p.dist_info("attrs-23.2.0.dist-info", metadata("attrs", "23.2.0"))
    entry = make(p)
    result = conda("list", "-p", p, "--json")
    assert result.code == 0
    assert [r["name"] for r in result.json()] == ["attrs", "python"]
    warnings = result.err.splitlines()
    assert len(warnings) == 1, result.err
    assert str(p.root / SP / entry) in warnings[0]
    assert "Traceback" not in result.err


def test_env_export_goes_on_past_a_bad_entry(conda: Conda, tmp_path: Path) -> None:
    p = Prefix(tmp_path / "env")
    p.python()
    p.dist_info("attrs-23.2.0.dist-info", metadata("attrs", "23.2.0"))
    _no_version(p)
    result = conda("env", "export", "-p", p)
    assert result.code == 0
    assert "  - pip:\n      - attrs==23.2.0\n" in result.out
    assert "noversion-1.0.dist-info" in result.err
