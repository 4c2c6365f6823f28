"""``path_conflict`` and ``safety_checks``: the checks made before a transaction writes."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import kernel.config
from plugins.prefix import PrefixData
from plugins.transaction import LinkSettings, Transaction, needs_recovery
from plugins.transaction.verify import ClobberError, SafetyError
from tests.engine.pkgbuild import archive_record, snapshot

MakePackage = Callable[..., dict[str, Any]]
Corrupt = Callable[..., dict[str, Any]]
RECIPES = Path("/work/shared/data/conda/tests/data/test-recipes/noarch")


def run(prefix: Path, link: list[Any], unlink: list[Any] | None = None,
        **settings: Any) -> list[str]:
    """Execute a transaction; returns the notices it printed."""
    notices: list[str] = []
    Transaction(str(prefix), unlink or (), link, (), (), "test", progress=False,
                notice=notices.append,
                settings=LinkSettings(**settings) if settings else None).execute()
    return notices


@pytest.fixture
def clobber_pair(tmp_path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """conda's test-recipes ``clobber-a`` and ``clobber-b`` (copied), which share a path."""
    if not RECIPES.is_dir():
        pytest.skip("conda test recipes not available")
    folder = tmp_path / "recipes"
    folder.mkdir()
    records = []
    for name in ("clobber-a", "clobber-b"):
        path = shutil.copy(RECIPES / f"{name}-1.0-0.conda", folder)
        records.append(archive_record(str(path)))
    return records[0], records[1]


def shared_path(prefix: Path) -> str:
    files = PrefixData(str(prefix)).raw_records()["clobber-a"]["files"]
    assert len(files) >= 1
    return str(files[0])


@pytest.mark.parametrize("mode", ["clobber", "warn"])
def test_clobber_and_warn_replace_with_one_warning(prefix: Path, clobber_pair: Any,
                                                   mode: str) -> None:
    a, b = clobber_pair
    assert run(prefix, [a]) == []
    path = shared_path(prefix)
    notices = run(prefix, [b], path_conflict=mode)
    warnings = [n for n in notices if "ClobberWarning" in n]
    assert len(warnings) == 1 and "\n" not in warnings[0]
    assert all(w in warnings[0] for w in ("clobber-a-1.0-0", "clobber-b-1.0-0", path, mode))
    assert sorted(PrefixData(str(prefix)).raw_records()) == ["clobber-a", "clobber-b"]


def test_prevent_refuses_before_any_change(prefix: Path, clobber_pair: Any) -> None:
    a, b = clobber_pair
    run(prefix, [a])
    path = shared_path(prefix)
    before = snapshot(str(prefix))
    with pytest.raises(ClobberError) as info:
        run(prefix, [b], path_conflict="prevent")
    message = str(info.value)
    assert "\n" not in message
    assert all(w in message for w in ("clobber-a-1.0-0", "clobber-b-1.0-0", path, "prevent"))
    assert snapshot(str(prefix)) == before
    assert not needs_recovery(str(prefix))


