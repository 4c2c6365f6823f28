"""``conda config`` edits end to end: the file on disk keeps comments, order and quoting."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kernel.config import load_config
from kernel.errors import ConfigurationError
from plugins.subcommands.config.rcfile import RcFile
from tests.config.conftest import Run, Write

COMMENTED = """\
# my conda settings
channels:  # in priority order
  - conda-forge   # first
  - defaults
# network
ssl_verify: true   # corp proxy re-signs
proxy_servers:
  https: 'http://proxy:8080'
offline: false
"""


def one_line_error(result: object, code: int = 1) -> str:
    assert result.code == code, result  # type: ignore[attr-defined]
    err: str = result.err  # type: ignore[attr-defined]
    assert result.out == "" and err.count("\n") == 1, err  # type: ignore[attr-defined]
    return err


# -- sequences --------------------------------------------------------------------------------


def test_add_prepends_and_append_appends(run: Run, user_rc: Path) -> None:
    assert run("--add", "channels", "conda-forge").code == 0
    assert user_rc.read_text() == "channels:\n  - conda-forge\n"
    assert run("--add", "channels", "bioconda").code == 0
    assert run("--append", "channels", "defaults").code == 0
    assert run("--prepend", "channels", "first").code == 0
    assert user_rc.read_text() == ("channels:\n  - first\n  - bioconda\n  - conda-forge\n"
                                   "  - defaults\n")
    assert load_config().channels == ("first", "bioconda", "conda-forge", "defaults")


def test_adding_an_existing_item_moves_it_with_a_warning(run: Run, user_rc: Path) -> None:
    user_rc.write_text("channels: [a, b, c]\n")
    result = run("--add", "channels", "c")
    assert result.code == 0
    assert result.err == "warning: 'c' already in 'channels' list, moving to the top\n"
    assert user_rc.read_text() == "channels: [c, a, b]\n"
    data = run("--append", "channels", "c", "--json").json
    assert data["warnings"] == ["'c' already in 'channels' list, moving to the bottom"]
    assert user_rc.read_text() == "channels: [a, b, c]\n"


def test_repeated_flags_apply_in_order(run: Run, user_rc: Path) -> None:
    assert run("--add", "channels", "a", "--add", "channels", "b").code == 0
    assert user_rc.read_text() == "channels:\n  - b\n  - a\n"


def test_remove_takes_every_instance(run: Run, user_rc: Path) -> None:
    user_rc.write_text("channels:\n  - a\n  - b  # keep\n  - a\n")
    assert run("--remove", "channels", "a").code == 0
    assert user_rc.read_text() == "channels:\n  - b  # keep\n"


def test_remove_from_unset_channels_starts_from_defaults(run: Run, user_rc: Path) -> None:
    user_rc.write_text("offline: true\n")
    assert run("--remove", "channels", "defaults").code == 0
    assert user_rc.read_text() == "offline: true\nchannels: []\n"


def test_edits_keep_comments_order_and_quotes(run: Run, user_rc: Path) -> None:
    user_rc.write_text(COMMENTED)
    assert run("--append", "channels", "bioconda").code == 0
    assert run("--set", "offline", "yes").code == 0
    assert run("--set", "proxy_servers.http", "http://proxy:3128").code == 0
    assert run("--remove", "channels", "defaults").code == 0
    assert run("--set", "remote_max_retries", "5").code == 0
    assert user_rc.read_text() == """\
# my conda settings
channels:  # in priority order
  - conda-forge   # first
  - bioconda
# network
ssl_verify: true   # corp proxy re-signs
proxy_servers:
  https: 'http://proxy:8080'
  http: http://proxy:3128
offline: true
remote_max_retries: 5
"""
    assert run("--remove-key", "proxy_servers").code == 0
    assert run("--remove-key", "ssl_verify").code == 0
    assert user_rc.read_text() == """\
# my conda settings
channels:  # in priority order
  - conda-forge   # first
  - bioconda
