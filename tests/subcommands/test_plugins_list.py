"""``conda plugins list``: each plugin, its source, status and hooks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kernel import hookimpl, reporting
from kernel.cli import main
from kernel.config import load_config, set_config
from kernel.manager import PluginManager, set_plugin_manager
from kernel.types import CondaPreCommand, CondaSubcommand
from plugins.reporters import console as console_backend
from plugins.reporters import json as json_backend
from plugins.subcommands import plugins

THIRD_PARTY = {"name": "fake-thirdparty", "value": "no_such_module_for_microconda_tests",
               "dist": "microconda-fake-thirdparty", "version": "1.0"}


class TwoHooks:
    @hookimpl
    def conda_subcommands(self) -> Iterator[CondaSubcommand]:
        yield CondaSubcommand(name="two", summary="Two.", action=lambda args: 0)

    @hookimpl
    def conda_pre_commands(self) -> Iterator[CondaPreCommand]:
        yield CondaPreCommand(name="two-pre", action=lambda cmd: None, run_for={"two"})


@pytest.fixture
def manager(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PluginManager:
    monkeypatch.setenv("CONDARC", str(tmp_path / "condarc"))
    pm = PluginManager()
    pm.register(console_backend, "reporter-console")
    pm.register(json_backend, "reporter-json")
    pm.register(plugins, "cmd-plugins")
    set_plugin_manager(pm)
    set_config(load_config(env=dict(os.environ), files=[]))
    reporting.reset()
    return pm


def listed(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, dict[str, Any]]:
    assert main(["plugins", "list", "--json", *argv]) == 0
    return {p["name"]: p for p in json.loads(capsys.readouterr().out)}


def test_json_is_a_list_of_plugin_objects(manager: PluginManager,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plugins", "list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, list)
    assert {"name", "distribution", "version", "status", "hooks"} <= set(data[0])


def test_each_hook_a_plugin_implements_is_listed(manager: PluginManager,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    manager.register(TwoHooks(), "two")
    assert listed(capsys)["two"]["hooks"] == ["conda_pre_commands", "conda_subcommands"]


def test_registered_plugins_are_active(manager: PluginManager,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert listed(capsys)["cmd-plugins"]["status"] == "active"


def test_a_plugin_that_failed_to_import_is_failed_with_its_error(
        manager: PluginManager, capsys: pytest.CaptureFixture[str]) -> None:
    manager.load_entrypoints(entry_points=[THIRD_PARTY])
    entry = listed(capsys)["fake-thirdparty"]
    assert (entry["status"], entry["distribution"], entry["version"]) == (
        "failed", "microconda-fake-thirdparty", "1.0")
    assert "no_such_module_for_microconda_tests" in entry["error"]


def test_a_third_party_plugin_under_no_plugins_is_blocked(
        manager: PluginManager, capsys: pytest.CaptureFixture[str]) -> None:
    manager.load_entrypoints(entry_points=[THIRD_PARTY], block_third_party=True)
    entry = listed(capsys)["fake-thirdparty"]
    assert (entry["status"], entry["hooks"]) == ("blocked", [])


def test_json_flag_before_the_action_works_too(manager: PluginManager,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plugins", "--json", "list"]) == 0
    assert isinstance(json.loads(capsys.readouterr().out), list)


def test_text_output_is_a_table_with_a_header(manager: PluginManager,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plugins", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["name", "distribution", "version", "status", "hooks"]
    assert any(line.split()[:4] == ["cmd-plugins", "local", "0", "active"] for line in lines)


def test_plugins_without_an_action_lists(manager: PluginManager,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plugins"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("name")


def test_console_script_lists_the_builtins_with_their_distribution(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "conda"
    if not script.is_file():
        pytest.skip(f"no conda console script next to {sys.executable} (pip install -e .)")
    env = {**os.environ, "CONDARC": str(tmp_path / "condarc")}
    out = subprocess.run([str(script), "plugins", "list", "--json"], capture_output=True,
                         text=True, check=False, env=env)
    assert out.returncode == 0, out.stderr
    entry = {p["name"]: p for p in json.loads(out.stdout)}["cmd-plugins"]
    assert (entry["distribution"], entry["hooks"]) == ("microconda", ["conda_subcommands"])
