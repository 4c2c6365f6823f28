"""Channel, MultiChannel and ChannelContext: names, URLs and paths resolved as conda does."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernel.errors import InvalidChannel
from kernel.models import (
    Channel,
    ChannelContext,
    MultiChannel,
    get_channel_context,
    set_channel_context,
)

CA = "https://conda.anaconda.org"
MAIN = "https://repo.anaconda.com/pkgs/main"
R = "https://repo.anaconda.com/pkgs/r"


def test_a_name_lives_under_the_channel_alias():
    channel = Channel("conda-forge")
    assert (channel.scheme, channel.location, channel.name) == ("https", "conda.anaconda.org",
                                                                "conda-forge")  # fmt: skip
    assert channel.canonical_name == "conda-forge"
    assert channel.base_url == f"{CA}/conda-forge"
    assert channel.urls() == [f"{CA}/conda-forge/linux-64", f"{CA}/conda-forge/noarch"]
    assert channel.url() == f"{CA}/conda-forge/linux-64"
    assert str(channel) == f"{CA}/conda-forge"
    assert repr(channel) == 'Channel("conda-forge")'


def test_a_name_with_a_subdir():
    channel = Channel("conda-forge/osx-arm64")
    assert channel.platform == channel.subdir == "osx-arm64"
    assert channel.name == "conda-forge"
    assert channel.urls() == [f"{CA}/conda-forge/osx-arm64", f"{CA}/conda-forge/noarch"]
    assert str(channel) == f"{CA}/conda-forge/osx-arm64"


def test_urls_for_given_subdirs():
    assert Channel("bioconda").urls(subdirs=("win-64",)) == [f"{CA}/bioconda/win-64"]
    with pytest.raises(TypeError):
        Channel("bioconda").urls(subdirs="linux-64")  # type: ignore[arg-type]


def test_defaults_is_a_multichannel():
    defaults = Channel("defaults")
    assert isinstance(defaults, MultiChannel)
    assert defaults.canonical_name == "defaults"
    assert defaults.base_url is None and defaults.url() is None
    assert defaults.base_urls == (MAIN, R)
    assert defaults.urls() == [f"{MAIN}/linux-64", f"{MAIN}/noarch", f"{R}/linux-64",
                               f"{R}/noarch"]  # fmt: skip
    assert [c.name for c in defaults.channels] == ["pkgs/main", "pkgs/r"]


def test_defaults_with_a_subdir():
    assert Channel("defaults/osx-64").urls() == [f"{MAIN}/osx-64", f"{MAIN}/noarch",
                                                 f"{R}/osx-64", f"{R}/noarch"]  # fmt: skip


def test_default_channel_urls_are_canonically_defaults():
    for value in (f"{MAIN}/linux-64", MAIN, "pkgs/main", "pkgs/r"):
        assert Channel(value).canonical_name == "defaults", value
    assert Channel(f"{MAIN}/win-64").platform == "win-64"


def test_other_repo_anaconda_channels_keep_their_url():
    channel = Channel("https://repo.anaconda.com/pkgs/free")
    assert channel.name == "pkgs/free"
    assert channel.canonical_name == "https://repo.anaconda.com/pkgs/free"


def test_channel_alias_urls_reduce_to_the_name():
    channel = Channel(f"{CA}/conda-forge/linux-64/numpy-1.26.4-py312h0_0.conda")
    assert channel.canonical_name == "conda-forge"
    assert channel.platform == "linux-64"
    assert channel.package_filename == "numpy-1.26.4-py312h0_0.conda"
    assert channel.url() == f"{CA}/conda-forge/linux-64/numpy-1.26.4-py312h0_0.conda"
    assert channel.subdir_url == f"{CA}/conda-forge/linux-64"


def test_token_and_credentials_are_parsed():
    channel = Channel(
        "http://user:pass@some.host:8080/t/tk-123-456/some/path/linux-64/a-1-0.tar.bz2"
    )
    assert channel.scheme == "http"
    assert channel.auth == "user:pass"
    assert channel.token == "tk-123-456"
    assert channel.location == "some.host:8080"
    assert channel.name == "some/path"
    assert channel.platform == "linux-64"
    assert channel.package_filename == "a-1-0.tar.bz2"
    assert channel.canonical_name == "http://some.host:8080/some/path"


def test_credentials_only_appear_when_asked_for():
    channel = Channel("https://user:s3cret@host.example/t/tk-999/chan")
    for shown in (str(channel), repr(channel), channel.base_url or "", *channel.urls(),
                  channel.url() or "", channel.canonical_name):  # fmt: skip
        assert "s3cret" not in shown and "tk-999" not in shown, shown
    assert (
        channel.url(with_credentials=True)
        == "https://user:s3cret@host.example/t/tk-999/chan/linux-64"
    )
    assert channel.urls(True)[1] == "https://user:s3cret@host.example/t/tk-999/chan/noarch"


def test_invalid_url_error_hides_credentials():
    with pytest.raises(InvalidChannel) as info:
        Channel("https://user:s3cret@host.example:notaport/t/tk-999/chan")
    assert "s3cret" not in str(info.value) and "tk-999" not in str(info.value)


def test_anaconda_enterprise_conda_prefix_stays_in_the_location():
    channel = Channel("https://repo.example.com/conda/mychan/noarch")
    assert channel.location == "repo.example.com/conda"
    assert channel.name == "mychan"
    assert channel.platform == "noarch"
    assert channel.urls() == ["https://repo.example.com/conda/mychan/noarch"]


def test_a_url_without_a_path():
    channel = Channel("https://host.example:8443")
    assert channel.location == "host.example:8443"
    assert channel.name == ""
    assert channel.base_url == "https://host.example:8443"


def test_absolute_path_becomes_a_file_channel(tmp_path: Path):
    channel = Channel(str(tmp_path / "chan"))
    assert channel.scheme == "file"
    assert channel.name == "chan"
    assert channel.canonical_name == f"file://{tmp_path}/chan"
    assert channel.urls() == [f"file://{tmp_path}/chan/linux-64", f"file://{tmp_path}/chan/noarch"]


def test_relative_and_home_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert Channel("./local").canonical_name == f"file://{tmp_path}/local"
    assert Channel("~/chans/mine").canonical_name == f"file://{tmp_path}/home/chans/mine"


def test_file_url_with_subdir():
    channel = Channel("file:///opt/channel/noarch")
    assert channel.canonical_name == "file:///opt/channel"
    assert channel.platform == "noarch"
    assert channel.urls() == ["file:///opt/channel/noarch"]


def test_non_ascii_path_is_percent_encoded_in_urls():
    channel = Channel("/tmp/ñ chan")
    assert channel.name == "ñ chan"
    assert channel.base_url == "file:///tmp/ñ chan"


def test_unknown_channel():
    for value in (None, "<unknown>", "None:///<unknown>", "None"):
        channel = Channel(value)
        assert channel.canonical_name == "<unknown>"
        assert channel.base_url is None and channel.url() is None
        assert channel.urls() == Channel("defaults").urls()


def test_equality_by_location_and_name():
    assert Channel("conda-forge") == Channel(f"{CA}/conda-forge/linux-64")
    assert Channel("conda-forge") == "conda-forge"
    assert Channel("conda-forge") != Channel("bioconda")
    assert Channel("conda-forge") != 3
    assert len({Channel("conda-forge"), Channel("conda-forge/noarch")}) == 1


def test_parsed_channels_are_cached():
    assert Channel("conda-forge") is Channel("conda-forge")
    assert Channel(Channel("bioconda")) is Channel("bioconda")


def test_channels_pickle():
    for value in ("conda-forge/linux-64", "defaults", "https://h.example/t/tk-1/c"):
        channel = Channel(value)
        again = pickle.loads(pickle.dumps(channel))
        assert again == channel and again.canonical_name == channel.canonical_name


def test_built_from_parts():
    channel = Channel(scheme="https", location="repo.example.com", name="chan", platform="noarch")
    assert channel.base_url == "https://repo.example.com/chan"
    assert str(channel) == "https://repo.example.com/chan/noarch"


# -- contexts ----------------------------------------------------------------------------------
def test_custom_channel_alias():
    set_channel_context(ChannelContext(channel_alias="https://u:p@ca.example.com:8443/conda",
                                       subdir="linux-64"))  # fmt: skip
    channel = Channel("mychan")
    assert channel.location == "ca.example.com:8443/conda"
    assert channel.canonical_name == "mychan"
    assert channel.urls() == ["https://ca.example.com:8443/conda/mychan/linux-64",
                              "https://ca.example.com:8443/conda/mychan/noarch"]  # fmt: skip
    assert channel.url(True) == "https://u:p@ca.example.com:8443/conda/mychan/linux-64"
    assert Channel("https://ca.example.com:8443/conda/mychan").canonical_name == "mychan"


def test_custom_channels():
    set_channel_context(ChannelContext(custom_channels={"darwin": "https://some.url/stuff"},
                                       subdir="linux-64"))  # fmt: skip
    channel = Channel("darwin")
    assert channel.location == "some.url/stuff"
    assert channel.base_url == "https://some.url/stuff/darwin"
    assert channel.canonical_name == "darwin"
    sub = Channel("darwin/sub/linux-64")
    assert (sub.name, sub.platform, sub.canonical_name) == ("darwin/sub", "linux-64", "darwin/sub")
    by_url = Channel("https://some.url/stuff/darwin/noarch")
    assert (by_url.name, by_url.canonical_name) == ("darwin", "darwin")


def test_custom_multichannels():
    set_channel_context(ChannelContext(
        custom_multichannels={"michele": ["https://do.it.with/passion", "learn_from_every_thing"]},
        subdir="osx-64",
    ))  # fmt: skip
    channel = Channel("michele")
    assert isinstance(channel, MultiChannel)
    assert channel.urls() == [
        "https://do.it.with/passion/osx-64", "https://do.it.with/passion/noarch",
        f"{CA}/learn_from_every_thing/osx-64", f"{CA}/learn_from_every_thing/noarch",
    ]  # fmt: skip
    assert Channel("https://do.it.with/passion").canonical_name == "michele"


def test_custom_default_channels():
    set_channel_context(ChannelContext(default_channels=["https://mirror.example/main"],
                                       subdir="linux-64"))  # fmt: skip
    assert Channel("defaults").urls() == ["https://mirror.example/main/linux-64",
                                          "https://mirror.example/main/noarch"]  # fmt: skip
    assert Channel("https://mirror.example/main").canonical_name == "defaults"


def test_migrated_channel_alias():
    set_channel_context(ChannelContext(migrated_channel_aliases=["https://old.example.com"],
                                       subdir="linux-64"))  # fmt: skip
    channel = Channel("https://old.example.com/bioconda/linux-64")
    assert channel.location == "conda.anaconda.org"
    assert channel.canonical_name == "bioconda"


def test_migrated_custom_channel():
    set_channel_context(ChannelContext(
        custom_channels={"mine": "https://new.example.com/chans"},
        migrated_custom_channels={"mine": "https://old.example.com/chans"},
        subdir="linux-64",
    ))  # fmt: skip
    channel = Channel("https://old.example.com/chans/mine/noarch")
    assert channel.location == "new.example.com/chans"
    assert channel.name == "mine"


def test_context_subdirs_drive_urls():
    set_channel_context(ChannelContext(subdir="win-64"))
    assert get_channel_context().subdirs == ("win-64", "noarch")
    assert Channel("conda-forge").urls() == [f"{CA}/conda-forge/win-64", f"{CA}/conda-forge/noarch"]


def test_an_explicit_context_overrides_the_installed_one():
    other = ChannelContext(channel_alias="https://alias.example", subdir="osx-arm64")
    assert Channel.from_value("x", other).base_url == "https://alias.example/x"
    assert Channel("x").base_url == f"{CA}/x"


def test_setting_the_context_drops_cached_parses():
    before = Channel("foo")
    set_channel_context(ChannelContext(channel_alias="https://alias.example", subdir="linux-64"))
    assert Channel("foo").base_url == "https://alias.example/foo"
    assert before.base_url == f"{CA}/foo"


def test_default_context_detects_the_platform():
    set_channel_context(None)
    context = get_channel_context()
    assert context.subdir in context.known_subdirs
    assert context.subdirs[-1] == "noarch"


_url_text = st.text(alphabet=st.sampled_from(list("abc:/@.t-_~1%\\ +*?#[]")), max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=30), _url_text.map(lambda t: "https://" + t),
                 _url_text.map(lambda t: "file://" + t)))  # fmt: skip
def test_any_text_is_a_channel_or_invalid_channel(text: str):
    try:
        channel = Channel(text)
    except InvalidChannel:
        return
    assert isinstance(channel.canonical_name, str)
    assert all(isinstance(url, str) for url in channel.urls())
    str(channel), repr(channel), channel.url(), channel.base_url


def test_custom_multichannel_named_defaults_beats_default_channels():
    set_channel_context(ChannelContext(
        default_channels=["https://mirror.example/main"],
        custom_multichannels={"defaults": ["https://other.example/stable"]}, subdir="linux-64",
    ))  # fmt: skip
    assert Channel("defaults").urls() == ["https://other.example/stable/linux-64",
                                          "https://other.example/stable/noarch"]  # fmt: skip
    assert Channel("https://mirror.example/main").canonical_name == "https://mirror.example/main"
