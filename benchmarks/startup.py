"""Start-up time of whole ``conda`` processes beside a bare ``python -c pass``.

Usage: ``python benchmarks/startup.py [--runs 20] [--conda PATH]``

Each command runs once to warm the caches (the OS page cache and microconda's entry-point
cache), then ``--runs`` times; the table shows the best and median wall time and the ratio
of the median to bare Python's. Every run uses a throw-away HOME, XDG and CONDARC, so the
user's own configuration neither slows nor speeds anything. Targets (from the architecture
brief): ``--version`` within 2x bare Python; ``--help`` and ``info --json`` within 120 ms.
``shell.bash activate`` is timed only when a ``shell.bash`` command is installed.

``--conda-plugin conda-spawn`` also times ``--help`` in a throw-away venv that sees this
environment, before and after ``pip install conda-spawn`` (a plugin written for conda, run
through microconda's conda compatibility layer): the ratio is what the layer costs a run
that loads such a plugin. It is skipped, saying why, when the package cannot be installed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

#: label -> (arguments after the conda script, target: ("ratio", x) or ("ms", x))
CASES: dict[str, tuple[tuple[str, ...], tuple[str, float]]] = {
    "conda --version": (("--version",), ("ratio", 2.0)),
    "conda --help": (("--help",), ("ms", 120.0)),
    "conda info --json": (("info", "--json"), ("ms", 120.0)),
    "conda shell.bash activate": (("shell.bash", "activate"), ("ms", 100.0)),
}


def hermetic_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CONDA", "PYTHON", "_CE_", "_CONDA"))}
    for name in ("home", "cache", "config", "root"):
        (root / name).mkdir(exist_ok=True)
    env.update(HOME=str(root / "home"), XDG_CACHE_HOME=str(root / "cache"),
               XDG_CONFIG_HOME=str(root / "config"), CONDA_ROOT=str(root / "root"),
               CONDARC=str(root / "home" / "condarc"))
    return env


def time_command(argv: Sequence[str], env: dict[str, str], runs: int) -> list[float]:
    """Wall-clock milliseconds of ``runs`` runs, after one warm-up run."""
    def once() -> float:
        start = time.perf_counter()
        done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, check=False)
        elapsed = (time.perf_counter() - start) * 1000
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: "
                               f"{done.stderr.decode(errors='replace').strip()}")
        return elapsed

    once()
    return [once() for _ in range(runs)]


def has_command(conda: str, name: str, env: dict[str, str]) -> bool:
    out = subprocess.run([conda, "commands"], env=env, capture_output=True, text=True,
                         check=False)
    return out.returncode == 0 and name in out.stdout.split()


def plugin_venv(root: Path) -> Path:
    """A venv whose ``sys.path`` also holds this environment (microconda); its python."""
    import site
    import venv

    venv.EnvBuilder(with_pip=False).create(root)
    python = root / "bin" / "python"
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path("
                              "'purelib'))"], capture_output=True, text=True, check=True)
    repo = str(Path(__file__).resolve().parents[1])
    Path(purelib.stdout.strip(), "parent-env.pth").write_text(
        "\n".join([*site.getsitepackages(), repo]) + "\n")
    return python


def compare_conda_plugin(package: str, env: dict[str, str], runs: int,
                         tmp: Path) -> list[tuple[str, float, float, float, str, str]]:
    """``--help`` without and with ``package`` installed; rows for the table."""
    python = plugin_venv(tmp / "plugin-venv")
    argv = [str(python), "-m", "kernel", "--help"]
    without = time_command(argv, env, runs)
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                              "-q", package], capture_output=True, text=True, check=False)
    if install.returncode != 0:
        last = (install.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"skipped the {package} comparison: cannot install it: {last}")
        return []
    with_plugin = time_command(argv, env, runs)
    base = statistics.median(without)
    median = statistics.median(with_plugin)
    return [("--help (venv, no plugin)", min(without), base, 1.0, "-", "-"),
            (f"--help (+{package})", min(with_plugin), median, median / base,
             "vs no plugin", "-")]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--conda", default=str(Path(sys.executable).parent / "conda"),
                        help="the conda console script (default: next to this Python)")
    parser.add_argument("--conda-plugin", metavar="PACKAGE",
                        help="also time --help with this conda plugin pip-installed")
    args = parser.parse_args(argv)
    if not Path(args.conda).is_file():
        print(f"no conda script at {args.conda}; install microconda first", file=sys.stderr)
        return 2
    rows: list[tuple[str, float, float, float, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="microconda-bench-") as tmp:
        env = hermetic_env(Path(tmp))
        bare = time_command([sys.executable, "-c", "pass"], env, args.runs)
        bare_median = statistics.median(bare)
        rows.append(("python -c pass", min(bare), bare_median, 1.0, "-", "-"))
        for label, (cmd_args, (kind, limit)) in CASES.items():
            if cmd_args[0].startswith("shell.") and not has_command(args.conda, cmd_args[0],
                                                                     env):
                print(f"skipped {label}: no '{cmd_args[0]}' command installed")
                continue
            times = time_command([args.conda, *cmd_args], env, args.runs)
            median = statistics.median(times)
            ratio = median / bare_median
            if kind == "ratio":
                target, ok = f"<= {limit:g}x bare", ratio <= limit
            else:
                target, ok = f"<= {limit:g} ms", median <= limit
            rows.append((label, min(times), median, ratio, target, "ok" if ok else "MISSED"))
        if args.conda_plugin:
            rows += compare_conda_plugin(args.conda_plugin, env, args.runs, Path(tmp))
    print(f"{'command':<30}{'best ms':>9}{'median ms':>11}{'x bare':>8}  {'target':<16}result")
    for label, best, median, ratio, target, result in rows:
        print(f"{label:<30}{best:>9.1f}{median:>11.1f}{ratio:>8.2f}  {target:<16}{result}")
    print(f"({args.runs} runs each after one warm-up; Python {sys.version.split()[0]}, "
          f"{sys.platform})")
    return 0 if all(r[5] != "MISSED" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
