"""Solve a fixed set of real problems with our ``sat`` solver and with py-rattler.

Run from the repository root::

    PYTHONPATH=. python benchmarks/solve.py [--repeat N]

Both solvers read the same repodata files, in this process, one after the other. Times
are the best of ``--repeat`` runs of the solve alone (our in-memory source and rattler's
``SparseRepoData`` are opened beforehand; our records are still built during the solve, as
the real index builds them lazily). Peak RSS is read after our solves, before rattler runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.solver.channels import DATA, MemorySource, load_repodata, split_flat_index

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
    (R_MAIN, "r-base", ["r-base"]),
    (SUDOKU, "sudoku conflict (explained)", ["sudoku_0_0", "sudoku_0_1 ==1"]),
]


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = layouts()
    results = []
    for key, label, specs in CASES:
        best = min(ours(data[key], specs)[0] for _ in range(args.repeat))
        results.append([key, label, specs, best, ours(data[key], specs)[1]])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryDirectory() as tmp:
        folders = {k: write_channel(Path(tmp) / str(n), v) for n, (k, v) in enumerate(data.items())}
        for row in results:
            key, _, specs = row[:3]
            times = [rattler_solve(folders[key], specs) for _ in range(args.repeat)]
            row.extend([min(t for t, _ in times), times[0][1]])
    print(f"{'data':<10} {'case':<30} {'ours s':>8} {'rattler s':>9} {'ratio':>6}  same")
    ratios = []
    for key, label, _, t_ours, n_ours, t_rat, n_rat in results:
        ratio = t_ours / t_rat if t_rat else float("inf")
        ratios.append(ratio)
        short = Path(key).stem if "/" in key else key
        diff = "yes" if n_ours == n_rat else f"no ({len(set(n_ours) ^ set(n_rat))} differ)"
        print(f"{short:<10} {label:<30} {t_ours:8.3f} {t_rat:9.3f} {ratio:6.2f}  {diff}")
    print(f"median ratio {statistics.median(ratios):.2f}; slowest ours "
          f"{max(r[3] for r in results):.3f} s; peak RSS after our solves {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
