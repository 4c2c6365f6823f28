from __future__ import annotations

import json

import pytest

import kernel.discovery
from kernel.errors import NoProviderError, PluginError
from kernel.manager import PluginManager, discover

BASE = "tests.kernel.sample_plugins"


def ep(name: str, module: str, dist: str = "thirdparty", version: str = "1.0") -> dict[str, str]:
    return {"name": name, "value": f"{BASE}.{module}", "dist": dist, "version": version}


def test_entry_point_plugins_register_and_yield_records():
    pm = PluginManager()
    assert pm.load_entrypoints(entry_points=[ep("good", "good")]) == 1
    assert [r.name for r in pm.hook_results("conda_subcommands")] == ["good"]


def test_name_clash_names_both_providers_with_distribution_and_version():
    pm = PluginManager()
    pm.load_entrypoints(entry_points=[ep("good", "good", "microconda", "0.1.0"),
                                      ep("clash", "clash", "acme-plugins", "2.5")])
    with pytest.raises(PluginError) as info:
        pm.hook_results("conda_subcommands")
    message = str(info.value)
    assert "good (microconda 0.1.0)" in message and "clash (acme-plugins 2.5)" in message


def test_broken_third_party_plugin_is_one_warning_and_the_rest_loads():
    pm = PluginManager()
    pm.load_entrypoints(entry_points=[ep("broken", "broken", "acme-broken", "0.3"),
                                      ep("good", "good")])
    assert len(pm.warnings) == 1 and "acme-broken 0.3" in pm.warnings[0]
    assert pm.infos["broken"].status == "failed"
    assert [r.name for r in pm.hook_results("conda_subcommands")] == ["good"]


def test_broken_builtin_plugin_is_a_hard_error():
    pm = PluginManager()
    with pytest.raises(PluginError, match="built-in plugin broken"):
        pm.load_entrypoints(entry_points=[ep("broken", "broken", "microconda", "0.1.0")])


def test_third_party_plugins_are_blocked_when_asked():
    pm = PluginManager()
    pm.load_entrypoints(block_third_party=True,
                        entry_points=[ep("good", "good", "acme", "1.0"),
                                      ep("clash", "clash", "microconda", "0.1.0")])
    assert pm.infos["good"].status == "blocked"
    assert [r.summary for r in pm.hook_results("conda_subcommands")] == ["Same name as good."]


def test_unknown_hook_is_caught_at_registration():
    pm = PluginManager()
    with pytest.raises(PluginError, match="unknown hook"):
        pm.load_entrypoints(entry_points=[ep("odd", "unknown_hook")])


def test_bad_hook_signature_is_caught_at_registration():
    pm = PluginManager()
    with pytest.raises(PluginError, match=r"sig \(thirdparty 1.0\) is invalid: .*unexpected_arg"):
        pm.load_entrypoints(entry_points=[ep("sig", "bad_signature")])


def test_plugin_raising_inside_a_hook_names_plugin_and_distribution():
    pm = PluginManager()
    pm.load_entrypoints(entry_points=[ep("raising", "raising", "acme-raise", "9.9")])
    with pytest.raises(PluginError, match=r"raising \(acme-raise 9.9\) raised in conda_subc"):
        pm.hook_results("conda_subcommands")


def test_find_by_alias_and_missing_provider_lists_what_exists(manager):
    assert manager.find("conda_reporter_backends", "JSON", what="backend").name == "json"
    with pytest.raises(NoProviderError, match="available: console, json"):
        manager.find("conda_reporter_backends", "fancy", what="reporter backend")


def test_discovery_is_cached_and_a_warm_call_skips_stevedore(monkeypatch):
    calls = []
    monkeypatch.setattr(kernel.discovery, "discover_with_stevedore",
                        lambda group: calls.append(group) or [ep("good", "good")])
    assert discover("conda") == [ep("good", "good")]
    assert discover("conda") == [ep("good", "good")]
    assert calls == ["conda"]


def test_discovery_cache_is_keyed_on_the_installed_distributions(monkeypatch, tmp_path):
    monkeypatch.setattr(kernel.discovery, "discover_with_stevedore",
                        lambda group: [ep("good", "good")])
    discover("conda")
    first = kernel.discovery.cache_file()
    monkeypatch.syspath_prepend(str(tmp_path))
    assert kernel.discovery.cache_file() != first
    assert json.loads(first.read_text())["data"] == [ep("good", "good")]


def test_real_discovery_finds_this_distributions_plugins():
    names = {e["name"]: e for e in discover("microconda.plugins")}
    assert names, "no entry points in group 'microconda.plugins' — is microconda installed?"
    assert all(e["dist"] == "microconda" for e in names.values() if e["value"].startswith(
        "plugins."))


def test_builtins_are_not_offered_in_condas_group():
    """A real conda reads group ``conda``: none of microconda's own plugins may be there."""
    assert not [e for e in discover("conda") if e["dist"] == "microconda"]


def test_tracing_prints_each_hook_call(monkeypatch, capsys):
    monkeypatch.setenv("CONDA_TRACE_PLUGINS", "1")
    pm = PluginManager()
    pm.load_entrypoints(entry_points=[ep("good", "good")])
    pm.hook_results("conda_subcommands")
    err = capsys.readouterr().err
    assert "[trace] conda_subcommands: good (thirdparty 1.0) -> 1 record(s)" in err
