"""Sharded repodata (CEP 16) served by a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import msgpack
import pytest
import zstandard

from kernel.errors import ChannelError
from plugins.index.shard_format import SHARD_INDEX_FN, parse_index
from plugins.index.shard_writer import write_shards
from tests.network.server import ChannelServer

INDEX2 = "derived/conda-index2-channel"


def shard_channel(folder: Path) -> None:
    """Write our shards beside every subdir's repodata.json of ``folder``."""
    for repodata in folder.glob("*/repodata.json"):
        data = json.loads(repodata.read_text())
        for tmp, target in write_shards(str(repodata.parent), data, _write):
            Path(tmp).replace(target)


def _write(path: str, data: bytes) -> str:
    Path(path + ".tmp").write_bytes(data)
    return path + ".tmp"


@pytest.fixture
def channels(server: ChannelServer, channel_dir: Any) -> tuple[str, str]:
    """index2 served twice: ``/mono`` (repodata.json only) and ``/sharded`` (both)."""
    channel_dir(INDEX2, "mono")
    shard_channel(channel_dir(INDEX2, "sharded"))
    return f"{server.url}/mono", f"{server.url}/sharded"


def load(channel: str, **kw: Any) -> Any:
    from plugins.index import load_index

    return load_index(channels=[channel], override_channels=True, virtual=False, **kw)


def shard_gets(server: ChannelServer) -> list[str]:
    return [p for p in server.paths() if p.endswith(".msgpack.zst")
            and not p.endswith(SHARD_INDEX_FN)]


def solve(index: Any, *specs: str) -> list[str]:
    from kernel.models import MatchSpec
    from kernel.types import SolveRequest
    from plugins.solvers.sat import _backend

    request = SolveRequest(source=index, specs_to_add=tuple(MatchSpec(s) for s in specs))
    return sorted(str(r.url) for r in _backend(request).link)


def record_fields(records: list[Any]) -> list[tuple[Any, ...]]:
    return [(r.url, r.md5, r.sha256, r.size, r.depends, r.constrains, r.timestamp, r.subdir,
             r.build_number, str(r.channel)) for r in records]


def test_records_and_solutions_match_repodata_json(channels: tuple[str, str], configure: Any,
                                                   server: ChannelServer) -> None:
    mono_url, sharded_url = channels
    configure(subdirs=["linux-64", "noarch"])
    mono, sharded = load(mono_url), load(sharded_url)
    assert not any(p.endswith("repodata.json") for p in server.paths() if "/sharded/" in p)
    for specs in (("numpy",), ("scipy", "pandas")):
        answer = solve(sharded, *specs)
        assert answer
        assert answer == [u.replace("/mono/", "/sharded/") for u in solve(mono, *specs)]
    for name in ("numpy", "python", "openssl", "mkl"):
        assert record_fields(sharded.records(name)) == [
            tuple(str(v).replace("/mono", "/sharded") if i in (0, 9) else v
                  for i, v in enumerate(row)) for row in record_fields(mono.records(name))]
    assert sorted(sharded.names()) == sorted(mono.names())


def test_only_the_shards_a_solve_reaches_are_fetched_once(
        channels: tuple[str, str], configure: Any, server: ChannelServer) -> None:
    _, sharded_url = channels
    configure(subdirs=["linux-64", "noarch"], local_repodata_ttl=3600)
    first = solve(load(sharded_url), "numpy")
    fetched = shard_gets(server)
    assert len(fetched) == len(set(fetched))
    names = len(parse_index((server.root / "sharded/linux-64" / SHARD_INDEX_FN).read_bytes(),
                            "x")[1])
    assert 5 < len(fetched) < names / 4
    server.log.clear()
    from kernel.session import clear_sessions

    clear_sessions()
    assert solve(load(sharded_url), "numpy") == first
    assert shard_gets(server) == []  # every shard came from the cache
    assert server.paths() == []  # and the index was fresh (max-age by ttl)


def test_offline_reads_cached_index_and_shards(channels: tuple[str, str], configure: Any,
                                               server: ChannelServer) -> None:
    _, sharded_url = channels
    configure(subdirs=["linux-64", "noarch"])
    online = solve(load(sharded_url), "numpy")
    server.log.clear()
    configure(subdirs=["linux-64", "noarch"], offline=True)
    assert solve(load(sharded_url), "numpy") == online
    assert server.paths() == []
    with pytest.raises(ChannelError, match=r"offline mode: the shard of 'bokeh' is not "
                                           r"cached \(http://127\.0\.0\.1:\d+/sharded/"):
        load(sharded_url).records("bokeh")


