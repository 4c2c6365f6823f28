"""create --clone, install --revision N and list --revisions on test-recipes prefixes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.environment.conftest import tree_digest

pytestmark = pytest.mark.usefixtures("solver_available")


def _meta(prefix: Path) -> set[str]:
    return {p.name for p in (prefix / "conda-meta").glob("*.json")}


def test_clone_copies_records_and_untracked_files(conda, recipes: str, tmp_path: Path,
                                                  env_setup: Path) -> None:
    src, dst = tmp_path / "src", tmp_path / "dst"
    assert conda("create", "-p", src, "dependent=1.0", "-y").code == 0
    (src / "etc").mkdir(exist_ok=True)
    (src / "etc" / "notes.txt").write_text(f"home={src}/share\n")
    (src / "blob.bin").write_bytes(b"\xff\xfe" + str(src).encode() + b"\x00")

    before = tree_digest(tmp_path, env_setup)
    dry = conda("create", "-p", dst, "--clone", src, "--dry-run")
    assert dry.code == 0, dry.err
    assert "The following NEW packages will be INSTALLED:" in dry.out
    assert tree_digest(tmp_path, env_setup) == before  # --dry-run wrote nothing

    result = conda("create", "-p", dst, "--clone", src, "-y")
    assert result.code == 0, result.err
    assert _meta(dst) == _meta(src) == {"dependent-1.0-0.json", "dependency-1.0-0.json"}
    assert (dst / "etc" / "notes.txt").read_text() == f"home={dst}/share\n"
    assert (dst / "blob.bin").read_bytes() == (src / "blob.bin").read_bytes()
    record = json.loads((dst / "conda-meta" / "dependent-1.0-0.json").read_text())
    assert str(src) not in json.dumps(record)
    assert "# update specs: ['dependent=1.0']" in (dst / "conda-meta" / "history").read_text()
    listed = conda("--json", "list", "-p", dst).json()
    assert [r["dist_name"] for r in listed] == ["dependency-1.0-0", "dependent-1.0-0"]

    bad = conda("create", "-p", tmp_path / "x", "--clone", src, "versioned", "-y")
    assert bad.code == 2 and bad.err.strip().splitlines() == [
        "ArgumentError: did not expect any arguments for --clone"]
    missing = conda("--json", "create", "-p", tmp_path / "y", "--clone", tmp_path / "nope")
    assert missing.code == 1
    assert (missing.json()["exception_name"], missing.json()["location"]) == (
        "EnvironmentLocationNotFound", str(tmp_path / "nope"))
    assert not (tmp_path / "y").exists()


def test_revisions_log_and_revert(conda, recipes: str, tmp_path: Path, env_setup: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    prefix = tmp_path / "env"
    assert conda("create", "-p", prefix, "dependent=1.0", "-y").code == 0
    assert conda("install", "-p", prefix, "dependent=2.0", "-y").code == 0
    assert "dependent-2.0-0.json" in _meta(prefix)

    text = conda("list", "-p", prefix, "--revisions").out
    channel = f"{recipes}/noarch"
    assert "(rev 0)" in text and "(rev 1)" in text
    assert f"    +dependent-1.0 ({channel})" in text
    assert f"     dependent  {{1.0 ({channel}) -> 2.0 ({channel})}}" in text
    log = conda("--json", "list", "-p", prefix, "--revisions").json()
    assert log[0]["install"] == [f"dependency-1.0-0-{channel}", f"dependent-1.0-0-{channel}"]
    assert {"old": f"dependent-1.0-0-{channel}", "new": f"dependent-2.0-0-{channel}"} \
        in log[1]["upgrade"]
    assert log[1]["downgrade"] == [] and log[1]["rev"] == 1

    # the records of revision 0 come from the package cache: no channel is needed
    monkeypatch.setenv("CONDA_CHANNELS", "file:///nonexistent-channel-set-by-test")
    before = tree_digest(prefix, env_setup)
    dry = conda("install", "-p", prefix, "--revision", "0", "--dry-run")
    assert dry.code == 0, dry.err
    assert "The following packages will be DOWNGRADED:" in dry.out
    assert tree_digest(prefix, env_setup) == before

    result = conda("install", "-p", prefix, "--revision", "0", "-y")
    assert result.code == 0, result.err
    assert _meta(prefix) == {"dependent-1.0-0.json", "dependency-1.0-0.json"}
    log = conda("--json", "list", "-p", prefix, "--revisions").json()
    assert len(log) == 3 and log[2]["upgrade"] == []
    assert {"old": f"dependent-2.0-0-{channel}", "new": f"dependent-1.0-0-{channel}"} \
        in log[2]["downgrade"]

    bad = conda("install", "-p", prefix, "--revision", "9", "-y")
    assert bad.code == 1
    assert bad.err.strip().splitlines() == [
        "RevisionError: no such revision: 9 (this environment has revisions 0 to 2)"]
    both = conda("--json", "install", "-p", prefix, "--revision", "0", "versioned")
    assert both.code == 2 and both.json()["exception_name"] == "ArgumentError"
