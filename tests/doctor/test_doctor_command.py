"""The ``conda doctor`` command: output, --list, --json, selection, failure policy, and the
checks that need no broken environment (CA bundle, file locking, real conda prefixes)."""

from __future__ import annotations

import shutil
import sys
import types
from pathlib import Path

import pytest

from kernel import hookimpl
from kernel.manager import PluginInfo, PluginManager, set_plugin_manager
from kernel.types import CondaHealthCheck
from tests.doctor.conftest import failing


def test_console_report_marks_and_details(env: Path, conda) -> None:
    (env / "bin" / "small").unlink()
    result = conda("doctor", "-p", env)
    assert result.code == 1
    assert f"Environment Health Report for: {env}" in result.out
    assert "❌ missing-files: small-executable-1.0-0: 1 missing file(s)" in result.out
    assert "✅ pinned: No pins in conda-meta/pinned." in result.out
    assert "    bin/small" not in result.out
    verbose = conda("doctor", "-p", env, "-v")
    assert "    bin/small" in verbose.out
    assert conda("check", "-p", env, "missing-files").code == 1  # the alias


def test_named_checks_only_and_unknown_names(env: Path, doctor, conda) -> None:
    data = doctor("-p", env, "pinned", "file-locking")
    assert [c["name"] for c in data["checks"]] == ["file-locking", "pinned"]
    result = conda("doctor", "-p", env, "no-such-check")
    assert result.code == 2 and "unknown health check(s): no-such-check" in result.err


def test_list_shows_summary_fix_and_provider(conda, doctor) -> None:
    result = conda("doctor", "--list")
    assert result.code == 0
    line = next(x for x in result.out.splitlines() if x.startswith("environment-txt"))
    assert "Register the environment" in line and "microconda" in line
    data = doctor("--list")
    rows = {r["name"]: r for r in data["checks"]}
    assert rows["file-locking"]["fixable"] is False
    assert rows["pinned"]["distribution"] == "microconda"
    assert rows["pinned"]["plugin"] == "health-pinned"


def test_json_shape(env: Path, doctor) -> None:
    data = doctor("-p", env, "pinned")
    assert data["prefix"] == str(env) and data["success"] is True
    (check,) = data["checks"]
    assert set(check) >= {"name", "summary", "fix", "fixable", "ok", "plugin",
                          "distribution", "version", "findings", "raised"}
    assert check["findings"][0].keys() == {"ok", "message", "details", "data"}


def test_not_an_environment(conda, tmp_path: Path) -> None:
    result = conda("doctor", "-p", tmp_path)
    assert result.code == 1 and "not a conda environment" in result.err


# -- third-party checks registered in-process ---------------------------------------------

def _plugin(*records: CondaHealthCheck) -> types.ModuleType:
    module = types.ModuleType("fake_doctor_plugin")

    @hookimpl
    def conda_health_checks():
        yield from records

    module.conda_health_checks = conda_health_checks  # type: ignore[attr-defined]
    return module


@pytest.fixture
def with_plugin(monkeypatch: pytest.MonkeyPatch):
    def install(*records: CondaHealthCheck) -> None:
        module = _plugin(*records)
        monkeypatch.setitem(sys.modules, module.__name__, module)
        manager = PluginManager()
        manager.load_entrypoints()
        manager.register(module, "fake-doctor",
                         PluginInfo("fake-doctor", "fake_doctor_plugin", "fake-dist", "9.9"))
        set_plugin_manager(manager)

    return install


def _raises(prefix: str, verbose: bool) -> None:
    raise RuntimeError("boom")


_raises.__module__ = "fake_doctor_plugin"


def _prints(prefix: str, verbose: bool) -> None:
    print("✅ first thing is fine")
    print("❌ second thing is broken")
    print("   because of reasons")


_prints.__module__ = "fake_doctor_plugin"


