"""The Index RecordSource over real channels served on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kernel import hookimpl
from kernel.errors import ArgumentError
from kernel.types import CondaPackageExtractor, RecordSource
from plugins.index.index import (
    DEFAULT_EXTENSIONS,
    package_extensions,
    resolve_channels,
    select_files,
)
from tests.network.server import ChannelServer

INDEX2 = "derived/conda-index2-channel"
RECIPES = "conda/tests/data/test-recipes"
BASE_URL = "conda/tests/data/base_url_channel"


def _models() -> None:
    import kernel.models

    if not hasattr(kernel.models, "PackageRecord"):
        pytest.skip("kernel.models has no PackageRecord yet (written in parallel)")


def test_select_files_prefers_conda() -> None:
    fns = ["a-1-0.tar.bz2", "a-1-0.conda", "a-2-0.tar.bz2", "README", "b-1-0.whl"]
    assert select_files(fns, DEFAULT_EXTENSIONS) == {"a-1-0.conda", "a-2-0.tar.bz2"}
    assert select_files(fns, (".tar.bz2",)) == {"a-1-0.tar.bz2", "a-2-0.tar.bz2"}


class Wheels:
    @hookimpl
    def conda_package_extractors(self):
        yield CondaPackageExtractor(name="whl", extensions=[".whl"],  # type: ignore[list-item]
                                    extract=lambda a, b: None)


def test_extensions_follow_extractor_plugins() -> None:
    from kernel.manager import PluginManager

    manager = PluginManager()
    assert package_extensions(manager, False) == DEFAULT_EXTENSIONS
    assert package_extensions(manager, True) == (".tar.bz2",)
    manager.register(Wheels(), "wheels")
    assert package_extensions(manager, False) == (".whl",)


def test_resolve_channels(configure: Any) -> None:
    config = configure(channels=["conda-forge", "defaults"])
    assert resolve_channels(config, ["bioconda", "defaults"]) == [
        "bioconda", "defaults", "conda-forge"]
    assert resolve_channels(config, ["x"], override_channels=True) == ["x"]
    with pytest.raises(ArgumentError, match="requires at least one -c"):
        resolve_channels(config, [], override_channels=True)


@pytest.fixture
def two_channels(server: ChannelServer, channel_dir: Any) -> tuple[str, str]:
    channel_dir(INDEX2, "index2")
    channel_dir(RECIPES, "recipes")
    return f"{server.url}/index2", f"{server.url}/recipes"


def test_records_by_priority_and_lazily(two_channels: tuple[str, str], configure: Any) -> None:
    _models()
    from plugins.index import load_index

    index2, recipes = two_channels
    configure(channels=[recipes, index2], subdirs=["linux-64", "noarch"])
    index = load_index(virtual=False)
    assert isinstance(index, RecordSource)
    assert index._records == {}  # nothing built yet
    numpy = index.records("numpy")
    assert list(index._records) == ["numpy"]
    assert numpy and {r.name for r in numpy} == {"numpy"}
    assert {index.channel_rank(r) for r in numpy} == {1}
    deps = index.records("dependency")
    assert deps and {index.channel_rank(r) for r in deps} == {0}
    assert index.records("numpy") is numpy
    assert "numpy" in index.names() and "dependency" in index.names()
    record = numpy[0]
    assert record.url.startswith(f"{index2}/linux-64/numpy-")
    assert index.records("no-such-package") == []


def test_channel_minus_c_first_and_priority_disabled(two_channels: tuple[str, str],
                                                     configure: Any) -> None:
    _models()
    from plugins.index import load_index

    index2, recipes = two_channels
    configure(channels=[recipes], channel_priority="disabled")
    index = load_index([index2], subdirs=["linux-64", "noarch"], virtual=False)
    assert {index.channel_rank(r) for r in index.records("numpy")} == {0}
    configure(channels=[recipes])
    index = load_index([index2], subdirs=["linux-64", "noarch"], virtual=False)
    assert {index.channel_rank(r) for r in index.records("numpy")} == {0}
    assert {index.channel_rank(r) for r in index.records("dependency")} == {1}


def test_multichannel_members_share_a_rank(two_channels: tuple[str, str],
                                           configure: Any) -> None:
    _models()
    from plugins.index import load_index

    index2, recipes = two_channels
    configure(channels=["defaults"], default_channels=[recipes, index2])
    index = load_index(subdirs=["linux-64", "noarch"], virtual=False)
    assert {index.channel_rank(r) for r in index.records("numpy")} == {0}
    assert {index.channel_rank(r) for r in index.records("dependency")} == {0}


def test_base_url_and_packages_conda(server: ChannelServer, channel_dir: Any,
                                     configure: Any) -> None:
    _models()
    from plugins.index import load_index

    channel_dir(BASE_URL, "based")
    configure(channels=[f"{server.url}/based"])
    index = load_index(subdirs=["linux-64", "noarch"], virtual=False)
    (record,) = index.records("ca-certificates")
    assert record.url == ("https://repo.anaconda.com/pkgs/main/linux-64/"
                          "ca-certificates-2024.3.11-h06a4308_0.conda")


def test_base_url_of_a_token_channel_gets_the_token_as_in_conda(
        server: ChannelServer, configure: Any, channel_dir: Any) -> None:
    _models()
    from plugins.index import load_index
    from plugins.index.credentials import with_credentials

    channel_dir(BASE_URL, "based")
    server.url_tokens.add("tk-b4se")
    configure(channels=[f"{server.url}/t/tk-b4se/based"])
    (record,) = load_index(subdirs=["linux-64", "noarch"], virtual=False).records(
        "ca-certificates")
    fn = "ca-certificates-2024.3.11-h06a4308_0.conda"
    assert record.url == f"https://repo.anaconda.com/t/<TOKEN>/pkgs/main/linux-64/{fn}"
    assert with_credentials(record.url) == (
        f"https://repo.anaconda.com/t/tk-b4se/pkgs/main/linux-64/{fn}")


def test_conda_replaces_tar_bz2(server: ChannelServer, configure: Any) -> None:
    _models()
    from plugins.index import load_index

    record = {"name": "a", "version": "1", "build": "0", "build_number": 0, "depends": []}
    data = {"info": {"subdir": "noarch"}, "packages": {"a-1-0.tar.bz2": record},
            "packages.conda": {"a-1-0.conda": record}}
    target = server.root / "dual" / "noarch" / "repodata.json"
    target.parent.mkdir(parents=True)
    target.write_text(json.dumps(data))
    configure(channels=[f"{server.url}/dual"])
    assert [r.fn for r in load_index(subdirs=["noarch"], virtual=False).records("a")] == [
        "a-1-0.conda"]
    configure(channels=[f"{server.url}/dual"], use_only_tar_bz2=True)
    assert [r.fn for r in load_index(subdirs=["noarch"], virtual=False).records("a")] == [
        "a-1-0.tar.bz2"]


def test_virtual_packages_join_the_index(two_channels: tuple[str, str], configure: Any,
                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _models()
    from kernel.manager import get_plugin_manager
    from plugins.index import load_index
    from plugins.virtual_packages import linux

    index2, _ = two_channels
    configure(channels=[index2], subdir="linux-64")
    get_plugin_manager().register(linux, "virtual-linux")
    index = load_index(virtual=True)
    assert "__linux" in index.names()
    (record,) = index.records("__linux")
    assert index.channel_rank(record) == 0
