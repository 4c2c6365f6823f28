"""Fixtures for the conda compatibility layer: the conda-API twin plugin, in process."""

from __future__ import annotations

from pathlib import Path

import pytest

import kernel.manager
from kernel.manager import PluginManager

TWIN_SOURCE = Path(__file__).resolve().parents[1] / "data" / "conda-api-plugin"
TWIN = {"name": "conda-api-twin", "value": "conda_api_twin", "dist": "conda-api-twin",
        "version": "2.0.1"}


@pytest.fixture
def twin(monkeypatch: pytest.MonkeyPatch) -> PluginManager:
    """The run's manager: microconda's plugins, then the twin as a third party."""
    import plugins.conda_compat  # noqa: F401  (installs the finder, as the manager would)

    monkeypatch.syspath_prepend(str(TWIN_SOURCE))
    manager = PluginManager()
    manager.load_entrypoints()
    manager.load_entrypoints("conda", entry_points=[TWIN])
    kernel.manager.set_plugin_manager(manager)
    return manager
