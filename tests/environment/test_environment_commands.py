"""create / install / update / remove / list against a file:// copy of conda's test-recipes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kernel
from tests.environment.conftest import tree_digest

pytestmark = pytest.mark.usefixtures("solver_available")


def _meta(prefix: Path) -> set[str]:
    return {p.name for p in (prefix / "conda-meta").glob("*.json")}


def test_create_install_list_remove(conda, recipes: str, tmp_path: Path) -> None:
    prefix = tmp_path / "env"
    result = conda("create", "-p", prefix, "dependent=1.0", "-y")
    assert result.code == 0, result.err
    assert "## Package Plan ##" in result.out
    assert f"environment location: {prefix}" in result.out
    assert "added / updated specs:\n    - dependent=1.0" in result.out
    assert "The following NEW packages will be INSTALLED:" in result.out
    assert _meta(prefix) == {"dependent-1.0-0.json", "dependency-1.0-0.json"}
    record = json.loads((prefix / "conda-meta" / "dependent-1.0-0.json").read_text())
    assert record["requested_spec"] == "dependent=1.0" or "dependent" in str(record)
    history = (prefix / "conda-meta" / "history").read_text()
    assert "# update specs: ['dependent=1.0']" in history
    assert f"+{recipes}/noarch::dependent-1.0-0" in history
    assert f"# conda version: {kernel.CONDA_VERSION}" in history  # what conda's check reads

    listed = conda("list", "-p", prefix)
    lines = listed.out.splitlines()
    assert lines[0] == f"# packages in environment at {prefix}:"
    assert lines[2].split() == ["#", "Name", "Version", "Build", "Channel"]
    assert lines[3].split() == ["dependency", "1.0", "0", recipes]

    result = conda("install", "-p", prefix, "another_dependent=1.0", "-y")
    assert result.code == 0, result.err
    assert "another_dependent-1.0-0.json" in _meta(prefix)

    result = conda("update", "-p", prefix, "dependent", "-y")
    assert result.code == 0, result.err
    assert "dependent-2.0-0.json" in _meta(prefix)

    result = conda("remove", "-p", prefix, "dependency", "-y")
    assert result.code == 0, result.err
    assert "The following packages will be REMOVED:" in result.out
    assert _meta(prefix) == set()
    assert "# remove specs: ['dependency']" in (prefix / "conda-meta" / "history").read_text()
    revisions = conda("--json", "list", "-p", prefix, "--revisions").json()
    assert [r["rev"] for r in revisions] == [0, 1, 2, 3]


def test_json_shapes_and_dry_run_writes_nothing(conda, recipes: str, tmp_path: Path,
                                                env_setup: Path) -> None:
    prefix = tmp_path / "env"
    assert conda("create", "-p", prefix, "dependent=1.0", "-y").code == 0
    before = tree_digest(prefix, env_setup)
    result = conda("install", "-p", prefix, "dependent=2.0", "--dry-run", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["success"] is True and data["dry_run"] is True
    assert data["prefix"] == str(prefix)
    actions = data["actions"]
    assert actions["PREFIX"] == str(prefix)
    link = {d["dist_name"]: d for d in actions["LINK"]}
    assert set(link) == {"dependency-2.0-0", "dependent-2.0-0"}
    assert set(link["dependent-2.0-0"]) == {"base_url", "build_number", "build_string",
                                            "channel", "dist_name", "name", "platform",
                                            "version"}
    assert link["dependent-2.0-0"]["base_url"] == recipes
    assert {d["dist_name"] for d in actions["UNLINK"]} == {"dependency-1.0-0", "dependent-1.0-0"}
    assert {r["fn"] for r in actions["FETCH"]} == {"dependency-2.0-0.conda",
                                                   "dependent-2.0-0.conda"}
    text = conda("install", "-p", prefix, "dependent=2.0", "--dry-run")
    assert text.code == 0 and "Dry run. Exiting." in text.out
    assert "The following packages will be UPDATED:" in text.out
    assert tree_digest(prefix, env_setup) == before

    done = conda("install", "-p", prefix, "dependent=2.0", "-y", "--json").json()
    assert done["success"] is True and "dry_run" not in done
    assert _meta(prefix) == {"dependent-2.0-0.json", "dependency-2.0-0.json"}
    again = conda("install", "-p", prefix, "dependent", "--json").json()
    assert again == {"success": True, "message": "All requested packages already installed."}


def test_list_formats(conda, recipes: str, tmp_path: Path) -> None:
    prefix = tmp_path / "env"
    assert conda("create", "-p", prefix, "dependent=2.0", "-y").code == 0
    explicit = conda("list", "-p", prefix, "--explicit", "--sha256").out.splitlines()
    assert "@EXPLICIT" in explicit
    urls = [line for line in explicit if line.startswith("file:")]
    assert urls[0].startswith(f"{recipes}/noarch/dependency-2.0-0.conda#")
    assert len(urls[0].split("#")[1]) == 64
    export = conda("list", "-p", prefix, "--export").out.splitlines()
    assert export[-2:] == ["dependency=2.0=0", "dependent=2.0=0"]
    assert conda("--json", "list", "-p", prefix, "^dependent$").json()[0]["name"] == "dependent"
    assert "dependency" not in conda("list", "-p", prefix, "-f", "dependent").out

    # an @EXPLICIT file recreates the environment without a solve
    spec_file = tmp_path / "explicit.txt"
    spec_file.write_text(conda("list", "-p", prefix, "--explicit", "--md5").out)
    clone = tmp_path / "clone"
    result = conda("create", "-p", clone, "--file", spec_file, "-y")
    assert result.code == 0, result.err
    assert _meta(clone) == _meta(prefix)


def test_remove_all_and_keep_env(conda, recipes: str, tmp_path: Path) -> None:
    prefix = tmp_path / "env"
    assert conda("create", "-p", prefix, "dependency", "-y").code == 0
    assert conda("remove", "-p", prefix, "--all", "--keep-env", "-y").code == 0
    assert (prefix / "conda-meta" / "history").is_file() and _meta(prefix) == set()
    assert conda("remove", "-p", prefix, "--all", "-y").code == 0
    assert not prefix.exists()


def test_force_remove_and_force_reinstall(conda, recipes: str, tmp_path: Path) -> None:
    prefix = tmp_path / "env"
    assert conda("create", "-p", prefix, "dependent", "-y").code == 0
    result = conda("install", "-p", prefix, "dependent", "--force-reinstall", "-y")
    assert result.code == 0, result.err  # conda shows a same-record relink in no section
    assert conda("remove", "-p", prefix, "dependency", "--force", "-y").code == 0
    assert _meta(prefix) == {"dependent-2.0-0.json"}


def test_download_only_and_no_deps(conda, recipes: str, tmp_path: Path,
                                   env_setup: Path) -> None:
    prefix = tmp_path / "env"
    assert conda("create", "-p", prefix, "-y").code == 0
    assert conda("install", "-p", prefix, "dependent", "--download-only", "-y").code == 0
    assert _meta(prefix) == set()
    assert (env_setup / "dependent-2.0-0" / "info" / "repodata_record.json").is_file()
    assert conda("install", "-p", prefix, "dependent", "--no-deps", "-y").code == 0
    assert _meta(prefix) == {"dependent-2.0-0.json"}


@pytest.mark.parametrize(("args", "needle"), [
    (("install", "-p", "{prefix}", "dependent[[["), "dependent[[["),
    (("install", "-p", "{missing}", "dependent"), "missing"),
    (("install", "-p", "{prefix}", "--file", "{missing}"), "missing"),
    (("update", "-p", "{prefix}", "dependent"), "dependent"),
    (("install", "-p", "{prefix}", "dependency", "--override-channels", "-c",
      "file:///no/such/channel"), "/no/such/channel"),
    (("remove", "-p", "{prefix}", "no-such-package"), "no-such-package"),
    (("create", "-n", "bad/name"), "bad/name"),
])
def test_bad_input_is_one_line_and_json(conda, recipes: str, tmp_path: Path, args: tuple,
                                        needle: str) -> None:
    prefix = tmp_path / "env"
    assert conda("create", "-p", prefix, "-y").code == 0
    before = tree_digest(prefix)
    filled = [a.format(prefix=prefix, missing=tmp_path / "missing") for a in args]
    result = conda(*filled)
    assert result.code != 0
    line = [x for x in result.err.splitlines() if x.strip() and not x.startswith("warning")]
    assert len(line) == 1 and needle in line[0], result.err
    as_json = conda("--json", *filled)
    assert as_json.code != 0 and needle in as_json.json()["message"]
    assert tree_digest(prefix) == before


def test_create_refuses_non_environment_folder(conda, recipes: str, tmp_path: Path) -> None:
    target = tmp_path / "stuff"
    target.mkdir()
    (target / "file.txt").write_text("mine")
    result = conda("create", "-p", target, "dependency", "-y")
    assert result.code == 1 and "not a conda environment" in result.err
    assert sorted(p.name for p in target.iterdir()) == ["file.txt"]


def test_create_by_name_in_envs_dirs(conda, recipes: str, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONDA_ENVS_DIRS", str(tmp_path / "envs"))
    assert conda("create", "-n", "demo", "dependency", "-y").code == 0
    assert (tmp_path / "envs" / "demo" / "conda-meta" / "dependency-2.0-0.json").is_file()
    assert "dependency" in conda("list", "-n", "demo").out


def test_platform_flag_solves_for_that_subdir_and_is_remembered(recipes, conda, tmp_path,
                                                                 solver_available):
    prefix = tmp_path / "fake-env"
    result = conda("create", "-p", prefix, "arch-package", "--platform", "osx-fake", "-y",
                   "--json")
    assert result.code == 0, result.err
    linked = [a for a in result.json()["actions"]["LINK"] if a["name"] == "arch-package"]
    assert [a["platform"] for a in linked] == ["osx-fake"]
    assert (prefix / ".condarc").read_text() == "subdir: osx-fake\n"


def test_platform_flag_changes_which_records_exist(recipes, conda, tmp_path, solver_available):
    result = conda("create", "-p", tmp_path / "e", "virtualdep-package=2.0", "--platform",
                   "osx-fake", "-y", "--dry-run")
    assert result.code != 0 and "virtualdep-package" in result.err


def test_list_explicit_is_in_conda_dependency_order(conda, recipes: str, tmp_path: Path) -> None:
    """The order the real conda 26.7 printed for this environment: unrelated packages by
    name, then dependencies level by level (python before pip, though pip is its dep)."""
    prefix = tmp_path / "env"
    made = conda("create", "-p", prefix, "another_dependent", "other_dependent", "buildstring",
                 "small-executable", "clobber-a", "sample_noarch_python", "pip", "-y")
    assert made.code == 0, made.err
    lines = conda("list", "-p", prefix, "--explicit").out.splitlines()
    assert [line.rsplit("/", 1)[1] for line in lines if line.startswith("file:")] == [
        "clobber-a-1.0-0.conda", "small-executable-1.0-0.conda", "dependency-2.0-0.conda",
        "python-3.99.99-0.conda", "versioned-2.0-0.conda", "buildstring-1.0-versioned_2.conda",
        "dependent-2.0-0.conda", "pip-99.99.99-py399_0.conda",
        "sample_noarch_python-1.0-py_0.conda", "another_dependent-2.0-0.conda",
        "other_dependent-1.0-0.conda"]
