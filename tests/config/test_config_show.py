"""``conda config --show/--show-sources/--describe/--validate/--get`` end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from kernel.settings import SETTINGS
from tests.config.conftest import Run, Write


def test_show_lists_every_setting_sorted_with_plugin_settings(run: Run) -> None:
    result = run("--show")
    assert result.code == 0 and result.err == ""
    keys = [line.split(":")[0] for line in result.out.splitlines() if not line.startswith(" ")]
    assert keys == sorted({*SETTINGS, "plugins"})
    assert "channels:\n  - defaults\n" in result.out
    assert "offline: False\n" in result.out
    assert "plugins:\n  api_token: \n  extras: {}\n  greeting: hello\n" in result.out


def test_show_json_gives_typed_values(run: Run, user_rc: Path) -> None:
    user_rc.write_text("channels: [conda-forge]\nremote_max_retries: 5\n"
                       "proxy_servers: {https: 'http://proxy:8080'}\nplugins: {mirrors: [m]}\n")
    data = run("--show", "--json").json
    assert data["channels"] == ["conda-forge"]
    assert data["remote_max_retries"] == 5 and data["offline"] is False
    assert data["remote_read_timeout_secs"] == 60.0
    assert data["proxy_servers"] == {"https": "http://proxy:8080"}
    assert data["show_channel_urls"] is None
    assert data["plugins"] == {"api_token": "", "extras": {}, "greeting": "hello",
                               "mirrors": ["m"], "retries": 2}


def test_show_named_keys_only(run: Run) -> None:
    result = run("--show", "channels", "auto_activate_base", "plugins.salute")
    assert result.out == ("auto_activate: True\nchannels:\n  - defaults\n"
                          "plugins:\n  greeting: hello\n")
    assert run("--show", "offline", "--json").json == {"offline": False}


@pytest.mark.parametrize(("argv", "message"), [
    (("--show", "ofline"), "unknown configuration key 'ofline'; did you mean 'offline'?"),
    (("--show", "plugins.greting"), "unknown configuration key 'plugins.greting'; "
                                    "did you mean 'plugins.greeting'?"),
    (("--show", "proxy_servers.http"), "--show takes setting names, not 'proxy_servers.http'"),
    (("--describe", "nope_nope"), "unknown configuration key 'nope_nope'"),
    (("--show", "offline.x"),
     "'offline' is a primitive setting: 'offline.x' names nothing inside it"),
])
def test_show_and_describe_refuse_unknown_keys(run: Run, argv: tuple[str, ...],
                                               message: str) -> None:
    result = run(*argv)
    assert result.code == 2 and result.out == ""
    assert result.err == f"ArgumentError: {message}\n"
    data = run(*argv, "--json").json
    assert data["exception_name"] == "ArgumentError" and data["message"] == message


def test_show_with_file_reads_only_that_file(run: Run, user_rc: Path, write: Write) -> None:
    user_rc.write_text("channels: [from-user]\n")
    only = write("channels: [from-file]\n")
    assert run("--show", "channels", "--file", str(only)).out == "channels:\n  - from-file\n"
    assert run("--show", "channels").out == "channels:\n  - from-user\n"


def test_show_sources_lists_each_source_with_typed_values(run: Run, user_rc: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    user_rc.write_text("channels: [conda-forge]\nofline: true\nremote_max_retries: '4'\n")
    monkeypatch.setenv("CONDA_CHANNELS", "a,b")
    result = run("--show-sources")
    assert result.code == 0
    assert result.out == (f"==> {user_rc} <==\nchannels:\n  - conda-forge\nofline: True\n"
                          f"remote_max_retries: 4\n\n==> envvars <==\nchannels:\n  - a\n  - b\n")
    assert "unknown setting 'ofline'" in result.err
    data = run("--show-sources", "--json").json
    assert data[str(user_rc)] == {"channels": ["conda-forge"], "ofline": True,
                                  "remote_max_retries": 4}
    assert data["envvars"] == {"channels": ["a", "b"]}
    assert data["cmd_line"] == {"json": True}


def test_show_sources_with_no_files(run: Run) -> None:
    assert run("--show-sources").out == ""
    assert run("--show-sources", "--json").json == {"cmd_line": {"json": True}}


# -- secrets ----------------------------------------------------------------------------------

SECRETS = ("hunter2", "tk-0123456789abcdef", "sekrit-token", "envpass")
SECRET_RC = """\
channels:
  - https://alice:hunter2@corp.example/conda/main
  - https://conda.anaconda.org/t/tk-0123456789abcdef/private
