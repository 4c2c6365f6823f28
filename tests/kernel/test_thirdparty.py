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
    out = conda(plugin_venv, "fixture-greet", "you", "--console", "fixture-shout")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"GREETING": "HELLO, YOU!"}
    assert out.stderr.splitlines() == ["pre:fixture-greet", "post:fixture-greet"]


def test_plugin_setting_is_read_from_the_environment(plugin_venv):
    out = conda(plugin_venv, "fixture-greet", "--console", "fixture-shout",
                env={"CONDA_PLUGINS_FIXTURE_GREETING": "hi"})
    assert json.loads(out.stdout) == {"GREETING": "HI, WORLD!"}


def test_plugin_setting_is_read_from_condarc(plugin_venv, tmp_path):
    rc = tmp_path / ".condarc"
    rc.write_text("plugins:\n  fixture_greeting: hey  # a comment\n")
    out = conda(plugin_venv, "fixture-greet", "--console", "fixture-shout",
                env={"CONDARC": str(rc)})
    assert json.loads(out.stdout) == {"GREETING": "HEY, WORLD!"}


def test_no_plugins_blocks_the_third_party_distribution(plugin_venv):
    out = conda(plugin_venv, "--no-plugins", "fixture-greet")
    assert out.returncode == 2
    assert "No command 'conda fixture-greet'" in out.stderr


def test_no_plugins_setting_in_the_environment_blocks_it_too(plugin_venv):
    out = conda(plugin_venv, "fixture-greet", env={"CONDA_NO_PLUGINS": "true"})
    assert out.returncode == 2


def test_uninstalled_sibling_environment_does_not_see_the_plugin():
    out = subprocess.run([sys.executable, "-m", "kernel", "fixture-greet"], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 2


def test_plugin_virtual_package_reaches_conda_info(plugin_venv):
    out = conda(plugin_venv, "info", "--json")
    assert out.returncode == 0, out.stderr
    assert ["__fixture_vp", "1.0", "0"] in json.loads(out.stdout)["virtual_pkgs"]


def test_plugins_list_names_the_third_party_distribution(plugin_venv):
    out = conda(plugin_venv, "plugins", "list", "--json")
    rows = {row["name"]: row for row in json.loads(out.stdout)}
    row = rows["fixture-plugin"]
    assert row["distribution"] == "microconda-fixture-plugin"
    assert row["version"] == "1.2.3" and row["builtin"] is False
    assert "conda_virtual_packages" in row["hooks"]


_NAMED_HOOKS = ("conda_subcommands", "conda_settings", "conda_reporter_backends",
                "conda_virtual_packages", "conda_pre_commands", "conda_post_commands")


def _names_per_hook(module: object) -> dict[str, set[str]]:
    from kernel.manager import PluginManager

    pm = PluginManager()
    pm.register(module, "under-test")
    return {hook: {r.name for r in pm.hook_results(hook)} for hook in _NAMED_HOOKS}


def test_the_fixture_shares_no_name_with_the_documented_example():
    """A developer who installs docs/plugins.md's example keeps a working suite: the
    fixture's distribution, entry point and every record name are its own."""
    import importlib.util
    import re
    import types

    docs = (REPO / "docs" / "plugins.md").read_text()
    code = re.search(r"`microconda_hello/__init__.py`:\n\n```python\n(.*?)```", docs, re.S)
    toml = re.search(r"`pyproject.toml`:\n\n```toml\n(.*?)```", docs, re.S)
    assert code is not None and toml is not None
    example = types.ModuleType("documented_example")
    exec(compile(code.group(1), "docs/plugins.md", "exec"), example.__dict__)
    spec = importlib.util.spec_from_file_location(
        "fixture_plugin_under_test", PLUGIN_SOURCE / "microconda_fixture_plugin" / "__init__.py")
    assert spec is not None and spec.loader is not None
    fixture = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fixture)
    documented, ours = _names_per_hook(example), _names_per_hook(fixture)
    assert all(documented[hook] for hook in _NAMED_HOOKS)
    assert all(not documented[hook] & ours[hook] for hook in _NAMED_HOOKS), (documented, ours)
    fixture_toml = (PLUGIN_SOURCE / "pyproject.toml").read_text()
    for line in ("name = ", "[project.entry-points.conda]\n"):
        documented_value = toml.group(1).split(line, 1)[1].split("\n", 1)[0]
        assert documented_value not in fixture_toml.split(line, 1)[1].split("\n", 1)[0]
