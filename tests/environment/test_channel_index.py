"""``conda index``: repodata written the way conda-index writes it, atomically."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
import zstandard

ARCHIVES = ("conda-index-pkg-a-1.0-py27h5e241af_0.conda", "flask-0.11.1-py_0.tar.bz2",
            "spiffy-test-app-0.5-pyh6afbcc8_0.tar.bz2")


@pytest.fixture
def channel(shared_data: Path, tmp_path: Path) -> Path:
    root = tmp_path / "channel"
    (root / "noarch").mkdir(parents=True)
    (root / "osx-64").mkdir()
    source = shared_data / "conda-index" / "tests" / "archives"
    for fn in ARCHIVES:
        folder = "osx-64" if fn.startswith("conda-index-pkg-a") else "noarch"
        shutil.copy(source / fn, root / folder / fn)
        (root / folder / fn).chmod(0o644)
    return root


def test_index_writes_repodata_and_zst(conda, channel: Path) -> None:
    result = conda("index", channel)
    assert result.code == 0, result.err
    assert "noarch: 2 package(s) indexed" in result.out
    noarch = json.loads((channel / "noarch" / "repodata.json").read_text())
    assert noarch["info"] == {"subdir": "noarch"}
    assert noarch["repodata_version"] == 1
    assert noarch["packages.conda"] == {}
    flask = noarch["packages"]["flask-0.11.1-py_0.tar.bz2"]
    data = (channel / "noarch" / "flask-0.11.1-py_0.tar.bz2").read_bytes()
    assert flask["sha256"] == hashlib.sha256(data).hexdigest()
    assert flask["md5"] == hashlib.md5(data).hexdigest()
    assert flask["size"] == len(data)
    assert (flask["name"], flask["version"], flask["noarch"]) == ("flask", "0.11.1", "python")
    osx = json.loads((channel / "osx-64" / "repodata.json").read_text())
    assert list(osx["packages.conda"]) == ["conda-index-pkg-a-1.0-py27h5e241af_0.conda"]
    packed = (channel / "osx-64" / "repodata.json.zst").read_bytes()
    raw = zstandard.ZstdDecompressor().decompress(packed, max_output_size=1 << 24)
    assert raw == (channel / "osx-64" / "repodata.json").read_bytes()


def test_index_creates_empty_noarch(conda, tmp_path: Path) -> None:
    (tmp_path / "ch" / "linux-64").mkdir(parents=True)
    assert conda("index", tmp_path / "ch").code == 0
    data = json.loads((tmp_path / "ch" / "noarch" / "repodata.json").read_text())
    assert data["packages"] == {} and data["packages.conda"] == {}


def test_index_json_output_and_reuse(conda, channel: Path) -> None:
    first = conda("--json", "index", channel)
    assert first.json() == {"success": True, "channel": str(channel),
                            "subdirs": {"noarch": 2, "osx-64": 1}, "skipped": []}
    before = (channel / "noarch" / "repodata.json").read_text()
    assert conda("index", channel).code == 0
    assert (channel / "noarch" / "repodata.json").read_text() == before


def test_no_skip_invalid_stops_at_a_bad_archive_and_writes_nothing(conda, channel: Path) -> None:
    (channel / "noarch" / "broken-1.0-0.tar.bz2").write_bytes(b"not a package")
    result = conda("index", channel, "--no-skip-invalid")
    assert result.code == 1
    assert "broken-1.0-0.tar.bz2" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not (channel / "noarch" / "repodata.json").exists()
    assert not list(channel.rglob("*.tmp"))


def test_corrupt_archives_are_skipped_with_a_warning_and_counted(
        conda, channel: Path, shared_data: Path) -> None:
    corrupt = shared_data / "conda-index" / "tests" / "index_data" / "corrupt" / "noarch"
    bad = sorted(p.name for p in corrupt.iterdir() if p.name.endswith((".conda", ".tar.bz2")))
    assert len(bad) == 2
    for fn in bad:
        shutil.copy(corrupt / fn, channel / "noarch" / fn)
    result = conda("index", channel)
    assert result.code == 0, result.err
    for fn in bad:
        assert fn in result.err
    assert "noarch: 2 package(s) indexed" in result.out
    assert "2 package file(s) skipped" in result.out
    noarch = json.loads((channel / "noarch" / "repodata.json").read_text())
    assert sorted(noarch["packages"]) == ["flask-0.11.1-py_0.tar.bz2",
                                          "spiffy-test-app-0.5-pyh6afbcc8_0.tar.bz2"]
    as_json = conda("--json", "index", channel).json()
    assert sorted(Path(p).name for p in as_json["skipped"]) == bad


def test_missing_channel_folder(conda, tmp_path: Path) -> None:
    result = conda("--json", "index", tmp_path / "nope")
    assert result.code == 1
    assert "channel folder not found" in result.json()["message"]


def test_index_shards_writes_an_index_and_one_shard_per_name(conda, channel: Path) -> None:
    from plugins.index.shard_format import SHARD_INDEX_FN, parse_index, parse_shard

    assert conda("index", "--shards", channel).code == 0
    info, shards = parse_index((channel / "noarch" / SHARD_INDEX_FN).read_bytes(), "x")
    assert info["subdir"] == "noarch" and sorted(shards) == ["flask", "spiffy-test-app"]
    shard = parse_shard((channel / "noarch" / f"{shards['flask']}.msgpack.zst").read_bytes(),
                        "x", shards["flask"])
    repodata = json.loads((channel / "noarch" / "repodata.json").read_text())
    assert list(shard["packages"]) == ["flask-0.11.1-py_0.tar.bz2"]
    flask = repodata["packages"]["flask-0.11.1-py_0.tar.bz2"]
    assert shard["packages"]["flask-0.11.1-py_0.tar.bz2"]["sha256"] == bytes.fromhex(
        flask["sha256"])
    assert not list(channel.rglob("*.tmp"))
