"""A conda-forge-sized channel, monolithic and sharded, served on 127.0.0.1. Not a test.

    python benchmarks/scale.py [--copies 20] [--builds 4] [--repeat 1] [--zst] [--workdir DIR]
                               [--only ours-mono,ours-sharded,rattler,rattler-mono]

The channel is made from the real index4 records (``../shared/data/conda/tests/data/
index4.json``, 5,643 records, 814 names): ``--copies`` copies of every record, each copy's
names (and the names its dependencies use) renamed with a ``-cN`` suffix so copies never meet
(copy 0 keeps the real names, so ``numpy`` is a real solve), each record cloned into
``--builds`` builds. Noarch records go to ``noarch/``, the rest to ``linux-64/``. Both
subdirs get ``repodata.json`` (``--zst``: also ``repodata.json.zst``) and our shards
(``conda index --shards``' writer), so the same channel is served both ways. The defaults
give 451,440 records (the size of conda-forge's linux-64).

Each client runs as its own process, timed from the outside (wall, and user+system CPU,
which a busy machine disturbs less), with its peak RSS (``wait4``)
and the bytes the server sent it, for ``create --dry-run`` of ``numpy``, ``scipy pandas``
and ``jupyter``, first with an empty cache (cold), then again with the cache it filled
(warm; the server sends ``Cache-Control: max-age=3600``):

* ``ours-mono``: microconda with ``repodata_use_shards: false`` (``repodata.json``)
* ``ours-sharded``: microconda reading the shards
* ``rattler`` / ``rattler-mono``: py-rattler's ``solve`` with its ``Gateway``, sharded
  enabled / disabled (``pip install -e '.[bench]'``)

The machine is shared: run it more than once before believing a number.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
INDEX4 = DATA / "conda" / "tests" / "data" / "index4.json"
SOLVES = (("numpy",), ("scipy", "pandas"), ("jupyter",))
sys.path.insert(0, str(REPO))


# -- the channel ------------------------------------------------------------------------------


def _rename_spec(spec: str, names: set[str], suffix: str) -> str:
    head, sep, tail = spec.partition(" ")
    return f"{head}{suffix}{sep}{tail}" if head in names else spec


def synthesize(copies: int, builds: int) -> dict[str, dict[str, Any]]:
    """``{subdir: repodata}`` of the scaled channel."""
    source = json.loads(INDEX4.read_text())
    names = {r["name"] for r in source.values()}
    out = {s: {"info": {"subdir": s}, "packages": {}, "packages.conda": {}, "removed": [],
               "repodata_version": 1} for s in ("linux-64", "noarch")}
    for copy in range(copies):
        suffix = f"-c{copy}" if copy else ""
        for record in source.values():
            subdir = "noarch" if record.get("subdir") == "noarch" else "linux-64"
            name = record["name"] + suffix
            depends = [_rename_spec(s, names, suffix) for s in record.get("depends") or ()]
            for build in range(builds):
                clone = dict(record, name=name, depends=depends, subdir=subdir)
                if build:
                    clone["build"] = f"{record['build']}_{build}"
                    clone["timestamp"] = int(record.get("timestamp") or 0) + build
                fn = f"{name}-{clone['version']}-{clone['build']}.tar.bz2"
                out[subdir]["packages"][fn] = clone
    return out


def write_channel(root: Path, copies: int, builds: int, zst: bool) -> int:
    import zstandard

    from plugins.index.shard_writer import write_shards

    channels = synthesize(copies, builds)
    total = 0
    for subdir, repodata in channels.items():
        folder = root / subdir
        folder.mkdir(parents=True)
        raw = json.dumps(repodata, indent=1, sort_keys=True).encode()
        (folder / "repodata.json").write_bytes(raw)
        if zst:
            (folder / "repodata.json.zst").write_bytes(
                zstandard.ZstdCompressor(level=3, threads=-1).compress(raw))

        def write(path: str, data: bytes) -> str:
            Path(path + ".tmp").write_bytes(data)
            return path + ".tmp"

        for tmp, target in write_shards(str(folder), repodata, write):
            os.replace(tmp, target)
        total += len(repodata["packages"])
    return total


# -- the server -------------------------------------------------------------------------------


class Server:
    """Serves ``root`` from a child process (so that this process, whose memory every client
    inherits in its peak RSS, stays small) and counts the body bytes it sends."""

    def __init__(self, root: Path):
        self.proc = subprocess.Popen([sys.executable, __file__, "--serve", str(root)],
                                     stdout=subprocess.PIPE, text=True)
        self.port = int(self.proc.stdout.readline())  # type: ignore[union-attr]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/channel"

    def take(self) -> tuple[int, int]:
        """``(bytes sent, requests)`` since the last call."""
        from urllib.request import urlopen

        with urlopen(f"http://127.0.0.1:{self.port}/_stats") as answer:
            stats = json.loads(answer.read())
        return int(stats["sent"]), int(stats["requests"])

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait()


def serve(root: Path) -> None:
    counts = {"sent": 0, "requests": 0}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def _empty(self, code: int, headers: dict[str, str]) -> None:
            self.send_response(code)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            if self.path == "/_stats":
                with lock:
                    body = json.dumps(counts).encode()
                    counts.update(sent=0, requests=0)
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            path = root / self.path.split("?", 1)[0].lstrip("/")
            if ".." in self.path or not path.is_file():
                return self._empty(404, {})
            stat = path.stat()
            etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
            if self.headers.get("If-None-Match") == etag:
                return self._empty(304, {"ETag": etag})
            body = path.read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", formatdate(stat.st_mtime, usegmt=True))
            self.send_header("Cache-Control", "public, max-age=3600")
            self.end_headers()
            self.wfile.write(body)
            with lock:
                counts["sent"] += len(body)
                counts["requests"] += 1

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    print(httpd.server_address[1], flush=True)
    httpd.serve_forever()


# -- the clients ------------------------------------------------------------------------------


RATTLER = """
import asyncio, sys, rattler
url, cache, sharded, *specs = sys.argv[1:]
config = rattler.SourceConfig(sharded_enabled=sharded == "1")
gateway = rattler.Gateway(cache_dir=cache, default_config=config)
records = asyncio.run(rattler.solve(sources=[url], specs=specs, gateway=gateway,
                                   platforms=["linux-64", "noarch"],
                                   virtual_packages=rattler.VirtualPackage.detect()))
