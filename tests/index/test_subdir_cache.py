"""Fetching one subdir into conda's cache layout, revalidation, zst, offline, bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from kernel.errors import ChannelError
from plugins.index.cache import CacheEntry, cache_key, is_fresh
from plugins.index.subdir import Subdir
from tests.network.server import ChannelServer

INDEX2 = "derived/conda-index2-channel"


def _subdir(server: ChannelServer, config: Any, name: str = "index2",
            subdir: str = "linux-64") -> Subdir:
    folder = Path(config.pkgs_dirs[0]) / "cache"
    folder.mkdir(parents=True, exist_ok=True)
    return Subdir(f"{server.url}/{name}/{subdir}", name, subdir, folder)


def _load(sub: Subdir, config: Any, **kw: bool) -> Any:
    return sub.load(config, offline=kw.get("offline", False),
                    use_cache=kw.get("use_cache", False))


def test_cold_fetch_writes_conda_layout(server: ChannelServer, channel_dir: Any,
                                        configure: Any) -> None:
    channel_dir(INDEX2, "index2")
    config = configure(repodata_use_zst=False)
    sub = _subdir(server, config)
    sparse = _load(sub, config)
    assert len(sparse.names()) == 121 or len(sparse.names()) > 100
    assert {fn for fn, _ in sparse.raw_records("numpy")} and sparse.info["subdir"] == "linux-64"
    key = cache_key(f"{server.url}/index2/linux-64")
    assert sub.entry.json_path.name == f"{key}.json"
    state = json.loads(sub.entry.state_path.read_text())
    stat = os.stat(sub.entry.json_path)
    assert state["url"] == f"{server.url}/index2/linux-64/repodata.json"
    assert state["etag"].startswith('"') and state["mod"].endswith("GMT")
    assert (state["size"], state["mtime_ns"]) == (stat.st_size, stat.st_mtime_ns)
    assert sub.entry.index_path.exists()
    leftovers = [p.name for p in sub.entry.json_path.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_revalidation_304_and_max_age(server: ChannelServer, channel_dir: Any,
                                      configure: Any) -> None:
    channel_dir(INDEX2, "index2")
    config = configure(repodata_use_zst=False, local_repodata_ttl=0)
    sub = _subdir(server, config)
    _load(sub, config)
    before = sub.entry.json_path.stat().st_mtime_ns
    sparse = _load(sub, config)
    path, headers = server.log[-1]
    assert path.endswith("repodata.json") and "If-None-Match" in headers
    assert "If-Modified-Since" in headers
    assert sub.entry.json_path.stat().st_mtime_ns == before  # 304: reused, not rewritten
    assert sparse.raw_records("numpy")
    # ttl=1 honours max-age from Cache-Control: no request at all while fresh
    server.cache_control = "public, max-age=300"
    config = configure(repodata_use_zst=False, local_repodata_ttl=0)
    _load(_subdir(server, config), config)  # picks up the Cache-Control header
    config = configure(repodata_use_zst=False, local_repodata_ttl=1)
    count = len(server.log)
    _load(_subdir(server, config), config)
    assert len(server.log) == count


def test_is_fresh() -> None:
    import time

    now = time.time_ns()
    assert is_fresh({"cache_control": "max-age=60", "refresh_ns": now}, 1)
    assert is_fresh({"cache_control": "max-age=60", "refresh_ns": now}, True)
    assert not is_fresh({"cache_control": "max-age=60", "refresh_ns": now}, 0)
    assert not is_fresh({"cache_control": "no-cache", "refresh_ns": now}, 1)
    assert is_fresh({"refresh_ns": now - 5 * 10**9}, 30)
    assert not is_fresh({"refresh_ns": now - 50 * 10**9}, 30)


def test_zst_only_channel(server: ChannelServer, channel_dir: Any, configure: Any) -> None:
    import zstandard

    root = channel_dir(INDEX2, "zst")
    raw = (root / "linux-64" / "repodata.json").read_bytes()
    (root / "linux-64" / "repodata.json.zst").write_bytes(zstandard.compress(raw))
    server.no_json.add("/zst/")
    config = configure()
    sub = _subdir(server, config, "zst")
    sparse = _load(sub, config)
    assert sparse.raw_records("numpy")
    state = json.loads(sub.entry.state_path.read_text())
    assert state["url"].endswith("repodata.json.zst") and state["has_zst"]["value"] is True
    assert sub.entry.json_path.read_bytes() == raw  # the cache holds plain JSON
    config = configure(local_repodata_ttl=0)
    _load(_subdir(server, config, "zst"), config)
    assert server.log[-1][0].endswith(".zst") and "If-None-Match" in server.log[-1][1]


def test_no_zst_is_remembered(server: ChannelServer, channel_dir: Any, configure: Any) -> None:
    channel_dir(INDEX2, "index2")
    config = configure(local_repodata_ttl=0)
    sub = _subdir(server, config)
    _load(sub, config)
    assert [p for p in server.paths()][-2:] == ["/index2/linux-64/repodata.json.zst",
                                                "/index2/linux-64/repodata.json"]
    assert json.loads(sub.entry.state_path.read_text())["has_zst"]["value"] is False
    _load(_subdir(server, config), config)
    assert server.paths()[-1] == "/index2/linux-64/repodata.json"
    assert not server.paths()[-2].endswith("repodata.json") or len(server.paths()) == 3


def test_offline_and_use_index_cache(server: ChannelServer, channel_dir: Any,
                                     configure: Any) -> None:
    channel_dir(INDEX2, "index2")
    config = configure(local_repodata_ttl=0)
    with pytest.raises(ChannelError, match="offline mode: no cached repodata for http"):
        _load(_subdir(server, config), config, offline=True)
    assert server.log == []
    _load(_subdir(server, config), config)
    count = len(server.log)
    assert _load(_subdir(server, config), config, offline=True).raw_records("numpy")
    assert _load(_subdir(server, config), config, use_cache=True).raw_records("numpy")
    assert len(server.log) == count


def test_warm_load_uses_the_sidecar(server: ChannelServer, channel_dir: Any,
                                    configure: Any) -> None:
    channel_dir(INDEX2, "index2")
    config = configure()
    sub = _subdir(server, config)
    _load(sub, config)
    warm = _load(_subdir(server, config), config, offline=True)
    assert warm._data is None  # names known without reading the JSON
    assert "numpy" in warm.names() and warm.raw_records("numpy")
    # a stale sidecar (the raw file changed behind it) is ignored and rebuilt
    data = json.loads(sub.entry.json_path.read_text())
    data["packages"] = {k: v for k, v in data["packages"].items() if v["name"] != "numpy"}
    sub.entry.json_path.write_text(json.dumps(data))
    rebuilt = _load(_subdir(server, config), config, offline=True)
    assert "numpy" not in rebuilt.names() and rebuilt.raw_records("scipy")


def test_404_noarch_is_channel_not_found(server: ChannelServer, configure: Any) -> None:
    config = configure()
    with pytest.raises(ChannelError) as info:
        _load(_subdir(server, config, "nothere", "noarch"), config)
    assert str(info.value).startswith("channel not found: channel nothere <http://127.0.0.1:")
    assert "/nothere/noarch/repodata.json> (HTTP 404" in str(info.value)
    empty = _load(_subdir(server, config, "nothere", "linux-64"), config)
    assert empty.names() == []


@pytest.mark.parametrize(("body", "match"), [
    (b'{"packages": {"a-1-0.tar.bz2": {"name": "a", "version": "1"', "truncated repodata"),
    (b'{"packages": {"a-1-0.tar.bz2": {"name": "a",, }}}', "malformed repodata"),
    (b'\xff\xfe{}', "not UTF-8 at byte 0"),
])
def test_bad_repodata_never_reaches_the_cache(server: ChannelServer, configure: Any,
                                              body: bytes, match: str) -> None:
    target = server.root / "bad" / "noarch" / "repodata.json"
    target.parent.mkdir(parents=True)
    target.write_text('{"packages": {"ok-1-0.tar.bz2": {"name": "ok", "version": "1"}}}')
    config = configure(local_repodata_ttl=0, repodata_use_zst=False)
    sub = _subdir(server, config, "bad", "noarch")
    _load(sub, config)
    good = sub.entry.json_path.read_bytes(), sub.entry.state_path.read_bytes()
    target.write_bytes(body)
    with pytest.raises(ChannelError, match=match) as info:
        _load(_subdir(server, config, "bad", "noarch"), config)
    assert f"{server.url}/bad/noarch/repodata.json" in str(info.value)
    if b"\xff" not in body:
        assert "line 1 column" in str(info.value)
    assert (sub.entry.json_path.read_bytes(), sub.entry.state_path.read_bytes()) == good


def test_cut_short_download(server: ChannelServer, channel_dir: Any, configure: Any) -> None:
    channel_dir(INDEX2, "index2")
    server.truncate["/index2/linux-64/repodata.json"] = 1000
    config = configure(repodata_use_zst=False, remote_max_retries=0)
    sub = _subdir(server, config)
    with pytest.raises(ChannelError, match="cut short after 1000 of 1469118 bytes: "
                                           "the connection closed"):
        _load(sub, config)
    assert not sub.entry.json_path.exists() and not sub.entry.state_path.exists()


def test_file_channel(shared_data: Path, configure: Any) -> None:
    config = configure()
    folder = Path(config.pkgs_dirs[0]) / "cache"
    folder.mkdir(parents=True)
    url = (shared_data / INDEX2 / "noarch").as_uri()
    sparse = Subdir(url, "index2", "noarch", folder).load(config, offline=False,
                                                           use_cache=False)
    assert sparse.names()


def test_state_mismatch_is_ignored(tmp_path: Path) -> None:
    entry = CacheEntry(tmp_path, "https://h/ch/noarch")
    entry.write_json(b"{}")
    entry.write_state({"url": "u", "etag": "e"})
    assert entry.read_state()["etag"] == "e"
    entry.write_json(b'{"changed": 1}')  # crash between the two writes
    assert entry.read_state() == {}


@pytest.mark.reliability
def test_crash_between_writes_recovers(server: ChannelServer, channel_dir: Any,
                                       configure: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import plugins.index.cache as cache_module

    channel_dir(INDEX2, "index2")
    config = configure(repodata_use_zst=False, local_repodata_ttl=0)
    sub = _subdir(server, config)
    real_replace = os.replace

    def crash_on_state(src: Any, dst: Any) -> None:
        if str(dst).endswith(".info.json"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(cache_module.os, "replace", crash_on_state)
    with pytest.raises(ChannelError, match="cannot write the repodata cache"):
        _load(sub, config)
    monkeypatch.setattr(cache_module.os, "replace", real_replace)
    leftovers = [p for p in sub.entry.json_path.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
    assert sub.entry.read_state() == {}  # no state: the next run fetches again
    sparse = _load(_subdir(server, config), config)
    assert "If-None-Match" not in server.log[-1][1] and sparse.raw_records("numpy")


@pytest.mark.reliability
def test_concurrent_loads_agree(server: ChannelServer, channel_dir: Any,
                                configure: Any) -> None:
    from concurrent.futures import ThreadPoolExecutor

    channel_dir(INDEX2, "index2")
    config = configure(repodata_use_zst=False, local_repodata_ttl=0)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: _load(_subdir(server, config), config), range(4)))
    expected = sorted(results[0].names())
    assert all(sorted(r.names()) == expected for r in results)
    warm = _load(_subdir(server, config), config, offline=True)
    assert len(warm.raw_records("numpy")) == len(results[0].raw_records("numpy"))


def test_background_sync_hands_its_error_to_the_waiter(tmp_path: Path) -> None:
    from plugins.index.cache import sync_in_background

    (tmp_path / "there").write_bytes(b"{}")
    sync_in_background(tmp_path / "there")()  # synced, nothing raised
    wait = sync_in_background(tmp_path / "missing")
    with pytest.raises(FileNotFoundError):
        wait()
