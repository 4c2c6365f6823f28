"""A conda plugin that needs what microconda lacks, or raises, is one warning; the run goes on."""

from __future__ import annotations

import pytest

import plugins.conda_compat  # noqa: F401  (installs the finder)
from kernel.manager import PluginManager

BROKEN = "tests.conda_compat.broken"


def _load(module: str) -> PluginManager:
    manager = PluginManager()
    manager.load_entrypoints("conda", entry_points=[
        {"name": "broken", "value": f"{BROKEN}.{module}", "dist": "conda-broken",
         "version": "0.1"}])
    return manager


def test_a_missing_conda_module_is_one_warning_naming_plugin_and_distribution():
    manager = _load("imports_missing")
    assert manager.warnings == [
        "plugin broken (conda-broken 0.1) failed to load and was skipped: "
        "ModuleNotFoundError: No module named 'conda.core.solve'"]
    assert manager.infos["broken"].status == "failed"


def test_a_hook_that_raises_is_one_warning_and_yields_nothing(capsys):
    manager = _load("raises")
    assert manager.hook_results("conda_subcommands") == []
    err = capsys.readouterr().err
    assert err.startswith("warning: plugin tests (")
    assert err.rstrip().endswith("raised in conda_subcommands and was skipped: "
                                 "RuntimeError: the plugin broke")
    assert len(err.splitlines()) == 1


def test_an_unprovided_api_used_by_a_hook_is_a_warning_naming_plugin_and_api(capsys):
    manager = _load("raises")
    assert manager.hook_results("conda_settings") == []
    assert capsys.readouterr().err == (
        "warning: plugin tests (unknown distribution) raised in conda_settings and was "
        "skipped: UnsupportedCondaAPI: plugin tests uses conda.base.context.context."
        "no_such_setting, which microconda's conda compatibility layer does not provide\n")


def test_an_unprovided_api_used_by_a_command_is_a_clear_conda_error():
    from conda.base.context import context

    from kernel.errors import CondaError

    with pytest.raises(CondaError, match=r"^plugin tests uses conda.base.context.context."
                                         r"offline_mode, which microconda's conda"):
        context.offline_mode  # noqa: B018
