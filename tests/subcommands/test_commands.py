"""``conda commands``: every command name and alias, one per line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kernel import hookimpl, reporting
from kernel.cli import main
from kernel.config import load_config, set_config
from kernel.manager import PluginManager, set_plugin_manager
from kernel.types import CondaSubcommand
from plugins.reporters import console as console_backend
from plugins.reporters import json as json_backend
from plugins.subcommands import commands


class Greet:
    @hookimpl
    def conda_subcommands(self) -> Iterator[CondaSubcommand]:
        yield CondaSubcommand(name="greet", summary="Greet.", action=lambda args: 0,
                              aliases=("hi", "hello"))


@pytest.fixture
def manager(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PluginManager:
    monkeypatch.setenv("CONDARC", str(tmp_path / "condarc"))
    pm = PluginManager()
    pm.register(console_backend, "reporter-console")
    pm.register(json_backend, "reporter-json")
    pm.register(commands, "cmd-commands")
    pm.register(Greet(), "greet")
    set_plugin_manager(pm)
    set_config(load_config(env=dict(os.environ), files=[]))
    reporting.reset()
    return pm


def test_prints_every_name_and_alias_sorted_one_per_line(
        manager: PluginManager, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["commands"]) == 0
    assert capsys.readouterr().out == "commands\ngreet\nhello\nhi\n"


def test_json_prints_a_list_of_names(manager: PluginManager,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["commands", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == ["commands", "greet", "hello", "hi"]


def test_console_script_lists_the_installed_commands(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "conda"
    if not script.is_file():
        pytest.skip(f"no conda console script next to {sys.executable} (pip install -e .)")
    env = {**os.environ, "CONDARC": str(tmp_path / "condarc")}
    out = subprocess.run([str(script), "commands"], capture_output=True, text=True,
                         check=False, env=env)
    assert out.returncode == 0, out.stderr
    assert {"commands", "info", "plugins"} <= set(out.stdout.split())