print(len(records))
"""


def run(argv: list[str], env: dict[str, str]) -> tuple[float, int, int, str, float]:
    """``(seconds, peak RSS bytes, exit code, output, CPU seconds)`` of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            cwd=tempfile.gettempdir())
    out = proc.stdout.read() if proc.stdout else b""  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return (seconds, usage.ru_maxrss * 1024, proc.returncode, out.decode(errors="replace"),
            usage.ru_utime + usage.ru_stime)


PYCACHE = Path(tempfile.gettempdir()) / "microconda-scale-pycache"


def client(kind: str, url: str, home: Path, specs: tuple[str, ...]) -> tuple[list[str],
                                                                            dict[str, str]]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("CONDA") and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(HOME=str(home), PYTHONPYCACHEPREFIX=str(PYCACHE))  # bytecode, as installed
    if kind.startswith("rattler"):
        return ([sys.executable, "-c", RATTLER, url, str(home / "rattler-cache"),
                 "0" if kind == "rattler-mono" else "1", *specs], env)
    condarc = home / "condarc"
    condarc.write_text(json.dumps({
        "channels": [url], "pkgs_dirs": [str(home / "pkgs")],
        "envs_dirs": [str(home / "envs")], "repodata_use_shards": kind == "ours-sharded",
        "add_pip_as_python_dependency": True, "register_envs": False}))
    env.update(CONDARC=str(condarc), CONDA_ROOT_PREFIX=str(home / "root"),
               CONDA_SUBDIR="linux-64", CONDA_OVERRIDE_GLIBC="2.17")
    conda = Path(sys.executable).with_name("conda")
    return [str(conda), "create", "--dry-run", "--json", "-n", "bench", *specs], env


