"""The package cache: fetching (file, http), verification, retries, markers, pkgs_dirs."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kernel.errors import NoProviderError
from plugins.package_cache import (
    FetchError,
    NoWritablePkgsDirError,
    PackageCache,
    fetch_packages,
    find_entry,
    first_writable,
)
from tests.engine.pkgbuild import build_package


@pytest.fixture
def served(channel: Path) -> Iterator[tuple[str, dict[str, int]]]:
    """An HTTP server for the channel folder; ``truncate[name] = n`` cuts n responses."""
    truncate: dict[str, int] = {}

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(channel), **kwargs)

        def log_message(self, *args):  # type: ignore[no-untyped-def]
            pass

        def do_GET(self) -> None:
            name = self.path.rsplit("/", 1)[-1]
            if truncate.get(name):
                truncate[name] -= 1
                data = (channel / name).read_bytes()
                self.send_response(200)
                self.send_header("Content-Length", str(len(data) // 2))
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                return
            super().do_GET()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", truncate
    server.shutdown()
    server.server_close()


def test_fetch_from_a_file_url_extracts_and_marks(channel: Path, pkgs_dir: Path) -> None:
    path, rec = build_package(str(channel), "a", files={"a.txt": b"a"})
    rec["url"] = Path(path).as_uri()
    (entry,) = fetch_packages([rec], progress=False)
    assert entry.extracted_package_dir == str(pkgs_dir / "a-1.0-0")
    assert (pkgs_dir / "a-1.0-0/a.txt").read_bytes() == b"a"
    marker = json.loads((pkgs_dir / "a-1.0-0/info/repodata_record.json").read_text())
    assert marker["url"] == rec["url"] and marker["sha256"] == rec["sha256"]
    assert (pkgs_dir / "urls.txt").read_text() == rec["url"] + "\n"
    assert find_entry(rec) == entry
    os.unlink(path)  # cached: no fetch needed any more
    assert fetch_packages([rec], progress=False) == [entry]


def test_fetch_many_over_http_in_parallel(channel: Path, pkgs_dir: Path, served) -> None:  # type: ignore[no-untyped-def]
    base, _ = served
    records = []
    for i in range(8):
        _, rec = build_package(str(channel), f"p{i}", files={f"f{i}": os.urandom(2000)})
        rec["url"] = f"{base}/{rec['fn']}"
        records.append(rec)
    entries = fetch_packages(records, fetch_threads=4, progress=False)
    assert [e.dist for e in entries] == [f"p{i}-1.0-0" for i in range(8)]
    assert len(PackageCache(str(pkgs_dir)).urls()) == 8


def test_a_short_download_is_fetched_again(channel: Path, pkgs_dir: Path, served) -> None:  # type: ignore[no-untyped-def]
    base, truncate = served
    _, rec = build_package(str(channel), "flaky", files={"x": os.urandom(5000)})
    rec["url"] = f"{base}/{rec['fn']}"
    truncate[rec["fn"]] = 1
    (entry,) = fetch_packages([rec], progress=False)
    assert entry.dist == "flaky-1.0-0"
    assert not [n for n in os.listdir(pkgs_dir) if n.endswith(".partial")]


def test_a_checksum_mismatch_fails_clearly_and_redacted(channel: Path, pkgs_dir: Path,
                                                        served) -> None:  # type: ignore[no-untyped-def]
    base, _ = served
    _, rec = build_package(str(channel), "bad", files={"x": b"x"})
    rec["url"] = base.replace("http://", "http://user:s3cretpw@") + "/" + rec["fn"]
    rec["sha256"] = "0" * 64
    with pytest.raises(FetchError) as info:
        fetch_packages([rec], progress=False)
    message = str(info.value)
    assert "sha256 mismatch" in message and "after 2 attempts" in message
    assert "s3cretpw" not in message and "bad-1.0-0.tar.bz2" in message
    assert not [n for n in os.listdir(pkgs_dir) if n.startswith("bad")]


def test_cache_files_never_hold_url_credentials(channel: Path, pkgs_dir: Path,
                                                served) -> None:  # type: ignore[no-untyped-def]
    base, _ = served
    _, rec = build_package(str(channel), "priv", files={"x": b"x"})
    rec["url"] = base.replace("http://", "http://user:s3cretpw@") + "/" + rec["fn"]
    (entry,) = fetch_packages([rec], progress=False)
    plain = f"{base}/{rec['fn']}"  # conda's remove_auth, as in conda-meta
    assert PackageCache(str(pkgs_dir)).urls() == [plain]
    marker = json.loads((pkgs_dir / entry.dist / "info/repodata_record.json").read_text())
    assert marker["url"] == plain


def test_http_404_names_the_url(pkgs_dir: Path, served) -> None:  # type: ignore[no-untyped-def]
    base, _ = served
    rec = {"name": "gone", "version": "1", "build": "0", "fn": "gone-1-0.tar.bz2",
           "url": f"{base}/gone-1-0.tar.bz2"}
    with pytest.raises(FetchError, match=r"404.*gone-1-0\.tar\.bz2"):
        fetch_packages([rec], progress=False)


def test_incomplete_entry_without_marker_is_extracted_again(channel: Path,
                                                            pkgs_dir: Path) -> None:
    _, rec = build_package(str(channel), "half", files={"x": b"x"})
    (pkgs_dir / "half-1.0-0/info").mkdir(parents=True)
    (pkgs_dir / "half-1.0-0/junk").write_text("left by a crash")
    assert find_entry(rec) is None
    fetch_packages([rec], progress=False)
    assert (pkgs_dir / "half-1.0-0/x").read_bytes() == b"x"
    assert not (pkgs_dir / "half-1.0-0/junk").exists()


def test_corrupt_tarball_in_cache_is_replaced(channel: Path, pkgs_dir: Path) -> None:
    path, rec = build_package(str(channel), "c", files={"x": b"x"})
    pkgs_dir.mkdir(parents=True, exist_ok=True)
    (pkgs_dir / rec["fn"]).write_bytes(b"garbage")
    fetch_packages([rec], progress=False)
    assert (pkgs_dir / rec["fn"]).read_bytes() == Path(path).read_bytes()


def test_first_writable_pkgs_dir_wins(tmp_path: Path, channel: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    good = tmp_path / "good"
    assert first_writable([str(blocked / "pkgs"), str(good)]).pkgs_dir == str(good)
    with pytest.raises(NoWritablePkgsDirError, match="a-file/pkgs"):
        first_writable([str(blocked / "pkgs")])


def test_read_only_cache_entries_are_used(tmp_path: Path, channel: Path) -> None:
    _, rec = build_package(str(channel), "ro", files={"x": b"x"})
    shared = tmp_path / "shared-cache"
    fetch_packages([rec], pkgs_dirs=[str(shared)], progress=False)
    os.unlink(rec["url"])
    (entry,) = fetch_packages([rec], pkgs_dirs=[str(tmp_path / "mine"), str(shared)],
                              progress=False)
    assert entry.pkgs_dir == str(shared)


def test_unknown_archive_format_says_no_extractor(tmp_path: Path, channel: Path) -> None:
    path, rec = build_package(str(channel), "z", files={"x": b"x"})
    zpath = shutil.copy(path, tmp_path / "z-1.0-0.zip")
    rec.update(fn="z-1.0-0.zip", url=str(zpath))
    with pytest.raises(NoProviderError, match="no package extractor plugin handles"):
        fetch_packages([rec], progress=False)


def test_extractor_plugins_load_before_the_fetch_threads_start(  # type: ignore[no-untyped-def]
        channel: Path, pkgs_dir: Path, served, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two threads importing the lazily loaded extractors at once could each see half the
    list; the fetcher asks for them once, on its own thread, before starting any."""
    import kernel.manager

    manager = kernel.manager.get_plugin_manager()
    asked_from: list[str] = []
    original = manager.hook_results

    def recording(hook_name: str, **kwargs):  # type: ignore[no-untyped-def]
        if hook_name == "conda_package_extractors":
            asked_from.append(threading.current_thread().name)
        return original(hook_name, **kwargs)

    monkeypatch.setattr(manager, "hook_results", recording)
    base, _ = served
    records = []
    for i in range(3):
        _, rec = build_package(str(channel), f"t{i}", files={f"f{i}": b"x"})
        rec["url"] = f"{base}/{rec['fn']}"
        records.append(rec)
    fetch_packages(records, fetch_threads=3, progress=False)
    assert asked_from[0] == threading.main_thread().name