custom_channels:
  corp: https://bob:hunter2@corp.example
proxy_servers:
  https: http://carol:hunter2@proxy:8080
plugins:
  api_token: sekrit-token
"""


@pytest.mark.parametrize("argv", [
    ("--show",), ("--show", "--json"), ("--show-sources",), ("--show-sources", "--json"),
    ("--get",), ("--get", "--json"), ("--get", "channels", "plugins.api_token"),
    ("--show", "channels", "plugins.api_token"),
])
def test_secrets_never_appear(run: Run, user_rc: Path, monkeypatch: pytest.MonkeyPatch,
                              argv: tuple[str, ...]) -> None:
    user_rc.write_text(SECRET_RC)
    monkeypatch.setenv("CONDA_CHANNEL_ALIAS", "https://dave:envpass@alias.example")
    result = run(*argv)
    assert result.code == 0, result.err
    for secret in SECRETS:
        assert secret not in result.out and secret not in result.err
    if "--show" in argv and len(argv) == 1:
        assert "https://***:***@corp.example/conda/main" in result.out
        assert "https://conda.anaconda.org/t/<TOKEN>/private" in result.out
        assert "api_token: ***" in result.out


def test_expanded_credentials_are_masked(run: Run, user_rc: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    user_rc.write_text("channels: ['https://${CORP_TOKEN}@corp.example/conda']\n")
    monkeypatch.setenv("CORP_TOKEN", "verysecret")
    out = run("--show", "channels").out
    assert "verysecret" not in out and "https://***@corp.example/conda" in out


def test_query_string_tokens_are_masked(run: Run, user_rc: Path) -> None:
    user_rc.write_text("channels: ['https://mirror.example/conda?token=qs-61c0ffee']\n")
    out = run("--show", "channels").out
    assert "qs-61c0ffee" not in out and "https://mirror.example/conda?token=***" in out


# -- describe ---------------------------------------------------------------------------------


def test_describe_one_key_like_conda(run: Run) -> None:
    result = run("--describe", "channels")
    assert result.out == (
        "# # channels (sequence: str)\n"
        "# #   aliases: channel\n"
        "# #   env var string delimiter: ','\n"
        "# #   Channels searched for packages, highest priority first.\n"
        "# # \n"
        "# channels:\n"
        "#   - defaults\n")


def test_describe_primitive_and_plugin_settings(run: Run) -> None:
    out = run("--describe", "remote_max_retries", "plugins.greeting").out
    assert "# # remote_max_retries (int)\n" in out and "# remote_max_retries: 3\n" in out
    assert "# # plugins.greeting (str)\n# #   aliases: salute\n" in out
    assert "# plugins.greeting: hello\n" in out


def test_describe_json_records(run: Run) -> None:
    records = run("--describe", "channels", "ssl_verify", "proxy_servers", "--json").json
    assert records[0] == {
        "name": "channels", "aliases": ["channel"], "parameter_type": "sequence",
        "element_types": ["str"], "default_value": ["defaults"], "string_delimiter": ",",
        "description": "Channels searched for packages, highest priority first."}
    assert records[1]["element_types"] == ["bool", "str"]
    assert records[1]["aliases"] == ["verify_ssl"]
    assert records[2]["parameter_type"] == "map"


def test_describe_everything(run: Run) -> None:
    records = run("--describe", "--json").json
    assert [r["name"] for r in records] == [*SETTINGS, "plugins.greeting", "plugins.retries",
                                            "plugins.mirrors", "plugins.extras",
                                            "plugins.api_token"]
    assert run("--describe").out.count("\n# # ") >= len(SETTINGS)


# -- validate ---------------------------------------------------------------------------------


def test_validate_clean_configuration_prints_nothing(run: Run, user_rc: Path) -> None:
    user_rc.write_text("channels: [a]\n")
    result = run("--validate")
    assert (result.code, result.out, result.err) == (0, "", "")


def test_validate_reports_every_invalid_value_of_a_file(run: Run, write: Write) -> None:
    rc = write("offline: maybe\nremote_max_retries: lots\nplugins: {retries: x}\n")
    result = run("--validate", "--file", str(rc))
    assert result.code == 1
    assert result.err.startswith("ConfigurationError: invalid configuration (3 errors): ")
    for text in (f"{rc}: line 1: invalid value for 'offline'",
                 f"{rc}: line 2: invalid value for 'remote_max_retries'",
                 f"{rc}: line 3: invalid value for 'plugins.retries'"):
        assert text in result.err
    assert run("--validate", "--file", str(rc), "--json").json["errors"][0].startswith(str(rc))


def test_invalid_value_in_the_search_path_is_one_line(run: Run, user_rc: Path) -> None:
    user_rc.write_text("channels: [a]\nremote_max_retries: lots\n")
    result = run("--validate")
    assert result.code == 1
    assert result.err == (f"ConfigurationError: {user_rc}: line 2: invalid value for "
                          f"'remote_max_retries': expected int, got 'lots'\n")


def test_missing_file_for_show_is_refused(run: Run, tmp_path: Path) -> None:
    result = run("--show", "--file", str(tmp_path / "absent"))
    assert result.code == 2 and "no such file" in result.err and result.err.count("\n") == 1


# -- get --------------------------------------------------------------------------------------

GET_RC = """\
channels:
  - conda-forge
  - defaults
