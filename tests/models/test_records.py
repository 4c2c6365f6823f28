"""PackageRecord, PackageCacheRecord and PrefixRecord: building, identity and JSON shapes."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernel.errors import InvalidPackageRecord
from kernel.models import (
    Channel,
    Link,
    MatchSpec,
    PackageCacheRecord,
    PackageRecord,
    PathsData,
    PrefixRecord,
)
from tests.models.conftest import DATA, require_data

RAW = {
    "build": "py36h1234_0",
    "build_number": 0,
    "depends": ["python >=3.6,<3.7.0a0", "libgcc-ng >=7.2.0"],
    "license": "BSD",
    "md5": "0123456789abcdef0123456789abcdef",
    "name": "numpy",
    "size": 1234,
    "subdir": "linux-64",
    "timestamp": 1530191353802,
    "version": "1.15.1",
}


def from_raw(**changes: object) -> PackageRecord:
    return PackageRecord.from_repodata({**RAW, **changes}, "numpy-1.15.1-py36h1234_0.tar.bz2",
                                       channel="conda-forge")  # fmt: skip


def test_from_repodata_reads_the_fields():
    record = from_raw()
    assert (record.name, record.version, record.build, record.build_number) == (
        "numpy", "1.15.1", "py36h1234_0", 0)  # fmt: skip
    assert record.depends == ("python >=3.6,<3.7.0a0", "libgcc-ng >=7.2.0")
    assert record.constrains == ()
    assert record.fn == "numpy-1.15.1-py36h1234_0.tar.bz2"
    assert record.channel == Channel("conda-forge")
    assert record.subdir == "linux-64"
    assert record.size == 1234 and record.license == "BSD"


def test_fields_read_late_equal_a_record_built_from_json():
    # a record from repodata sets the fields a solve reads at once and the rest at the
    # first read of any of them; the result must not depend on which is read first
    raw = {**RAW, "sha256": "ab" * 32, "package_type": "conda", "channel": "conda-forge"}
    fn = "numpy-1.15.1-py36h1234_0.tar.bz2"
    late = PackageRecord.from_repodata(raw, fn, channel="conda-forge")
    early = PackageRecord.from_json({**raw, "fn": fn}, channel=Channel("conda-forge"))
    assert pickle.loads(pickle.dumps(late)).to_json() == early.to_json()
    assert late.extra == {"package_type": "conda"} and late.sha256 == "ab" * 32
    assert attrs.evolve(late, license="MIT").to_json() == {**early.to_json(), "license": "MIT"}
    assert late == early and hash(late) == hash(early)
    with pytest.raises(AttributeError):
        late.no_such_field  # noqa: B018


def test_url_read_late_joins_the_base_url():
    fn = "numpy-1.15.1-py36h1234_0.tar.bz2"
    record = PackageRecord.from_repodata(RAW, fn, channel="conda-forge",
                                         base_url="https://repo.example/linux-64/")
    assert record.url == f"https://repo.example/linux-64/{fn}"
    assert record.to_json()["md5"] == RAW["md5"]


def test_null_depends_and_constrains_are_empty():
    record = from_raw(depends=None, constrains=None)
    assert record.depends == () and record.constrains == ()


def test_timestamp_in_seconds_becomes_milliseconds():
    assert from_raw(timestamp=1530191353).timestamp == 1530191353000
    assert from_raw(timestamp=1530191353.802).timestamp == 1530191353802
    assert from_raw(timestamp=1530191353802).timestamp == 1530191353802
    assert from_raw(timestamp=None).timestamp == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [("mkl", ("mkl",)), ("mkl debug", ("mkl", "debug")), ("mkl,debug", ("mkl", "debug")),
     (" mkl , debug ", ("mkl", "debug")), (["mkl", ""], ("mkl",)), ("", ()), (None, ())],
)  # fmt: skip
def test_features_strings_become_tuples(value: object, expected: tuple[str, ...]):
    assert from_raw(track_features=value).track_features == expected
    assert from_raw(features=value).features == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, "generic"), (False, None), ("python", "python"), ("generic", "generic"),
     ("Python", "python"), (None, None)],
)  # fmt: skip
def test_noarch_values(value: object, expected: str | None):
    assert from_raw(noarch=value).noarch == expected


def test_unknown_noarch_is_an_invalid_record():
    with pytest.raises(InvalidPackageRecord):
        from_raw(noarch="weird")


@pytest.mark.parametrize("missing", ["name", "version", "build"])
def test_missing_identity_field_is_an_invalid_record(missing: str):
    raw = {k: v for k, v in RAW.items() if k != missing}
    with pytest.raises(InvalidPackageRecord):
        PackageRecord.from_repodata(raw, "x.tar.bz2")


def test_build_string_stands_in_for_build():
    raw = {k: v for k, v in RAW.items() if k != "build"} | {"build_string": "abc_1"}
    assert PackageRecord.from_repodata(raw, "x.conda").build == "abc_1"


def test_base_url_gives_url_and_channel():
    base_url = "https://conda.anaconda.org/conda-forge/linux-64/"
    record = PackageRecord.from_repodata(RAW, "numpy-1.conda", base_url=base_url)
    assert record.url == "https://conda.anaconda.org/conda-forge/linux-64/numpy-1.conda"
    assert record.channel is not None and record.channel.canonical_name == "conda-forge"


def test_subdir_falls_back_to_the_argument_then_the_channel():
    raw = {k: v for k, v in RAW.items() if k != "subdir"}
    assert PackageRecord.from_repodata(raw, "x.conda", subdir="osx-64").subdir == "osx-64"
    by_channel = PackageRecord.from_repodata(raw, "x.conda", channel="conda-forge/win-64")
    assert by_channel.subdir == "win-64"


def test_unknown_keys_are_kept():
    record = from_raw(app_type="desk", summary="hi")
    assert record.extra == {"app_type": "desk", "summary": "hi"}
    assert record.to_json()["summary"] == "hi"


def test_to_json_writes_the_source_keys_back():
    raw = {**RAW, "track_features": "", "license_family": None}
    out = PackageRecord.from_repodata(raw, "f.tar.bz2").to_json()
    assert {k: v for k, v in out.items() if k in raw} == raw
    assert out["fn"] == "f.tar.bz2"
    assert list(out) == sorted(out)


def test_json_round_trip():
    record = from_raw(track_features="mkl", noarch="python", constrains=["b <2"], extra_key=1)
    again = PackageRecord.from_json(record.to_json())
    assert again == record
    assert again.to_json() == record.to_json()
    bookkeeping = {"present_keys", "source_channel"}
    fields = [f.name for f in attrs.fields(PackageRecord) if f.init and f.name not in bookkeeping]
    assert [getattr(again, f) for f in fields] == [getattr(record, f) for f in fields]


def test_a_record_built_in_code_writes_condas_core_keys():
    record = PackageRecord(name="a", version="1", build="0")
    assert record.to_json() == {"build": "0", "build_number": 0, "constrains": [], "depends": [],
                                "name": "a", "version": "1"}  # fmt: skip


def test_from_json_validates():
    with pytest.raises(InvalidPackageRecord):
        PackageRecord.from_json({"name": "a", "version": 1, "build": "0"})
    with pytest.raises(InvalidPackageRecord):
        PackageRecord.from_json({"name": "a", "version": "1", "build": "0", "build_number": "x"})
    with pytest.raises(InvalidPackageRecord):
        PackageRecord.from_json(["not", "a", "mapping"])  # type: ignore[arg-type]


# -- identity ------------------------------------------------------------------------------
def test_identity_is_channel_subdir_name_version_build_number_build():
    a = from_raw(md5="0" * 32)
    b = from_raw(md5="1" * 32, size=99)
    assert a == b and hash(a) == hash(b)
    assert from_raw() != from_raw(build_number=1)
    assert from_raw() != PackageRecord.from_repodata(RAW, "x", channel="bioconda")
    assert from_raw() != from_raw(subdir="noarch")


def test_identity_uses_the_canonical_channel_name():
    main = PackageRecord.from_repodata(RAW, "x", channel="https://repo.anaconda.com/pkgs/main")
    also_main = PackageRecord.from_repodata(RAW, "x", channel="pkgs/main")
    assert main == also_main
    assert main.schannel == "defaults"


def test_records_order_by_name_then_version():
    versions = ["1.10.0", "1.9.3", "1.15.1", "1.15.1rc1"]
    records = [from_raw(version=v) for v in versions]
    assert [r.version for r in sorted(records)] == ["1.9.3", "1.10.0", "1.15.1rc1", "1.15.1"]
    assert sorted([from_raw(name="b"), from_raw(name="a")])[0].name == "a"


def test_dist_str_and_str():
    record = from_raw()
    assert record.dist_str() == "conda-forge/linux-64::numpy-1.15.1-py36h1234_0"
    assert str(record) == "conda-forge/linux-64::numpy==1.15.1=py36h1234_0"
    unknown = PackageRecord(name="a", version="1", build="0")
    assert unknown.dist_str() == "<unknown>::a-1-0"


def test_to_match_spec_matches_itself():
    record = from_raw()
    spec = record.to_match_spec()
    assert str(spec) == "conda-forge/linux-64::numpy==1.15.1=py36h1234_0"
    assert spec.match(record)
    assert MatchSpec(record) == spec


def test_combined_depends_adds_constrains_as_optional():
    record = from_raw(depends=["python >=3.6", "python <3.7"], constrains=["mkl >=2018", "python"])
    combined = {spec.name: spec for spec in record.combined_depends}
    assert combined["python"].match(from_raw(name="python", version="3.6.5"))
    assert not combined["python"].optional
    assert combined["mkl"].optional


def test_package_type_and_unmanageable():
    assert from_raw(noarch="python").package_type == "noarch_python"
    assert from_raw(package_type="virtual_system").is_unmanageable
    assert not from_raw().is_unmanageable


def test_records_are_frozen_and_pickle():
    record = from_raw()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        record.name = "other"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(record)) == record


def test_package_cache_record():
    record = PackageCacheRecord(name="a", version="1", build="0",
                                package_tarball_full_path="/pkgs/a-1-0.conda",
                                extracted_package_dir="/pkgs/a-1-0")  # fmt: skip
    assert record.tarball_basename == "a-1-0.conda"
    assert record.to_json()["extracted_package_dir"] == "/pkgs/a-1-0"
    assert PackageCacheRecord.from_json(record.to_json()) == record


# -- prefix records ------------------------------------------------------------------------
def conda_meta_files() -> list[Path]:
    root = require_data("conda/tests/data/env_metadata")
    files = sorted(root.glob("*/conda-meta/*.json"))
    files += sorted((DATA / "rattler/test-data/conda-meta").glob("*.json"))
    return files


def test_every_real_prefix_record_round_trips_exactly():
    files = conda_meta_files()
    assert len(files) >= 90
    for path in files:
        data = json.loads(path.read_text())
        assert PrefixRecord.from_json(data).to_json() == data, path.name


def test_prefix_record_fields():
    path = require_data(
        "conda/tests/data/env_metadata/envpy313tosx_whl/conda-meta/python-3.13.2-hfd29fff_1_cp313t.json"
    )
    record = PrefixRecord.load(path)
    assert record.requested_spec == "python=3.13"
    assert record.track_features == ("py_freethreading",)
    assert record.python_site_packages_path == "lib/python3.13t/site-packages"
    assert isinstance(record.link, Link) and record.link.type == 1
    assert isinstance(record.paths_data, PathsData) and record.paths_data.paths_version == 1
    first = record.paths_data.paths[0]
    assert (first.path, first.path_type) == ("bin/idle3", "softlink")
    assert record.conda_meta_filename == path.name
    assert record.schannel == "conda-forge"


def test_prefix_record_dump_writes_condas_format(tmp_path: Path):
    path = require_data("conda/tests/data/env_metadata/py36-osx-whl/conda-meta/nomkl-3.0-0.json")
    record = PrefixRecord.load(path)
    out = tmp_path / record.conda_meta_filename
    record.dump(out)
    assert out.read_text() == path.read_text()


def test_link_types_given_as_names():
    link = {"source": "/pkgs/a", "type": "hardlink"}
    record = PrefixRecord.from_json({"name": "a", "version": "1", "build": "0", "link": link})
    assert record.link == Link(source="/pkgs/a", type=1)
    assert record.to_json()["link"] == {"source": "/pkgs/a", "type": 1}


def test_bad_prefix_record_files(tmp_path: Path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(InvalidPackageRecord):
        PrefixRecord.load(broken)
    with pytest.raises(InvalidPackageRecord):
        PrefixRecord.from_json({"name": "a", "version": "1", "build": "0",
                                "paths_data": {"paths": "nope"}})  # fmt: skip


def test_prefix_record_repr_hides_auth():
    record = PrefixRecord(name="a", version="1", build="0", auth="user:s3cret")
    assert "s3cret" not in repr(record)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=4),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3)
    ),
    max_leaves=5,
)
_keys = st.sampled_from(
    "name version build build_number depends constrains track_features features noarch "
    "timestamp channel url subdir fn size paths_data link files other".split()
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_keys, _json, max_size=6), st.text(max_size=3))
def test_any_json_object_is_a_record_or_invalid_record(data: dict[str, object], text: str):
    data = {"name": text, "version": text, "build": text, **data}
    for cls in (PackageRecord, PrefixRecord):
        try:
            record = cls.from_json(data)
        except InvalidPackageRecord:
            continue
        record.to_json(), repr(record), record.dist_str()
    try:
        PackageRecord.from_repodata(data, "x.conda")
    except InvalidPackageRecord:
        pass