def test_prevent_from_the_configuration(prefix: Path, clobber_pair: Any,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = clobber_pair
    run(prefix, [a])
    monkeypatch.setenv("CONDA_PATH_CONFLICT", "prevent")
    kernel.config.set_config(None)
    with pytest.raises(ClobberError):
        run(prefix, [b])
    assert sorted(PrefixData(str(prefix)).raw_records()) == ["clobber-a"]


def test_conflict_inside_one_transaction(tmp_path: Path, make_package: MakePackage) -> None:
    x = make_package("x", files={"share/same.txt": b"x\n", "share/x.txt": b"x"})
    y = make_package("y", files={"share/same.txt": b"y\n"})
    fresh = tmp_path / "fresh"
    with pytest.raises(ClobberError, match=r"share/same\.txt"):
        run(fresh, [x, y], path_conflict="prevent")
    assert not fresh.exists()  # the refused transaction would have created it
    notices = run(fresh, [x, y])
    assert [n for n in notices if "ClobberWarning" in n and "x-1.0-0" in n
            and "y-1.0-0" in n and "share/same.txt" in n]
    assert (fresh / "share/same.txt").read_bytes() == b"y\n"  # the last package wins


def test_updating_the_owner_is_no_conflict(prefix: Path, make_package: MakePackage) -> None:
    old = make_package("demo", "1.0", files={"share/demo.txt": b"1\n"})
    new = make_package("demo", "2.0", files={"share/demo.txt": b"2\n"})
    run(prefix, [old])
    assert run(prefix, [new], [old], path_conflict="prevent") == []
    assert (prefix / "share/demo.txt").read_bytes() == b"2\n"


def test_unowned_file_is_replaced_silently(prefix: Path, make_package: MakePackage) -> None:
    (prefix / "share").mkdir(parents=True)
    (prefix / "share/stray.txt").write_bytes(b"stray")
    rec = make_package("demo", files={"share/stray.txt": b"pkg"})
    assert run(prefix, [rec], path_conflict="prevent") == []


# -- safety checks -------------------------------------------------------------------------


@pytest.fixture
def corrupted(make_package: MakePackage, pkgs_dir: Path, tmp_path: Path) -> Corrupt:
    """A package whose extracted cache file is corrupted: ``corrupt(same_size)``."""
    rec = make_package("demo", files={"share/data.txt": b"data\n", "bin/ok": b"ok"})
    Transaction(str(tmp_path / "unused"), (), [rec], progress=False).prepare()
    target = pkgs_dir / "demo-1.0-0" / "share/data.txt"

    def corrupt(same_size: bool) -> dict[str, Any]:
        target.unlink()  # never write through a hard link
        target.write_bytes(b"DATA\n" if same_size else b"data, longer\n")
        return rec

    return corrupt


def test_safety_enabled_refuses(prefix: Path, corrupted: Corrupt) -> None:
    rec = corrupted(same_size=False)
    with pytest.raises(SafetyError) as info:
        run(prefix, [rec], safety_checks="enabled")
    assert "demo-1.0-0" in str(info.value) and "share/data.txt" in str(info.value)
    assert "\n" not in str(info.value)
    assert not prefix.exists()


def test_safety_warn_continues(prefix: Path, corrupted: Corrupt) -> None:
    rec = corrupted(same_size=False)
    notices = run(prefix, [rec])  # warn is the default
    warnings = [n for n in notices if "SafetyWarning" in n]
    assert len(warnings) == 1 and "demo-1.0-0" in warnings[0]
    assert "share/data.txt" in warnings[0]
    assert "demo" in PrefixData(str(prefix)).raw_records()


def test_safety_disabled_skips(prefix: Path, corrupted: Corrupt) -> None:
    rec = corrupted(same_size=False)
    assert run(prefix, [rec], safety_checks="disabled") == []


def test_sha256_only_with_extra_safety_checks(prefix: Path, tmp_path: Path,
                                              corrupted: Corrupt) -> None:
    rec = corrupted(same_size=True)
    assert run(tmp_path / "plain", [rec], safety_checks="enabled") == []
    with pytest.raises(SafetyError, match="sha256"):
        run(prefix, [rec], safety_checks="enabled", extra_safety_checks=True)
    assert not prefix.exists()


def test_missing_cache_file_is_reported(prefix: Path, corrupted: Corrupt,
                                       pkgs_dir: Path) -> None:
    rec = corrupted(same_size=False)
    (pkgs_dir / "demo-1.0-0" / "bin/ok").unlink()
    with pytest.raises(SafetyError, match="bin/ok is missing"):
        run(prefix, [rec], safety_checks="enabled")


def test_cli_prevent_exits_non_zero_and_changes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import kernel.manager
    import kernel.reporting
    from kernel.cli import main

    if not RECIPES.is_dir():
        pytest.skip("conda test recipes not available")
    if not any(r.name == "sat" for r in
               kernel.manager.get_plugin_manager().hook_results("conda_solvers")):
        pytest.skip("no 'sat' solver plugin")
    channel = tmp_path / "test-recipes"
    shutil.copytree(RECIPES.parent, channel)
    monkeypatch.setenv("CONDA_CHANNELS", channel.as_uri())
    monkeypatch.setenv("CONDA_REGISTER_ENVS", "false")

    def conda(*args: str) -> tuple[int, str]:
        kernel.config.set_config(None)
        kernel.reporting.reset()
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    env = tmp_path / "env"
    assert conda("create", "-p", str(env), "clobber-a", "-y")[0] == 0
    before = snapshot(str(env))
    monkeypatch.setenv("CONDA_PATH_CONFLICT", "prevent")
    code, output = conda("install", "-p", str(env), "clobber-b", "-y")
    assert code != 0
    errors = [line for line in output.splitlines() if "ClobberError" in line]
    assert errors and "clobber-a-1.0-0" in errors[0] and "clobber-b-1.0-0" in errors[0]
    assert snapshot(str(env)) == before
    monkeypatch.setenv("CONDA_PATH_CONFLICT", "warn")
    code, output = conda("install", "-p", str(env), "clobber-b", "-y")
    assert code == 0, output
    assert [line for line in output.splitlines() if "ClobberWarning" in line]
