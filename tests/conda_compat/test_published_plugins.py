"""Plugins published for conda, pip-installed from PyPI, run on microconda unchanged.

conda-spawn (a subcommand and conda's activators), conda-sboms (an exporter and settings)
and conda-lockfiles (exporters and environment specifiers that fetch into the package
cache). The tests skip, saying why, when PyPI cannot be reached.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from .venvs import conda, pip_install, plugin_venv

pytestmark = pytest.mark.slow
PUBLISHED = ("conda-spawn", "conda-sboms", "conda-lockfiles")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    python = plugin_venv(tmp_path_factory.mktemp("published"))
    out = pip_install(python, *PUBLISHED)
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or ["no output"])[-1]
        pytest.skip(f"cannot pip-install {', '.join(PUBLISHED)} from PyPI: {last}")
    return python


@pytest.fixture(scope="module")
def environment(published: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An environment named ``demo`` built from conda's test-recipes channel."""
    from tests.conftest import SHARED_DATA

    recipes = SHARED_DATA / "conda" / "tests" / "data" / "test-recipes"
    if not recipes.is_dir():
        pytest.skip(f"real conda data not found at {SHARED_DATA} (outside this workplace)")
    envs = tmp_path_factory.mktemp("envs")
    home = tmp_path_factory.mktemp("home")
    rc = envs / "condarc"
    rc.write_text(f"envs_dirs: [{envs}]\nchannels: [{recipes.as_uri()}]\n")
    hermetic = {"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
                "XDG_CONFIG_HOME": str(home / ".config"), "CONDA_ROOT": str(home / "root"),
                "CONDARC": str(rc)}  # module scope: set up before the per-test HOME
    out = conda(published, "create", "-n", "demo", "-y", "dependent", env=hermetic)
    assert out.returncode == 0, out.stderr
    return envs / "demo"


@pytest.fixture
def prefix(environment: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CONDARC", str(environment.parent / "condarc"))
    return environment


def _installed(prefix: Path) -> list[str]:
    return sorted(p.name for p in (prefix / "conda-meta").glob("*.json"))


def test_spawn_hook_activates_the_environment_in_bash(published, prefix):
    script = (f'eval "$("{published}" -m kernel spawn --hook --shell bash demo)" && '
              'printf "%s\\n%s\\n%s\\n" "$CONDA_PREFIX" "${PATH%%:*}" "${CONDA_EXE-unset}"')
    out = subprocess.run(["bash", "--norc", "--noprofile", "-c", script], capture_output=True,
                         text=True, timeout=120, env=dict(os.environ))
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [str(prefix), str(prefix / "bin"), "unset"]


def test_spawn_runs_a_command_inside_the_environment(published, prefix, tmp_path):
    seen = tmp_path / "seen.txt"
    out = conda(published, "spawn", "--shell", "bash", str(prefix), "--", "exec", "sh", "-c",
                f'echo "$CONDA_PREFIX" > {seen}', env={"SHELL": "/bin/bash"})
    assert out.returncode == 0, out.stderr
    assert seen.read_text().strip() == str(prefix)


def test_spawn_of_a_missing_environment_is_condas_error(published, prefix):
    out = conda(published, "spawn", "--hook", "--shell", "bash", "nope")
    assert out.returncode == 1
    assert out.stderr.startswith("EnvironmentNameNotFound: Could not find conda environment: "
                                 "nope")


def test_sboms_exports_a_cyclonedx_document_of_the_packages(published, prefix, tmp_path):
    target = tmp_path / "x.cdx.json"
    out = conda(published, "export", "-p", str(prefix), "--format", "cyclonedx-json",
                "--file", str(target))
    assert out.returncode == 0, out.stderr
    document = json.loads(target.read_text())
    assert (document["bomFormat"], document["specVersion"]) == ("CycloneDX", "1.7")
    names = sorted(f"{c['name']}-{c['version']}" for c in document["components"])
    assert names == ["dependency-2.0", "dependent-2.0"]


def test_sboms_settings_appear_in_config_describe(published, prefix):
    out = conda(published, "config", "--describe")
    assert "plugins.conda_sboms_product_name: ''" in out.stdout


def test_sboms_setting_is_read_from_the_environment(published, prefix, tmp_path):
    target = tmp_path / "x.cdx.json"
    out = conda(published, "export", "-p", str(prefix), "--format", "cyclonedx",
                "--file", str(target),
                env={"CONDA_PLUGINS_CONDA_SBOMS_PRODUCT_NAME": "shop",
                     "CONDA_PLUGINS_CONDA_SBOMS_PRODUCT_VERSION": "1.0"})
    assert out.returncode == 0, out.stderr
    root = json.loads(target.read_text())["metadata"]["component"]
    assert (root["name"], root["version"]) == ("shop", "1.0")


@pytest.mark.parametrize(("fmt", "filename"), [("conda-lock-v1", "conda-lock.yml"),
                                               ("rattler-lock-v6", "pixi.lock")])
def test_lockfile_export_then_create_recreates_the_environment(published, prefix, tmp_path,
                                                               fmt, filename):
    lockfile = tmp_path / filename
    out = conda(published, "export", "-p", str(prefix), "--format", fmt, "--file",
                str(lockfile))
    assert out.returncode == 0, out.stderr
    assert "dependent-2.0-0.conda" in lockfile.read_text()
    new = tmp_path / "new"
    out = conda(published, "env", "create", "-y", "-f", str(lockfile), "-p", str(new))
    assert out.returncode == 0, out.stderr
    assert _installed(new) == _installed(prefix)
