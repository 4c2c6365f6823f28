"""Every hook: documented, dispatched through a fresh manager, names checked for clashes."""

from __future__ import annotations

import inspect
import re
import types as pytypes
from pathlib import Path

import pytest

from kernel import hookimpl
from kernel.errors import PluginError
from kernel.hookspecs import CondaSpecs
from kernel.manager import PluginInfo, PluginManager
from kernel.parameters import PrimitiveParameter
from kernel.types import (
    CondaAuthHandler,
    CondaEnvironmentExporter,
    CondaEnvironmentSpecifier,
    CondaErrorHint,
    CondaExceptionObserver,
    CondaHealthCheck,
    CondaPackageExtractor,
    CondaPostCommand,
    CondaPostSolve,
    CondaPostTransactionAction,
    CondaPreCommand,
    CondaPrefixDataLoader,
    CondaPreSolve,
    CondaPreTransactionAction,
    CondaReporterBackend,
    CondaRequestHeader,
    CondaSetting,
    CondaSolver,
    CondaSubcommand,
    CondaVirtualPackage,
    ReporterRendererBase,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "hooks.md"


def _f(*args, **kwargs):
    return None


RECORDS = {
    "conda_subcommands": lambda n: CondaSubcommand(name=n, summary="s", action=_f),
    "conda_pre_commands": lambda n: CondaPreCommand(name=n, action=_f, run_for={"x"}),
    "conda_post_commands": lambda n: CondaPostCommand(name=n, action=_f, run_for={"x"}),
    "conda_solvers": lambda n: CondaSolver(name=n, backend=_f),
    "conda_pre_solves": lambda n: CondaPreSolve(name=n, action=_f),
    "conda_post_solves": lambda n: CondaPostSolve(name=n, action=_f),
    "conda_virtual_packages": lambda n: CondaVirtualPackage(name=n, version="1", build="0"),
    "conda_auth_handlers": lambda n: CondaAuthHandler(name=n, handler=object),
    "conda_session_headers": lambda n: CondaRequestHeader(name=n, value="v"),
    "conda_request_headers": lambda n: CondaRequestHeader(name=n, value="v"),
    "conda_health_checks": lambda n: CondaHealthCheck(name=n, action=_f),
    "conda_settings": lambda n: CondaSetting(name=n, description="d",
                                             parameter=PrimitiveParameter("")),
    "conda_reporter_backends": lambda n: CondaReporterBackend(
        name=n, description="d", renderer=ReporterRendererBase),
    "conda_package_extractors": lambda n: CondaPackageExtractor(
        name=n, extensions=(".x",), extract=_f),
    "conda_pre_transaction_actions": lambda n: CondaPreTransactionAction(name=n, action=_f),
    "conda_post_transaction_actions": lambda n: CondaPostTransactionAction(name=n, action=_f),
    "conda_environment_specifiers": lambda n: CondaEnvironmentSpecifier(
        name=n, environment_spec=_f),
    "conda_environment_exporters": lambda n: CondaEnvironmentExporter(
        name=n, aliases=(), default_filenames=("f",), export=_f),
    "conda_prefix_data_loaders": lambda n: CondaPrefixDataLoader(name=n, loader=_f),
    "conda_error_hints": lambda n: CondaErrorHint(name=n, hint=_f),
    "conda_exception_observers": lambda n: CondaExceptionObserver(name=n, action=_f),
}
ARGS = {"conda_session_headers": {"host": "example.org"},
        "conda_request_headers": {"host": "example.org", "path": "/x"}}
HOOKS = sorted(n for n in vars(CondaSpecs) if n.startswith("conda_"))


def plugin_for(hook: str, name: str, seen: list | None = None) -> pytypes.SimpleNamespace:
    """A plugin object implementing ``hook`` with the hookspec's exact signature."""
    params = [p for p in inspect.signature(getattr(CondaSpecs, hook)).parameters
              if p != "self"]
    namespace: dict = {}
    exec(
        f"def {hook}({', '.join(params)}):\n"
        f"    seen.append(dict({', '.join(f'{p}={p}' for p in params)}))\n"
        f"    yield record\n",
        {"seen": seen if seen is not None else [], "record": RECORDS[hook](name)}, namespace)
    return pytypes.SimpleNamespace(**{hook: hookimpl(namespace[hook])})


def test_every_hook_has_a_record_factory_here():
    assert set(HOOKS) == set(RECORDS)


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented_with_its_signature(hook):
    text = DOCS.read_text(encoding="utf-8")
    params = [p for p in inspect.signature(getattr(CondaSpecs, hook)).parameters if p != "self"]
    assert f"## `{hook}({', '.join(params)})`" in text
    doc = inspect.getdoc(getattr(CondaSpecs, hook)) or ""
    assert "Example::" in doc and "@hookimpl" in doc


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_dispatches_records_with_its_arguments(hook):
    pm = PluginManager()
    seen: list = []
    pm.register(plugin_for(hook, "first", seen), "first")
    records = pm.hook_results(hook, **ARGS.get(hook, {}))
    assert [r.name for r in records] == ["first"]
    assert seen == [ARGS.get(hook, {})]


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_name_clash_is_an_error(hook):
    pm = PluginManager()
    pm.register(plugin_for(hook, "same"), "a", PluginInfo("a", "a", "dist-a", "1"))
    pm.register(plugin_for(hook, "same"), "b", PluginInfo("b", "b", "dist-b", "2"))
    with pytest.raises(PluginError, match=re.escape("a (dist-a 1) and b (dist-b 2)")):
        pm.hook_results(hook, **ARGS.get(hook, {}))


def test_generated_hook_reference_is_current():
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate_hooks",
                                                  DOCS.parent / "generate_hooks.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert DOCS.read_text(encoding="utf-8") == module.render(), \
        "docs/hooks.md is stale: run python docs/generate_hooks.py"
