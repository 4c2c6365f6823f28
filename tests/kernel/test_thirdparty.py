"""A third party's pip-installed distribution extends microconda with no kernel change."""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

PLUGIN_SOURCE = Path(__file__).resolve().parents[1] / "data" / "thirdparty-plugin"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def plugin_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv that sees microconda's environment and has the plugin pip-installed."""
    root = tmp_path_factory.mktemp("thirdparty")
    target = root / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path("
                              "'purelib'))"], capture_output=True, text=True, check=True)
    parents = [*site.getsitepackages(), str(REPO)]
    Path(purelib.stdout.strip(), "parent-env.pth").write_text("\n".join(parents) + "\n")
    build = root / "build"
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    "--no-build-isolation", str(PLUGIN_SOURCE)],
                   check=True, capture_output=True, env={**os.environ, "TMPDIR": str(build.parent)})
    return python


def conda(python: Path, *args: str, env: dict[str, str] | None = None):
    return subprocess.run([python, "-m", "kernel", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=60)


def test_plugin_adds_a_subcommand_its_reporter_and_pre_post_commands(plugin_venv):
    out = conda(plugin_venv, "hello", "you", "--console", "shout")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"GREETING": "HELLO, YOU!"}
    assert out.stderr.splitlines() == ["pre:hello", "post:hello"]


def test_plugin_setting_is_read_from_the_environment(plugin_venv):
    out = conda(plugin_venv, "hello", "--console", "shout", env={"CONDA_PLUGINS_GREETING": "hi"})
    assert json.loads(out.stdout) == {"GREETING": "HI, WORLD!"}


def test_plugin_setting_is_read_from_condarc(plugin_venv, tmp_path):
    rc = tmp_path / ".condarc"
    rc.write_text("plugins:\n  greeting: hey  # a comment\n")
    out = conda(plugin_venv, "hello", "--console", "shout", env={"CONDARC": str(rc)})
    assert json.loads(out.stdout) == {"GREETING": "HEY, WORLD!"}


def test_no_plugins_blocks_the_third_party_distribution(plugin_venv):
    out = conda(plugin_venv, "--no-plugins", "hello")
    assert out.returncode == 2
    assert "No command 'conda hello'" in out.stderr


def test_no_plugins_setting_in_the_environment_blocks_it_too(plugin_venv):
    out = conda(plugin_venv, "hello", env={"CONDA_NO_PLUGINS": "true"})
    assert out.returncode == 2


def test_uninstalled_sibling_environment_does_not_see_the_plugin():
    out = subprocess.run([sys.executable, "-m", "kernel", "hello"], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 2


def test_plugin_virtual_package_reaches_conda_info(plugin_venv):
    out = conda(plugin_venv, "info", "--json")
    assert out.returncode == 0, out.stderr
    assert ["__hello_vp", "1.0", "0"] in json.loads(out.stdout)["virtual_pkgs"]


def test_plugins_list_names_the_third_party_distribution(plugin_venv):
    out = conda(plugin_venv, "plugins", "list", "--json")
    rows = {row["name"]: row for row in json.loads(out.stdout)}
    assert rows["hello"]["distribution"] == "microconda-hello"
    assert rows["hello"]["version"] == "1.2.3" and rows["hello"]["builtin"] is False
    assert "conda_virtual_packages" in rows["hello"]["hooks"]
