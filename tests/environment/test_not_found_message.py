"""A package no channel has: conda's PackagesNotFoundInChannelsError text and JSON object."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.usefixtures("solver_available")


def test_missing_package_lists_the_channels_searched_and_where_to_look(conda, recipes: str,
                                                                      tmp_path: Path) -> None:
    result = conda("create", "-p", tmp_path / "env", "no-such-package", "-y")
    assert result.code == 1
    assert result.err.endswith(
        "PackagesNotFoundInChannelsError: The following packages are not available from "
        "current channels:\n\n  - no-such-package\n\nCurrent channels:\n\n"
        f"  - {recipes}/linux-64\n  - {recipes}/noarch\n\n"
        "To search for alternate channels that may provide the conda package you're\n"
        "looking for, navigate to\n\n    https://anaconda.org\n\n"
        "and use the search bar at the top of the page.\n\n")
    assert not (tmp_path / "env").exists()


def test_missing_package_json_error_carries_packages_and_channel_urls(conda, recipes: str,
                                                                     tmp_path: Path) -> None:
    data = conda("--json", "create", "-p", tmp_path / "env", "no-such-package", "-y").json()
    assert data["exception_name"] == "PackagesNotFoundInChannelsError"
    assert data["packages"] == ["no-such-package"]
    assert data["packages_formatted"] == "\n  - no-such-package"
    assert data["channel_urls"] == [f"{recipes}/linux-64", f"{recipes}/noarch"]
    assert data["channels_formatted"] == f"\n  - {recipes}/linux-64\n  - {recipes}/noarch"
    assert "Current channels:" in data["message"]


def test_channel_tokens_are_masked_in_the_message() -> None:
    from kernel.errors import PackagesNotFoundInChannelsError

    error = PackagesNotFoundInChannelsError(
        packages=["x"], channel_urls=["https://host/t/abc-123-secret/chan/noarch"])
    assert "abc-123-secret" not in error.message
    assert "abc-123-secret" not in str(error.dump_map())
