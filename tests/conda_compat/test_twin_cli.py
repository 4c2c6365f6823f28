"""The conda-API twin, pip-installed with its ``conda>=25.1`` requirement, on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import TWIN_SOURCE
from .venvs import REPO, conda, pip_install, plugin_venv


@pytest.fixture(scope="module")
def twin_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with the twin installed by plain pip: no ``--no-deps``, no index."""
    python = plugin_venv(tmp_path_factory.mktemp("twin"))
    out = pip_install(python, "--no-index", "--no-build-isolation",
                      str(REPO / "conda-distribution"), str(TWIN_SOURCE))
    assert out.returncode == 0, out.stderr
    return python


def test_plain_pip_meets_the_conda_requirement(tmp_path):
    python = plugin_venv(tmp_path)
    refused = pip_install(python, "--no-index", "--no-build-isolation", str(TWIN_SOURCE))
    assert refused.returncode != 0 and "conda>=25.1" in refused.stderr
    accepted = pip_install(python, "--no-index", "--no-build-isolation",
                           str(REPO / "conda-distribution"), str(TWIN_SOURCE))
    assert accepted.returncode == 0, accepted.stderr


def test_subcommand_reporter_setting_and_pre_post_commands(twin_python):
    out = conda(twin_python, "twin", "you", env={"CONDA_PLUGINS_TWIN_GREETING": "hi"})
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.splitlines()[-1]) == {"greeting": "hi, you!", "json": False}
    assert out.stderr.splitlines() == ["pre:twin", "post:twin"]


def test_a_plugin_error_exits_like_condas_with_hint_and_observer(twin_python):
    out = conda(twin_python, "twin", "--fail")
    assert out.returncode == 1
    assert out.stderr.splitlines() == ["pre:twin", "observed:TwinError:1",
                                       "TwinError: the twin was asked to fail",
                                       "hint: ask the twin nicely"]


def test_plugins_list_shows_the_twin_with_its_distribution(twin_python):
    out = conda(twin_python, "plugins", "list", "--json")
    plugins = {p["name"]: p for p in json.loads(out.stdout)}
    twin = plugins["conda-api-twin"]
    assert plugins["conda-compat"]["note"].endswith("provided by microconda")
    assert (twin["distribution"], twin["version"], twin["status"]) == (
        "conda-api-twin", "2.0.1", "active")
    assert len(twin["hooks"]) == 21


def test_settings_show_in_config_describe(twin_python):
    out = conda(twin_python, "config", "--describe")
    assert "# plugins.twin_greeting (str)\n# #   What twin says." in out.stdout.replace(
        "# # plugins", "# plugins")


def test_a_conda_solver_plugin_is_one_clear_error(twin_python, tmp_path, shared_data):
    channel = (shared_data / "conda" / "tests" / "data" / "test-recipes").as_uri()
    out = conda(twin_python, "create", "-p", str(tmp_path / "env"), "--solver", "twin-solver",
                "--override-channels", "-c", channel, "-y", "dependency")
    assert out.returncode == 1
    assert "UnsupportedCondaAPI: plugin conda_api_twin's solver 'twin-solver'" in out.stderr


def test_no_plugins_blocks_the_twin(twin_python):
    out = conda(twin_python, "--no-plugins", "twin")
    assert out.returncode == 2 and "No command 'conda twin'" in out.stderr
