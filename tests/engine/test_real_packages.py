"""Real package archives from the conda ecosystem, linked into temp prefixes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from plugins.prefix import PrefixData
from plugins.transaction import LinkScriptError, Transaction, plan_transaction, toposort
from tests.engine.pkgbuild import archive_record, build_package, snapshot

RECIPES = "conda/tests/data/test-recipes/noarch"


def recipe(shared: Path, name: str) -> dict:
    matches = sorted((shared / RECIPES).glob(f"{name}-*.conda"))
    assert matches, name
    return archive_record(str(matches[0]))


def run(prefix: Path, unlink=(), link=(), **kwargs) -> Transaction:  # type: ignore[no-untyped-def]
    txn = Transaction(str(prefix), unlink, link, kwargs.pop("specs", ()), (), "test", **kwargs)
    txn.execute()
    return txn


def test_andes_noarch_python_with_entry_point(shared_data: Path, prefix: Path,
                                              channel: Path) -> None:
    andes = archive_record(str(shared_data / "rattler/test-data/andes-1.8.3-pyhd8ed1ab_0.conda"))
    python = build_package(str(channel), "python", "3.12.1", "0")[1]
    run(prefix, link=toposort([andes, python]), specs=["andes"])
    sp = prefix / "lib/python3.12/site-packages"
    assert (sp / "andes/__init__.py").is_file()
    assert (prefix / "bin/andes").read_text().startswith(f"#!{prefix}/bin/python")
    meta = PrefixData(str(prefix)).get_raw("andes")
    assert meta is not None and meta["requested_spec"] == "andes"
    assert len(meta["files"]) == len({*meta["files"]}) > 300
    assert all((prefix / f).exists() for f in meta["files"])
    paths = {p["_path"] for p in meta["paths_data"]["paths"]}
    assert "site-packages/andes/__init__.py" in paths  # the package's own path, as conda
    assert "lib/python3.12/site-packages/andes/__init__.py" in meta["files"]
    run(prefix, unlink=[andes])
    assert not sp.exists() and not (prefix / "bin/andes").exists()


def test_mock_conda_format(shared_data: Path, prefix: Path) -> None:
    mock = archive_record(str(shared_data / "conda-package-handling/tests/data/"
                              "mock-2.0.0-py37_1000.conda"))
    run(prefix, link=[mock])
    meta = PrefixData(str(prefix)).get_raw("mock")
    assert meta is not None
    assert all((prefix / f).is_file() for f in meta["files"])


def test_snappy_legacy_tar_bz2_with_has_prefix(shared_data: Path, prefix: Path) -> None:
    path = next((shared_data / "conda-adapter").rglob("snappy-1.1.3-0.tar.bz2"))
    run(prefix, link=[archive_record(str(path))])
    la = (prefix / "lib/libsnappy.la").read_text()
    assert "/opt/anaconda1anaconda2anaconda3" not in la and str(prefix) in la
    meta = PrefixData(str(prefix)).get_raw("snappy")
    assert meta is not None
    assert any(os.path.islink(prefix / f) for f in meta["files"])
    by_path = {p["_path"]: p for p in meta["paths_data"]["paths"]}
    assert by_path["lib/libsnappy.la"]["prefix_placeholder"] == "/opt/anaconda1anaconda2anaconda3"


def test_post_link_scripts_run_in_the_activated_environment(shared_data: Path,
                                                            prefix: Path) -> None:
    # post_link-e's script writes bin/file; post_link-d's (sourced, uses `return`) checks it
    records = [recipe(shared_data, "post_link-e"), recipe(shared_data, "post_link-d"),
               recipe(shared_data, "post_link_run_in_env_package")]
    run(prefix, link=toposort(records))
    assert (prefix / "bin/file").read_text() == "test\n"
    assert {"post_link-d", "post_link-e", "post_link_run_in_env_package"} <= set(
        PrefixData(str(prefix)).raw_records())
    assert not (prefix / ".messages.txt").exists()


def test_messages_from_scripts_are_shown(shared_data: Path, prefix: Path) -> None:
    seen: list[str] = []
    run(prefix, link=[recipe(shared_data, "post_link_run_in_env_package")], notice=seen.append)
    assert any("Success: TEST_VAR is set correctly" in m for m in seen)


def test_failing_post_link_rolls_everything_back(shared_data: Path, prefix: Path,
                                                 channel: Path) -> None:
    base = build_package(str(channel), "base", files={"base.txt": b"base"})[1]
    run(prefix, link=[base])
    before = snapshot(str(prefix))
    other = build_package(str(channel), "other", files={"other.txt": b"x"})[1]
    with pytest.raises(LinkScriptError, match=r"post-link script failed for package "
                                              r"failing_post_link-1\.0-0"):
        run(prefix, unlink=[base], link=[other, recipe(shared_data, "failing_post_link")])
    assert snapshot(str(prefix)) == before
    assert not (prefix / ".condatmp").exists()


def test_prelink_messages_are_offered_to_the_command(shared_data: Path, prefix: Path) -> None:
    txn = Transaction(str(prefix), (), [recipe(shared_data, "pre_link_messages_package")])
    text = txn.prelink_messages()
    assert "File message-from-pkg.txt" in text and "Lorem ipsum" in text
    assert not prefix.exists()  # preparing fetched into the cache only


def test_package_cache_is_shared_between_environments(shared_data: Path, tmp_path: Path,
                                                      pkgs_dir: Path) -> None:
    rec = recipe(shared_data, "small-executable")
    run(tmp_path / "one", link=[rec])
    run(tmp_path / "two", link=[rec])
    one, two = tmp_path / "one/bin/small", tmp_path / "two/bin/small"
    assert os.stat(one).st_ino == os.stat(two).st_ino
    assert (pkgs_dir / "urls.txt").read_text().count(rec["url"]) == 1
    marker = json.loads((pkgs_dir / "small-executable-1.0-0/info/repodata_record.json")
                        .read_text())
    assert marker["sha256"] == rec["sha256"] and marker["fn"] == rec["fn"]


def test_plan_against_a_real_environment(shared_data: Path, prefix: Path) -> None:
    records = [recipe(shared_data, n) for n in ("dependency", "dependent")]
    run(prefix, link=toposort(records))
    upgraded = [recipe(shared_data, "dependency"),
                archive_record(str(shared_data / RECIPES / "dependent-2.0-0.conda"))]
    plan = plan_transaction(str(prefix), upgraded)
    assert [r["version"] for r in plan.unlink] == ["1.0"]
    assert [(r["name"], r["version"]) for r in plan.link] == [("dependent", "2.0")]
