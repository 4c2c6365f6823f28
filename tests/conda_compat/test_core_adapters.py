"""``conda.core``: installed records and the package caches, as conda's classes."""

from __future__ import annotations

import json
from pathlib import Path

import plugins.conda_compat  # noqa: F401  (installs the finder)

RECORD = {"name": "zlib", "version": "1.3", "build": "h0", "build_number": 0,
          "subdir": "linux-64", "fn": "zlib-1.3-h0.conda", "md5": "0" * 32,
          "url": "https://conda.anaconda.org/conda-forge/linux-64/zlib-1.3-h0.conda",
          "depends": []}


def test_prefix_data_reads_conda_meta_as_condas_records(tmp_path: Path):
    from conda.core.prefix_data import PrefixData
    from conda.models.records import PrefixRecord

    meta = tmp_path / "conda-meta"
    meta.mkdir()
    (meta / "history").write_text("")
    (meta / "zlib-1.3-h0.json").write_text(json.dumps({**RECORD, "files": []}))
    data = PrefixData(tmp_path)
    assert data.is_environment()
    (record,) = data.iter_records()
    assert isinstance(record, PrefixRecord) and record.channel_name == "conda-forge"
    assert data.get("zlib").version == "1.3" and data.get("nope") is None
    assert [r.name for r in data.query("zlib >=1.2")] == ["zlib"]
    assert list(data.query("zlib <1")) == []


def test_package_cache_data_finds_entries_by_url_spec(tmp_path: Path):
    from conda.core.package_cache_data import PackageCacheData
    from conda.models.match_spec import MatchSpec

    entry = tmp_path / "pkgs" / "zlib-1.3-h0" / "info"
    entry.mkdir(parents=True)
    (entry / "repodata_record.json").write_text(json.dumps(RECORD))
    pkgs = [tmp_path / "pkgs"]
    found = list(PackageCacheData.query_all(MatchSpec(RECORD["url"], md5="0" * 32), pkgs))
    assert [(r.name, r.md5) for r in found] == [("zlib", "0" * 32)]
    assert list(PackageCacheData.query_all(MatchSpec(RECORD["url"], md5="1" * 32), pkgs)) == []
    assert [r.name for r in PackageCacheData.query_all("zlib", pkgs)] == ["zlib"]
