"""Install times from a warm package cache: microconda's engine beside py-rattler. Not a test.

    python benchmarks/install.py [--repeat N] [--copies K]

A channel is built in a temp folder from real package archives of ``../shared/data`` (snappy,
mock, 7zip, a font), indexed with our ``conda index`` engine; each
archive is also re-labelled ``K`` times under new names (``--copies``) so the environment has
enough files to time. Both installers get the *same records* (every package of the channel,
no solve) and a warm cache (each cache is filled once, untimed); each timed run creates a
fresh prefix. Reported, best of N:

* ours (hardlink): ``plugins.transaction.Transaction`` (journal, records, history, all of it)
* ours (copy): the same with ``always_copy``
* rattler: ``rattler.install`` (hardlinks; its Python API has no copy switch)

and the ratio ours/rattler (target <= 1.5x) and files per second.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import shutil
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
ARCHIVES = [
    "conda-adapter/src/test/resources-binary/CondaSliceITCase/snappy-1.1.3-0.tar.bz2",
    "conda-adapter/src/test/resources-binary/7zip-19.00-h59b6b97_2.conda",
    "conda-package-handling/tests/data/mock-2.0.0-py37_1000.conda",
    "conda/tests/data/test-recipes/noarch/font-ttf-inconsolata-23.12.6-0.tar.bz2",
]
sys.path.insert(0, str(REPO))


def _rewrite_tar(data: bytes, edit: Any) -> bytes:
    """A tar's bytes with ``edit(member, content) -> (member, content)`` applied to each."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=io.BytesIO(data)) as tin, \
            tarfile.open(fileobj=buf, mode="w") as tout:
        for member in tin.getmembers():
            content = tin.extractfile(member).read() if member.isfile() else None  # type: ignore
            member, content = edit(member, content)
            if content is not None:
                member.size = len(content)
            tout.addfile(member, io.BytesIO(content) if content is not None else None)
    return buf.getvalue()


def relabel(src: Path, dest_dir: Path, suffix: str) -> Path:
    """A copy of a ``.conda`` archive: package ``<name>-<suffix>``, files under ``<suffix>/``
    (so copies never clobber each other)."""
    def info_edit(member: tarfile.TarInfo, data: bytes | None) -> Any:
        if data is None:
            return member, data
        if member.name == "info/index.json":
            index = json.loads(data)
            index["name"] = f"{index['name']}-{suffix}"
            meta.update(index)
            data = json.dumps(index).encode()
        elif member.name == "info/paths.json":
            paths = json.loads(data)
            for entry in paths.get("paths", []):
                entry["_path"] = f"{suffix}/{entry['_path']}"
            data = json.dumps(paths).encode()
        elif member.name == "info/files":
            data = b"".join(suffix.encode() + b"/" + line + b"\n"
                            for line in data.splitlines() if line.strip())
        return member, data

    def pkg_edit(member: tarfile.TarInfo, data: bytes | None) -> Any:
        member.name = f"{suffix}/{member.name}"
        if member.islnk():
            member.linkname = f"{suffix}/{member.linkname}"
        return member, data

    meta: dict[str, Any] = {}
    with zipfile.ZipFile(src) as zin:
        names = zin.namelist()
        info_name = next(n for n in names if n.startswith("info-"))
        pkg_name = next(n for n in names if n.startswith("pkg-"))
        info = _rewrite_tar(_zstd_decompress(zin.read(info_name)), info_edit)
        pkg = _rewrite_tar(_zstd_decompress(zin.read(pkg_name)), pkg_edit)
        stem = f"{meta['name']}-{meta['version']}-{meta['build']}"
        target = dest_dir / f"{stem}.conda"
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as zout:
            zout.writestr("metadata.json", zin.read("metadata.json"))
            zout.writestr(f"info-{stem}.tar.zst", _zstd_compress(info))
            zout.writestr(f"pkg-{stem}.tar.zst", _zstd_compress(pkg))
    return target


def _zstd_decompress(data: bytes) -> bytes:
    import zstandard

    return zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)).read()


def _zstd_compress(data: bytes) -> bytes:
    import zstandard

    return zstandard.ZstdCompressor().compress(data)


