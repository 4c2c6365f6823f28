"""Solve a fixed set of real problems with our ``sat`` solver and with py-rattler.

Run from the repository root::

    PYTHONPATH=. python benchmarks/solve.py [--repeat N]

Both solvers read the same repodata files, one after the other, measured two ways.

In process: times are the best of ``--repeat`` runs of the solve alone (our in-memory
source and rattler's ``SparseRepoData`` are opened beforehand; our records are still built
during the solve, as the real index builds them lazily). Peak RSS is read after our
solves, before rattler runs. ``add_pip_as_python_dependency`` is off, as in rattler.

Whole process: each run is a fresh interpreter, timed around ``subprocess.run``, best of
``--repeat`` after one warm-up run per case. Ours is ``conda create -n bench --dry-run
--json --override-channels -c file://<channel> <specs>`` (the ``conda`` script beside
this Python, else ``python -m kernel``) under a throw-away HOME, XDG cache and CONDARC
(``pkgs_dirs``/``envs_dirs`` in the temporary folder, ``add_pip_as_python_dependency:
false`` as above, ``channel_priority`` left at its default). The warm-up leaves our
repodata cache and entry-point/hook caches warm (conda caches repodata too); each run
still reads the condarc, loads the index, detects the virtual packages and prints conda's
JSON plan. Rattler's is ``python -c`` importing rattler, opening ``SparseRepoData`` for
``linux-64`` and ``noarch`` of the same folder and calling
``solve_with_sparse_repodata``. A run of ours must exit 0 with the in-process answer, or
fail with the in-process error (the sudoku case: ``UnsatisfiableError`` naming a
conflict). "same" compares name-version-build of the plan's ``LINK`` with rattler's
answer. Peak RSS is the largest of our child processes. Runs alternate per case (ours,
rattler, ours, ...), so a busy machine slows both alike.

``--cases issue`` keeps the solver issue's five index4 cases (numpy, scipy + pandas,
jupyter, dask + bokeh, r-essentials); ``--whole-process-only`` skips the in-process
table. ``--conda CMD`` (or ``$BENCH_REAL_CONDA``) adds the real conda as a whole-process
peer: ``CMD create -n bench --dry-run --json --override-channels -c <channel> <specs>``,
where CMD isolates it (e.g. a wrapper exporting HOME, CONDARC, CONDA_PKGS_DIRS and
``CONDA_SOLVER=classic``; see the project's notes on running the real conda); its
repodata cache is warmed by a one-package solve first, ``--conda-repeat`` timed runs per
case (default 1: it takes seconds to minutes). Left out when not given or not found.
Targets (the solver issue): whole process, median <= 2x and worst <= 3x py-rattler,
<= 0.1x the real conda.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.startup import hermetic_env
from tests.solver.channels import DATA, MemorySource, load_repodata, split_flat_index

REPO = Path(__file__).resolve().parents[1]

INDEX2 = "conda/tests/data/index2.json"
INDEX4 = "conda/tests/data/index4.json"
R_MAIN = "r+main"
SUDOKU = "sudoku"

CASES: list[tuple[str, str, list[str]]] = [
    (INDEX2, "numpy", ["numpy"]),
    (INDEX2, "scipy + pandas", ["scipy", "pandas"]),
    (INDEX2, "python=3.6 pandas dask", ["python=3.6", "pandas", "dask"]),
    (INDEX2, "jupyter-like set", ["ipython", "pandas", "scipy", "dask", "distributed", "bokeh",
                                  "flask", "requests", "boto3", "s3fs", "conda"]),
    (INDEX4, "numpy", ["numpy"]),
    (INDEX4, "scipy + pandas", ["scipy", "pandas"]),
    (INDEX4, "python=3.6 pandas matplotlib", ["python=3.6", "pandas", "matplotlib"]),
    (INDEX4, "jupyter", ["jupyter"]),
    (INDEX4, "jupyter-like set", ["jupyter", "pandas", "scipy", "matplotlib", "dask",
                                  "bokeh", "requests", "sqlalchemy"]),
    (INDEX4, "r-base", ["r-base"]),
    (INDEX4, "r-essentials", ["r-essentials"]),
    (INDEX4, "dask bokeh", ["dask", "bokeh"]),
    (R_MAIN, "r-base", ["r-base"]),
    (SUDOKU, "sudoku conflict (explained)", ["sudoku_0_0", "sudoku_0_1 ==1"]),
]


#: the solver issue's whole-process set (``--cases issue``)
ISSUE_CASES = {(INDEX4, "numpy"), (INDEX4, "scipy + pandas"), (INDEX4, "jupyter"),
               (INDEX4, "dask bokeh"), (INDEX4, "r-essentials")}


def layouts() -> dict[str, dict[str, dict[str, dict[str, Any]]]]:
    """Each data set as ``{subdir: {filename: raw}}``."""
    out = {}
    for key in (INDEX2, INDEX4):
        out[key] = split_flat_index(json.loads((DATA / key).read_text()))
    out[R_MAIN] = {"linux-64": load_repodata(DATA / "conda/tests/data/repodata/r_linux-64.json"),
                   "noarch": load_repodata(DATA / "conda/tests/data/repodata/main_noarch.json")}
    out[SUDOKU] = {"linux-64": {},
                   "noarch": load_repodata(DATA / "mamba/libmamba/tests/data/repodata/sudoku.json")}
    return out


def ours(layout: dict[str, dict[str, dict]], specs: list[str]) -> tuple[float, list[str]]:
    from kernel.errors import CondaError
    from kernel.models import MatchSpec
    from kernel.types import SolveRequest
    from plugins.solvers.sat.solve import backend

    source = MemorySource([("bench", layout)])
    request = SolveRequest(source=source, specs_to_add=tuple(MatchSpec(s) for s in specs),
                           add_pip_as_python_dependency=False)
    start = time.perf_counter()
    try:
        result = backend(request)
        names = sorted(f"{r.name}-{r.version}-{r.build}" for r in result.records)
    except CondaError as e:
        names = [f"error: {type(e).__name__}"]
    return time.perf_counter() - start, names


def rattler_solve(folder: Path, specs: list[str]) -> tuple[float, list[str]]:
    import rattler

    channel = rattler.Channel(str(folder))
    sparse = [rattler.SparseRepoData(channel, sub, folder / sub / "repodata.json")
              for sub in ("linux-64", "noarch")]
    start = time.perf_counter()
    try:
        found = asyncio.run(rattler.solve_with_sparse_repodata(specs, sparse))
        names = sorted(f"{r.name.normalized}-{r.version}-{r.build}" for r in found)
    except Exception as e:  # rattler raises its own SolverError
        names = [f"error: {type(e).__name__}"]
    return time.perf_counter() - start, names


def write_channel(root: Path, layout: dict[str, dict[str, dict]]) -> Path:
    for sub, records in layout.items():
        (root / sub).mkdir(parents=True, exist_ok=True)
        (root / sub / "repodata.json").write_text(
            json.dumps({"info": {"subdir": sub}, "packages": records}))
    return root


#: rattler's whole-process run: prints the answer as JSON, then flushes (see below)
RATTLER_SCRIPT = """
import asyncio, json, sys
from pathlib import Path
import rattler