def test_index_revalidated_with_its_etag(channels: tuple[str, str], configure: Any,
                                         server: ChannelServer) -> None:
    _, sharded_url = channels
    configure(subdirs=["linux-64", "noarch"], local_repodata_ttl=0)
    load(sharded_url)
    server.log.clear()
    load(sharded_url)
    asked = [h for p, h in server.log if p.endswith(SHARD_INDEX_FN)]
    assert len(asked) == 2 and all("If-None-Match" in h for h in asked)


def test_setting_off_reads_repodata_json(channels: tuple[str, str], configure: Any,
                                         server: ChannelServer) -> None:
    _, sharded_url = channels
    configure(subdirs=["linux-64", "noarch"], repodata_use_shards=False)
    assert load(sharded_url).records("numpy")
    assert not any(p.endswith(".msgpack.zst") for p in server.paths())


def test_channel_without_shards_is_remembered(channels: tuple[str, str], configure: Any,
                                              server: ChannelServer) -> None:
    mono_url, _ = channels
    configure(subdirs=["linux-64", "noarch"], local_repodata_ttl=0)
    load(mono_url)
    assert sum(p.endswith(SHARD_INDEX_FN) for p in server.paths()) == 2
    server.log.clear()
    load(mono_url)
    assert not any(p.endswith(SHARD_INDEX_FN) for p in server.paths())


