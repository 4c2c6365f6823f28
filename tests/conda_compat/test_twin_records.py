"""Each record a conda-API plugin yields means to microconda what it means to conda."""

from __future__ import annotations

import argparse
import json
import types

import pytest

from kernel.manager import PluginManager

HOOKS = ["conda_auth_handlers", "conda_environment_exporters",
         "conda_environment_specifiers", "conda_error_hints", "conda_exception_observers",
         "conda_health_checks", "conda_package_extractors", "conda_post_commands",
         "conda_post_solves", "conda_post_transaction_actions", "conda_pre_commands",
         "conda_pre_solves", "conda_pre_transaction_actions", "conda_prefix_data_loaders",
         "conda_reporter_backends", "conda_request_headers", "conda_session_headers",
         "conda_settings", "conda_solvers", "conda_subcommands", "conda_virtual_packages"]


def _ours(twin: PluginManager, hook: str, **kwargs: object) -> list:
    plugin = twin.get_plugin("conda-api-twin")
    return [r for impl in getattr(twin.hook, hook).get_hookimpls() if impl.plugin is plugin
            for r in impl.function(**kwargs)]


def test_the_twin_implements_every_hook(twin):
    callers = twin.get_hookcallers(twin.get_plugin("conda-api-twin"))
    assert sorted(c.name for c in callers) == HOOKS


def test_records_become_microcondas(twin):
    import kernel.types as ours

    for hook in HOOKS:
        args = {"host": "h", "path": "/p"} if hook == "conda_request_headers" else (
            {"host": "h"} if hook == "conda_session_headers" else {})
        for record in _ours(twin, hook, **args):
            assert isinstance(record, ours.CondaPlugin), (hook, record)


def test_subcommand_action_sees_the_namespace_and_plugin_settings(twin, capsys):
    command = twin.find("conda_subcommands", "twin", what="command")
    parser = argparse.ArgumentParser()
    command.configure_parser(parser)
    from kernel.config import get_config

    get_config().bind_plugin_settings(twin.hook_results("conda_settings"))
    assert command.action(parser.parse_args(["you"])) == 0
    out = capsys.readouterr().out.splitlines()
    assert json.loads(out[-1]) == {"greeting": "hello, you!", "json": False}


def test_virtual_package_reaches_the_solver_view(twin):
    from kernel.virtual_packages import virtual_package_triples

    assert ["__twin", "2.0", "0"] in virtual_package_triples(twin)


def test_a_conda_solver_class_is_a_clear_error_naming_the_plugin(twin):
    from kernel.errors import CondaError

    solver = twin.find("conda_solvers", "twin-solver", what="solver")
    with pytest.raises(CondaError, match=r"plugin conda_api_twin's solver 'twin-solver' is a "
                                         r"conda.core.solve.Solver class"):
        solver.backend(None)


def test_headers_get_the_hook_arguments(twin):
    session = _ours(twin, "conda_session_headers", host="example.org")
    request = _ours(twin, "conda_request_headers", host="example.org", path="/x/y")
    assert [(r.name, r.value) for r in session] == [("x-twin-session", "example.org")]
    assert [(r.name, r.value) for r in request] == [("x-twin-request", "/x/y")]


def test_auth_handler_is_built_with_the_channel_name(twin):
    record = twin.find("conda_auth_handlers", "twin-auth", what="auth handler")
    request = types.SimpleNamespace(headers={})
    assert record.handler("my-channel")(request).headers == {"X-Twin-Auth": "my-channel"}


def test_error_hint_is_asked_with_the_error(twin):
    from conda_api_twin import TwinError

    (record,) = _ours(twin, "conda_error_hints")
    assert record.hint(TwinError("boom")) == "ask the twin nicely"
    assert record.hint(ValueError("other")) is None


def test_exception_observer_gets_condas_event_for_watched_errors_only(twin, capsys):
    from conda_api_twin import TwinError

    (record,) = _ours(twin, "conda_exception_observers")
    record.action(TwinError("boom"))
    record.action(KeyError("not watched"))
    assert capsys.readouterr().err == "observed:TwinError:1\n"


def test_transaction_action_class_is_built_verified_and_run(twin, capsys):
    (record,) = _ours(twin, "conda_post_transaction_actions")
    transaction = types.SimpleNamespace(prefix="/envs/demo", unlink_records=(),
                                        link_records=("a", "b"), removed_specs=(),
                                        requested_specs=("a",), neutered_specs=())
    record.action(transaction)
    assert capsys.readouterr().err == "twin-action:demo:2\n"


def test_reporter_backend_keeps_microcondas_defaults(twin):
    record = twin.find("conda_reporter_backends", "twin-shout", what="reporter backend")
    renderer = record.renderer()
    assert renderer.render({"a": "b"}) == '{"A": "B"}\n'
    assert renderer.table([["x"]], ["h"]) == "h\nx\n"


def test_exporter_gets_condas_environment(twin):
    from plugins.env_files.model import Environment

    exporter = twin.find("conda_environment_exporters", "twin", what="exporter")
    record = {"name": "zlib", "version": "1.3", "build": "h0", "subdir": "linux-64",
              "url": "https://conda.anaconda.org/conda-forge/linux-64/zlib-1.3-h0.conda"}
    env = Environment(platform="linux-64", explicit_packages=[record])
    assert exporter.export(env) == "twin linux-64 zlib\n"


def test_specifier_reads_its_files_into_microcondas_model(twin, tmp_path):
    spec_file = tmp_path / "env.twin"
    spec_file.write_text("demo\nzlib >=1.2\n")
    other = tmp_path / "environment.yml"
    other.write_text("name: x\n")
    (record,) = _ours(twin, "conda_environment_specifiers")
    assert record.environment_spec(str(other)).can_handle() is False
    spec = record.environment_spec(str(spec_file))
    assert spec.can_handle() is True
    assert (spec.env.name, spec.env.requested_packages) == ("demo", ["zlib[version='>=1.2']"])


def test_health_check_fixer_less_and_extractor_extensions(twin, capsys):
    check = twin.find("conda_health_checks", "twin-check", what="check")
    check.action("/envs/demo", False)
    assert capsys.readouterr().out == "twin check of demo\n"
    extractor = twin.find("conda_package_extractors", "twin-extractor", what="extractor")
    assert extractor.extensions == (".twin-pkg",)


def test_pre_and_post_solve_actions_get_specs_and_records(twin, capsys):
    from kernel.models import MatchSpec, PackageRecord

    (pre,) = _ours(twin, "conda_pre_solves")
    (post,) = _ours(twin, "conda_post_solves")
    pre.action(frozenset({MatchSpec("zlib")}), frozenset())
    post.action("repodata.json", (), (PackageRecord(name="zlib", version="1", build="0"),))
    assert capsys.readouterr().err == "pre-solve:zlib\npost-solve:zlib\n"
