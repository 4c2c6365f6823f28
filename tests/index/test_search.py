"""``conda search`` end to end through kernel.cli.main, against a real local server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kernel.cli import main
from tests.network.server import ChannelServer

INDEX2 = "derived/conda-index2-channel"
RECIPES = "conda/tests/data/test-recipes"
TOKEN = "tk-5ecret-abcdef"


@pytest.fixture(autouse=True)
def _models() -> None:
    import kernel.models

    if not hasattr(kernel.models, "PackageRecord"):
        pytest.skip("kernel.models has no PackageRecord yet (written in parallel)")


@pytest.fixture
def search_env(server: ChannelServer, channel_dir: Any, tmp_path: Path,
               monkeypatch: pytest.MonkeyPatch) -> Any:
    """Configure a run with the real reporters; returns a runner for ``conda search``."""
    from plugins.reporters import console
    from plugins.reporters import json as json_backend
    from tests.network.helpers import configure_run

    channel_dir(INDEX2, "index2")
    channel_dir(RECIPES, "recipes")

    def run(*argv: str, **settings: Any) -> int:
        values = {"channels": [f"{server.url}/index2"], "subdirs": ["linux-64", "noarch"],
                  **settings}
        configure_run(tmp_path, monkeypatch, values, console, json_backend)
        from kernel.manager import get_plugin_manager
        from tests.kernel.fakes import Reporters

        manager = get_plugin_manager()
        manager.unregister(name="reporters")
        del Reporters
        return main(["search", *argv])

    return run


def test_table(search_env: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert search_env("numpy>=1.13") == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("Loading channels: ") and lines[0].endswith("done")
    assert lines[1].split() == ["#", "Name", "Version", "Build", "Channel"]
    rows = [line.split() for line in lines[2:] if line.strip()]
    assert rows and all(r[0] == "numpy" for r in rows)
    assert all(int(r[1].split(".")[1]) >= 13 for r in rows)
    versions = [r[1] for r in rows]
    assert versions == sorted(versions, key=lambda v: tuple(int(x) for x in v.split(".")))


def test_json_shape(search_env: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert search_env("numpy 1.13.1", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["numpy"]
    first = data["numpy"][0]
    for key in ("name", "version", "build", "build_number", "depends", "fn", "subdir", "url",
                "md5"):
        assert key in first
    assert {r["version"] for r in data["numpy"]} == {"1.13.1"}


def test_glob_and_channel_flags(search_env: Any, server: ChannelServer,
                                capsys: pytest.CaptureFixture[str]) -> None:
    assert search_env("*dependen*", "-c", f"{server.url}/recipes", "--override-channels",
                      "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"another_dependent", "dependency", "dependent", "other_dependent"}


def test_platform_flag(search_env: Any, server: ChannelServer,
                       capsys: pytest.CaptureFixture[str]) -> None:
    assert search_env("*", "-c", f"{server.url}/recipes", "--override-channels",
                      "--platform", "linux-fake", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    subdirs = {r["subdir"] for records in data.values() for r in records}
    assert "linux-fake" in subdirs and subdirs <= {"linux-fake", "noarch"}


def test_info(search_env: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert search_env("numpy 1.13.1", "-i") == 0
    out = capsys.readouterr().out
    assert "file name   : numpy-1.13.1-" in out and "dependencies:" in out
    assert "\n  - python" in out


def test_no_match(search_env: Any, server: ChannelServer,
                  capsys: pytest.CaptureFixture[str]) -> None:
    assert search_env("numpyx") == 1
    err = capsys.readouterr().err
    assert err.startswith("PackagesNotFoundInChannelsError: The following packages are not "
                          "available from current channels:")
    assert "  - numpyx" in err and f"  - {server.url}/index2/linux-64" in err
    assert search_env("numpyx", "--json") == 1
    data = json.loads(capsys.readouterr().out)
    assert data["exception_name"] == "PackagesNotFoundInChannelsError"
    assert data["packages"] == ["numpyx"] and data["channel_urls"][0].endswith("linux-64")


def test_offline(search_env: Any, server: ChannelServer,
                 capsys: pytest.CaptureFixture[str]) -> None:
    assert search_env("numpy", "--offline") == 1
    assert "offline mode: no cached repodata" in capsys.readouterr().err
    assert server.log == []
    assert search_env("numpy") == 0
    count = len(server.log)
    assert search_env("numpy", "--offline") == 0
    assert search_env("numpy", "-C") == 0
    assert len(server.log) == count


def test_channel_errors_are_one_line(search_env: Any, server: ChannelServer,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert search_env("numpy", "-c", f"{server.url}/missing", "--override-channels") == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("UnavailableInvalidChannel: channel not found:") and "\n" not in err
    assert "/missing/noarch/repodata.json" in err and "Traceback" not in err


@pytest.mark.security
def test_secrets_never_leak(search_env: Any, server: ChannelServer, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    server.url_tokens.add(TOKEN)
    private = f"{server.url}/t/{TOKEN}/index2"
    assert search_env("numpy 1.13.1", "--json", channels=[private]) == 0
    assert search_env("numpy 1.13.1", channels=[private]) == 0
    assert search_env("numpy", "-c", f"{server.url}/t/{TOKEN}/missing",
                      "--override-channels") == 1
    assert search_env("numpy", "--json", "-c", f"http://u:{TOKEN}@127.0.0.1:1/x",
                      "--override-channels", remote_max_retries=0) == 1
    out, err = capsys.readouterr()
    assert TOKEN not in out and TOKEN not in err
    assert "<TOKEN>" in err or "***" in out + err
    for path in (tmp_path / "pkgs").rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path


def test_envs(search_env: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prefix = tmp_path / "envs" / "work"
    (prefix / "conda-meta").mkdir(parents=True)
    record = {"name": "zlib", "version": "1.2.11", "build": "0", "build_number": 0,
              "depends": [], "fn": "zlib-1.2.11-0.tar.bz2", "subdir": "linux-64",
              "channel": "https://conda.anaconda.org/conda-forge/linux-64",
              "url": "https://conda.anaconda.org/conda-forge/linux-64/zlib-1.2.11-0.tar.bz2"}
    (prefix / "conda-meta" / "zlib-1.2.11-0.json").write_text(json.dumps(record))
    assert search_env("zlib", "--envs", envs_dirs=[str(tmp_path / "envs")]) == 0
    out = capsys.readouterr().out
    assert "zlib" in out and str(prefix) in out and "1.2.11" in out


def test_flexible_search(search_env: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert search_env("umpy") == 0
    out = capsys.readouterr().out
    assert "No match found for: umpy. Search: *umpy*" in out and "\nnumpy " in out
    assert search_env("umpy", "--skip-flexible-search") == 1
