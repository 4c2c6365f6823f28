"""The text around a change, byte for byte as conda prints it (real conda 26.7 output on
conda's test-recipes channel, stdout not a terminal): the preamble, ``## Package Plan ##``
with its download table and sections, and the transaction lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugins.environment.plan_display import classify, human_size, plan_text

needs_solver = pytest.mark.usefixtures("solver_available")

TRANSACTION = ("\nDownloading and Extracting Packages: ...working... done\n"
               "Preparing transaction: ...working... done\n"
               "Verifying transaction: ...working... done\n"
               "Executing transaction: ...working... done\n")


@needs_solver
def test_create_prints_conda_preamble_plan_and_transaction(conda, recipes: str,
                                                           tmp_path: Path) -> None:
    from kernel.config import get_config

    prefix = tmp_path / "env"
    result = conda("create", "-p", prefix, "dependent=1.0", "-y")
    assert result.code == 0, result.err
    expected = (
        f"Channels:\n - {recipes}\nPlatform: {get_config().subdir}\n"
        "Collecting package metadata (repodata.json): ...working... done\n"
        "Solving environment: ...working... done\n"
        "\n## Package Plan ##\n\n"
        f"  environment location: {prefix}\n\n"
        "  added / updated specs:\n    - dependent=1.0\n\n\n"
        "The following packages will be downloaded:\n\n"
        "    package                    |            build\n"
        "    ---------------------------|-----------------\n"
        f"    dependency-1.0             |                0           4 KB  {recipes}\n"
        f"    dependent-1.0              |                0           4 KB  {recipes}\n"
        "    ------------------------------------------------------------\n"
        "                                           Total:           8 KB\n\n"
        "The following NEW packages will be INSTALLED:\n\n"
        "  dependency         test-recipes/noarch::dependency-1.0-0 \n"
        "  dependent          test-recipes/noarch::dependent-1.0-0 \n\n\n"
        + TRANSACTION)
    assert result.out.startswith(expected)


@needs_solver
def test_update_shows_only_what_changed_in_conda_columns(conda, recipes: str,
                                                         tmp_path: Path) -> None:
    prefix = tmp_path / "env"
    assert conda("create", "-p", prefix, "dependent=1.0", "-y").code == 0
    result = conda("install", "-p", prefix, "dependent=2.0", "-y")
    assert ("The following packages will be UPDATED:\n\n"
            "  dependency                                          1.0-0 --> 2.0-0 \n"
            "  dependent                                           1.0-0 --> 2.0-0 \n\n\n"
            + TRANSACTION) in result.out


@needs_solver
def test_downgrade_and_revision_sections(conda, recipes: str, tmp_path: Path) -> None:
    prefix = tmp_path / "env"
    assert conda("create", "-p", prefix, "buildstring=1.0=versioned_1", "-y").code == 0
    result = conda("install", "-p", prefix, "buildstring=1.0=versioned_2", "-y")
    assert ("The following packages will be REVISED:\n\n"
            "  buildstring                               1.0-versioned_1 --> 1.0-versioned_2 \n"
            ) in result.out
    result = conda("install", "-p", prefix, "versioned=1.0", "-y")
    assert ("The following packages will be DOWNGRADED:\n\n"
            "  versioned                                           2.0-0 --> 1.0-0 \n"
            ) in result.out


@needs_solver
def test_remove_lists_name_version_build(conda, recipes: str, tmp_path: Path) -> None:
    prefix = tmp_path / "env"
    assert conda("create", "-p", prefix, "dependent=1.0", "-y").code == 0
    result = conda("remove", "-p", prefix, "dependent", "-y")
    assert ("  removed specs:\n    - dependent\n\n\n"
            "The following packages will be REMOVED:\n\n"
            "  dependency-1.0-0\n  dependent-1.0-0\n\n\n" + TRANSACTION) in result.out


@needs_solver
def test_reinstall_of_the_same_record_is_in_no_section(conda, recipes: str,
                                                       tmp_path: Path) -> None:
    prefix = tmp_path / "env"
    assert conda("create", "-p", prefix, "dependency", "-y").code == 0
    result = conda("install", "-p", prefix, "dependency", "--force-reinstall", "-y")
    assert result.code == 0, result.err
    assert ("  added / updated specs:\n    - dependency\n\n\n\n" + TRANSACTION) in result.out


@needs_solver
def test_failing_post_link_says_executing_transaction_failed(conda, recipes: str,
                                                             tmp_path: Path) -> None:
    result = conda("create", "-p", tmp_path / "env", "failing_post_link", "-y")
    assert result.code == 1
    assert result.out.endswith("Executing transaction: ...working... failed\n")
    assert "post-link script failed" in result.err


def _rec(name: str, version: str, build: str = "0", channel: str = "conda-forge",
         subdir: str = "linux-64", build_number: int = 0) -> dict:
    return {"name": name, "version": version, "build": build, "build_number": build_number,
            "channel": channel, "subdir": subdir}


def test_channel_change_shows_channel_and_dist_on_both_sides() -> None:
    old = _rec("numpy", "1.0", channel="https://repo.anaconda.com/pkgs/main")
    new = _rec("numpy", "1.0", build="1", channel="conda-forge")
    assert classify([old], [new])["SUPERSEDED"] == [(old, new)]
    text = plan_text("/p", [old], [new])
    assert ("The following packages will be SUPERSEDED by a higher-priority channel:\n\n"
            "  numpy                              pkgs/main::numpy-1.0-0 --> "
            "conda-forge::numpy-1.0-1 \n"
            ) in text


def test_channel_only_change_shows_only_the_channels() -> None:
    old = _rec("numpy", "1.0", channel="https://repo.anaconda.com/pkgs/main")
    new = _rec("numpy", "1.0", channel="conda-forge")
    assert ("  numpy                                           pkgs/main --> conda-forge \n"
            in plan_text("/p", [old], [new]))


def test_long_names_and_sides_are_cut_with_a_tilde() -> None:
    name = "a-very-long-package-name"
    old = _rec(name, "1.0.0.0.0.0.0.0.0.0.0.0", build="a_very_long_build_string_0")
    new = _rec(name, "2.0", build="0")
    line = next(x for x in plan_text("/p", [old], [new]).splitlines() if " --> " in x)
    assert line == "  a-very-long-packa~ 1.0.0.0.0.0.0.0.0.0.0.0-a_very_long_b~ --> 2.0-0 "


def test_new_packages_are_sorted_and_name_column_is_18_wide() -> None:
    text = plan_text("/p", [], [_rec("zlib", "1.2"), _rec("bzip2", "1.0")])
    assert ("  bzip2              conda-forge/linux-64::bzip2-1.0-0 \n"
            "  zlib               conda-forge/linux-64::zlib-1.2-0 \n") in text


@pytest.mark.parametrize(("size", "text"), [(0, "0 B"), (1023, "1023 B"), (1042, "1 KB"),
                                            (1024 * 1024 - 1, "1024 KB"),
                                            (10004242, "9.5 MB"), (100000004242, "93.13 GB")])
def test_sizes_are_shown_as_conda_shows_them(size: int, text: str) -> None:
    assert human_size(size) == text