def build_channel(root: Path, copies: int) -> Path:
    from plugins.environment.channel_index import index_channel

    subdir = root / "channel" / "linux-64"
    subdir.mkdir(parents=True)
    (root / "channel" / "noarch").mkdir()
    for rel in ARCHIVES:
        src = DATA / rel
        shutil.copy(src, subdir / src.name)
        if src.name.endswith(".conda"):
            for i in range(copies):
                relabel(src, subdir, f"copy{i}")
    index_channel(str(root / "channel"), zst=False)
    return root / "channel"


def records_of(channel: Path) -> list[dict[str, Any]]:
    found = []
    for subdir in ("linux-64", "noarch"):
        data = json.loads((channel / subdir / "repodata.json").read_text())
        for key in ("packages", "packages.conda"):
            for fn, record in data.get(key, {}).items():
                found.append({**record, "fn": fn, "subdir": subdir,
                              "url": f"{channel.as_uri()}/{subdir}/{fn}",
                              "channel": channel.as_uri()})
    return sorted(found, key=lambda r: r["name"])


def ours(records: list[dict[str, Any]], prefix: Path, copy: bool) -> int:
    from plugins.transaction import LinkSettings, Transaction

    txn = Transaction(str(prefix), [], records, requested_specs=[r["name"] for r in records],
                      command_line="benchmark", progress=False, register_envs=False,
                      settings=LinkSettings(always_copy=copy))
    txn.execute()
    return sum(len(json.loads(p.read_text()).get("files", []))
               for p in (prefix / "conda-meta").glob("*.json"))


def rattler_records(channel: Path) -> list[Any]:
    import rattler

    found = []
    for subdir in ("linux-64", "noarch"):
        repodata = rattler.RepoData.from_path(str(channel / subdir / "repodata.json"))
        found += repodata.into_repo_data(rattler.Channel(channel.as_uri()))
    return found


def theirs(records: list[Any], prefix: Path, cache: Path) -> None:
    import rattler

    asyncio.run(rattler.install(records, target_prefix=str(prefix), cache_dir=str(cache),
                                installed_packages=[], show_progress=False))


def timed(fn: Any, repeat: int, work: Path, label: str) -> tuple[float, Any]:
    best, result = float("inf"), None
    for i in range(repeat):
        prefix = work / f"{label}-{i}"
        start = time.perf_counter()
        result = fn(prefix)
        best = min(best, time.perf_counter() - start)
        shutil.rmtree(prefix, ignore_errors=True)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--copies", type=int, default=12,
                        help="re-labelled copies of each .conda archive (more files)")
    opts = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mc-install-bench-"))
    os.environ.update({"HOME": str(work / "home"), "CONDA_PKGS_DIRS": str(work / "pkgs"),
                       "CONDA_REGISTER_ENVS": "false", "XDG_CACHE_HOME": str(work / "xdg")})
    try:
        channel = build_channel(work, opts.copies)
        records = records_of(channel)
        rrecords = rattler_records(channel)
        assert len(records) == len(rrecords), (len(records), len(rrecords))
        from plugins.package_cache import fetch_packages

        fetch_packages(records, progress=False)  # warm caches, untimed
        theirs(rrecords, work / "warm-rattler", work / "rattler-cache")
        t_hard, files = timed(lambda p: ours(records, p, False), opts.repeat, work, "hard")
        t_copy, _ = timed(lambda p: ours(records, p, True), opts.repeat, work, "copy")
        t_rat, _ = timed(lambda p: theirs(rrecords, p, work / "rattler-cache"), opts.repeat,
                         work, "rattler")
        print(f"{len(records)} packages, {files} files, warm cache, best of {opts.repeat}")
        rows = [("ours (hardlink)", t_hard), ("ours (copy)", t_copy),
                ("rattler.install", t_rat)]
        for label, seconds in rows:
            print(f"  {label:<18} {seconds * 1000:8.1f} ms  {files / seconds:9.0f} files/s")
        print(f"  ratio ours/rattler (hardlink): {t_hard / t_rat:.2f}x (target <= 1.5x)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