# network
offline: true
remote_max_retries: 5
"""


def test_edits_keep_the_files_list_indentation(run: Run, user_rc: Path) -> None:
    user_rc.write_text("channels:\n- a\npinned_packages:\n- python 3.11.*\n")
    assert run("--add", "pinned_packages", "numpy <2").code == 0
    assert user_rc.read_text() == "channels:\n- a\npinned_packages:\n- numpy <2\n- python 3.11.*\n"


def test_a_comment_only_file_keeps_its_comments(run: Run, user_rc: Path) -> None:
    user_rc.write_text("# managed by hand\n# see the wiki\n")
    assert run("--set", "offline", "true").code == 0
    assert user_rc.read_text() == "# managed by hand\n# see the wiki\noffline: true\n"


# -- primitives and maps ----------------------------------------------------------------------


@pytest.mark.parametrize(("key", "value", "written", "loaded"), [
    ("offline", "true", "offline: true", True),
    ("offline", "No", "offline: false", False),
    ("remote_max_retries", "5", "remote_max_retries: 5", 5),
    ("remote_read_timeout_secs", "2.5", "remote_read_timeout_secs: 2.5", 2.5),
    ("channel_priority", "strict", "channel_priority: strict", "strict"),
    ("ssl_verify", "/etc/ssl/corp.pem", "ssl_verify: /etc/ssl/corp.pem", "/etc/ssl/corp.pem"),
    ("ssl_verify", "false", "ssl_verify: false", False),
    ("env_prompt", "({name}) ", "env_prompt: '({name}) '", "({name}) "),
])
def test_set_writes_typed_values(run: Run, user_rc: Path, key: str, value: str,
                                 written: str, loaded: object) -> None:
    assert run("--set", key, value).code == 0
    assert user_rc.read_text() == written + "\n"
    assert getattr(load_config(), key) == loaded


def test_set_map_entries(run: Run, user_rc: Path) -> None:
    assert run("--set", "proxy_servers.https", "http://proxy:8080").code == 0
    assert run("--set", "proxy_servers.http://corp.example", "http://other:1").code == 0
    assert user_rc.read_text() == ("proxy_servers:\n  https: http://proxy:8080\n"
                                   "  http://corp.example: http://other:1\n")
    assert run("--remove-key", "proxy_servers.http://corp.example").code == 0
    assert load_config().proxy_servers == {"https": "http://proxy:8080"}


def test_add_to_a_map_of_lists(run: Run, user_rc: Path) -> None:
    assert run("--add", "custom_multichannels.corp", "https://a.example").code == 0
    assert run("--append", "custom_multichannels.corp", "https://b.example").code == 0
    assert load_config().custom_multichannels == {
        "corp": ["https://a.example", "https://b.example"]}


def test_set_through_an_alias_writes_the_current_name(run: Run, user_rc: Path) -> None:
    user_rc.write_text("channels: [a]\nauto_activate_base: true  # shell\noffline: false\n")
    result = run("--set", "auto_activate_base", "false")
    assert result.code == 0
    assert "'auto_activate_base' is an alias of 'auto_activate'" in result.err
    assert user_rc.read_text() == "channels: [a]\nauto_activate: false # shell\noffline: false\n"
    assert run("--remove-key", "auto_activate_base").code == 0
    assert user_rc.read_text() == "channels: [a]\noffline: false\n"


def test_set_unchanged_value_leaves_the_file_alone(run: Run, user_rc: Path) -> None:
    user_rc.write_text("offline:   true\n")
    before = user_rc.stat().st_mtime_ns
    assert run("--set", "offline", "true").code == 0
    assert user_rc.read_text() == "offline:   true\n" and user_rc.stat().st_mtime_ns == before


# -- plugin settings ----------------------------------------------------------------------


def test_plugin_settings_can_be_set_added_and_removed(run: Run, user_rc: Path) -> None:
    assert run("--set", "plugins.greeting", "bonjour").code == 0
    assert run("--set", "plugins.retries", "4").code == 0
    assert run("--add", "plugins.mirrors", "https://m.example").code == 0
    assert run("--set", "plugins.extras.x-team", "blue").code == 0
    assert user_rc.read_text() == ("plugins:\n  greeting: bonjour\n  retries: 4\n  mirrors:\n"
                                   "    - https://m.example\n  extras:\n    x-team: blue\n")
    shown = run("--show", "plugins.greeting", "plugins.retries", "--json").json
    assert shown == {"plugins": {"greeting": "bonjour", "retries": 4}}
    assert run("--remove", "plugins.mirrors", "https://m.example").code == 0
    assert run("--remove-key", "plugins.greeting").code == 0
    assert run("--show", "plugins.greeting").out == "plugins:\n  greeting: hello\n"


def test_plugin_setting_alias_in_the_file_is_replaced(run: Run, user_rc: Path) -> None:
    user_rc.write_text("plugins:\n  salute: hey\n")
    assert run("--set", "plugins.greeting", "yo").code == 0
    assert user_rc.read_text() == "plugins:\n  greeting: yo\n"


# -- refusals: each one line, a non-zero exit, the file untouched ---------------------------

REFUSALS = [
    (("--set", "remote_max_retries", "abc"),
     "invalid value 'abc' for 'remote_max_retries': expected int, got 'abc'"),
    (("--set", "remote_max_retries", "-2"),
     "invalid value '-2' for 'remote_max_retries': expected a number >= 0, got -2"),
    (("--set", "channel_priority", "sometimes"),
     "invalid value 'sometimes' for 'channel_priority': expected one of strict, flexible, "
     "disabled, got 'sometimes'"),
    (("--set", "ofline", "true"), "unknown configuration key 'ofline'; did you mean 'offline'?"),
    (("--set", "channels", "x"), "'channels' is a list: use --add, --append or --remove "
                                 "channels VALUE"),
    (("--set", "proxy_servers", "x"), "'proxy_servers' is a map: use --set proxy_servers.KEY "
                                      "VALUE"),
    (("--set", "offline.sub", "x"), "'offline' is a primitive setting: 'offline.sub' names "
                                    "nothing inside it"),
    (("--set", "custom_multichannels.x", "y"), "'custom_multichannels' holds lists: use --add "
                                               "custom_multichannels.x VALUE"),
    (("--add", "offline", "x"), "'offline' is not a list setting: use --set offline VALUE"),
    (("--append", "proxy_servers.http", "x"), "'proxy_servers.http' is not a list setting: use "
                                              "--set proxy_servers.http VALUE"),
    (("--add", "chanels", "x"), "unknown configuration key 'chanels'; did you mean 'channels'?"),
    (("--add", "channel_settings", "x"),
     "invalid value 'x' for 'channel_settings': expected dict, got 'x'"),
    (("--remove", "offline", "x"), "'offline' is not a list setting: use --remove-key offline"),
    (("--set", "plugins.retries", "often"),
     "invalid value 'often' for 'plugins.retries': expected int, got 'often'"),
    (("--set", "plugins.nope", "1"), "unknown configuration key 'plugins.nope'"),
    (("--set", "plugins.mirrors", "x"), "'plugins.mirrors' is a list: use --add, --append or "
                                        "--remove plugins.mirrors VALUE"),
    (("--set", "plugins.api_token", "tok"), None),  # accepted, for contrast
]


@pytest.mark.parametrize(("argv", "message"), REFUSALS)
def test_bad_edits_are_refused_in_one_line(run: Run, user_rc: Path, argv: tuple[str, ...],
                                           message: str | None) -> None:
    user_rc.write_text(COMMENTED)
    result = run(*argv)
    if message is None:
        assert result.code == 0
        return
    assert one_line_error(result).startswith("ConfigurationError: ")
    assert message in result.err
    assert user_rc.read_text() == COMMENTED
    data = run(*argv, "--json").json
    assert data["exception_name"] == "ConfigurationError" and message in data["message"]


@pytest.mark.parametrize(("argv", "message"), [
    (("--remove", "channels", "bioconda"), "'bioconda' is not in 'channels' in {rc}"),
    (("--remove", "pinned_packages", "x"), "'pinned_packages' is not set in {rc}"),
    (("--remove-key", "remote_max_retries"), "'remote_max_retries' is not set in {rc}"),
    (("--remove-key", "proxy_servers.ftp"), "'proxy_servers.ftp' is not set in {rc}"),
    (("--remove-key", "nonsense"), "unknown configuration key 'nonsense'"),
])
def test_removing_what_is_not_there_is_refused(run: Run, user_rc: Path, argv: tuple[str, ...],
                                               message: str) -> None:
    user_rc.write_text(COMMENTED)
    err = one_line_error(run(*argv))
    assert message.format(rc=user_rc) in err
    assert user_rc.read_text() == COMMENTED


def test_remove_key_also_removes_unknown_keys(run: Run, user_rc: Path) -> None:
    user_rc.write_text("ofline: true\nchannels: [a]\n")
    assert "unknown setting 'ofline'" in run("--remove-key", "ofline").err
    assert user_rc.read_text() == "channels: [a]\n"
    assert run("--show", "channels").err == ""


def test_a_wrongly_typed_entry_in_the_file_is_named(run: Run, write: Write) -> None:
    rc = write("pinned_packages: numpy\n")
    err = one_line_error(run("--add", "pinned_packages", "scipy", "--file", str(rc)))
    assert f"'pinned_packages' in {rc} should be a list, not" in err


def test_malformed_target_file_is_not_touched(run: Run, write: Write) -> None:
    rc = write("channels: [a\n")
    err = one_line_error(run("--set", "offline", "true", "--file", str(rc)))
    assert err.startswith(f"ConfigurationError: {rc}: line 2") and "invalid YAML" in err
    assert rc.read_text() == "channels: [a\n"


def test_malformed_user_file_stops_every_command_with_its_line(run: Run, user_rc: Path) -> None:
    user_rc.write_text("offline: true\n  bad: indent\n")
    err = one_line_error(run("--set", "offline", "false"))
    assert err.startswith(f"ConfigurationError: {user_rc}: line 2")


def test_unwritable_target_is_one_line(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "missing-dir" / "condarc"
    err = one_line_error(run("--set", "offline", "true", "--file", str(target)))
    assert f"cannot write {target}" in err
    assert not target.parent.exists()


# -- target selection -----------------------------------------------------------------------


def test_condarc_variable_is_the_default_target(run: Run, tmp_path: Path, user_rc: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    rc = tmp_path / "project.condarc"
    monkeypatch.setenv("CONDARC", str(rc))
    assert run("--set", "offline", "true").code == 0
    assert rc.read_text() == "offline: true\n" and not user_rc.exists()
    assert run("--set", "offline", "true", "--json").json["rc_path"] == str(rc)


def test_env_system_file_and_prefix_targets(run: Run, tmp_path: Path, user_rc: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    root = Path(os.environ["CONDA_ROOT"])
    root.mkdir(parents=True)
    assert run("--system", "--set", "offline", "true").code == 0
    assert (root / ".condarc").read_text() == "offline: true\n"

    assert run("--env", "--set", "verbosity", "1").code == 0  # no active env: user file
    assert user_rc.read_text() == "verbosity: 1\n"
    active = tmp_path / "envs" / "active"
    active.mkdir(parents=True)
    monkeypatch.setenv("CONDA_PREFIX", str(active))
    assert run("--env", "--set", "verbosity", "2").code == 0
    assert (active / ".condarc").read_text() == "verbosity: 2\n"

    other = tmp_path / "other.yml"
    assert run("--file", str(other), "--add", "channels", "x").code == 0
    assert other.read_text() == "channels:\n  - x\n"

    named = root / "envs" / "named"
    named.mkdir(parents=True)
    assert run("-n", "named", "--set", "offline", "true").code == 0
    assert run("-p", str(active), "--set", "offline", "false").code == 0
    assert (named / ".condarc").read_text() == "offline: true\n"
    assert (active / ".condarc").read_text() == "verbosity: 2\noffline: false\n"


@pytest.mark.parametrize("argv", [("-n", "ghost"), ("-p", "/no/such/prefix")])
def test_missing_environment_is_refused(run: Run, argv: tuple[str, ...]) -> None:
    err = one_line_error(run(*argv, "--set", "offline", "true"))
    assert err.startswith("EnvironmentLocationNotFound: no environment")


def test_json_edit_reports_success(run: Run, user_rc: Path) -> None:
    data = run("--set", "offline", "true", "--json").json
    assert data == {"success": True, "rc_path": str(user_rc), "warnings": [], "get": {}}


# -- atomic writes ------------------------------------------------------------------------


def test_write_keeps_permissions_and_leaves_no_temp_files(run: Run, user_rc: Path) -> None:
    user_rc.write_text("offline: false\n")
    user_rc.chmod(0o600)
    assert run("--set", "offline", "true").code == 0
    assert stat.S_IMODE(user_rc.stat().st_mode) == 0o600
    assert sorted(p.name for p in user_rc.parent.iterdir() if "condarc" in p.name) == [
        ".condarc"]


def test_new_file_gets_umask_permissions(run: Run, user_rc: Path) -> None:
    old = os.umask(0o027)
    try:
        assert run("--set", "offline", "true").code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(user_rc.stat().st_mode) == 0o640


def test_write_goes_through_a_symlink(run: Run, user_rc: Path, tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "condarc"
    real.parent.mkdir()
    real.write_text("# shared\noffline: false\n")
    user_rc.symlink_to(real)
    assert run("--set", "offline", "true").code == 0
    assert user_rc.is_symlink() and real.read_text() == "# shared\noffline: true\n"


def test_a_file_changed_during_the_edit_is_not_overwritten(write: Write) -> None:
    rc_path = write("offline: false\n")
    rc = RcFile(rc_path)
    rc.data["offline"] = True
    rc_path.write_text("offline: false\nchannels: [someone-else]\n")
    with pytest.raises(ConfigurationError, match="changed while it was being edited"):
        rc.write()
    assert rc_path.read_text() == "offline: false\nchannels: [someone-else]\n"


def test_a_failed_replace_leaves_the_old_file(write: Write,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    rc_path = write("offline: false\n")
    rc = RcFile(rc_path)
    rc.data["offline"] = True

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(ConfigurationError, match=r"cannot write .*No space left on device"):
        rc.write()
    assert rc_path.read_text() == "offline: false\n"
    assert [p.name for p in rc_path.parent.iterdir()] == [rc_path.name]


def test_comments_between_entries_stay_with_the_entry_they_introduce(run: Run,
                                                                    user_rc: Path) -> None:
    user_rc.write_text("channels:\n  - a\n  # b is the fallback\n  - b\n"
                       "# last words\noffline: true\n# end of file\n")
    assert run("--prepend", "channels", "x").code == 0
    assert run("--set", "offline", "false").code == 0
    assert run("--append", "channels", "z").code == 0
    assert run("--set", "verbosity", "1").code == 0
    assert user_rc.read_text() == ("channels:\n  - x\n  - a\n  # b is the fallback\n  - b\n"
                                   "  - z\n# last words\noffline: false\nverbosity: 1\n"
                                   "# end of file\n")
    assert run("--remove", "channels", "z").code == 0
    assert run("--remove-key", "verbosity").code == 0
    assert user_rc.read_text() == ("channels:\n  - x\n  - a\n  # b is the fallback\n  - b\n"
                                   "# last words\noffline: false\n# end of file\n")
