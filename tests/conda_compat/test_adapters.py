"""The conda modules plugins import: each adapter gives conda's answer."""

from __future__ import annotations

import argparse

import pytest

import plugins.conda_compat  # noqa: F401  (installs the finder)


def test_unknown_api_is_a_conda_error_naming_the_plugin_and_the_api():
    import conda.base.context as context_module

    from kernel.errors import CondaError

    with pytest.raises(CondaError, match=r"plugin tests uses conda.base.context.nowhere, "
                                         r"which microconda's conda compatibility layer"):
        context_module.nowhere  # noqa: B018
    assert not hasattr(context_module, "nowhere")


def test_importing_a_missing_name_is_an_import_error():
    with pytest.raises(ImportError, match="nowhere"):
        from conda.exceptions import nowhere  # noqa: F401


def test_exceptions_keep_condas_messages_and_exit_codes():
    from conda.exceptions import (
        ArgumentError,
        CondaError,
        CondaExitZero,
        DryRunExit,
        EnvironmentLocationNotFound,
    )

    import kernel.errors

    assert CondaError is kernel.errors.CondaError
    missing = EnvironmentLocationNotFound("/no/where")
    assert (str(missing), missing.return_code) == ("Not a conda environment: /no/where", 1)
    assert isinstance(missing, kernel.errors.EnvironmentLocationNotFound)
    assert ArgumentError("x").return_code == 2
    assert CondaExitZero("x").return_code == 0 and str(DryRunExit()) == "Dry run. Exiting."
    assert missing.dump_map()["exception_type"] == (
        "<class 'conda.exceptions.EnvironmentLocationNotFound'>")


def test_url_helpers():
    from conda.common.url import remove_auth, split_anaconda_token

    assert split_anaconda_token("https://h/t/tk-1-2/conda-forge/linux-64") == (
        "https://h/conda-forge/linux-64", "tk-1-2")
    assert split_anaconda_token("https://h/conda-forge/") == ("https://h/conda-forge", None)
    assert remove_auth("https://user:pw@h:8080/c") == "https://h:8080/c"


def test_dashlist_and_platform_flags():
    from conda.common.compat import on_win
    from conda.common.io import dashlist

    assert dashlist(["a", "b"]) == "\n  - a\n  - b"
    assert dashlist([]) == "" and on_win is False


def test_context_reads_microcondas_configuration(monkeypatch, tmp_path):
    from conda.base.context import context

    monkeypatch.setattr("sys.argv", ["conda", "export", "-p", str(tmp_path / "env")])
    assert context.target_prefix == str(tmp_path / "env")
    assert context.json is False and context.dry_run is False
    assert context.subdir and isinstance(context.channels, tuple)


def test_locate_prefix_by_name_raises_condas_error(tmp_path):
    from conda.base.context import locate_prefix_by_name
    from conda.exceptions import EnvironmentNameNotFound

    with pytest.raises(EnvironmentNameNotFound, match="Could not find conda environment: nope"):
        locate_prefix_by_name("nope")


def test_parser_helpers_leave_existing_flags_alone():
    from conda.cli.conda_argparse import add_parser_help
    from conda.cli.helpers import add_parser_json, add_parser_prefix

    from kernel.cli import global_options

    parser = argparse.ArgumentParser(parents=[global_options()])
    add_parser_help(parser)
    add_parser_json(parser)
    add_parser_prefix(parser)
    args = parser.parse_args(["--json", "-n", "demo"])
    assert (args.json, args.name) == (True, "demo")


def test_settings_parameters_become_microcondas():
    from conda.common.configuration import PrimitiveParameter, SequenceParameter

    from kernel import parameters

    primitive = PrimitiveParameter("", element_type=str)
    assert isinstance(primitive, parameters.PrimitiveParameter)
    assert primitive.load("x") == "x"
    assert SequenceParameter(str).load("a,b", from_string=True) == ("a", "b")
    checked = PrimitiveParameter(1, validation=lambda v: v > 0 or "must be positive")
    with pytest.raises(ValueError, match="must be positive"):
        checked.load(-1)


def test_yaml_round_trips_as_conda_writes_it():
    from conda.common.serialize import yaml

    text = yaml.dumps({"name": "x", "dependencies": ["a", "b"]})
    assert text == "name: x\ndependencies:\n  - a\n  - b\n"
    assert yaml.loads(text) == {"name": "x", "dependencies": ["a", "b"]}


def test_records_have_condas_extra_members():
    from conda.models.records import PackageRecord

    record = PackageRecord.from_json({
        "name": "zlib", "version": "1.3", "build": "h0", "subdir": "linux-64",
        "url": "https://conda.anaconda.org/conda-forge/linux-64/zlib-1.3-h0.conda"})
    assert record.channel_name == "conda-forge"
    copy = PackageRecord.from_objects(record, md5="0" * 32)
    assert (copy.name, copy.md5) == ("zlib", "0" * 32)


def test_activator_writes_the_activation_script(tmp_path):
    from conda.activate import PosixActivator

    prefix = tmp_path / "env"
    (prefix / "conda-meta").mkdir(parents=True)
    script = PosixActivator(["activate", str(prefix)]).execute()
    assert f"export CONDA_PREFIX='{prefix}'" in script
    assert PosixActivator.script_extension == ".sh"


def test_an_activator_subclass_edits_the_variables_as_in_conda(tmp_path, monkeypatch):
    from conda.activate import PosixActivator

    class NoMetavars(PosixActivator):
        def get_export_unset_vars(self, export_metavars=True, **kwargs):
            export, unset = super().get_export_unset_vars(export_metavars=False, **kwargs)
            return export, [*unset, "CONDA_EXE"]

    prefix = tmp_path / "env"
    (prefix / "conda-meta").mkdir(parents=True)
    script = NoMetavars(["activate", str(prefix)]).execute()
    assert "unset CONDA_EXE" in script and "export CONDA_EXE" not in script
    assert f"export CONDA_PREFIX='{prefix}'" in script
