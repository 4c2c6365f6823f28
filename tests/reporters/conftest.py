"""Fixtures for the reporter backends: configuration, a fake terminal, a fresh manager."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from typing import Any

import pytest

from kernel import reporting
from kernel.config import load_config, set_config
from kernel.manager import PluginManager, set_plugin_manager
from plugins.reporters import console as console_backend
from plugins.reporters import json as json_backend


class FakeTerminal(io.StringIO):
    """A stdout that says it is a terminal, so the console backend draws with rich."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def configure(monkeypatch: pytest.MonkeyPatch,
              tmp_path_factory: pytest.TempPathFactory) -> Callable[..., None]:
    """``configure(**cmdline)`` installs a config read from the (hermetic) environment only."""
    monkeypatch.setenv("CONDARC", str(tmp_path_factory.mktemp("rc") / "condarc"))

    def apply(**cmdline: Any) -> None:
        set_config(load_config(cmdline=cmdline, env=dict(os.environ), files=[]))
        reporting.reset()

    apply()
    return apply


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Callable[[], FakeTerminal]:
    """``terminal()`` makes stdout a fake terminal and returns it.

    Call it in the test body: pytest's capture re-installs its own stdout after fixtures ran.
    """
    def install() -> FakeTerminal:
        fake = FakeTerminal()
        monkeypatch.setenv("COLUMNS", "100")
        monkeypatch.setattr(sys, "stdout", fake)
        return fake

    return install


@pytest.fixture
def manager(configure: Callable[..., None]) -> PluginManager:
    """A fresh manager holding the two built-in backends, installed for this test."""
    pm = PluginManager()
    pm.register(console_backend, "reporter-console")
    pm.register(json_backend, "reporter-json")
    set_plugin_manager(pm)
    return pm