offline: true
proxy_servers:
  https: http://proxy:8080
plugins:
  greeting: hi
  mirrors: [m1, m2]
"""


def test_get_prints_set_and_add_lines_from_the_user_file(run: Run, user_rc: Path) -> None:
    user_rc.write_text(GET_RC)
    result = run("--get")
    assert result.code == 0
    assert result.out == (
        "--add channels 'defaults'   # lowest priority\n"
        "--add channels 'conda-forge'   # highest priority\n"
        "--set offline True\n"
        "--set plugins.greeting hi\n"
        "--add plugins.mirrors 'm2'\n"
        "--add plugins.mirrors 'm1'\n"
        "--set proxy_servers.https http://proxy:8080\n")


def test_get_named_keys_and_json(run: Run, user_rc: Path) -> None:
    user_rc.write_text(GET_RC)
    assert run("--get", "offline").out == "--set offline True\n"
    assert run("--get", "proxy_servers.https").out == "--set proxy_servers.https http://proxy:8080\n"
    assert run("--get", "remote_max_retries").out == ""  # known, but not in the file
    data = run("--get", "channels", "plugins.greeting", "--json").json
    assert data == {"success": True, "rc_path": str(user_rc), "warnings": [],
                    "get": {"channels": ["conda-forge", "defaults"], "plugins.greeting": "hi"}}


def test_get_reads_the_selected_file(run: Run, write: Write) -> None:
    rc = write("offline: true\n")
    assert run("--get", "offline", "--file", str(rc)).out == "--set offline True\n"


def test_get_unknown_key_is_refused(run: Run) -> None:
    result = run("--get", "chanels")
    assert result.code == 1
    assert result.err == ("ConfigurationError: unknown configuration key 'chanels'; "
                          "did you mean 'channels'?\n")


def test_get_all_warns_about_unknown_keys_in_the_file(run: Run, user_rc: Path) -> None:
    user_rc.write_text("ofline: true\nplugins: {nope: 1}\n")
    result = run("--get")
    assert result.code == 0 and result.out == ""
    assert "warning: unknown configuration key 'ofline'; did you mean 'offline'?" in result.err
    data = run("--get", "--json").json
    assert any("'plugins.nope'" in w for w in data["warnings"])


# -- argument errors ----------------------------------------------------------------------


def test_no_action_is_an_argument_error(run: Run) -> None:
    result = run()
    assert result.code == 2 and result.err.startswith("ArgumentError: conda config: nothing")
    assert result.err.count("\n") == 1


@pytest.mark.parametrize("argv", [("--show", "--set", "offline", "true"),
                                  ("--describe", "--get"),
                                  ("--show", "--show-sources"),
                                  ("--set", "offline", "true", "--add", "channels", "x"),
                                  ("--system", "--env", "--show"),
                                  ("--set", "offline")])
def test_conflicting_or_incomplete_flags_are_refused(run: Run, argv: tuple[str, ...]) -> None:
    result = run(*argv)
    assert result.code == 2 and result.out == "" and result.err.count("\n") == 1
    data = run(*argv, "--json").json
    assert data["exception_name"] == "ArgumentError"


def test_show_sources_types_plugin_settings(run: Run, user_rc: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    user_rc.write_text("plugins:\n  retries: '7'\n  salute: hey\n  unknown: 1\n")
    monkeypatch.setenv("CONDA_PLUGINS_MIRRORS", "a,b")
    data = run("--show-sources", "--json").json
    assert data[str(user_rc)] == {"plugins": {"retries": 7, "salute": "hey", "unknown": 1}}
    assert data["envvars"] == {"plugins": {"mirrors": ["a", "b"]}}