folder, specs = Path(sys.argv[1]), sys.argv[2:]
channel = rattler.Channel(str(folder))
sparse = [rattler.SparseRepoData(channel, sub, folder / sub / "repodata.json")
          for sub in ("linux-64", "noarch")]
try:
    found = asyncio.run(rattler.solve_with_sparse_repodata(specs, sparse))
    print(json.dumps(sorted(f"{r.name.normalized}-{r.version}-{r.build}" for r in found)))
except Exception as e:  # rattler raises its own SolverError
    print(json.dumps([f"error: {type(e).__name__}"]))
sys.stdout.flush()
"""


def conda_command() -> list[str]:
    script = Path(sys.executable).parent / "conda"
    return [sys.executable, str(script)] if script.is_file() else [sys.executable, "-m", "kernel"]


def ours_process(create: list[str], env: dict[str, str], folder: Path,
                 specs: list[str]) -> tuple[float, list[str]]:
    """One fresh ``conda create --dry-run --json``: wall time and the planned packages."""
    command = [*create, "-c", folder.as_uri(), *specs]
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True,
                          check=False)
    elapsed = time.perf_counter() - start
    try:
        out = json.loads(done.stdout)
    except ValueError:
        out = {}
    if done.returncode == 0 and out.get("success"):
        return elapsed, sorted(f"{d['name']}-{d['version']}-{d['build_string']}"
                               for d in out["actions"]["LINK"])
    name = out.get("exception_name")
    if done.returncode != 0 and name and (name != "UnsatisfiableError"
                                          or "conflict" in out.get("message", "")):
        return elapsed, [f"error: {name}"]
    raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n{done.stdout}"
                     f"{done.stderr}")


def rattler_process(env: dict[str, str], folder: Path,
                    specs: list[str]) -> tuple[float, list[str]]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", RATTLER_SCRIPT, str(folder), *specs],
                          env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    # py-rattler sometimes dies at interpreter exit ("Fatal Python error:
    # PyGILState_Release", signal 6; now and then signal 11) after the answer is printed
    # and flushed: a run that printed its answer counts.
    try:
        return elapsed, json.loads(done.stdout.splitlines()[-1])
    except (IndexError, ValueError):
        raise SystemExit(f"rattler run exited {done.returncode}:\n{done.stderr}") from None


def real_conda_process(command: list[str], folder: Path, specs: list[str],
                       timeout: float | None = None) -> tuple[float, list[str]]:
    """One run of the real conda (``--conda``): wall time and the planned packages. The
    command isolates itself (e.g. a wrapper exporting HOME, CONDARC, ...). A run killed
    at ``timeout`` seconds answers ``(timeout, ["timeout"])``: its time is a lower bound."""
    argv = [*command, "create", "-n", "bench", "--dry-run", "--json", "--override-channels",
            "-c", folder.as_uri(), *specs]
    # the same settings as ours (``whole_process`` writes them to our condarc)
    env = {**os.environ, "CONDA_ADD_PIP_AS_PYTHON_DEPENDENCY": "false"}
    start = time.perf_counter()
    try:
        done = subprocess.run(argv, capture_output=True, text=True, check=False,
                              timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return float(timeout or 0), ["timeout"]
    elapsed = time.perf_counter() - start
    try:
        out = json.loads(done.stdout)
    except ValueError:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}:\n{done.stderr}") from None
    if out.get("success"):
        return elapsed, sorted(f"{d['name']}-{d['version']}-{d['build_string']}"
                               for d in out["actions"]["LINK"])
    return elapsed, [f"error: {out.get('exception_name')}"]


def whole_process(results: list[list[Any]], folders: dict[str, Path], root: Path,
                  repeat: int, conda: list[str] | None = None, conda_repeat: int = 1,
                  conda_timeout: float | None = None) -> tuple[list[list[Any]], float]:
    """Per case ``[key, label, ours s, ours names, rattler s, rattler names, conda s,
    conda timed out, conda names]`` (conda s is None without ``conda``; when every conda run hit
    ``conda_timeout``, conda s is that limit, a lower bound) and the peak RSS (MB) of our
    processes. The peers' runs alternate with ours, run by run, so a busy machine slows
    them alike."""
    from kernel.config import host_subdir

    env = hermetic_env(root)
    Path(env["CONDARC"]).write_text(
        f"pkgs_dirs: [{root / 'pkgs'}]\nenvs_dirs: [{root / 'envs'}]\n"
        "add_pip_as_python_dependency: false\n")
    create = [*conda_command(), "create", "-n", "bench", "--dry-run", "--json",
              "--override-channels"]
    if host_subdir() != "linux-64":  # the channels hold linux-64 and noarch only
        create += ["--subdir", "linux-64"]
    rows = []
    peak_mb = 0.0
    for key, label, specs, _, in_process, *_ in results:
        folder = folders[key]
        ours_process(create, env, folder, specs)  # warm-up: repodata, plugin caches
        rattler_process(env, folder, specs)
        if conda:  # its repodata cache, warmed by a one-package solve on the same channel
            real_conda_process(conda, folder, ["zlib"])
        mine, theirs, real = [], [], []
        for run in range(repeat):
            mine.append(ours_process(create, env, folder, specs))
            peak_mb = max(peak_mb, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
            theirs.append(rattler_process(env, folder, specs))
            if conda and run < conda_repeat:
                real.append(real_conda_process(conda, folder, specs, conda_timeout))
        expected = ["error: UnsatisfiableError"] if key == SUDOKU else in_process
        if mine[0][1] != expected or in_process != expected:
            raise SystemExit(f"{label}: expected {expected[:3]}, the command answered "
                             f"{mine[0][1][:3]}, the in-process solve {in_process[:3]}")
        finished = [t for t, names in real if names != ["timeout"]]
        conda_s = min(finished) if finished else (real[0][0] if real else None)
        answers = [names for _, names in real if names != ["timeout"]]
        rows.append([key, label, min(t for t, _ in mine), mine[0][1],
                     min(t for t, _ in theirs), theirs[0][1], conda_s,
                     bool(real) and not finished, answers[0] if answers else None])
        shown = ""
        if real:
            shown = f", conda {'> ' if rows[-1][7] else ''}{conda_s:.3f} s"
        print(f"  {label}: ours {rows[-1][2]:.3f} s, rattler {rows[-1][4]:.3f} s{shown}",
              flush=True)
    return rows, peak_mb


def print_table(title: str, rows: list[list[Any]], peak: str) -> None:
    """Rows are ``[key, label, ours s, ours names, rattler s, rattler names]``, with the
    real conda's seconds, whether it was cut off, and its answer after them when it ran
    (``ours/conda`` is printed; "same" compares our answer with rattler's and conda's)."""
    print(f"\n{title}")
    with_conda = any(len(r) > 6 and r[6] is not None for r in rows)
    extra = f" {'conda s':>8} {'/conda':>7}" if with_conda else ""
    print(f"{'data':<10} {'case':<30} {'ours s':>8} {'rattler s':>9} {'ratio':>6}{extra}"
          "  same")
    ratios = []
    conda_ratios = []
    for key, label, t_ours, n_ours, t_rat, n_rat, *rest in rows:
        t_conda = rest[0] if rest else None
        conda_cut = len(rest) > 1 and rest[1]  # killed at the timeout: a lower bound
        conda_names = rest[2] if len(rest) > 2 else None
        ratio = t_ours / t_rat if t_rat else float("inf")
        ratios.append(ratio)
        short = Path(key).stem if "/" in key else key
        if n_ours == n_rat:
            diff = "yes"
        elif n_ours[0].startswith("error:") and n_rat[0].startswith("error:"):
            diff = f"both fail ({n_ours[0][7:]} / {n_rat[0][7:]})"
        else:
            diff = f"no ({len(set(n_ours) ^ set(n_rat))} differ)"
        cells = ""
        if with_conda:
            cells = f" {'':>8} {'':>7}"
            if t_conda:
                conda_ratios.append(t_ours / t_conda)
                cells = f" {t_conda:8.3f} {t_ours / t_conda:7.3f}"
                if conda_cut:
                    cells = f" >{t_conda:7.1f} <{t_ours / t_conda:6.4f}"
            if conda_names is not None:
                diff += ", = conda" if conda_names == n_ours else ", differs from conda"
        print(f"{short:<10} {label:<30} {t_ours:8.3f} {t_rat:9.3f} {ratio:6.2f}{cells}  {diff}")
    print(f"median ratio {statistics.median(ratios):.2f}, worst {max(ratios):.2f}; slowest "
          f"ours {max(r[2] for r in rows):.3f} s; {peak}")
    if conda_ratios:
        print(f"ours / the real conda: median {statistics.median(conda_ratios):.3f}, worst "
              f"{max(conda_ratios):.3f} (a conda run cut off at --conda-timeout counts "
              "as the limit: its ratio is an upper bound)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cases", choices=("all", "issue"), default="all",
                        help="'issue': the solver issue's five index4 cases only")
    parser.add_argument("--conda", default=os.environ.get("BENCH_REAL_CONDA", ""),
                        help="command running the real conda, isolated and offline (e.g. "
                             "a wrapper script; default $BENCH_REAL_CONDA): timed whole "
                             "process beside ours; left out when empty or not found")
    parser.add_argument("--conda-repeat", type=int, default=1,
                        help="timed runs of the real conda per case (it takes seconds "
                             "each; they alternate with the first of ours)")
    parser.add_argument("--conda-timeout", type=float, default=600.0,
                        help="seconds after which a real conda run is stopped; its time "
                             "then counts as this limit (a lower bound)")
    parser.add_argument("--whole-process-only", action="store_true",
                        help="skip the in-process table (the in-process answers are "
                             "still computed once, to check the commands' answers)")
    args = parser.parse_args()
    conda = shlex.split(args.conda) if args.conda else None
    if conda and not shutil.which(conda[0]):
        print(f"real conda {conda[0]} not found: left out")
        conda = None
    data = layouts()
    results = []
    chosen = [c for c in CASES if args.cases == "all" or (c[0], c[1]) in ISSUE_CASES]
    for key, label, specs in chosen:
        best = min(ours(data[key], specs)[0]
                   for _ in range(1 if args.whole_process_only else args.repeat))
        results.append([key, label, specs, best, ours(data[key], specs)[1]])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryDirectory() as tmp:
        folders = {k: write_channel(Path(tmp) / str(n), v) for n, (k, v) in enumerate(data.items())}
        for row in results:
            key, _, specs = row[:3]
            times = [rattler_solve(folders[key], specs)
                     for _ in range(1 if args.whole_process_only else args.repeat)]
            row.extend([min(t for t, _ in times), times[0][1]])
        (Path(tmp) / "run").mkdir()
        processes, child_mb = whole_process(results, folders, Path(tmp) / "run", args.repeat,
                                            conda, args.conda_repeat,
                                            args.conda_timeout)
    if not args.whole_process_only:
        print_table("In process (the solve alone)",
                    [[k, label, t, n, tr, nr] for k, label, _, t, n, tr, nr in results],
                    f"peak RSS after our solves {peak_mb:.0f} MB")
    print_table("Whole process (a fresh interpreter per run, caches warm)", processes,
                f"peak RSS of our processes {child_mb:.0f} MB")


if __name__ == "__main__":
    main()
