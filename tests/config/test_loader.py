"""The kernel's configuration loader: search path, precedence, merging, typing, errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kernel.config import ENV_SOURCE, Config, load_config, read_condarc, search_path
from kernel.errors import ConfigurationError
from kernel.parameters import MapParameter, PrimitiveParameter, SequenceParameter
from kernel.types import CondaSetting
from tests.config.conftest import Write


def env_with(**variables: str) -> dict[str, str]:
    return {**os.environ, **variables}


def load(files: list[Path] | None = None, cmdline: dict[str, object] | None = None,
         strict: bool = True, **env: str) -> Config:
    return load_config(cmdline or {}, env_with(**env), files, strict=strict)


# -- search path and precedence -----------------------------------------------------------


def _everywhere(home: Path, root: Path, prefix: Path, condarc: Path) -> dict[str, Path]:
    """One condarc at each kind of location, lowest precedence first."""
    places = {
        "root": root / ".condarc",
        "xdg": home / ".config" / "conda" / "condarc",
        "xdg.d": home / ".config" / "conda" / "condarc.d" / "10-site.yml",
        "dot-conda": home / ".conda" / ".condarc",
        "user": home / ".condarc",
        "prefix": prefix / ".condarc",
        "condarc": condarc,
    }
    for label, path in places.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"channel_alias: https://{label}.example\nchannels: [{label}]\n")
    return places


def test_search_path_lists_files_lowest_precedence_first(home: Path, tmp_path: Path) -> None:
    prefix, condarc = tmp_path / "env", tmp_path / "elsewhere" / "rc.yml"
    places = _everywhere(home, Path(os.environ["CONDA_ROOT"]), prefix, condarc)
    found = search_path(env_with(CONDA_PREFIX=str(prefix), CONDARC=str(condarc)))
    assert found == list(places.values())


def test_condarc_file_beats_every_other_file(home: Path, tmp_path: Path) -> None:
    prefix, condarc = tmp_path / "env", tmp_path / "rc.yml"
    _everywhere(home, Path(os.environ["CONDA_ROOT"]), prefix, condarc)
    config = load(CONDA_PREFIX=str(prefix), CONDARC=str(condarc))
    assert config.channel_alias == "https://condarc.example"
    assert config.origin("channel_alias") == str(condarc)
    # sequences merge: highest precedence first
    assert config.channels == ("condarc", "prefix", "user", "dot-conda", "xdg.d", "xdg", "root")


def test_without_condarc_the_active_prefix_wins(home: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "env"
    _everywhere(home, Path(os.environ["CONDA_ROOT"]), prefix, tmp_path / "unused.yml")
    assert load(CONDA_PREFIX=str(prefix)).channel_alias == "https://prefix.example"
    assert load().channel_alias == "https://user.example"


def test_condarc_d_reads_yml_and_yaml_in_name_order(home: Path) -> None:
    folder = home / ".conda" / "condarc.d"
    folder.mkdir(parents=True)
    (folder / "b.yaml").write_text("channels: [b]\n")
    (folder / "a.yml").write_text("channels: [a]\n")
    (folder / "c.txt").write_text("channels: [ignored]\n")
    assert [p.name for p in search_path(os.environ)] == ["a.yml", "b.yaml"]
    assert load().channels == ("b", "a")


def test_condarc_may_name_a_directory(tmp_path: Path) -> None:
    (tmp_path / "rc").mkdir()
    (tmp_path / "rc" / "x.yml").write_text("offline: true\n")
    assert load(CONDARC=str(tmp_path / "rc")).offline is True


def test_the_same_file_twice_is_read_once(user_rc: Path) -> None:
    user_rc.write_text("channels: [a]\n")
    assert search_path(env_with(CONDARC=str(user_rc))) == [user_rc]


def test_env_vars_beat_files_and_command_line_beats_env(write: Write) -> None:
    rc = write("channel_alias: https://file\nverbosity: 1\n")
    assert load([rc], CONDA_CHANNEL_ALIAS="https://env").channel_alias == "https://env"
    config = load([rc], {"verbosity": 3}, CONDA_VERBOSITY="2")
    assert config.verbosity == 3 and config.origin("verbosity") == "cmd_line"
    assert load([rc], CONDA_VERBOSITY="2").origin("verbosity") == ENV_SOURCE


def test_unset_values_fall_back_to_defaults() -> None:
    config = load([])
    assert config.channels == ("defaults",)
    assert config.origin("channels") == "default"
    assert config.remote_max_retries == 3


# -- merging --------------------------------------------------------------------------------


def test_sequences_merge_highest_precedence_first_without_duplicates(write: Write) -> None:
    low = write("channels: [x, y]\n", "low.yml")
    high = write("channels: [z, x]\n", "high.yml")
    config = load([low, high], CONDA_CHANNELS="e,y")
    assert config.channels == ("e", "y", "z", "x")


def test_maps_merge_key_by_key(write: Write) -> None:
    low = write("proxy_servers: {http: http://low, https: https://low}\n", "low.yml")
    high = write("proxy_servers:\n  https: https://high\n  ftp: ftp://high\n", "high.yml")
    assert load([low, high]).proxy_servers == {
        "http": "http://low", "https": "https://high", "ftp": "ftp://high"}


def test_a_final_key_in_a_low_file_stops_higher_sources(write: Write) -> None:
    system = write("channel_priority: strict  #!final\nchannels:  #!final\n  - corp\n",
                   "system.yml")
    user = write("channel_priority: disabled\nchannels: [conda-forge]\n", "user.yml")
    config = load([system, user], {"channel_priority": "flexible"}, CONDA_CHANNELS="mine")
    assert config.channel_priority == "strict"
    assert config.channels == ("corp",)


def test_important_env_value_stops_the_command_line(write: Write) -> None:
    config = load([], {"verbosity": 3}, CONDA_VERBOSITY="1 !important")
    assert config.verbosity == 1


def test_an_ordinary_comment_is_not_final(write: Write) -> None:
    low = write("offline: true  # keep me offline\n", "low.yml")
    high = write("offline: false\n", "high.yml")
    assert load([low, high]).offline is False


# -- environment variables and typing -------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("a,b", ("a", "b")), ("a, b ,,c", ("a", "b", "c")), ("single", ("single",)),
    ("https://x.org/a,https://x.org/b", ("https://x.org/a", "https://x.org/b"))])
def test_sequence_env_vars_split_on_commas(text: str, expected: tuple[str, ...]) -> None:
    assert load([], CONDA_CHANNELS=text).channels == expected


def test_envs_path_splits_on_the_path_separator(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert load([], CONDA_ENVS_PATH=f"{a}{os.pathsep}{b}").envs_dirs == (str(a), str(b))


@pytest.mark.parametrize("word", ["true", "True", "YES", "on", "1", "y"])
def test_true_words_from_env(word: str) -> None:
    assert load([], CONDA_OFFLINE=word).offline is True


@pytest.mark.parametrize("word", ["false", "FALSE", "no", "off", "0", "n"])
def test_false_words_from_env(word: str) -> None:
    assert load([], CONDA_OFFLINE=word).offline is False


@pytest.mark.parametrize(("var", "text", "expected"), [
    ("CONDA_REMOTE_MAX_RETRIES", "7", 7),
    ("CONDA_REMOTE_READ_TIMEOUT_SECS", "2.5", 2.5),
    ("CONDA_REMOTE_READ_TIMEOUT_SECS", "3", 3.0),
    ("CONDA_SSL_VERIFY", "false", False),
    ("CONDA_SSL_VERIFY", "/etc/ssl/corp.pem", "/etc/ssl/corp.pem"),
    ("CONDA_CHANNEL_PRIORITY", "STRICT", "strict"),
    ("CONDA_LOCAL_REPODATA_TTL", "600", 600),
])
def test_numbers_and_mixed_types_from_env(var: str, text: str, expected: object) -> None:
    value = getattr(load_config({}, env_with(**{var: text}), []), var[6:].lower())
    assert value == expected and type(value) is type(expected)


def test_empty_env_var_counts_as_unset(write: Write) -> None:
    rc = write("channels: [from-file]\noffline: true\n")
    config = load([rc], CONDA_CHANNELS="", CONDA_OFFLINE=" ")
    assert config.channels == ("from-file",) and config.offline is True


def test_yaml_1_2_strings_are_typed_like_conda(write: Write) -> None:
    config = load([write("offline: yes\nremote_max_retries: '5'\nalways_yes: 'off'\n")])
    assert (config.offline, config.remote_max_retries, config.always_yes) == (True, 5, False)


def test_null_value_in_a_file_counts_as_unset(write: Write) -> None:
    config = load([write("channels:\nchannel_alias:\noffline:\n")])
    assert config.channels == ("defaults",) and config.offline is False


@pytest.mark.parametrize(("value", "expected"), [
    ("true", "flexible"), ("false", "disabled"), ("strict", "strict"), ("Flexible", "flexible")])
def test_channel_priority_accepts_legacy_booleans(write: Write, value: str,
                                                  expected: str) -> None:
    assert load([write(f"channel_priority: {value}\n")]).channel_priority == expected


def test_auto_activate_base_is_an_alias(write: Write) -> None:
    assert load([write("auto_activate_base: false\n")]).auto_activate is False
    assert load([], CONDA_AUTO_ACTIVATE_BASE="false").auto_activate is False
    both = write("auto_activate: true\nauto_activate_base: false\n", "both.yml")
    assert load([both]).auto_activate is True  # the current name wins within a source
    low = write("auto_activate: true\n", "low.yml")
    high = write("auto_activate_base: false\n", "high.yml")
    assert load([low, high]).auto_activate is False  # precedence still decides across sources


def test_aliases_do_not_change_the_sources(write: Write) -> None:
    rc = write("auto_activate_base: false\n")
    config = load([rc])
    assert list(config.sources[0][1]) == ["auto_activate_base"]
    assert config.warnings == []


def test_env_vars_expand_in_channel_urls(write: Write) -> None:
    rc = write("channels:\n  - https://${USER_TOKEN}@corp.example/conda\n  - $UNSET_VAR/x\n"
               "env_prompt: '$NOT_EXPANDED '\n")
    config = load([rc], USER_TOKEN="s3cret")
    assert config.channels == ("https://s3cret@corp.example/conda", "$UNSET_VAR/x")
    assert config.env_prompt == "$NOT_EXPANDED "


def test_root_prefix_setting_beats_conda_root(write: Write, tmp_path: Path) -> None:
    config = load([write(f"root_prefix: {tmp_path / 'base'}\n")])
    assert config.root_prefix == str(tmp_path / "base")
    assert config.envs_dirs[0] == str(tmp_path / "base" / "envs")
    assert load([]).root_prefix == os.environ["CONDA_ROOT"]


def test_tilde_in_directories_is_the_home(write: Write, home: Path) -> None:
    config = load([write("pkgs_dirs: [~/pkgs]\n")])
    assert config.pkgs_dirs == (str(home / "pkgs"),)


# -- errors and warnings ------------------------------------------------------------------


def test_malformed_yaml_names_file_and_line(write: Write) -> None:
    rc = write("channels:\n  - a\n  - [b\noffline: true\n")
    with pytest.raises(ConfigurationError) as info:
        load([rc])
    assert str(info.value).startswith(f"{rc}: line ")
    assert "invalid YAML" in str(info.value)


def test_duplicate_keys_are_an_error_naming_the_line(write: Write) -> None:
    with pytest.raises(ConfigurationError, match=r"line 2, column 1: invalid YAML: .*dupl"):
        load([write("offline: true\noffline: false\n")])


@pytest.mark.parametrize("text", ["- a\n- b\n", "just a string\n", "42\n"])
def test_top_level_must_be_a_mapping(write: Write, text: str) -> None:
    rc = write(text)
    with pytest.raises(ConfigurationError, match="expected a mapping of settings") as info:
        load([rc])
    assert str(rc) in str(info.value)


def test_non_utf8_file_is_named(write: Write) -> None:
    rc = write(b"channels:\n  - caf\xe9\n")
    with pytest.raises(ConfigurationError, match=r"not valid UTF-8 \(byte 17\)") as info:
        load([rc])
    assert str(rc) in str(info.value)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file_is_named(write: Write) -> None:
    rc = write("offline: true\n")
    rc.chmod(0)
    try:
        with pytest.raises(ConfigurationError, match="cannot read"):
            load([rc])
    finally:
        rc.chmod(0o644)


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_files_are_fine(write: Write, text: str) -> None:
    assert load([write(text)]).channels == ("defaults",)


def test_unknown_key_is_a_warning_naming_file_line_key_and_suggestion(write: Write) -> None:
    rc = write("channels: [a]\nofline: true\n")
    config = load([rc])
    assert config.warnings == [f"{rc}: line 2: unknown setting 'ofline' "
                               f"(did you mean 'offline'?)"]


def test_wrong_type_names_file_line_and_key(write: Write) -> None:
    rc = write("channels: [a]\n\nremote_max_retries: lots\n")
    with pytest.raises(ConfigurationError) as info:
        load([rc])
    assert str(info.value) == (f"{rc}: line 3: invalid value for 'remote_max_retries': "
                               f"expected int, got 'lots'")
    assert info.value.fields["key"] == "remote_max_retries"


@pytest.mark.parametrize(("text", "reason"), [
    ("remote_max_retries: -1\n", "expected a number >= 0"),
    ("remote_connect_timeout_secs: .nan\n", "expected a number >= 0"),
    ("channel_priority: sometimes\n", "expected one of strict, flexible, disabled"),
    ("channels: conda-forge\n", "expected a list"),
    ("channels: [a, [b]]\n", "expected str"),
    ("proxy_servers: [http]\n", "expected a mapping"),
    ("offline: 2\n", "expected bool"),
    ("channel_settings: [{channel: a}, 2]\n", "expected dict"),
])
def test_invalid_values_are_refused(write: Write, text: str, reason: str) -> None:
    with pytest.raises(ConfigurationError, match=reason):
        load([write(text)])


def test_wrong_type_in_env_names_the_variable() -> None:
    with pytest.raises(ConfigurationError,
                       match=r"^environment: invalid value for 'CONDA_REMOTE_MAX_RETRIES'"):
        load([], CONDA_REMOTE_MAX_RETRIES="many")


def test_lenient_load_keeps_errors_until_the_setting_is_read(write: Write) -> None:
    rc = write("remote_max_retries: lots\noffline: nope\nchannels: [ok]\n")
    config = load([rc], strict=False)
    assert set(config.errors) == {"remote_max_retries", "offline"}
    assert config.channels == ("ok",)
    with pytest.raises(ConfigurationError, match="line 2: invalid value for 'offline'"):
        _ = config.offline
    with pytest.raises(ConfigurationError, match="invalid value"):
        config.as_dict()


def test_read_condarc_keeps_comments_and_lines(write: Write) -> None:
    data = read_condarc(write("# head\nchannels:  # mine\n  - a\noffline: true\n"))
    assert list(data) == ["channels", "offline"]
    assert data.lc.key("offline")[0] == 3  # type: ignore[attr-defined]


# -- plugin settings --------------------------------------------------------------------------

SETTINGS = [
    CondaSetting(name="greeting", description="What hello says.",
                 parameter=PrimitiveParameter("hello", str), aliases=("salute",)),
    CondaSetting(name="retries", description="How often.", parameter=PrimitiveParameter(2, int)),
    CondaSetting(name="mirrors", description="Mirrors.", parameter=SequenceParameter(str)),
    CondaSetting(name="extras", description="Extras.", parameter=MapParameter(str)),
    CondaSetting(name="fast-mode", description="Dashes.", parameter=PrimitiveParameter(False)),
]


def bound(config: Config) -> Config:
    config.bind_plugin_settings(iter(SETTINGS))
    return config


def test_plugin_settings_default() -> None:
    plugins = bound(load([])).plugins
    assert (plugins.greeting, plugins.retries, plugins.mirrors, plugins.extras) == (
        "hello", 2, (), {})


def test_plugin_settings_from_files_and_env(write: Write) -> None:
    low = write("plugins:\n  greeting: hi\n  mirrors: [m1]\n  extras: {a: '1'}\n", "low.yml")
    high = write("plugins:\n  mirrors: [m2]\n  extras: {b: '2'}\n", "high.yml")
    config = bound(load([low, high], CONDA_PLUGINS_RETRIES="5", CONDA_PLUGINS_MIRRORS="m3",
                        CONDA_PLUGINS_FAST_MODE="yes"))
    plugins = config.plugins
    assert (plugins.greeting, plugins.retries) == ("hi", 5)
    assert plugins.as_dict()["fast-mode"] is True
    assert plugins.mirrors == ("m3", "m2", "m1")
    assert plugins.extras == {"a": "1", "b": "2"}
    assert config.origin("plugins.retries") == ENV_SOURCE


def test_plugin_setting_alias(write: Write) -> None:
    assert bound(load([write("plugins: {salute: hey}\n")])).plugins.greeting == "hey"


def test_plugin_setting_of_wrong_type_names_file_line_and_key(write: Write) -> None:
    rc = write("plugins:\n  retries: often\n")
    with pytest.raises(ConfigurationError) as info:
        bound(load([rc]))
    assert str(info.value) == (f"{rc}: line 2: invalid value for 'plugins.retries': "
                               f"expected int, got 'often'")


def test_plugin_setting_of_wrong_type_from_env() -> None:
    with pytest.raises(ConfigurationError, match="'CONDA_PLUGINS_RETRIES'"):
        bound(load([], CONDA_PLUGINS_RETRIES="often"))


def test_unknown_plugin_setting_is_a_warning(write: Write) -> None:
    rc = write("plugins:\n  greting: hi\n")
    config = bound(load([rc]))
    assert config.warnings == [f"{rc}: line 2: unknown plugin setting 'greting'"]


def test_plugins_section_must_be_a_mapping(write: Write) -> None:
    rc = write("plugins: [greeting]\n")
    with pytest.raises(ConfigurationError, match=f"^{rc}: line 1: 'plugins' must be a mapping"):
        bound(load([rc]))


def test_unbound_plugin_settings_are_empty() -> None:
    config = load([])
    assert config.plugins.as_dict() == {}
    with pytest.raises(AttributeError, match="no plugin setting named 'greeting'"):
        _ = config.plugins.greeting


def test_empty_default_channels_is_kept_not_defaulted(write: Write) -> None:
    assert load([write("default_channels: []\n")]).default_channels == ()
    assert load([write("channels: [x]\n")]).default_channels == (
        "https://repo.anaconda.com/pkgs/main", "https://repo.anaconda.com/pkgs/r")


def test_windows_targets_default_to_msys2_too(write: Write) -> None:
    assert load([write("subdir: win-64\n")]).default_channels[-1] == (
        "https://repo.anaconda.com/pkgs/msys2")


def test_channel_names_resolve_against_the_installed_config(write: Write) -> None:
    from kernel.config import set_config
    from kernel.models import Channel, MatchSpec

    main = "https://repo.anaconda.com/pkgs/main"

    set_config(load([write("default_channels: []\n")]))
    assert Channel("defaults").urls() == []
    assert Channel(main).canonical_name == main
    assert not MatchSpec("defaults::numpy").match(
        {"name": "numpy", "version": "1", "build": "0", "build_number": 0,
         "channel": main})
    set_config(load([write("channels: [x]\n", "other")]))
    assert Channel(main).canonical_name == "defaults"


def test_custom_channels_default_to_conda_pkgs_pro_until_set(write: Write) -> None:
    from kernel.config import set_config
    from kernel.models import Channel

    set_config(load([]))
    assert Channel("pkgs/pro").base_url == "https://repo.anaconda.com/pkgs/pro"
    assert load([write("custom_channels: {mine: 'https://h.example'}\n")]).custom_channels == {
        "mine": "https://h.example"}
