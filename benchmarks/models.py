"""kernel.models beside py-rattler on real conda data: versions, spec parsing, matching.

    python benchmarks/models.py [--repeat N]

1. parse and sort the 28,530 real version strings of ``rattler/test-data/versions.txt``;
2. parse every ``depends``/``constrains`` string of ``r_linux-64.json`` and ``index2.json``
   as an index load meets them (each occurrence, duplicates included), and, separately,
   each distinct string once with cold caches (the worst case for our string cache);
3. match each distinct spec against every record of the same name;
4. (ours only) build the PackageRecords from the repodata dicts.

Each step runs ``--repeat`` times with cold caches (ours are cleared before every run) and
the best CPU time of this process (``time.process_time``, so other busy processes on the
machine do not count) is reported, with the ratio ours / rattler. Skips with a message when the
shared data or py-rattler is missing.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / ".." / "shared" / "data"
sys.path.insert(0, str(REPO))

from kernel import models  # noqa: E402
from kernel.models import MatchSpec, PackageRecord, VersionOrder  # noqa: E402

REPODATA = ("conda/tests/data/repodata/r_linux-64.json", "conda/tests/data/index2.json")


def best_of(repeat: int, run: Callable[[], Any], before: Callable[[], Any] | None = None) -> float:
    best = float("inf")
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def load_records() -> list[tuple[str, dict[str, Any]]]:
    records = []
    for name in REPODATA:
        data = json.loads((DATA / name).read_text())
        packages = {**data.get("packages", {}), **data.get("packages.conda", {})}
        records += list((packages if "packages" in data else data).items())
    return records


def report(label: str, ours: float, theirs: float, unit: str = "") -> float:
    ratio = ours / theirs
    print(f"{label:<38} ours {ours * 1000:8.1f} ms   rattler {theirs * 1000:8.1f} ms   "
          f"ours/rattler {ratio:5.2f}{unit}")  # fmt: skip
    return ratio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: real conda data not found at {DATA.resolve()}")
        return 0
    try:
        import rattler
        from rattler.package.build_string import BuildString
    except ImportError:
        print("skipped: py-rattler is not installed (pip install -e '.[bench]')")
        return 0

    ratios = []
    versions = (DATA / "rattler/test-data/versions.txt").read_text().split()
    ratios.append(report(
        f"parse + sort {len(versions):,} versions",
        best_of(args.repeat, lambda: sorted([VersionOrder(v) for v in versions]),
                models.clear_caches),
        best_of(args.repeat, lambda: sorted([rattler.Version(v) for v in versions])),
    ))  # fmt: skip

    raw_records = load_records()
    records = [PackageRecord.from_repodata(raw, fn) for fn, raw in raw_records]
    occurrences = [
        text
        for _, raw in raw_records
        for text in (*(raw.get("depends") or ()), *(raw.get("constrains") or ()))
    ]
    texts = sorted(set(occurrences))
    accepted, refused = [], []
    for text in texts:
        try:
            rattler.MatchSpec(text)
            accepted.append(text)
        except Exception:
            refused.append(text)
    accepted_set = set(accepted)
    occurrences = [text for text in occurrences if text in accepted_set]
    print(f"({len(raw_records):,} records; {len(occurrences):,} spec strings, {len(texts):,} "
          f"distinct, {len(refused)} refused by rattler and left out: {refused[:3]})")  # fmt: skip
    ratios.append(report(
        f"parse {len(occurrences):,} spec strings",
        best_of(args.repeat, lambda: [MatchSpec(t) for t in occurrences], models.clear_caches),
        best_of(args.repeat, lambda: [rattler.MatchSpec(t) for t in occurrences]),
    ))  # fmt: skip
    report(
        f"  ... each of {len(accepted):,} distinct, cold",
        best_of(args.repeat, lambda: [MatchSpec(t) for t in accepted], models.clear_caches),
        best_of(args.repeat, lambda: [rattler.MatchSpec(t) for t in accepted]),
    )

    by_name: dict[str, list[PackageRecord]] = {}
    theirs_by_name: dict[str, list[Any]] = {}
    for record in records:
        by_name.setdefault(record.name, []).append(record)
        theirs_by_name.setdefault(record.name, []).append(
            rattler.PackageRecord(
                name=record.name,
                version=record.version,
                build=BuildString(record.build),
                build_number=record.build_number,
                subdir=record.subdir or "linux-64",
            )
        )
    ours_specs: list[MatchSpec] = []
    theirs_specs = [rattler.MatchSpec(t) for t in accepted]

    def fresh_specs() -> None:
        # rattler's records hold parsed versions; ours parse on first use, so parse them here
        models.clear_caches()
        for record in records:
            VersionOrder(record.version)
        ours_specs[:] = [MatchSpec(t) for t in accepted]

    def match_ours() -> int:
        return sum(spec.match(r) for spec in ours_specs for r in by_name.get(spec.name, ()))

    def match_theirs() -> int:
        return sum(
            spec.matches(r)
            for spec in theirs_specs
            for r in theirs_by_name.get(spec.name.normalized if spec.name else "", ())
        )

    fresh_specs()
    pairs = sum(len(by_name.get(spec.name, ())) for spec in ours_specs)
    ours_hits, theirs_hits = match_ours(), match_theirs()
    ratios.append(report(
        f"match {pairs:,} (spec, record) pairs",
        best_of(args.repeat, match_ours, fresh_specs),
        best_of(args.repeat, match_theirs),
    ))  # fmt: skip
    print(f"(matches: ours {ours_hits:,}, rattler {theirs_hits:,})")

    build = best_of(
        args.repeat, lambda: [PackageRecord.from_repodata(raw, fn) for fn, raw in raw_records]
    )
    label = f"build {len(raw_records):,} PackageRecords"
    per_record = build / len(raw_records) * 1e6
    print(f"{label:<38} ours {build * 1000:8.1f} ms   ({per_record:.1f} us per record)")
    print(f"worst ratio of the three steps {max(ratios):.2f} (target: at most 3)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
