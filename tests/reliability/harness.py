"""Drive the real ``conda`` console script against real prefixes, and judge what it leaves.

The channel is a copy of conda's ``test-recipes`` (packages with post-link scripts,
dependencies, two versions of several packages), plus three packages built here so that
every transaction kill point is reachable: ``python-3.99.99-1`` (a ``bin/python`` that
runs this interpreter, so ``.pyc`` files get compiled) and ``rel_tool`` 1.0 / 2.0 (noarch
python with an entry point).

Every invariant the reliability tests check lives here:

* :func:`check_records` — every ``conda-meta/*.json`` is a whole record, one per name, and
  every file it lists exists;
* :func:`orphans` — files no record owns (``conda-meta`` bookkeeping aside);
* :func:`snapshot` — the whole prefix, byte for byte (history without its date lines), to
  compare a recovered prefix with the state before or after the operation;
* :func:`check_package_cache` — a cache entry with ``info/repodata_record.json`` is the
  archive's whole tree; a cached archive has the channel's bytes;
* :func:`check_repodata_cache` — raw repodata parses, and a state file agrees with it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
RECIPES = (REPO / ".." / "shared" / "data" / "conda" / "tests" / "data" / "test-recipes").resolve()
CONDA = Path(sys.executable).parent / "conda"
KILL_ENV = "MICROCONDA_TEST_KILL_AT"
#: conda-meta files that are bookkeeping, not package records
BOOKKEEPING = {"conda-meta/history", "conda-meta/.lock", "conda-meta/pinned"}
TIMEOUT = 60.0


def skip_reason() -> str | None:
    """Why these tests cannot run here (``None`` when they can)."""
    if not RECIPES.is_dir():
        return f"conda's test-recipes channel not found at {RECIPES} (outside this workplace)"
    if not CONDA.is_file():
        return f"the conda console script is not installed next to {sys.executable}"
    return None


# -- the channel ------------------------------------------------------------------------------


def _tar_bz2(path: Path, index: dict[str, Any], files: Mapping[str, bytes],
             link: dict[str, Any] | None = None, executable: Sequence[str] = ()) -> None:
    entries = []
    with tarfile.open(path, "w:bz2") as tar:
        def add(name: str, data: bytes, mode: int = 0o644) -> None:
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), mode, 1_700_000_000
            tar.addfile(info, io.BytesIO(data))

        for rel, data in sorted(files.items()):
            add(rel, data, 0o755 if rel in executable else 0o644)
            entries.append({"_path": rel, "path_type": "hardlink", "size_in_bytes": len(data),
                            "sha256": hashlib.sha256(data).hexdigest()})
        add("info/index.json", json.dumps(index).encode())
        add("info/paths.json", json.dumps({"paths": entries, "paths_version": 1}).encode())
        add("info/files", "".join(f"{e['_path']}\n" for e in entries).encode())
        if link is not None:
            add("info/link.json", json.dumps(link).encode())


def _add_to_repodata(subdir: Path, path: Path, index: dict[str, Any]) -> None:
    raw = path.read_bytes()
    repodata_path = subdir / "repodata.json"
    repodata = json.loads(repodata_path.read_text())
    repodata.setdefault("packages", {})[path.name] = {
        **index, "md5": hashlib.md5(raw).hexdigest(), "sha256": hashlib.sha256(raw).hexdigest(),
        "size": len(raw), "timestamp": 1_700_000_000_000}
    repodata_path.write_text(json.dumps(repodata, indent=1, sort_keys=True))


def build_channel(target: Path) -> str:
    """Copy test-recipes to ``target``, add the packages built here; returns its URL."""
    shutil.copytree(RECIPES, target)
    for path in [target, *target.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    noarch = target / "noarch"
    python = {"name": "python", "version": "3.99.99", "build": "1", "build_number": 1,
              "depends": [], "subdir": "noarch", "noarch": "generic", "license": "MIT"}
    wrapper = f'#!/bin/sh\nexec "{sys.executable}" "$@"\n'.encode()
    _tar_bz2(noarch / "python-3.99.99-1.tar.bz2", python, {"bin/python": wrapper},
             executable=("bin/python",))
    _add_to_repodata(noarch, noarch / "python-3.99.99-1.tar.bz2", python)
    for version in ("1.0", "2.0"):
        index = {"name": "rel_tool", "version": version, "build": "py_0", "build_number": 0,
                 "depends": ["python"], "subdir": "noarch", "noarch": "python",
                 "license": "MIT"}
        files = {f"site-packages/rel_tool/{name}.py": f"VERSION = {version!r}  # {name}\n"
                 f"def main():\n    print(VERSION)\n".encode()
                 for name in ("__init__", "cli", "core", "util")}
        link = {"noarch": {"type": "python", "entry_points": ["rel-tool = rel_tool.cli:main"]},
                "package_metadata_version": 1}
        fn = f"rel_tool-{version}-py_0.tar.bz2"
        _tar_bz2(noarch / fn, index, files, link)
        _add_to_repodata(noarch, noarch / fn, index)
    return target.as_uri()


# -- running conda ----------------------------------------------------------------------------


@dataclass
class Run:
    args: list[str]
    code: int
    out: str
    err: str
    seconds: float
    killed: bool = False
    #: how long the watched path (the transaction journal) existed, when the run was seen
    #: to create and remove it before it ended or was killed; ``None`` otherwise
    phase: float | None = None

    def ok(self) -> Run:
        assert self.code == 0, f"conda {' '.join(self.args)} failed ({self.code}):\n" \
                               f"{self.out[-3000:]}\n{self.err[-3000:]}"
        return self


@dataclass
class Conda:
    """The real ``conda`` command with a hermetic environment (HOME, condarc, caches)."""

    home: Path
    channel: str
    pkgs_dir: Path
    extra_env: dict[str, str] = field(default_factory=dict)

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("CONDA_", "CONDARC", "MAMBA_", KILL_ENV))}
        condarc = self.home / "condarc"
        if not condarc.exists():
            self.home.mkdir(parents=True, exist_ok=True)
            condarc.write_text("{}\n")
        env.update(HOME=str(self.home), XDG_CONFIG_HOME=str(self.home / ".config"),
                   XDG_CACHE_HOME=str(self.home / ".cache"), CONDA_ROOT=str(self.home / "root"),
                   CONDARC=str(condarc), CONDA_PKGS_DIRS=str(self.pkgs_dir),
                   CONDA_CHANNELS=self.channel, CONDA_REGISTER_ENVS="false",
                   CONDA_ADD_PIP_AS_PYTHON_DEPENDENCY="false", PYTHONDONTWRITEBYTECODE="1",
                   **self.extra_env, **extra)
        return env

    def argv(self, *args: str) -> list[str]:
        argv = [str(CONDA), *args]
        if args and args[0] in ("create", "install", "update"):
            argv += ["--override-channels", "-c", self.channel]
        return argv

    def popen(self, *args: str, kill_at: str | None = None) -> subprocess.Popen[str]:
        env = self.env(**({KILL_ENV: kill_at} if kill_at else {}))
        return subprocess.Popen(self.argv(*args), env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True,
                                stdin=subprocess.DEVNULL)

    def __call__(self, *args: str, kill_at: str | None = None) -> Run:
        start = time.monotonic()
        proc = self.popen(*args, kill_at=kill_at)
        try:
            out, err = proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            kill_group(proc)
            out, err = proc.communicate()
            raise AssertionError(f"conda {' '.join(args)} hung:\n{out}\n{err}") from None
        return Run(list(args), proc.returncode, out, err, time.monotonic() - start)

    def killed_after(self, delay: float, *args: str, after: Path | None = None) -> Run:
        """Start ``conda ARGS``, ``kill -9`` its process group ``delay`` seconds after it
        starts -- or, with ``after``, ``delay`` seconds after that path first appears (it is
        polled; a run that never creates it is not killed). The run's ``phase`` says how
        long ``after`` existed when it was seen to go away before the end."""
        start = time.monotonic()
        proc = self.popen(*args)
        if after is None:
            try:
                proc.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                pass
            phase = None
        else:
            phase = _watch(proc, after, delay, start + TIMEOUT)
        killed = proc.poll() is None
        kill_group(proc)
        out, err = proc.communicate(timeout=TIMEOUT)
        return Run(list(args), proc.returncode, out, err, time.monotonic() - start, killed,
                   phase)


def _watch(proc: subprocess.Popen[str], path: Path, delay: float, give_up: float
           ) -> float | None:
    """Poll until ``proc`` ends or ``delay`` seconds have passed since ``path`` appeared;
    returns how long ``path`` existed when it was seen to appear and go away."""
    seen = gone = deadline = None
    while proc.poll() is None:
        now = time.monotonic()
        if now >= give_up or (deadline is not None and now >= deadline):
            break
        if path.exists():
            if seen is None:
                seen, deadline = now, now + delay
        elif seen is not None and gone is None:
            gone = now
        time.sleep(0.002)
    return gone - seen if seen is not None and gone is not None else None


def kill_group(proc: subprocess.Popen[str]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


# -- judging a prefix -------------------------------------------------------------------------


def _files(prefix: Path) -> list[str]:
    found = []
    for root, dirs, names in os.walk(prefix):
        for name in [*names, *(d for d in dirs if os.path.islink(os.path.join(root, d)))]:
            found.append(os.path.relpath(os.path.join(root, name), prefix).replace(os.sep, "/"))
    return sorted(found)


def check_records(prefix: Path) -> dict[str, dict[str, Any]]:
    """Every record whole, one per name, its files present; returns ``{name: record}``."""
    records: dict[str, dict[str, Any]] = {}
    for path in sorted((prefix / "conda-meta").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))  # a torn record fails here
        assert path.name == f"{data['name']}-{data['version']}-{data['build']}.json", path
        assert data["name"] not in records, f"two records for {data['name']} in {prefix}"
        missing = [f for f in data.get("files", ()) if not os.path.lexists(prefix / f)]
        assert not missing, f"{path.name} lists files that are missing: {missing[:5]}"
        records[data["name"]] = data
    return records


def orphans(prefix: Path) -> set[str]:
    """Files under ``prefix`` that no record owns (conda-meta bookkeeping excluded)."""
    owned = {f for r in check_records(prefix).values() for f in r.get("files", ())}
    return {f for f in _files(prefix) if f not in owned and not f.startswith("conda-meta/")}


def snapshot(prefix: Path) -> dict[str, str]:
    """``{path: content digest}`` of the prefix; history is compared without its dates,
    records without the package-cache paths they name."""
    state: dict[str, str] = {}
    if not prefix.exists():
        return state
    for rel in _files(prefix):
        full = prefix / rel
        if rel == "conda-meta/.lock":
            continue
        if full.is_symlink():
            state[rel] = "-> " + os.readlink(full)
            continue
        data = full.read_bytes()
        if rel == "conda-meta/history":
            data = b"".join(line for line in data.splitlines(keepends=True)
                            if not line.startswith(b"==>"))
        elif rel.startswith("conda-meta/") and rel.endswith(".json"):
            record = json.loads(data)
            for key in ("link", "extracted_package_dir", "package_tarball_full_path"):
                record.pop(key, None)
            data = json.dumps(record, sort_keys=True).encode()
        state[rel] = hashlib.sha256(data).hexdigest()[:16]
    return state


def diff(got: Mapping[str, str], want: Mapping[str, str]) -> str:
    lines = [f"  only now:  {k}" for k in sorted(set(got) - set(want))]
    lines += [f"  missing:   {k}" for k in sorted(set(want) - set(got))]
    lines += [f"  changed:   {k}" for k in sorted(set(got) & set(want)) if got[k] != want[k]]
    return "\n".join(lines[:40])


def list_json(conda: Conda, prefix: Path) -> list[dict[str, Any]]:
    """``conda list -p P --json`` (read-only) must work and show only whole records."""
    run = conda("list", "-p", str(prefix), "--json").ok()
    listed = json.loads(run.out)
    assert isinstance(listed, list), run.out[:500]
    for item in listed:
        assert item.get("name") and item.get("version") and item.get("build_string"), item
    return listed


# -- judging the caches -----------------------------------------------------------------------


def archive_tree(archive: Path) -> dict[str, bytes]:
    """``{member: bytes}`` of a ``.conda`` or ``.tar.bz2`` archive (files only)."""
    from conda_package_streaming.package_streaming import stream_conda_component

    tree: dict[str, bytes] = {}
    components = ("pkg", "info") if archive.name.endswith(".conda") else ("pkg",)
    with open(archive, "rb") as f:
        for component in components:
            f.seek(0)
            for tar, member in stream_conda_component(str(archive), f, component):
                if member.isfile():
                    handle = tar.extractfile(member)
                    assert handle is not None
                    tree[member.name] = handle.read()
    return tree


def check_package_cache(pkgs_dir: Path, channel_dir: Path,
                        trees: dict[str, dict[str, bytes]]) -> int:
    """A complete entry is the archive's whole tree; a cached archive has the channel's bytes.

    ``trees`` memoises archive contents by file name. Returns the number of complete entries.
    """
    complete = 0
    if not pkgs_dir.is_dir():
        return 0
    for child in sorted(pkgs_dir.iterdir()):
        if child.name.endswith((".conda", ".tar.bz2")) and child.is_file():
            source = next(channel_dir.glob(f"*/{child.name}"))
            assert child.read_bytes() == source.read_bytes(), f"cached archive {child} differs"
        marker = child / "info" / "repodata_record.json"
        if not child.is_dir() or not marker.exists():
            continue
        record = json.loads(marker.read_text())
        fn = record["fn"]
        if fn not in trees:
            trees[fn] = archive_tree(next(channel_dir.glob(f"*/{fn}")))
        want = trees[fn]
        got = {rel: (child / rel).read_bytes() for rel in _files(child)
               if rel != "info/repodata_record.json"}
        missing = sorted(set(want) - set(got))
        assert not missing, f"cache entry {child} looks complete but lacks {missing[:5]}"
        # post-link scripts may write through a hard link (post_link-e writes bin/file,
        # which post_link-b links from the cache); the bytes must still be whole files
        changed = [rel for rel in want if got[rel] != want[rel]]
        assert not changed, f"cache entry {child} has files that differ from the archive: " \
                            f"{changed[:5]}"
        complete += 1
    return complete


def check_repodata_cache(pkgs_dir: Path) -> int:
    """Raw repodata parses; a state file names the raw file's size and mtime, or is one the
    index ignores (written before a crash between the two writes). Returns agreeing pairs."""
    agreeing = 0
    folder = pkgs_dir / "cache"
    if not folder.is_dir():
        return 0
    for raw in folder.glob("*.json"):
        if raw.name.endswith(".info.json"):
            continue
        json.loads(raw.read_bytes())
        state_path = raw.with_name(raw.name[:-5] + ".info.json")
        if state_path.exists():
            state = json.loads(state_path.read_bytes())
            stat = raw.stat()
            if state.get("size") == stat.st_size and state.get("mtime_ns") == stat.st_mtime_ns:
                agreeing += 1
    for state_path in folder.glob("*.info.json"):
        json.loads(state_path.read_bytes())
    return agreeing


def doctor_available() -> bool:
    return (REPO / "plugins" / "subcommands" / "doctor.py").is_file()


def check_doctor(conda: Conda, prefix: Path) -> None:
    """``conda doctor -p P`` is clean (only when the doctor command exists)."""
    if not doctor_available():
        return
    run = conda("doctor", "-p", str(prefix))
    if "No command 'conda doctor'" in run.err:
        return  # the file exists but this installation does not register the command yet
    assert run.code == 0, f"conda doctor found problems in {prefix}:\n{run.out}\n{run.err}"
