"""The fast form: scan offsets, packing to byte offsets, sidecar round trips."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.index.sparse import SparseRepodata, scan, stamp_of

names = st.sampled_from(["a", "b", "pkg-é", "c"])
text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=8)
records = st.dictionaries(
    st.text(alphabet="abcé-._0123456789", min_size=1, max_size=10),
    st.fixed_dictionaries({"name": names, "version": text, "license": text,
                           "depends": st.lists(text, max_size=3)}), max_size=12)


def _write(tmp: Path, data: dict, ensure_ascii: bool) -> tuple[Path, bytes]:
    raw = json.dumps(data, ensure_ascii=ensure_ascii, indent=1).encode()
    path = tmp / "repodata.json"
    path.write_bytes(raw)
    return path, raw


@settings(max_examples=60, deadline=None)
@given(packages=records, conda=records, ensure_ascii=st.booleans())
def test_raw_records_match_json_loads(tmp_path_factory: pytest.TempPathFactory,
                                      packages: dict, conda: dict, ensure_ascii: bool) -> None:
    tmp = tmp_path_factory.mktemp("sparse")
    data = {"info": {"subdir": "noarch"}, "packages": packages, "packages.conda": conda}
    path, raw = _write(tmp, data, ensure_ascii)
    sparse = SparseRepodata.parse(path, raw, stamp_of(os.stat(path)))
    sparse.save(tmp / "x.idx")
    warm = SparseRepodata.load(path, tmp / "x.idx")
    assert warm is not None
    for loaded in (sparse, warm):
        for name in {r["name"] for r in (*packages.values(), *conda.values())}:
            got = loaded.raw_records(name)
            want = [(fn, r) for fn, r in (*packages.items(), *conda.items())
                    if r["name"] == name]
            assert got == want


def test_replaced_raw_file_is_reparsed(tmp_path: Path) -> None:
    path, raw = _write(tmp_path, {"packages": {"a-1-0.conda": {"name": "a"}}}, True)
    SparseRepodata.parse(path, raw, stamp_of(os.stat(path))).save(
        tmp_path / "x.idx")
    warm = SparseRepodata.load(path, tmp_path / "x.idx")
    assert warm is not None
    replacement = tmp_path / "new.json"
    replacement.write_text(json.dumps({"packages": {"zz-9-0.conda": {"name": "a", "v": 2},
                                                    "b-1-0.conda": {"name": "b"}}}))
    os.replace(replacement, path)
    assert warm.raw_records("a") == [("zz-9-0.conda", {"name": "a", "v": 2})]


def test_scan_errors_have_positions() -> None:
    with pytest.raises(json.JSONDecodeError) as info:
        scan('{"packages": {"a": {"name": "a"}}, "info": [1,}')
    assert (info.value.lineno, info.value.colno) == (1, 47)
    with pytest.raises(json.JSONDecodeError, match="has no package name"):
        scan('{"packages": {"a": {"version": "1"}}}')


def _indented(data: dict) -> str:
    return json.dumps(data, indent=2, sort_keys=True)


def test_indented_layout_with_an_escaped_file_name_falls_back(tmp_path: Path) -> None:
    packages = {'we"ird-1-0.tar.bz2': {"name": "a", "depends": []},
                "b-1-0.tar.bz2": {"name": "b", "run_exports": {"weak": ["x"]}},
                "c-1-0.tar.bz2": {"name": "a", "nested": {"name": "not-a"}}}
    text = _indented({"info": {}, "packages": packages, "packages.conda": {}})
    path = tmp_path / "repodata.json"
    path.write_text(text)
    sparse = SparseRepodata.parse(path, text.encode())
    assert sparse.raw_records("a") == [("c-1-0.tar.bz2", packages["c-1-0.tar.bz2"]),
                                       ('we"ird-1-0.tar.bz2', packages['we"ird-1-0.tar.bz2'])]
    assert sorted(sparse.names()) == ["a", "b"]


def test_malformed_record_in_indented_layout_is_a_clean_error(tmp_path: Path) -> None:
    from kernel.errors import ChannelError

    text = _indented({"packages": {"a-1-0.tar.bz2": {"name": "a", "version": "1"},
                                   "b-1-0.tar.bz2": {"name": "b", "version": "1"}}})
    text = text.replace('"version": "1"\n    },\n    "b', '"version": 1x\n    },\n    "b')
    path = tmp_path / "repodata.json"
    path.write_text(text)
    sparse = SparseRepodata.parse(path, text.encode())  # found by layout; decoded when asked for
    assert sparse.raw_records("b") == [("b-1-0.tar.bz2", {"name": "b", "version": "1"})]
    with pytest.raises(ChannelError, match=r"malformed repodata in the cache file .*"
                                           r"repodata\.json: a record of 'a' does not parse"):
        sparse.raw_records("a")


tricky = st.fixed_dictionaries(
    {"name": names, "version": text, "license": st.sampled_from(["{", "}", '},"x":{', "ok"])},
    optional={"nested": st.fixed_dictionaries({"name": names, "weak": st.lists(text)}),
              "app": st.lists(st.fixed_dictionaries({"name": text}), max_size=2),
              "note": st.none()})
tricky_records = st.dictionaries(st.text(alphabet='abc"\\é-._019', min_size=1, max_size=10),
                                 tricky, max_size=12)


@settings(max_examples=80, deadline=None)
@given(packages=tricky_records, conda=tricky_records, ensure_ascii=st.booleans(),
       indent=st.sampled_from([None, 1, 2]), window=st.sampled_from([24, 160, 1 << 23]),
       mapped=st.booleans())
def test_compact_one_line_records_match_json_loads(
        tmp_path_factory: pytest.TempPathFactory, packages: dict, conda: dict,
        ensure_ascii: bool, indent: int | None, window: int, mapped: bool) -> None:
    """What servers send (one line, ``separators=(",", ":")``) as well as conda-index's
    indented form, with nested objects, braces and separators inside strings and escaped
    file names, read in windows smaller and larger than a record, from bytes or from the
    mapped file: each name's records are those of ``json.loads``."""
    import mmap

    from plugins.index import record_spans

    tmp = tmp_path_factory.mktemp("compact")
    data = {"info": {"subdir": "noarch"}, "packages": packages, "packages.conda": conda,
            "removed": ["x"], "repodata_version": 1}
    raw = json.dumps(data, ensure_ascii=ensure_ascii, indent=indent,
                     separators=(",", ":") if indent is None else None).encode()
    path = tmp / "repodata.json"
    path.write_bytes(raw)
    given_data: bytes | mmap.mmap = raw
    if mapped:
        with open(path, "rb") as f:
            given_data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    was, record_spans.WINDOW = record_spans.WINDOW, window
    try:
        sparse = SparseRepodata.parse(path, given_data, stamp_of(os.stat(path)))
    finally:
        record_spans.WINDOW = was
    expected: dict[str, list] = {}
    for key in ("packages", "packages.conda"):
        for fn, record in data[key].items():
            expected.setdefault(record["name"], []).append((fn, record))
    assert {n: sparse.raw_records(n) for n in sparse.names()} == expected
    assert sparse.info == {"subdir": "noarch"}
    assert sparse.meta["removed"] == ["x"]


