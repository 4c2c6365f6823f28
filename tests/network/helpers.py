"""Configuration and plugin-manager setup shared by the network and index tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

FAST = {"remote_max_retries": 2, "remote_backoff_factor": 0.01,
        "remote_connect_timeout_secs": 2.0, "remote_read_timeout_secs": 5.0}


def make_manager(*extra: Any, fake_reporters: bool = True) -> Any:
    from kernel.manager import PluginManager, set_plugin_manager
    from plugins.auth import http_basic, token
    from plugins.headers import user_agent
    from plugins.subcommands import search
    from tests.kernel.fakes import Reporters

    manager = PluginManager()
    if fake_reporters:
        manager.register(Reporters(), "reporters")
    for module in (user_agent, http_basic, token, search, *extra):
        manager.register(module, module.__name__)
    set_plugin_manager(manager)
    return manager


def configure_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                  settings: dict[str, Any], *extra_plugins: Any,
                  fake_reporters: bool = True) -> Any:
    from kernel import reporting
    from kernel.config import load_config, set_config
    from kernel.session import clear_sessions

    values = {**FAST, "pkgs_dirs": [str(tmp_path / "pkgs")], **settings}
    condarc = tmp_path / "condarc.yml"
    condarc.write_text(json.dumps(values))  # JSON is YAML
    monkeypatch.setenv("CONDARC", str(condarc))
    config = load_config()
    set_config(config)
    manager = make_manager(*extra_plugins, fake_reporters=fake_reporters)
    config.bind_plugin_settings(manager.hook_results("conda_settings"))
    clear_sessions()
    reporting.reset()
    return config
