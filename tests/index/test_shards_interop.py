"""Sharded channels written by ``conda index --shards`` (ours) and by conda-index
``--write-shards`` (pip-installed into a temp venv; skipped when PyPI is unreachable) are
read by our index with the same records as their ``repodata.json``."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path
from typing import Any

import msgpack
import pytest
import zstandard

from plugins.index.shard_format import SHARD_INDEX_FN, parse_index
from tests.network.server import ChannelServer

REPO = Path(__file__).resolve().parents[2]
ARCHIVES = {"noarch": ("flask-0.11.1-py_0.tar.bz2", "spiffy-test-app-0.5-pyh6afbcc8_0.tar.bz2"),
            "osx-64": ("conda-index-pkg-a-1.0-py27h5e241af_0.conda",
                       "conda-index-pkg-a-1.0-py27h5e241af_0.tar.bz2", "fly-2.5.2-0.tar.bz2")}
# conda-index imports two names from conda (VersionOrder for channeldata, the platform
# list); conda is not on PyPI, so the venv gets them from microconda's own models
SHIM = {"conda/__init__.py": "", "conda/models/__init__.py": "", "conda/base/__init__.py": "",
        "conda/models/version.py": "from kernel.models import VersionOrder as VersionOrder\n",
        "conda/base/constants.py": "from kernel.models.channel_url import KNOWN_SUBDIRS as "
                                   "PLATFORM_DIRECTORIES\n"}


@pytest.fixture(scope="module")
def conda_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a temp venv with conda-index installed from the package registry."""
    target = tmp_path_factory.mktemp("conda-index") / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    try:
        done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                               "-q", "--disable-pip-version-check", "conda-index"],
                              capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        pytest.skip("conda-index could not be installed from PyPI (timed out)")
    if done.returncode != 0:
        pytest.skip(f"conda-index could not be installed from PyPI: "
                    f"{done.stderr.strip().splitlines()[-1:]}")
    site = Path(subprocess.run([python, "-c", "import sysconfig; "
                                "print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    for relative, text in SHIM.items():
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_text(text)
    (site / "microconda.pth").write_text(f"{REPO}\n{sysconfig.get_paths()['purelib']}\n")
    return python


@pytest.fixture
def archives(server: ChannelServer, shared_data: Path) -> Path:
    root = server.root / "chan"
    source = shared_data / "conda-index" / "tests" / "archives"
    for subdir, names in ARCHIVES.items():
        (root / subdir).mkdir(parents=True)
        for fn in names:
            shutil.copy(source / fn, root / subdir / fn)
            (root / subdir / fn).chmod(0o644)
    return root


def records_both_ways(url: str, configure: Any,
                      tmp_path: Path) -> tuple[list[Any], list[Any], list[Any]]:
    """``(records via shards, via repodata.json, names)`` of the channel at ``url``."""
    from kernel.session import clear_sessions
    from plugins.index import load_index

    out = []
    for shards in (True, False):
        configure(subdirs=["osx-64", "noarch"], repodata_use_shards=shards,
                  pkgs_dirs=[str(tmp_path / f"pkgs-{shards}")])
        clear_sessions()
        index = load_index(channels=[url], override_channels=True, virtual=False)
        names = sorted(index.names())
        out.append([(r.url, r.md5, r.sha256, r.size, r.depends, r.timestamp, r.subdir,
                     r.noarch) for name in names for r in index.records(name)])
    return out[0], out[1], names


def decoded(path: Path) -> Any:
    return msgpack.unpackb(zstandard.ZstdDecompressor().decompressobj().decompress(
        path.read_bytes()))


def test_our_shards_are_read_by_us(archives: Path, server: ChannelServer, configure: Any,
                                   tmp_path: Path) -> None:
    from plugins.environment.channel_index import index_channel

    index_channel(str(archives), shards=True)
    assert (archives / "osx-64" / SHARD_INDEX_FN).is_file()
    via_shards, via_json, names = records_both_ways(f"{server.url}/chan", configure,
                                                     tmp_path)
    assert names == ["conda-index-pkg-a", "flask", "fly", "spiffy-test-app"]
    assert via_shards == via_json and len(via_shards) == 4  # .conda preferred
    shard_paths = [p for p in server.paths() if p.endswith(".msgpack.zst")]
    assert len(shard_paths) == 2 + 4
    index_channel(str(archives))  # without --shards: the stale index goes
    assert not (archives / "osx-64" / SHARD_INDEX_FN).exists()


def test_conda_index_shards_are_read_by_us(conda_index: Path, archives: Path,
                                           server: ChannelServer, configure: Any,
                                           tmp_path: Path) -> None:
    done = subprocess.run([conda_index, "-m", "conda_index", "--write-shards",
                           "--no-current-repodata", str(archives)],
                          capture_output=True, text=True, timeout=300, cwd=archives.parent)
    assert done.returncode == 0, done.stderr[-2000:]
    via_shards, via_json, names = records_both_ways(f"{server.url}/chan", configure,
                                                     tmp_path)
    assert names == ["conda-index-pkg-a", "flask", "fly", "spiffy-test-app"]
    assert via_shards == via_json and len(via_shards) == 4


def test_our_shard_format_is_conda_index_format(conda_index: Path, archives: Path,
                                                tmp_path: Path) -> None:
    from plugins.environment.channel_index import index_channel

    theirs = tmp_path / "theirs"
    shutil.copytree(archives, theirs)
    done = subprocess.run([conda_index, "-m", "conda_index", "--write-shards",
                           "--no-current-repodata", str(theirs)],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    index_channel(str(archives), shards=True)
    for subdir in ARCHIVES:
        ours_index, theirs_index = (decoded(root / subdir / SHARD_INDEX_FN)
                                    for root in (archives, theirs))
        assert ours_index.keys() == theirs_index.keys()
        assert ours_index["version"] == theirs_index["version"] == 1
        assert ours_index["info"].keys() == theirs_index["info"].keys()
        assert ours_index["shards"].keys() == theirs_index["shards"].keys()
        _, ours = parse_index((archives / subdir / SHARD_INDEX_FN).read_bytes(), "x")
        _, their = parse_index((theirs / subdir / SHARD_INDEX_FN).read_bytes(), "x")
        for name in ours:
            mine = decoded(archives / subdir / f"{ours[name]}.msgpack.zst")
            other = decoded(theirs / subdir / f"{their[name]}.msgpack.zst")
            for key in ("packages", "packages.conda"):
                assert mine[key].keys() == other[key].keys()
                for fn, record in other[key].items():
                    for field in ("sha256", "md5", "size", "name", "version", "build"):
                        assert mine[key][fn][field] == record[field]
                    assert isinstance(record["sha256"], bytes) and len(record["sha256"]) == 32