def measure(kinds: list[str], server: Server, repeat: int) -> list[tuple[Any, ...]]:
    rows = []
    for kind in kinds:  # compile every module once, untimed
        home = Path(tempfile.mkdtemp(prefix="scale-warmup-"))
        run(*client(kind, server.url, home, SOLVES[0]))
        shutil.rmtree(home, ignore_errors=True)
    for specs in SOLVES:
        for kind in kinds:
            for phase in ("cold", "warm"):
                best: tuple[float, int, int, float] | None = None
                for _ in range(repeat):
                    home = Path(tempfile.mkdtemp(prefix=f"scale-{kind}-"))
                    try:
                        argv, env = client(kind, server.url, home, specs)
                        server.take()
                        if phase == "warm":  # fill the cache, untimed
                            run(argv, env)
                            server.take()
                        seconds, rss, code, out, cpu = run(argv, env)
                        sent, _ = server.take()
                    finally:
                        shutil.rmtree(home, ignore_errors=True)
                    if code != 0:
                        print(f"  {kind} {' '.join(specs)} {phase}: exit {code}: "
                              f"{out.strip().splitlines()[-1:] if out.strip() else ''}")
                        break
                    if best is None or seconds < best[0]:
                        best = (seconds, rss, sent, cpu)
                if best is not None:
                    rows.append((" ".join(specs), kind, phase, *best))
                    print(f"  {' '.join(specs):13} {kind:13} {phase}: {best[0]:6.2f} s "
                          f"(CPU {best[3]:5.2f} s)  {best[1] / 2**20:6.0f} MB  "
                          f"{best[2] / 2**20:8.2f} MiB sent", flush=True)
    return rows


def report(rows: list[tuple[Any, ...]]) -> None:
    table = {(s, k, p): (t, m, b) for s, k, p, t, m, b, _ in rows}
    print("\n| solve | client | phase | wall s | CPU s | peak RSS MB | MiB downloaded |")
    print("|---|---|---|---:|---:|---:|---:|")
    for s, k, p, t, m, b, c in rows:
        print(f"| {s} | {k} | {p} | {t:.2f} | {c:.2f} | {m / 2**20:.0f} | {b / 2**20:.3f} |")
    print()
    for specs in SOLVES:
        s = " ".join(specs)
        mono, sharded = table.get((s, "ours-mono", "cold")), table.get((s, "ours-sharded", "cold"))
        if mono and sharded and mono[2]:
            print(f"{s}: sharded/mono cold: time {sharded[0] / mono[0]:.2f}x, "
                  f"bytes {100 * sharded[2] / mono[2]:.2f}%")
        for phase in ("cold", "warm"):
            ours, rattler = table.get((s, "ours-sharded", phase)), table.get((s, "rattler", phase))
            if ours and rattler:
                print(f"{s}: ours-sharded/rattler {phase}: time {ours[0] / rattler[0]:.2f}x, "
                      f"RSS {ours[1] / rattler[1]:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--builds", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--zst", action="store_true", help="also serve repodata.json.zst")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep the channel here and reuse it on the next run")
    parser.add_argument("--only", default="ours-mono,ours-sharded,rattler",
                        help="comma-separated clients (also: rattler-mono)")
    parser.add_argument("--write-only", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve)
    if args.write_only:  # in a child process, so that this one stays small (RSS of children)
        count = write_channel(args.write_only, args.copies, args.builds, args.zst)
        print(f"wrote {count} records to {args.write_only}")
        return
    kinds = [k for k in args.only.split(",") if k]
    if any(k.startswith("rattler") for k in kinds):
        try:
            import rattler  # noqa: F401
        except ImportError:
            print("py-rattler is not installed (pip install -e '.[bench]'); skipping it")
            kinds = [k for k in kinds if not k.startswith("rattler")]
    work = args.workdir or Path(tempfile.mkdtemp(prefix="scale-"))
    tag = f"c{args.copies}-b{args.builds}{'-zst' if args.zst else ''}"
    root = work / tag
    if not (root / "channel" / "noarch" / "repodata.json").is_file():
        shutil.rmtree(root, ignore_errors=True)
        start = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--copies", str(args.copies), "--builds",
                        str(args.builds), *(["--zst"] if args.zst else []),
                        "--write-only", str(root / "channel")], check=True)
        print(f"  in {time.perf_counter() - start:.1f} s")
    sizes = {p.name: p.stat().st_size for p in (root / "channel" / "linux-64").iterdir()
             if p.name.startswith("repodata")}
    shards = sum(1 for _ in (root / "channel" / "linux-64").glob("*.msgpack.zst")) - 1
    print(f"linux-64: {', '.join(f'{k} {v / 2**20:.1f} MiB' for k, v in sorted(sizes.items()))}"
          f", {shards} shards; digest {hashlib.md5(str(sizes).encode()).hexdigest()[:8]}")
    server = Server(root)
    try:
        rows = measure(kinds, server, args.repeat)
    finally:
        server.stop()
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    report(rows)


if __name__ == "__main__":
    main()
