"""Plugins recorded in the hook map are imported only when a hook they implement runs."""

from __future__ import annotations

import os

import pytest

import kernel.manager
from kernel.manager import PluginManager

BASE = "tests.kernel.sample_plugins"
EPS = [{"name": "good", "value": f"{BASE}.good", "dist": "microconda", "version": "0.1.0"},
       {"name": "settings", "value": f"{BASE}.settings_only", "dist": "microconda",
        "version": "0.1.0"}]


@pytest.fixture
def recorded(monkeypatch):
    """The two sample plugins discovered, and a first (eager) run that records the map."""
    monkeypatch.setattr(kernel.manager, "discover", lambda group: EPS)
    first = PluginManager()
    assert first.load_entrypoints(lazy=True) == 2
    return first


def test_a_recorded_plugin_is_not_imported_until_its_hook_runs(recorded):
    pm = PluginManager()
    assert pm.load_entrypoints(lazy=True) == 0
    assert pm.get_plugin("good") is None and pm.get_plugin("settings") is None
    assert [r.name for r in pm.hook_results("conda_settings")] == ["sample"]
    assert pm.get_plugin("settings") is not None and pm.get_plugin("good") is None


def test_load_command_imports_only_the_provider(recorded):
    pm = PluginManager()
    pm.load_entrypoints(lazy=True)
    assert pm.load_command("good") is True
    names = [r.name for r in pm.hook_results("conda_subcommands", complete=False)]
    assert names == ["good"] and pm.get_plugin("settings") is None


def test_a_changed_plugin_file_is_imported_eagerly_and_recorded_again(recorded):
    import tests.kernel.sample_plugins.good as good

    stat = os.stat(good.__file__)
    os.utime(good.__file__, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    try:
        pm = PluginManager()
        assert pm.load_entrypoints(lazy=True) == 1
        assert pm.get_plugin("good") is not None and pm.get_plugin("settings") is None
        again = PluginManager()
        assert again.load_entrypoints(lazy=True) == 0
    finally:
        os.utime(good.__file__, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_load_all_imports_every_pending_plugin(recorded):
    pm = PluginManager()
    pm.load_entrypoints(lazy=True)
    pm.load_all()
    assert pm.get_plugin("good") is not None and pm.get_plugin("settings") is not None


def test_a_plugin_with_no_hook_is_imported_on_every_run_without_rewriting_the_map(
        monkeypatch):
    import kernel.discovery

    eps = [*EPS, {"name": "on-import", "value": f"{BASE}.acts_on_import",
                  "dist": "microconda", "version": "0.1.0"}]
    monkeypatch.setattr(kernel.manager, "discover", lambda group: eps)
    assert PluginManager().load_entrypoints(lazy=True) == 3
    hook_map = kernel.discovery.cache_file("hooks", "microconda.plugins")
    written = hook_map.stat().st_mtime_ns
    pm = PluginManager()
    assert pm.load_entrypoints(lazy=True) == 1
    assert pm.get_plugin("on-import") is not None and pm.get_plugin("good") is None
    assert hook_map.stat().st_mtime_ns == written
