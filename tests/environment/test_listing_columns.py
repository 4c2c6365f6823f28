"""``list`` and ``search`` tables in conda's columns (real conda 26.7 output, test-recipes)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.usefixtures("solver_available")


def test_list_columns_are_23_15_15_wide_and_grow_to_fit(conda, recipes: str,
                                                        tmp_path: Path) -> None:
    prefix = tmp_path / "env"
    assert conda("create", "-p", prefix, "small-executable", "buildstring=1.0=versioned_2",
                 "-y").code == 0
    out = conda("list", "-p", prefix).out
    assert out == (
        f"# packages in environment at {prefix}:\n#\n"
        "# Name                     Version          Build            Channel\n"
        f"buildstring                1.0              versioned_2      {recipes}\n"
        f"small-executable           1.0              0                {recipes}\n"
        f"versioned                  2.0              0                {recipes}\n")


def test_list_name_column_widens_for_a_long_name() -> None:
    from plugins.subcommands.list import human_lines

    record = {"name": "a-package-with-a-long-name", "version": "1.0", "build": "0",
              "channel": "conda-forge", "subdir": "noarch"}
    lines = human_lines("/p", [record], None).splitlines()
    assert lines[2] == "# Name                        Version          Build            Channel"
    assert lines[3] == "a-package-with-a-long-name    1.0              0                conda-forge"


def test_search_table_has_conda_fixed_columns(conda, recipes: str) -> None:
    out = conda("search", "dep*").out
    assert out == (
        "Loading channels: ...working... done\n"
        "# Name                       Version           Build  Channel             \n"
        "dependency                       1.0               0  test-recipes        \n"
        "dependency                       2.0               0  test-recipes        \n"
        "dependent                        1.0               0  test-recipes        \n"
        "dependent                        2.0               0  test-recipes        \n")


def test_search_says_when_it_widens_to_a_flexible_search(conda, recipes: str) -> None:
    out = conda("search", "pendent").out
    assert out.startswith("Loading channels: ...working... done\n"
                          "No match found for: pendent. Search: *pendent*\n# Name ")
