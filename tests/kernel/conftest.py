from __future__ import annotations

import pytest

from kernel.manager import PluginManager, set_plugin_manager
from tests.kernel.fakes import Echo, Reporters


@pytest.fixture
def manager() -> PluginManager:
    """A fresh manager with fake reporters, installed as the run's manager."""
    pm = PluginManager()
    pm.register(Reporters(), "reporters")
    set_plugin_manager(pm)
    return pm


@pytest.fixture
def echo(manager: PluginManager) -> Echo:
    plugin = Echo()
    manager.register(plugin, "echo")
    return plugin
