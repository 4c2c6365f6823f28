"""Break an environment the way users do; each check finds exactly its problem, and
``conda doctor --fix`` repairs it so the report after is clean."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO, SHARED_DATA
from tests.doctor.conftest import failing

ALL = {"altered-files", "consistency", "environment-txt", "file-locking",
       "interrupted-transaction", "missing-files", "pinned", "pip-packages",
       "requests-ca-bundle"}
CORRUPT = SHARED_DATA / "conda" / "tests" / "data" / "corrupt"


def delete_file(env: Path) -> None:
    (env / "etc" / "conda" / "activate.d" / "activate.sh").unlink()


def edit_file_in_place(env: Path) -> None:
    # in place: the prefix file is a hard link into the package cache, which changes too
    with open(env / "bin" / "small", "a") as f:
        f.write("echo tampered\n")


def replace_file(env: Path) -> None:
    target = env / "etc" / "conda" / "activate.d" / "small_executable.sh"
    target.unlink()
    target.write_text("echo an editor saved this\n")


def corrupt_record(env: Path, kind: str = "json") -> None:
    source = CORRUPT / kind / "conda-meta" / "corrupt-1.2.3-hashhash.json"
    shutil.copyfile(source, env / "conda-meta" / "small-executable-1.0-0.json")


def corrupt_record_unicode(env: Path) -> None:
    corrupt_record(env, "unicode")


def unregister(env: Path) -> None:
    txt = Path(os.path.expanduser("~/.conda/environments.txt"))
    txt.write_text("".join(line + "\n" for line in txt.read_text().splitlines()
                           if line.strip() != str(env)))


def bad_pin(env: Path) -> None:
    (env / "conda-meta" / "pinned").write_text(
        "# keep this comment\ndependent 1.0.*  # and this pin\nnumpyy >=1\n>>>nope\n")


def remove_dependency_record(env: Path) -> None:
    (env / "conda-meta" / "dependency-1.0-0.json").unlink()


CASES = {
    "missing-files": [delete_file, corrupt_record, corrupt_record_unicode],
    "altered-files": [edit_file_in_place, replace_file],
    "environment-txt": [unregister],
    "pinned": [bad_pin],
    "consistency": [remove_dependency_record],
}


def test_a_healthy_environment_passes_every_check(env: Path, doctor) -> None:
    data = doctor("-p", env)
    assert data["code"] == 0 and data["success"] is True
    assert {c["name"] for c in data["checks"]} >= ALL
    assert failing(data) == set()


@pytest.mark.parametrize(("check", "breakage"), [(c, b) for c, bs in CASES.items()
                                                 for b in bs],
                         ids=lambda v: v if isinstance(v, str) else v.__name__)
def test_each_check_finds_its_problem_and_fixes_it(env: Path, doctor, check: str,
                                                   breakage: Callable[[Path], None]) -> None:
    breakage(env)
    data = doctor("-p", env)
    assert data["code"] == 1 and data["success"] is False
    assert failing(data) == {check}
    fixed = doctor("-p", env, "--fix", "-y")
    assert [f["status"] for f in fixed["fixes"]] == ["fixed"], fixed["fixes"]
    assert failing(fixed) == set() and fixed["code"] == 0
    assert failing(doctor("-p", env)) == set()


def test_fixes_keep_what_the_user_wrote(env: Path, doctor) -> None:
    bad_pin(env)
    edit_file_in_place(env)
    doctor("-p", env, "--fix", "-y")
    assert (env / "conda-meta" / "pinned").read_text() == (
        "# keep this comment\ndependent 1.0.*  # and this pin\n")
    assert "tampered" not in (env / "bin" / "small").read_text()


def test_several_problems_are_fixed_together_whatever_the_order(env: Path, doctor) -> None:
    # a bad pin makes every solve fail: the consistency fix succeeds once pinned is fixed
    for breakage in (bad_pin, delete_file, edit_file_in_place, remove_dependency_record,
                     unregister):
        breakage(env)
    data = doctor("-p", env)
    assert failing(data) == {"pinned", "missing-files", "altered-files", "consistency",
                             "environment-txt"}
    fixed = doctor("-p", env, "--fix", "-y")
    assert failing(fixed) == set(), fixed
    assert fixed["code"] == 0


def test_an_unreadable_record_is_kept_aside_and_the_package_restored(env: Path,
                                                                     doctor) -> None:
    corrupt_record(env)
    doctor("-p", env, "--fix", "-y")
    meta = env / "conda-meta"
    assert (meta / ".small-executable-1.0-0.corrupt").is_file()
    assert "small" in (meta / "small-executable-1.0-0.json").read_text()


def test_an_interrupted_install_is_found_and_recovered(env: Path, doctor) -> None:
    environ = {**os.environ, "MICROCONDA_TEST_KILL_AT": "link_file:1",
               "PYTHONPATH": str(REPO)}
    killed = subprocess.run([sys.executable, "-m", "kernel", "install", "-p", str(env),
                             "post_link-b", "-y"], env=environ, capture_output=True,
                            text=True, timeout=60)
    assert killed.returncode == 137, killed.stderr
    assert (env / "conda-meta" / ".journal.jsonl").exists()
    data = doctor("-p", env)
    assert failing(data) == {"interrupted-transaction"}
    finding = next(c for c in data["checks"] if c["name"] == "interrupted-transaction")
    assert finding["findings"][0]["data"]["committed"] is False
    fixed = doctor("-p", env, "--fix", "-y")
    assert failing(fixed) == set()
    assert not (env / "conda-meta" / ".journal.jsonl").exists()
    assert not (env / "bin" / "file").exists()  # rolled back


def test_dry_run_says_what_it_would_do_and_changes_nothing(env: Path, conda) -> None:
    bad_pin(env)
    delete_file(env)
    before = (env / "conda-meta" / "pinned").read_text()
    result = conda("doctor", "-p", env, "--fix", "--dry-run")
    assert result.code == 1
    assert "Would fix 'pinned': Drop the invalid lines" in result.out
    assert "Would fix 'missing-files'" in result.out
    assert (env / "conda-meta" / "pinned").read_text() == before
    assert not (env / "etc" / "conda" / "activate.d" / "activate.sh").exists()


def test_declining_a_fix_leaves_the_problem(env: Path, conda,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    bad_pin(env)
    monkeypatch.setattr(sys, "stdin", io.StringIO("n\n"))
    result = conda("doctor", "-p", env, "--fix")
    assert result.code == 1
    assert "Fix 'pinned'" in result.out
    assert "numpyy" in (env / "conda-meta" / "pinned").read_text()
