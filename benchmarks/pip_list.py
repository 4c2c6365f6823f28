"""``conda list`` on an environment with 300 pip packages beside the same one without them.

Usage: ``python benchmarks/pip_list.py [--runs 10] [--pip 300] [--conda-packages 60]
[--peer PATH]``

Two prefixes are built in a temporary folder with the same conda records (python plus
``--conda-packages`` noarch python packages, each with its own dist-info, as conda installs
them); the second also holds ``--pip`` distributions that pip installed: wheels with a
realistic METADATA (headers and a long description) and RECORD, a few egg-info folders and
editable installs. ``conda list -p PREFIX`` runs once to warm caches, then ``--runs`` times
on each; the table shows the median wall time and the ratio with/without pip packages
(target: at most 2.0). ``--peer`` times another conda beside ours (for instance the real
conda: ``--peer '/path/to/python -m conda'``), with the same two prefixes.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SP = "lib/python3.11/site-packages"
DESCRIPTION = "A package that does useful things.\n\n" + "Lorem ipsum dolor sit amet. " * 120


def _conda_record(prefix: Path, name: str, version: str, files: list[str],
                  depends: list[str]) -> None:
    fn = f"{name}-{version}-pyhd8ed1ab_0"
    record = {"name": name, "version": version, "build": "pyhd8ed1ab_0", "build_number": 0,
              "channel": "https://conda.anaconda.org/conda-forge/noarch", "subdir": "noarch",
              "fn": f"{fn}.conda", "url": f"https://conda.anaconda.org/conda-forge/noarch/"
                                          f"{fn}.conda",
              "depends": depends, "files": files, "md5": "0" * 32,
              "paths_data": {"paths_version": 1, "paths": [
                  {"_path": f, "path_type": "hardlink"} for f in files]}}
    (prefix / "conda-meta" / f"{fn}.json").write_text(json.dumps(record))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def build(prefix: Path, conda_packages: int, pip_packages: int) -> None:
    (prefix / "conda-meta").mkdir(parents=True)
    (prefix / "conda-meta" / "history").write_text("")
    _conda_record(prefix, "python", "3.11.5", ["bin/python3.11"], [])
    for i in range(conda_packages):
        name = f"condapkg{i}"
        info = f"{SP}/{name}-1.0.dist-info"
        files = [f"{SP}/{name}/__init__.py", f"{info}/METADATA", f"{info}/RECORD"]
        _conda_record(prefix, name, "1.0", files, ["python >=3.8"])
        _write(prefix / info / "METADATA", f"Metadata-Version: 2.1\nName: {name}\n"
                                           f"Version: 1.0\n\n{DESCRIPTION}")
        _write(prefix / info / "RECORD", f"{name}/__init__.py,,\n")
    for i in range(pip_packages):
        name = f"pippkg{i}"
        header = (f"Metadata-Version: 2.1\nName: {name}\nVersion: 2.{i}.0\n"
                  "Summary: A package\nRequires-Python: >=3.8\n"
                  + "".join(f"Requires-Dist: dep{j} (>=1.0)\n" for j in range(8))
                  + "Classifier: Programming Language :: Python :: 3\n" * 10)
        if i % 30 == 0:  # an egg-info folder
            folder = prefix / SP / f"{name}-2.{i}.0-py3.11.egg-info"
            _write(folder / "PKG-INFO", header + "\n" + DESCRIPTION)
            _write(folder / "installed-files.txt",
                   "".join(f"../{name}/mod{j}.py\n" for j in range(20)))
            continue
        folder = prefix / SP / f"{name}-2.{i}.0.dist-info"
        _write(folder / "METADATA", header + "\n" + DESCRIPTION)
        _write(folder / "RECORD", "".join(
            f"{name}/mod{j}.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,{j}\n"
            for j in range(40)) + f"{folder.name}/RECORD,,\n")
        if i % 25 == 0:  # an editable install
            _write(folder / "direct_url.json",
                   json.dumps({"url": f"file:///src/{name}", "dir_info": {"editable": True}}))


def hermetic_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CONDA", "PYTHON", "_CE_", "_CONDA"))}
    (root / "home").mkdir(exist_ok=True)
    (root / "root" / "conda-meta").mkdir(parents=True, exist_ok=True)
    (root / "root" / "conda-meta" / "history").write_text("")
    condarc = root / "condarc"
    condarc.write_text("channels: []\n")
    env.update(HOME=str(root / "home"), XDG_CACHE_HOME=str(root / "home" / "cache"),
               XDG_CONFIG_HOME=str(root / "home" / "config"), CONDA_ROOT=str(root / "root"),
               CONDA_ROOT_PREFIX=str(root / "root"), CONDARC=str(condarc),
               CONDA_PKGS_DIRS=str(root / "pkgs"), CONDA_OFFLINE="true",
               CONDA_NOTIFY_OUTDATED_CONDA="false", CONDA_NUMBER_CHANNEL_NOTICES="0")
    return env


def median_ms(argv: list[str], env: dict[str, str], runs: int, cwd: str) -> float:
    times = []
    for attempt in range(runs + 1):
        start = time.perf_counter()
        done = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, check=False)
        elapsed = (time.perf_counter() - start) * 1000
        if done.returncode != 0:
            raise SystemExit(f"{shlex.join(argv)} failed: {done.stderr.decode()[-500:]}")
        if attempt:
            times.append(elapsed)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--pip", type=int, default=300)
    parser.add_argument("--conda-packages", type=int, default=60)
    parser.add_argument("--peer", default="", help="another conda command to time beside")
    args = parser.parse_args()
    ours = [sys.executable, "-m", "kernel.cli"] if not Path(
        sys.executable).with_name("conda").exists() else [
        str(Path(sys.executable).with_name("conda"))]
    tools = {"microconda": ours}
    if args.peer:
        tools["peer"] = shlex.split(args.peer)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        without, with_pip = root / "without", root / "with-pip"
        build(without, args.conda_packages, 0)
        build(with_pip, args.conda_packages, args.pip)
        env = hermetic_env(root)
        print(f"conda list, {args.conda_packages + 1} conda packages, median of {args.runs} "
              f"runs (ms)")
        print(f"{'tool':<12} {'without pip':>12} {f'with {args.pip} pip':>14} {'ratio':>7}")
        worst = 0.0
        for label, argv in tools.items():
            base = median_ms([*argv, "list", "-p", str(without)], env, args.runs, tmp)
            more = median_ms([*argv, "list", "-p", str(with_pip)], env, args.runs, tmp)
            ratio = more / base
            if label == "microconda":
                worst = ratio
            print(f"{label:<12} {base:>12.1f} {more:>14.1f} {ratio:>7.2f}")
    print(f"target: microconda ratio <= 2.0 -> {'met' if worst <= 2.0 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