def test_a_raising_check_is_reported_with_its_plugin_and_others_run(env: Path, doctor,
                                                                    with_plugin) -> None:
    with_plugin(CondaHealthCheck(name="explodes", action=_raises))
    data = doctor("-p", env)
    assert failing(data) == {"explodes"}
    check = next(c for c in data["checks"] if c["name"] == "explodes")
    assert check["raised"] is True and check["distribution"] == "fake-dist"
    message = check["findings"][0]["message"]
    assert "RuntimeError: boom" in message and "fake-doctor (fake-dist 9.9)" in message
    assert len(data["checks"]) == 10  # the 9 built-in checks and this one


def test_a_conda_style_printing_check_is_read_back(env: Path, doctor, conda,
                                                   with_plugin) -> None:
    with_plugin(CondaHealthCheck(name="printer", action=_prints, summary="Prints."))
    data = doctor("-p", env, "printer")
    (check,) = data["checks"]
    assert [(f["ok"], f["message"]) for f in check["findings"]] == [
        (True, "first thing is fine"), (False, "second thing is broken")]
    assert check["findings"][1]["details"] == ["because of reasons"]
    result = conda("doctor", "-p", env, "printer", "--fix", "-y")
    assert "printer: no automatic fix is available." in result.out


# -- CA bundle, file locking ----------------------------------------------------------------

def test_ca_bundle(env: Path, doctor, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import certifi

    monkeypatch.setenv("REQUESTS_CA_BUNDLE", certifi.where())
    assert failing(doctor("-p", env, "requests-ca-bundle")) == set()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "nope.pem"))
    data = doctor("-p", env, "requests-ca-bundle")
    assert "does not exist" in data["checks"][0]["findings"][0]["message"]
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(garbage))
    assert failing(doctor("-p", env, "requests-ca-bundle")) == {"requests-ca-bundle"}
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    (tmp_path / "text.pem").write_text("hello\n")
    monkeypatch.setenv("CONDA_SSL_VERIFY", str(tmp_path / "text.pem"))
    data = doctor("-p", env, "requests-ca-bundle")
    finding = data["checks"][0]["findings"][0]
    assert not finding["ok"] and "holds no PEM certificate" in finding["message"]
    assert finding["data"]["source"].startswith("ssl_verify")
    monkeypatch.setenv("CONDA_SSL_VERIFY", "false")
    assert failing(doctor("-p", env, "requests-ca-bundle")) == set()


def test_file_locking_that_is_not_enforced_is_reported(env: Path, doctor,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from plugins.prefix import filelock

    monkeypatch.setattr(filelock, "try_lock", lambda fd: True)
    data = doctor("-p", env, "file-locking")
    assert failing(data) == {"file-locking"}
    assert "not enforced" in data["checks"][0]["findings"][0]["message"]
    monkeypatch.undo()


def test_a_running_transaction_is_not_an_interrupted_one(env: Path, doctor) -> None:
    import os

    from plugins.prefix import filelock
    from plugins.transaction.journal import Journal

    Journal.begin(str(env)).close()
    fd = os.open(env / "conda-meta" / ".lock", os.O_RDWR | os.O_CREAT)
    try:
        assert filelock.try_lock(fd)  # as a running command holds it
        data = doctor("-p", env, "interrupted-transaction")
        assert failing(data) == set()
        assert "running" in data["checks"][0]["findings"][0]["message"]
    finally:
        os.close(fd)
    assert failing(doctor("-p", env, "interrupted-transaction")) == {
        "interrupted-transaction"}


# -- real prefixes made by conda ------------------------------------------------------------

@pytest.mark.parametrize("name", ["envpy37win", "py36-osx-whl", "envpy313tosx_whl"])
def test_real_conda_prefixes(shared_data: Path, tmp_path: Path, doctor, name: str) -> None:
    prefix = tmp_path / name
    shutil.copytree(shared_data / "conda" / "tests" / "data" / "env_metadata" / name, prefix)
    data = doctor("-p", prefix)
    assert not any(c["raised"] for c in data["checks"]), data
    # only the metadata was copied: every package's files are missing, nothing else is
    assert "missing-files" in failing(data)
    assert failing(data) <= {"missing-files", "consistency", "environment-txt"}
    assert next(c for c in data["checks"] if c["name"] == "file-locking")["ok"]
