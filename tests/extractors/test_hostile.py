"""Hostile archives built here, each attack in both formats: refused, nothing written."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from plugins.extractors.safety import PackageExtractionError
from tests.extractors.archives import INDEX, Entry, build, tar_bytes, write_conda

pytestmark = pytest.mark.security

F = Entry  # a regular file
Attack = Callable[[Path], tuple[list[Entry], str]]

ATTACKS: dict[str, Attack] = {
    # names
    "absolute-name": lambda out: ([F(f"{out}/pwned", data=b"x")], "is an absolute path"),
    "double-slash-name": lambda out: ([F(f"/{out}/pwned", data=b"x")], "is an absolute path"),
    "dotdot-name": lambda out: ([F("../../outside/pwned", data=b"x")], "'..' component"),
    "dotdot-inside-name": lambda out: ([F("a/../../../outside/pwned", data=b"x")],
                                       "'..' component"),
    "harmless-looking-dotdot": lambda out: ([F("a/../b", data=b"x")], "'..' component"),
    "backslash-dotdot-name": lambda out: ([F("..\\..\\outside\\pwned", data=b"x")],
                                          "'..' component"),
    "drive-letter-name": lambda out: ([F("C:/Windows/pwned", data=b"x")], "absolute path"),
    "empty-name-file": lambda out: ([F(".", data=b"x")], "has an empty name"),
    # symlinks
    "symlink-absolute": lambda out: ([F("link", "symlink", target=str(out))],
                                     "symlink to the absolute path"),
    "symlink-to-etc-then-write": lambda out: ([F("a", "symlink", target="/etc"),
                                               F("a/passwd", data=b"root::0:0::/:/bin/sh\n")],
                                              "member 'a' is a symlink to the absolute path"),
    "symlink-dotdot": lambda out: ([F("link", "symlink", target="../../outside")],
                                   "outside the package"),
    "symlink-dotdot-deep": lambda out: ([F("a/b/link", "symlink", target="../../../x")],
                                        "outside the package"),
    "symlink-chain-cur-par": lambda out: ([F("cur", "symlink", target="."),
                                           F("par", "symlink", target="cur/.."),
                                           F("par/outside/pwned", data=b"x")],
                                          "member 'par' is a symlink to 'cur/..'"),
    "symlink-chain-nested": lambda out: ([F("sub", "dir"), F("sub/up", "symlink", target=".."),
                                          F("up2", "symlink", target="sub/up/..")],
                                         "member 'up2'"),
    "symlink-escape-only-later": lambda out: ([F("a", "symlink", target="b/.."),
                                               F("b", "symlink", target=".")],
                                              "through links extracted after it"),
    "symlink-empty-target": lambda out: ([F("link", "symlink", target="")], "empty target"),
    "symlink-backslash-target": lambda out: ([F("link", "symlink", target="..\\..\\x")],
                                             "backslash"),
    "symlink-loop": lambda out: ([F("a", "symlink", target="b"), F("b", "symlink", target="a")],
                                 "loops"),
    "write-through-inside-symlink": lambda out: ([F("real", "dir"),
                                                  F("alias", "symlink", target="real"),
                                                  F("alias/file", data=b"x")],
                                                 "written through the symlink 'alias'"),
    "write-under-a-file": lambda out: ([F("a", data=b"x"), F("a/b", data=b"y")],
                                       "under the file 'a'"),
    # hardlinks
    "hardlink-absolute": lambda out: ([F("h", "hardlink", target=f"{out}/keep.txt")],
                                      "hardlink target is an absolute path"),
    "hardlink-dotdot": lambda out: ([F("h", "hardlink", target="../../outside/keep.txt")],
                                    "'..' component"),
    "hardlink-not-yet-extracted": lambda out: ([F("h", "hardlink", target="later"),
                                                F("later", data=b"x")],
                                               "not a file extracted before it"),
    "hardlink-to-symlink": lambda out: ([F("f", data=b"x"), F("s", "symlink", target="f"),
                                         F("h", "hardlink", target="s")],
                                        "not a file extracted before it"),
    "hardlink-to-dir": lambda out: ([F("d", "dir"), F("h", "hardlink", target="d")],
                                    "not a file extracted before it"),
    "hardlink-through-symlink": lambda out: ([F("real", "dir"), F("real/f", data=b"x"),
                                              F("alias", "symlink", target="real"),
                                              F("h", "hardlink", target="alias/f")],
                                             "not a file extracted before it"),
    "hardlink-empty-target": lambda out: ([F("h", "hardlink", target="")],
                                          "not a file extracted before it"),
    # special files
    "char-device": lambda out: ([F("dev/null", "chr")], "is a device file"),
    "block-device": lambda out: ([F("dev/sda", "blk")], "is a device file"),
    "fifo": lambda out: ([F("pipe", "fifo")], "is a FIFO"),
    "unknown-type": lambda out: ([F("vol", b"V", data=b"x")], "unsupported tar type"),
    # duplicates
    "duplicate-symlink-then-file": lambda out: ([F("moo", "symlink", target="other"),
                                                 F("moo", data=b"x")], "appears twice"),
    "duplicate-file-then-file": lambda out: ([F("f", data=b"a"), F("f", data=b"b")],
                                             "appears twice"),
    "duplicate-hardlink-then-file": lambda out: ([F("f", data=b"a"),
                                                  F("h", "hardlink", target="f"),
                                                  F("h", data=b"overwrites f through the link")],
                                                 "appears twice"),
    "duplicate-dir-then-symlink": lambda out: ([F("d", "dir"), F("d/x", data=b"1"),
                                                F("d", "symlink", target=".")],
                                               "appears twice"),
    "duplicate-file-then-dir": lambda out: ([F("d", data=b"1"), F("d", "dir")],
                                            "appears twice"),
    "duplicate-implicit-dir-then-symlink": lambda out: ([F("lib/a", data=b"1"),
                                                         F("lib", "symlink", target=".")],
                                                        "appears twice"),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_attack_is_refused_and_nothing_is_written(attack, fmt, extract, sandbox):
    entries, match = ATTACKS[attack](sandbox.outside)
    archive = build(fmt, sandbox.archives, entries)
    sandbox.refused(extract, archive, match)


def test_symlink_extracted_in_pkg_cannot_redirect_the_info_component(extractors, sandbox):
    pkg = tar_bytes([F("lib", "dir"), F("info", "symlink", target="lib")])
    info = tar_bytes([F("info/index.json", data=INDEX)])
    archive = write_conda(sandbox.archives / "pkg-1.0-0.conda", pkg, info)
    sandbox.refused(extractors[".conda"], archive, "written through the symlink 'info'")


def test_escape_assembled_across_components_is_refused(extractors, sandbox):
    pkg = tar_bytes([F("a", "symlink", target="b/..")])
    info = tar_bytes([F("info", "dir"), F("b", "symlink", target=".")])
    archive = write_conda(sandbox.archives / "pkg-1.0-0.conda", pkg, info)
    sandbox.refused(extractors[".conda"], archive, "through links extracted after it")


def test_existing_destination_is_kept_when_the_new_archive_is_refused(fmt, extract, sandbox):
    sandbox.dest.mkdir()
    (sandbox.dest / "old.txt").write_text("old")
    archive = build(fmt, sandbox.archives, [F("../../outside/pwned", data=b"x")])
    with pytest.raises(PackageExtractionError, match=r"'\.\.' component"):
        extract(str(archive), str(sandbox.dest))
    assert (sandbox.dest / "old.txt").read_text() == "old"
    assert sorted(os.listdir(sandbox.cache)) == ["pkg-1.0-0"]


def test_destination_that_is_a_symlink_is_replaced_not_followed(fmt, extract, sandbox):
    os.symlink(sandbox.outside, sandbox.dest)
    archive = build(fmt, sandbox.archives, [F("keep.txt", data=b"overwritten?")])
    extract(str(archive), str(sandbox.dest))
    assert not sandbox.dest.is_symlink()
    assert (sandbox.dest / "keep.txt").read_bytes() == b"overwritten?"
    assert (sandbox.outside / "keep.txt").read_text() == "sentinel\n"
