"""conda env create/update/remove/list/export/config vars, conda export and create --file,
against a file:// copy of conda's test-recipes channel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.env_files.conftest import fake_python

pytestmark = pytest.mark.usefixtures("solver_available")


def _meta(prefix: Path) -> set[str]:
    return {p.name for p in (prefix / "conda-meta").glob("*.json")}


def _yml(path: Path, channel: str, deps: list[str], extra: str = "") -> Path:
    lines = ["name: demo", "channels:", f"  - {channel}", "dependencies:",
             *(f"  - {d}" for d in deps)]
    path.write_text("\n".join(lines) + "\n" + extra)
    return path


def test_create_from_yml_then_export_round_trips(conda, recipes: str, tmp_path: Path) -> None:
    source = _yml(tmp_path / "environment.yml", recipes, ["dependent=1.0"],
                  "variables:\n  FOO: bar\n  N: 3\n")
    prefix = tmp_path / "env"
    result = conda("env", "create", "-f", source, "-p", prefix, "-y")
    assert result.code == 0, result.err
    assert "conda activate" in result.out
    assert _meta(prefix) == {"dependent-1.0-0.json", "dependency-1.0-0.json"}
    state = json.loads((prefix / "conda-meta" / "state").read_text())
    assert state == {"env_vars": {"FOO": "bar", "N": "3"}}

    exported = conda("export", "-p", prefix)
    assert exported.code == 0, exported.err
    assert exported.out.splitlines()[:6] == [
        f"name: {prefix}", "channels:", f"  - {recipes}", "dependencies:",
        "  - dependency=1.0=0", "  - dependent=1.0=0"]
    assert "variables:\n  FOO: bar\n" in exported.out

    out = tmp_path / "out"
    out.mkdir()
    for filename in ("environment.yml", "explicit.txt"):
        assert conda("export", "-p", prefix, "--file", out / filename).code == 0
    explicit = (out / "explicit.txt").read_text()
    assert "@EXPLICIT" in explicit and f"{recipes}/noarch/dependent-1.0-0.conda#" in explicit
    for filename in ("environment.yml", "explicit.txt"):
        copy = tmp_path / f"copy-{filename}"
        result = conda("env", "create", "-f", out / filename, "-p", copy, "-y")
        assert result.code == 0, result.err
        assert _meta(copy) == _meta(prefix), filename
    assert json.loads((tmp_path / "copy-environment.yml" / "conda-meta" / "state")
                      .read_text())["env_vars"] == {"FOO": "bar", "N": "3"}

    reqs = conda("export", "-p", prefix, "--format", "reqs")
    assert reqs.out.splitlines()[-2:] == [f"{recipes}::dependency==1.0=0",
                                          f"{recipes}::dependent==1.0=0"]


def test_export_flags_and_formats(conda, recipes: str, tmp_path: Path) -> None:
    prefix = tmp_path / "env"
    assert conda("create", "-p", prefix, "dependent=1.0", "-y").code == 0
    history = conda("export", "-p", prefix, "--from-history", "--format", "json").json()
    assert history["dependencies"] == ["dependent=1.0"]
    assert history["name"] == str(prefix) and history["prefix"] == str(prefix)
    no_builds = conda("env", "export", "-p", prefix, "--no-builds", "--json").json()
    assert no_builds["dependencies"] == ["dependency=1.0", "dependent=1.0"]
    bare = conda("env", "export", "-p", prefix, "--ignore-channels", "--override-channels",
                 "-c", "extra-channel", "--json").json()
    assert bare["channels"] == ["extra-channel"]
    written = conda("--json", "export", "-p", prefix, "--file", tmp_path / "spec.txt").json()
    assert written == {"success": True, "file": str(tmp_path / "spec.txt"),
                       "format": "requirements"}
    assert "# Note: This is a conda requirements file" in (tmp_path / "spec.txt").read_text()
    explicit_json = conda("export", "-p", prefix, "--format", "explicit", "--json").json()
    assert explicit_json["format"] == "explicit" and "@EXPLICIT" in explicit_json["content"]
    for args, expected in (
            (("--format", "toml"), "unknown export format 'toml'"),
            (("--file", tmp_path / "env.xyz"), "cannot tell the export format")):
        result = conda("export", "-p", prefix, *args)
        assert result.code == 1 and expected in result.err
        assert "Traceback" not in result.err
    missing = conda("export", "-p", tmp_path / "nowhere")
    assert missing.code == 1 and "EnvironmentLocationNotFound" in missing.err


def test_create_file_goes_through_the_specifiers(conda, recipes: str, tmp_path: Path) -> None:
    source = _yml(tmp_path / "env.yml", recipes, ["dependent=2.0"], "variables:\n  X: '1'\n")
    prefix = tmp_path / "a"
    result = conda("create", "-p", prefix, "--file", source, "-y")
    assert result.code == 0, result.err
    assert _meta(prefix) == {"dependent-2.0-0.json", "dependency-2.0-0.json"}
    assert "X = 1" in conda("env", "config", "vars", "list", "-p", prefix).out
    conda("export", "-p", prefix, "--file", tmp_path / "explicit.txt")
    result = conda("create", "-p", tmp_path / "b", "--file", tmp_path / "explicit.txt", "-y")
    assert result.code == 0, result.err
    assert _meta(tmp_path / "b") == _meta(prefix)
    bad = tmp_path / "requirements.txt"
    bad.write_text("dependent\nbad >=1 <<2\n")
    result = conda("create", "-p", tmp_path / "c", "--file", bad, "-y")
    assert result.code == 1 and f"{bad}:2:" in result.err
    assert not (tmp_path / "c").exists()


def test_update_and_prune(conda, recipes: str, tmp_path: Path) -> None:
    prefix = tmp_path / "env"
    first = _yml(tmp_path / "one.yml", recipes, ["dependent=1.0"])
    assert conda("env", "create", "-f", first, "-p", prefix, "-y").code == 0
    more = tmp_path / "more.txt"
    more.write_text("dependent=2.0\nanother_dependent\n")
    result = conda("env", "update", "-f", more, "-p", prefix, "-y")
    assert result.code == 0, result.err
    assert _meta(prefix) == {"dependent-2.0-0.json", "dependency-2.0-0.json",
                             "another_dependent-2.0-0.json"}
    only = _yml(tmp_path / "only.yml", recipes, ["dependency=2.0"])
    kept = conda("env", "update", "-f", only, "-p", prefix, "-y")
    assert kept.code == 0 and len(_meta(prefix)) == 3  # without --prune nothing goes
    pruned = conda("env", "update", "-f", only, "-p", prefix, "--prune", "-y")
    assert pruned.code == 0, pruned.err
    assert "The following packages will be REMOVED:" in pruned.out
    assert _meta(prefix) == {"dependency-2.0-0.json"}


def test_named_env_list_and_remove(conda, recipes: str, tmp_path: Path,
                                   hermetic_env: Path) -> None:
    source = _yml(tmp_path / "environment.yml", recipes, ["dependency"])
    result = conda("env", "create", "-f", source, "-y")
    assert result.code == 0, result.err
    prefix = hermetic_env / "root" / "envs" / "demo"
    assert "dependency-2.0-0.json" in _meta(prefix)
    assert str(prefix) in conda("env", "list", "--json").json()["envs"]
    assert "demo" in conda("env", "list").out
    assert conda("env", "export", "-n", "demo").out.startswith("name: demo\n")
    dry = conda("env", "remove", "-n", "demo", "--dry-run")
    assert dry.code == 0 and prefix.exists()
    removed = conda("env", "remove", "-n", "demo", "-y")
    assert removed.code == 0, removed.err
    assert not prefix.exists()
    assert str(prefix) not in conda("env", "list", "--json").json()["envs"]
    missing = conda("env", "remove", "-n", "demo", "-y")
    assert missing.code == 1 and f"Not a conda environment: {prefix}" in missing.err


def test_config_vars(conda, tmp_path: Path) -> None:
    prefix = tmp_path / "env"
    (prefix / "conda-meta").mkdir(parents=True)
    vars_ = ("env", "config", "vars")
    assert conda(*vars_, "list", "-p", prefix).out == ""
    assert conda(*vars_, "set", "A=1", "B=x=y", "C=", "-p", prefix).code == 0
    assert conda(*vars_, "list", "-p", prefix).out == "A = 1\nB = x=y\nC = \n"
    unset = conda("--json", *vars_, "unset", "A", "nope", "-p", prefix).json()
    assert unset == {"success": True, "prefix": str(prefix),
                     "env_vars": {"B": "x=y", "C": ""}}
    state = json.loads((prefix / "conda-meta" / "state").read_text())
    assert state["env_vars"]["A"] == "***unset***"
    assert conda(*vars_, "list", "-p", prefix, "--json").json() == {"B": "x=y", "C": ""}
    bad = conda(*vars_, "set", "NOEQUALS", "-p", prefix)
    assert bad.code == 2 and "invalid variable 'NOEQUALS'" in bad.err
    (prefix / "conda-meta" / "state").write_text("{not json")
    broken = conda(*vars_, "list", "-p", prefix)
    assert broken.code == 1 and "not a valid state file" in broken.err
    assert conda(*vars_, "list", "-p", tmp_path / "none").code == 1


def test_pip_dependencies_run_the_environments_python(conda, recipes: str,
                                                      tmp_path: Path) -> None:
    prefix = tmp_path / "env"
    assert conda("env", "create", "-f", _yml(tmp_path / "base.yml", recipes, ["dependency"]),
                 "-p", prefix, "-y").code == 0
    log = fake_python(prefix)
    project = tmp_path / "project"
    project.mkdir()
    with_pip = _yml(project / "environment.yml", recipes, ["dependency", "pip"],
                    "  - pip:\n    - -e .\n    - requests==2.0\n")
    result = conda("env", "update", "-f", with_pip, "-p", prefix, "-y")
    assert result.code == 0, result.err
    assert "Successfully installed fake-1.0" in result.out
    lines = log.read_text().splitlines()
    assert lines[0].startswith(f"args: -m pip install -U -r {project}/condaenv.")
    assert lines[0].endswith(".requirements.txt --exists-action=b")
    assert lines[1] == f"cwd: {project}"
    assert lines[2:] == ["-e .", "requests==2.0"]
    assert not list(project.glob("condaenv.*"))  # the temporary requirements file is gone

    fake_python(prefix, fail=True)
    failed = conda("env", "update", "-f", with_pip, "-p", prefix, "-y")
    assert failed.code == 1
    assert "PipInstallError: pip failed (exit code 1)" in failed.err
    assert "No matching distribution found for nothere" in failed.err.splitlines()[-1]

    no_python = conda("env", "create", "-f", with_pip, "-p", tmp_path / "bare", "-y")
    assert no_python.code == 1 and "has no python" in no_python.err


def test_dry_run_writes_nothing(conda, recipes: str, tmp_path: Path, env_setup: Path) -> None:
    source = _yml(tmp_path / "environment.yml", recipes, ["dependent"], "variables:\n  A: b\n")
    prefix = tmp_path / "env"
    result = conda("env", "create", "-f", source, "-p", prefix, "--dry-run")
    assert result.code == 0 and "Dry run. Exiting." in result.out
    data = conda("env", "create", "-f", source, "-p", prefix, "--dry-run", "--json").json()
    assert data["dry_run"] is True and {d["name"] for d in data["actions"]["LINK"]} == {
        "dependent", "dependency"}
    assert not prefix.exists()
    assert not list(env_setup.glob("*.conda")) and not list(env_setup.glob("*-0"))


def test_bad_input_is_one_line(conda, recipes: str, tmp_path: Path,
                               hermetic_env: Path) -> None:
    def fails(*args: object, expected: str, code: int = 1) -> None:
        result = conda(*args)
        assert result.code == code, (args, result.out, result.err)
        assert expected in result.err and "Traceback" not in result.err
        assert len(result.err.strip().splitlines()) == 1, result.err

    bad = tmp_path / "bad.yml"
    bad.write_text("name: x\ndependencies:\n  - ok\n  - 'x >=1 <<2'\n")
    fails("env", "create", "-f", bad, "-y", expected=f"EnvironmentFileError: {bad}:4:")
    fails("env", "create", "-f", tmp_path / "missing.yml", expected="file not found")
    fails("env", "update", "-f", bad, "-n", "x", expected=f"{bad}:4:")
    npm = _yml(tmp_path / "npm.yml", recipes, ["dependency"], "  - npm:\n    - left-pad\n")
    fails("env", "create", "-f", npm, "-p", tmp_path / "n", expected="no installer for 'npm:'")
    assert not (tmp_path / "n").exists()
    nameless = tmp_path / "nameless.yml"
    nameless.write_text("dependencies:\n  - dependency\n")
    fails("env", "create", "-f", nameless, expected="no 'name:' or 'prefix:'", code=2)
    (hermetic_env / "root" / "conda-meta").mkdir(parents=True)
    fails("env", "create", "-f", nameless, "-p", hermetic_env / "root", "-y",
          expected="is the base prefix")
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "file").write_text("x")
    fails("env", "create", "-f", nameless, "-p", foreign, "-y", expected="not a conda env")
    toml = tmp_path / "env.toml"
    toml.write_text("x = 1\n")
    fails("env", "create", "-f", toml, "-p", tmp_path / "t",
          expected="no environment specifier can read this file")
    fails("env", "create", "-f", nameless, "-p", tmp_path / "t", "--env-spec", "nope",
          expected="no environment specifier named 'nope'")
    fails("env", "config", "vars", expected="required", code=2)


def test_export_name_is_conda_env_name(conda, tmp_path: Path, monkeypatch) -> None:
    """conda writes the env's name for base and envs_dirs members, else the whole path."""
    envs = tmp_path / "envs"
    monkeypatch.setenv("CONDA_ENVS_DIRS", str(envs))
    for prefix in (envs / "web", tmp_path / "elsewhere"):
        (prefix / "conda-meta").mkdir(parents=True)
        (prefix / "conda-meta" / "history").write_text("")
    names = {args: conda("env", "export", *args, "--json").json()["name"]
             for args in (("-n", "web"), ("-p", str(envs / "web")),
                          ("-p", str(tmp_path / "elsewhere")), ("-n", "root"))}
    assert names == {("-n", "web"): "web", ("-p", str(envs / "web")): "web",
                     ("-p", str(tmp_path / "elsewhere")): str(tmp_path / "elsewhere"),
                     ("-n", "root"): "base"}
