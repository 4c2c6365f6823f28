"""The models against real conda data: every record, every dependency spec, and py-rattler.

py-rattler (a Rust conda library) is a second opinion: where it agrees, both are right; where
it differs from conda, the test says so and conda wins.
"""

from __future__ import annotations

from typing import Any

import pytest

from kernel.models import MatchSpec, PackageRecord, VersionOrder
from tests.models.conftest import REPODATA_FILES, repodata_records


def load(relative: str) -> list[PackageRecord]:
    return [PackageRecord.from_repodata(raw, fn) for fn, raw in repodata_records(relative)]


# conda reads a timestamp below this as seconds, so a tiny test timestamp written back in
# milliseconds reads as seconds again (conda's format has the same ambiguity)
SECONDS_LIMIT = 253402300799


@pytest.mark.parametrize("relative", REPODATA_FILES)
def test_every_record_loads_and_round_trips(relative: str):
    pairs = repodata_records(relative)
    for fn, raw in pairs:
        record = PackageRecord.from_repodata(raw, fn)
        out = record.to_json()
        again = PackageRecord.from_json(out)
        assert again == record, fn
        if 0 < record.timestamp < SECONDS_LIMIT:
            continue
        assert again.timestamp == record.timestamp, fn
        assert again.to_json() == out, fn
        for key, value in raw.items():  # what the model keeps verbatim comes back verbatim
            if key not in ("depends", "constrains", "timestamp", "noarch", "channel"):
                assert out[key] == value, (fn, key)


@pytest.mark.parametrize("relative", REPODATA_FILES)
def test_every_dependency_spec_parses(relative: str):
    for _, raw in repodata_records(relative):
        for text in [*(raw.get("depends") or ()), *(raw.get("constrains") or ())]:
            spec = MatchSpec(text)
            assert spec.name != "*", text
            assert str(MatchSpec(str(spec))) == str(spec), text


@pytest.mark.parametrize("relative", REPODATA_FILES)
def test_every_record_matches_its_own_exact_spec(relative: str):
    for record in load(relative):
        assert record.to_match_spec().match(record), record.dist_str()


@pytest.mark.parametrize("relative", REPODATA_FILES)
def test_every_real_version_parses(relative: str):
    for _, raw in repodata_records(relative):
        VersionOrder(raw["version"])


def test_null_depends_records_of_conda_forge():
    relative = "mamba/libmamba/tests/data/repodata/conda-forge-numpy-linux-64.json"
    nulls = [fn for fn, raw in repodata_records(relative) if raw.get("depends", []) is None]
    assert nulls
    records = {r.fn: r for r in load(relative)}
    assert all(records[fn].depends == () for fn in nulls)


# -- py-rattler as a second opinion ----------------------------------------------------------
rattler = pytest.importorskip("rattler", reason="py-rattler is not installed")


def rattler_record(record: PackageRecord) -> Any:
    from rattler.package.build_string import BuildString

    return rattler.PackageRecord(
        name=record.name,
        version=record.version,
        build=BuildString(record.build),
        build_number=record.build_number,
        subdir=record.subdir or "linux-64",
    )


def test_version_order_agrees_with_rattler(real_versions: list[str]):
    ours = sorted(real_versions, key=VersionOrder)
    theirs = sorted(real_versions, key=rattler.Version)
    assert [VersionOrder(v) for v in ours] == [VersionOrder(v) for v in theirs]


@pytest.mark.parametrize("relative", REPODATA_FILES[1:4])
def test_matching_agrees_with_rattler(relative: str):
    records = load(relative)
    by_name: dict[str, list[PackageRecord]] = {}
    for record in records:
        by_name.setdefault(record.name, []).append(record)
    theirs = {id(r): rattler_record(r) for r in records}
    texts = {t for r in records for t in (*r.depends, *r.constrains)}
    compared = 0
    for text in sorted(texts):
        spec, their_spec = MatchSpec(text), rattler.MatchSpec(text)
        for record in by_name.get(spec.name, ()):
            assert spec.match(record) is their_spec.matches(theirs[id(record)]), (text, record)
            compared += 1
    assert compared > 1000


NUMPY = PackageRecord(name="numpy", version="1.7.1", build="py27_0", subdir="linux-64")


@pytest.mark.parametrize(
    ("text", "conda_says"),
    [
        ("numpy >=1,*.7.*", True),  # a glob inside an expression; rattler reads it otherwise
        ("numpy 1.*.1", True),  # a version glob; rattler refuses it
        (r"numpy ^1\.7.*$", True),  # a version regex; rattler refuses it
        ("num*", True),  # a name glob; rattler refuses it by default
        ("numpy=", True),  # how conda prints "numpy *"; rattler refuses it
    ],
)
def test_where_rattler_differs_conda_wins(text: str, conda_says: bool):
    assert MatchSpec(text).match(NUMPY) is conda_says
    try:
        theirs = rattler.MatchSpec(text).matches(rattler_record(NUMPY))
    except Exception:
        theirs = None
    assert theirs is not conda_says