@pytest.mark.parametrize("indent", [None, 1])
def test_index4_compact_and_indented_match_json_loads(shared_data: Path, tmp_path: Path,
                                                      indent: int | None) -> None:
    packages = json.loads((shared_data / "conda/tests/data/index4.json").read_text())
    raw = json.dumps({"info": {"subdir": "linux-64"}, "packages": packages,
                      "packages.conda": {}}, indent=indent,
                     separators=(",", ":") if indent is None else None).encode()
    path = tmp_path / "repodata.json"
    path.write_bytes(raw)
    sparse = SparseRepodata.parse(path, raw)
    assert all(isinstance(v[0], type(None)) for v in sparse.offsets.values())  # the fast form
    got = {fn: record for n in sparse.names() for fn, record in sparse.raw_records(n)}
    assert got == packages


def test_many_windows_of_flat_records_match_json_loads(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Hundreds of flat records (the bulk path) read in small windows, with a few records
    the bulk path cannot prove (a nested object, a brace in a string, no "name", two
    "name" keys in a nested list) among them: the records of ``json.loads``, by name."""
    from plugins.index import record_spans

    packages = {f"p{i % 7}-{i}-0.tar.bz2": {"name": f"p{i % 7}" if i % 3 else "same",
                                            "version": str(i), "depends": ["a", "b"]}
                for i in range(600)}
    packages["odd-1-0.tar.bz2"] = {"name": "odd", "run_exports": {"weak": ["x"]}}
    packages["br-1-0.tar.bz2"] = {"name": "br", "summary": "a } and a {"}
    packages["app-1-0.tar.bz2"] = {"name": "app", "opts": [{"name": "port"}]}
    for i in range(40):  # a run of one name, broken by records that are no flat record
        packages[f"q-{i:02}-0.tar.bz2"] = {"name": "q", "version": str(i)}
    packages["q-10-0.tar.bz2"].update(a={"b": 1}, c={"d": 2})  # "},"c":{" inside
    packages["q-20-0.tar.bz2"]["summary"] = '},"x":{'
    packages["q-30-0.tar.bz2"]["opts"] = [{"name": "port"}, {"name": "host"}]
    for indent in (None, 1):
        raw = json.dumps({"info": {}, "packages": packages, "packages.conda": {}},
                         indent=indent, sort_keys=True,
                         separators=(",", ":") if indent is None else None).encode()
        path = tmp_path / "repodata.json"
        path.write_bytes(raw)
        monkeypatch.setattr(record_spans, "WINDOW", 700)
        sparse = SparseRepodata.parse(path, raw)
        want: dict[str, list] = {}
        for fn, record in sorted(packages.items()):
            want.setdefault(record["name"], []).append((fn, record))
        assert {n: sparse.raw_records(n) for n in sparse.names()} == want
        assert all(v[0] is None for v in sparse.offsets.values())  # found, not decoded


@pytest.mark.parametrize("raw", [b'{"info": {"x": "\xc3\xa9"}, "packages": {}}\xff',
                                 b'{"info": {"x": "\xe2\x82"}}', b"\xc3" + b" " * 40])
def test_utf8_checked_in_windows_names_the_first_bad_byte(raw: bytes) -> None:
    from plugins.index.raw_file import check_utf8

    with pytest.raises(UnicodeDecodeError) as want:
        raw.decode("utf-8")
    for window in (1, 2, 3, 7, 1 << 20):
        with pytest.raises(UnicodeDecodeError) as got:
            check_utf8(raw, window)
        assert got.value.start == want.value.start


@pytest.mark.parametrize("indent", [None, 1])
def test_package_key_inside_a_record_reads_as_json_loads(tmp_path: Path,
                                                         indent: int | None) -> None:
    """A record holding a "packages.conda" member before the real one: found in bulk, and
    the records of json.loads."""
    data = {"info": {}, "packages": {"a-1-0.tar.bz2": {"name": "a", "x": {"packages.conda": {
        "b-1-0.conda": {"name": "b"}}}}, "d-1-0.tar.bz2": {"name": "d"}},
        "packages.conda": {"c-1-0.conda": {"name": "c"}}}
    raw = json.dumps(data, indent=indent).encode()
    path = tmp_path / "repodata.json"
    path.write_bytes(raw)
    sparse = SparseRepodata.parse(path, raw)
    assert all(v[0] is None for v in sparse.offsets.values())  # the fast form
    assert {n: sparse.raw_records(n) for n in sorted(sparse.names())} == {
        "a": [("a-1-0.tar.bz2", data["packages"]["a-1-0.tar.bz2"])],
        "c": [("c-1-0.conda", {"name": "c"})], "d": [("d-1-0.tar.bz2", {"name": "d"})]}


@pytest.mark.parametrize("indent", [None, 1])
def test_a_repeated_packages_key_keeps_only_the_last_as_json_loads(
        tmp_path: Path, indent: int | None) -> None:
    first = json.dumps({"a-1-0.tar.bz2": {"name": "a", "v": 1}}, indent=indent)
    last = json.dumps({"a-2-0.tar.bz2": {"name": "a", "v": 2}, "b-1-0.tar.bz2": {"name": "b"}},
                      indent=indent)
    raw = f'{{"info": {{}}, "packages": {first}, "packages": {last}}}'.encode()
    path = tmp_path / "repodata.json"
    path.write_bytes(raw)
    want = json.loads(raw)["packages"]
    sparse = SparseRepodata.parse(path, raw)
    assert sparse.raw_records("a") == [("a-2-0.tar.bz2", want["a-2-0.tar.bz2"])]
    assert sparse.raw_records("b") == [("b-1-0.tar.bz2", {"name": "b"})]