def test_conda_search_fetches_only_the_shard_it_looks_for(
        channels: tuple[str, str], server: ChannelServer, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from kernel.cli import main
    from plugins.reporters import console
    from plugins.reporters import json as json_backend
    from tests.network.helpers import configure_run

    _, sharded_url = channels
    configure_run(tmp_path, monkeypatch, {"channels": [sharded_url],
                                          "subdirs": ["linux-64", "noarch"]},
                  console, json_backend, fake_reporters=False)
    assert main(["search", "numpy>=1.13", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert list(found) == ["numpy"] and found["numpy"]
    assert len(shard_gets(server)) == 1
    assert not any(p.endswith((".json", ".json.zst")) for p in server.paths())


def test_conda_search_glob_fetches_the_matching_shards_and_refuses_bare_star(
        channels: tuple[str, str], server: ChannelServer, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from kernel.cli import main
    from plugins.reporters import console
    from plugins.reporters import json as json_backend
    from tests.network.helpers import configure_run

    _, sharded_url = channels
    configure_run(tmp_path, monkeypatch, {"channels": [sharded_url],
                                          "subdirs": ["linux-64", "noarch"]},
                  console, json_backend, fake_reporters=False)
    assert main(["search", "py*", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    per_subdir = [[n for n in parse_index((server.root / "sharded" / subdir /
                                           SHARD_INDEX_FN).read_bytes(), "x")[1]
                   if n.startswith("py")] for subdir in ("linux-64", "noarch")]
    assert sorted(found) == sorted({n for names in per_subdir for n in names})
    assert len(shard_gets(server)) == sum(map(len, per_subdir)) > 10
    assert main(["search", "*", "--json"]) == 1
    assert "Cannot search for bare '*'" in json.loads(capsys.readouterr().out)["message"]
    assert len(shard_gets(server)) == sum(map(len, per_subdir))


# -- base_url and shards_base_url -------------------------------------------------------------


def rewrite_index(subdir: Path, **info: Any) -> dict[str, Any]:
    path = subdir / SHARD_INDEX_FN
    index = msgpack.unpackb(zstandard.ZstdDecompressor().decompressobj().decompress(
        path.read_bytes()))
    index["info"].update(info)
    path.write_bytes(zstandard.ZstdCompressor().compress(msgpack.packb(index)))
    return dict(index)


@pytest.mark.parametrize("where", ["relative", "absolute"])
def test_shards_and_packages_elsewhere(channels: tuple[str, str], configure: Any,
                                       server: ChannelServer, where: str) -> None:
    _, sharded_url = channels
    linux = server.root / "sharded" / "linux-64"
    moved = server.root / "blobs" / "linux-64"
    moved.mkdir(parents=True)
    for shard in linux.glob("*.msgpack.zst"):
        if shard.name != SHARD_INDEX_FN:
            shard.rename(moved / shard.name)
    if where == "relative":
        rewrite_index(linux, shards_base_url="../../blobs/linux-64/", base_url="../pkgs/")
        packages = f"{sharded_url}/pkgs/"
    else:
        rewrite_index(linux, shards_base_url=f"{server.url}/blobs/linux-64",
                      base_url="https://mirror.example/linux-64/")
        packages = "https://mirror.example/linux-64/"
    configure(subdirs=["linux-64", "noarch"])
    records = load(sharded_url).records("numpy")
    assert records and all(str(r.url).startswith(packages) for r in records
                           if r.subdir == "linux-64")
    assert any("/blobs/linux-64/" in p for p in shard_gets(server))


# -- bad input --------------------------------------------------------------------------------


def a_shard(server: ChannelServer, name: str) -> Path:
    linux = server.root / "sharded" / "linux-64"
    _, shards = parse_index((linux / SHARD_INDEX_FN).read_bytes(), "x")
    return linux / f"{shards[name]}.msgpack.zst"


def shard_cache(tmp_path: Path) -> Path:
    return tmp_path / "pkgs" / "cache" / "shards"


def test_shard_not_matching_its_sha256(channels: tuple[str, str], configure: Any,
                                       server: ChannelServer, tmp_path: Path) -> None:
    _, sharded_url = channels
    path = a_shard(server, "numpy")
    path.write_bytes(a_shard(server, "zlib").read_bytes())
    configure(subdirs=["linux-64", "noarch"])
    with pytest.raises(ChannelError, match=rf"shard http://127\.0\.0\.1:\d+/sharded/linux-64/"
                                           rf"{path.name} does not match its sha256"):
        load(sharded_url).records("numpy")
    assert not (shard_cache(tmp_path) / path.name).exists()
    assert not list(shard_cache(tmp_path).glob(".*tmp"))


def test_truncated_shard(channels: tuple[str, str], configure: Any, server: ChannelServer,
                         tmp_path: Path) -> None:
    _, sharded_url = channels
    path = a_shard(server, "zlib")
    server.truncate[f"/sharded/linux-64/{path.name}"] = 20
    configure(subdirs=["linux-64", "noarch"])
    with pytest.raises(ChannelError, match=rf"{path.name}"):
        load(sharded_url).records("zlib")
    assert not (shard_cache(tmp_path) / path.name).exists()


def test_shard_that_is_not_msgpack(channels: tuple[str, str], configure: Any,
                                   server: ChannelServer, tmp_path: Path) -> None:
    _, sharded_url = channels
    linux = server.root / "sharded" / "linux-64"
    bogus = zstandard.ZstdCompressor().compress(b"\xc1 this is not msgpack")
    digest = hashlib.sha256(bogus).hexdigest()
    (linux / f"{digest}.msgpack.zst").write_bytes(bogus)
    index = rewrite_index(linux)
    index["shards"]["zlib"] = bytes.fromhex(digest)
    (linux / SHARD_INDEX_FN).write_bytes(zstandard.ZstdCompressor().compress(
        msgpack.packb(index)))
    configure(subdirs=["linux-64", "noarch"])
    with pytest.raises(ChannelError, match=rf"corrupt shard http://127\.0\.0\.1:\d+/sharded/"
                                           rf"linux-64/{digest}\.msgpack\.zst: not msgpack"):
        load(sharded_url).records("zlib")
    assert not (shard_cache(tmp_path) / f"{digest}.msgpack.zst").exists()


def test_index_naming_a_missing_shard(channels: tuple[str, str], configure: Any,
                                      server: ChannelServer) -> None:
    _, sharded_url = channels
    path = a_shard(server, "zlib")
    path.unlink()
    configure(subdirs=["linux-64", "noarch"])
    with pytest.raises(ChannelError, match=rf"HTTP 404 NOT FOUND for the shard of 'zlib' in "
                                           rf"channel .*<http://127\.0\.0\.1:\d+/sharded/"
                                           rf"linux-64/{path.name}>"):
        load(sharded_url).records("zlib")


def test_corrupt_cached_shard_is_refetched(channels: tuple[str, str], configure: Any,
                                           server: ChannelServer, tmp_path: Path) -> None:
    _, sharded_url = channels
    configure(subdirs=["linux-64", "noarch"])
    expected = record_fields(load(sharded_url).records("zlib"))
    name = a_shard(server, "zlib").name
    cached = shard_cache(tmp_path) / name
    cached.write_bytes(cached.read_bytes()[:-5])
    server.log.clear()
    assert record_fields(load(sharded_url).records("zlib")) == expected
    assert any(p.endswith(name) for p in shard_gets(server))
    assert hashlib.sha256(cached.read_bytes()).hexdigest() == name.split(".")[0]


def test_corrupt_shard_index_names_it_and_keeps_the_cache(
        channels: tuple[str, str], configure: Any, server: ChannelServer) -> None:
    _, sharded_url = channels
    (server.root / "sharded" / "linux-64" / SHARD_INDEX_FN).write_bytes(b"\x28\xb5\x2f\xfd")
    configure(subdirs=["linux-64", "noarch"])
    with pytest.raises(ChannelError, match=r"shard index http://127\.0\.0\.1:\d+/sharded/"
                                           r"linux-64/repodata_shards\.msgpack\.zst"):
        load(sharded_url)


def test_clean_index_cache_removes_shards(channels: tuple[str, str], configure: Any,
                                          tmp_path: Path) -> None:
    _, sharded_url = channels
    configure(subdirs=["linux-64", "noarch"])
    load(sharded_url).records("numpy")
    assert list(shard_cache(tmp_path).iterdir())
    from kernel.cli import main
    from kernel.config import set_config
    from kernel.manager import get_plugin_manager
    from plugins.subcommands import clean

    get_plugin_manager().register(clean, "clean")
    set_config(None)
    assert main(["clean", "--index-cache", "-y"]) == 0
    assert not shard_cache(tmp_path).exists()


def test_removed_files_are_left_out_both_ways(server: ChannelServer, channel_dir: Any,
                                              configure: Any) -> None:
    repodata_path = channel_dir(INDEX2, "removed") / "linux-64" / "repodata.json"
    repodata = json.loads(repodata_path.read_text())
    gone = sorted(fn for fn, r in repodata["packages"].items() if r["name"] == "numpy")[0]
    repodata["removed"] = [gone]
    repodata_path.write_text(json.dumps(repodata))
    shard_channel(repodata_path.parent.parent)
    fns = []
    for shards in (True, False):
        configure(subdirs=["linux-64", "noarch"], repodata_use_shards=shards,
                  pkgs_dirs=[str(server.root.parent / f"pkgs-{shards}")])
        fns.append(sorted(r.fn for r in load(f"{server.url}/removed").records("numpy")))
    assert fns[0] == fns[1] and fns[0] and gone not in fns[0]


def test_shards_go_through_the_channel_session(channels: tuple[str, str], configure: Any,
                                               server: ChannelServer,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _, sharded_url = channels
    server.bearer["/sharded/"] = "s3cret-token"
    monkeypatch.setenv("SHARD_TOKEN", "s3cret-token")
    configure(subdirs=["linux-64", "noarch"],
              channel_settings=[{"channel": sharded_url, "auth": "token",
                                 "token_env": "SHARD_TOKEN"}])
    assert load(sharded_url).records("numpy")
    sent = [h for p, h in server.log if p.endswith(".msgpack.zst")]
    assert len(sent) > 5
    assert all(h.get("Authorization") == "Bearer s3cret-token" for h in sent)
    assert all("conda" in h.get("User-Agent", "") for h in sent)  # the session plugin header


def test_conda_test_suite_sharded_channel_reads_like_its_repodata(
        server: ChannelServer, channel_dir: Any, configure: Any, tmp_path: Path) -> None:
    """conda's own sharded test channel (``conda_format_repo``, linux-64 sharded)."""
    channel_dir("conda/tests/data/conda_format_repo", "cfr")
    rows = []
    for shards in (True, False):
        configure(subdirs=["linux-64", "noarch"], repodata_use_shards=shards,
                  pkgs_dirs=[str(tmp_path / f"pkgs-{shards}")])
        rows.append(record_fields(load(f"{server.url}/cfr").records("zlib")))
    assert rows[0] == rows[1] and [r[0].rsplit("/", 1)[1] for r in rows[0]] == [
        "zlib-1.2.11-h7b6447c_3.conda"]
    assert any(p.endswith("56a0c19b47ba1a2d0f1390eda489b1c49a00d35814571057e6d81e0c93dfd157"
                          ".msgpack.zst") for p in server.paths())


def test_index_fresh_by_max_age_is_not_asked_again(channels: tuple[str, str], configure: Any,
                                                   server: ChannelServer) -> None:
    _, sharded_url = channels
    server.cache_control = "public, max-age=600"
    configure(subdirs=["linux-64", "noarch"])  # local_repodata_ttl: 1, conda's default
    load(sharded_url)
    server.log.clear()
    load(sharded_url)
    assert not any(p.endswith(SHARD_INDEX_FN) for p in server.paths())
