"""Index load times: microconda's index beside py-rattler, on real repodata. Not a test.

    python benchmarks/index.py [--repeat N]

For each file: *cold* = parse the raw repodata.json (ours: scan + write the warm sidecar;
rattler: ``RepoData.from_path``), *warm* = load what a later run starts from (ours: the
sidecar; rattler: ``SparseRepoData``), *solve* = the records a solve of one package
reaches, following dependencies (ours: PackageRecords when ``kernel.models`` has them,
else raw dicts; rattler: ``load_records_recursive``). Times are the best of N, in ms.
Targets: ours warm+solve <= 2x rattler sparse+solve; ours cold <= 3x rattler cold.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
CASES = [  # (label, file, subdir, package a solve starts from)
    ("index2 linux-64", "derived/conda-index2-channel/linux-64/repodata.json", "linux-64",
     "numpy"),
    ("r linux-64", "conda/tests/data/repodata/r_linux-64.json", "linux-64", "r-base"),
    ("pytorch linux-64", "rattler/test-data/channels/pytorch/linux-64/repodata.json",
     "linux-64", "pytorch"),
]
sys.path.insert(0, str(REPO))


def best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def closure(sparse: Any, start: str, build: Callable[[str, dict[str, Any]], Any]) -> int:
    """Every record reachable from ``start`` through ``depends`` names."""
    seen, queue, count = {start}, [start], 0
    while queue:
        for fn, raw in sparse.raw_records(queue.pop()):
            build(fn, raw)
            count += 1
            for dep in raw.get("depends") or ():
                name = dep.split(" ", 1)[0].split("[", 1)[0]
                if name not in seen:
                    seen.add(name)
                    queue.append(name)
    return count


def record_builder() -> tuple[str, Callable[[str, dict[str, Any]], Any]]:
    try:
        from kernel.models import PackageRecord
    except ImportError:
        return "raw dicts", lambda fn, raw: raw
    return "PackageRecords", lambda fn, raw: PackageRecord.from_repodata(
        raw, fn, subdir="linux-64", base_url="https://example.invalid/ch/linux-64")


def run_case(tmp: Path, label: str, rel: str, subdir: str, start: str,
             build: Callable[[str, dict[str, Any]], Any], repeat: int) -> str:
    import rattler

    from plugins.index.sparse import SparseRepodata, stamp_of

    raw_path, index_path = tmp / f"{label}.json", tmp / f"{label}.idx"
    shutil.copyfile(DATA / rel, raw_path)

    def cold() -> Any:
        with open(raw_path, "rb") as f:
            data = f.read()
            stamp = stamp_of(os.fstat(f.fileno()))
        sparse = SparseRepodata.parse(raw_path, data.decode("utf-8"), data, stamp)
        sparse.save(index_path)
        return sparse

    def warm() -> Any:
        return SparseRepodata.load(raw_path, index_path)

    channel = rattler.Channel("bench")

    def r_sparse() -> Any:
        sparse = rattler.SparseRepoData(channel, subdir, raw_path)
        return rattler.SparseRepoData.load_records_recursive([sparse],
                                                             [rattler.PackageName(start)])

    count = closure(cold(), start, build)
    ours_cold, ours_warm = best(cold, repeat), best(warm, repeat)
    ours_both = best(lambda: closure(warm(), start, build), repeat)
    r_cold = best(lambda: rattler.RepoData.from_path(raw_path), repeat)
    r_both = best(r_sparse, repeat)
    r_count = sum(len(x) for x in r_sparse())
    return (f"{label:<18}{count:>6} | {ours_cold:>7.2f}{r_cold:>8.2f}"
            f"{ours_cold / r_cold:>6.2f}x | {ours_both:>11.2f}{r_both:>15.2f}"
            f"{ours_both / r_both:>6.2f}x | {ours_warm:>6.2f}"
            f"{ours_both - ours_warm:>7.2f}   (rattler: {r_count} records from {start})")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"shared data not found at {DATA}")
        return 1
    import rattler

    kind, build = record_builder()
    print(f"py-rattler {getattr(rattler, '__version__', '?')}; ours builds {kind}; "
          f"best of {args.repeat}, ms")
    header = (f"{'file':<18}{'recs':>6} | {'cold':>7}{'r.cold':>8}{'ratio':>7} | "
              f"{'warm+solve':>11}{'r.sparse+solve':>15}{'ratio':>7} | {'warm':>6}{'solve':>7}")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        for label, rel, subdir, start in CASES:
            print(run_case(Path(tmp), label, rel, subdir, start, build, args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
