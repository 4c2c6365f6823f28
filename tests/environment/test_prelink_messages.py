"""A package's ``info/prelink_messages`` are shown before linking and confirmed, as in conda."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

# conda 26.7 prints this for the test-recipes package (files in name order here)
BLOCK = """

The following PRELINK MESSAGES are INCLUDED:


  File message-from-pkg.txt:

  Lorem ipsum dolor sit amet, consectetur adipiscing elit,
  sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.


  File message-from-pkg2.txt:

  Spam spam spam,
  SPAM!


"""


def test_prelink_block_is_printed_between_verify_and_execute(conda, recipes: str,
                                                             tmp_path: Path) -> None:
    prefix = tmp_path / "env"
    done = conda("create", "-p", prefix, "-y", "pre_link_messages_package")
    assert done.code == 0, done.err
    verify_line = "Verifying transaction: ...working... done\n"
    verified = done.out.index(verify_line) + len(verify_line)
    assert done.out[verified:].startswith(
        BLOCK + "Executing transaction: ...working... done\n")
    assert (prefix / "conda-meta").is_dir()


def test_declining_the_prelink_messages_installs_nothing(conda, recipes: str, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("y\nn\n"))
    prefix = tmp_path / "env"
    done = conda("create", "-p", prefix, "pre_link_messages_package")
    assert done.code == 0, done.err
    assert done.out.count("Proceed ([y]/n)? ") == 2
    assert done.out.index(BLOCK) < done.out.rindex("Proceed ([y]/n)? ")
    assert "Executing transaction" not in done.out
    assert not prefix.exists()


def test_packages_without_messages_are_asked_once(conda, recipes: str, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    done = conda("create", "-p", tmp_path / "env", "small-executable")
    assert done.code == 0, done.err
    assert done.out.count("Proceed ([y]/n)? ") == 1
    assert "PRELINK MESSAGES" not in done.out
