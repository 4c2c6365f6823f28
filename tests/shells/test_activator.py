"""The shell-independent activation logic, in process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kernel.config import load_config
from kernel.errors import EnvironmentLocationNotFound
from plugins.shells import get_dialect
from plugins.shells.activator import Activator, EnvironmentNameNotFound, Plan


def apply(environ: dict[str, str], plan: Plan) -> dict[str, str]:
    """What a shell's environment becomes after evaluating ``plan`` (scripts aside)."""
    env = dict(environ)
    if plan.path is not None:
        env["PATH"] = os.pathsep.join(plan.path)
    for name in plan.unset:
        env.pop(name, None)
    env.update(plan.export)
    return env


def step(environ: dict[str, str], op: str, *args: object, **config: str) -> tuple[
        dict[str, str], Plan]:
    cfg = load_config(env={**environ, **{f"CONDA_{k.upper()}": v for k, v in config.items()}})
    activator = Activator(get_dialect("bash"), cfg, environ)
    plan = getattr(activator, op)(*args)
    return apply(environ, plan), plan


@pytest.fixture
def start(envs: dict[str, Path]) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": os.environ["HOME"], "CONDA_ROOT":
            os.environ["CONDA_ROOT"], "CLOBBER": "original", "PS1": "$ "}


def test_activate_then_deactivate_restores_everything(envs, start):
    # the first step exports CONDA_EXE & co. and CONDA_SHLVL=0, as the hook does
    base, _ = step(start, "deactivate")
    assert base == start
    base = {**start, "CONDA_SHLVL": "0"}
    env, plan = step(base, "activate", "it's my env")
    assert env["PATH"] == f"{envs['one']}/bin:/usr/bin:/bin"
    assert env["CONDA_PREFIX"] == str(envs["one"])
    assert env["CONDA_DEFAULT_ENV"] == "it's my env"
    assert env["CONDA_SHLVL"] == "1"
    assert env["CONDA_PROMPT_MODIFIER"] == "(it's my env) "
    assert env["STATE_VAR"] == "va'l $(echo no) `no` \\n"
    assert env["CLOBBER"] == "from-env" and env["__CONDA_SHLVL_0_CLOBBER"] == "original"
    assert plan.set_vars == {"PS1": "(it's my env) $ "}
    assert [Path(p).name for p in plan.activate_scripts] == ["10-test.sh"]
    env["PS1"] = plan.set_vars["PS1"]
    back, plan = step(env, "deactivate")
    assert plan.set_vars == {"PS1": "$ "}
    back["PS1"] = "$ "
    assert {k: v for k, v in back.items() if not k.startswith(("CONDA_EXE", "_CE_",
                                                                "CONDA_PYTHON"))} == base


def test_switch_replaces_path_entry_and_stack_keeps_it(envs, start):
    env, _ = step({**start, "CONDA_SHLVL": "0"}, "activate", "base")
    switched, plan = step(env, "activate", "two")
    assert switched["PATH"] == f"{envs['two']}/bin:/usr/bin:/bin"
    assert switched["CONDA_PREFIX_1"] == str(envs["base"])
    assert [Path(p).parent.name for p in plan.deactivate_scripts] == ["deactivate.d"]
    stacked, plan = step(env, "activate", "two", True)
    assert stacked["PATH"] == f"{envs['two']}/bin:{envs['base']}/bin:/usr/bin:/bin"
    assert stacked["CONDA_STACKED_2"] == "true" and plan.deactivate_scripts == []
    assert stacked["CONDA_PROMPT_MODIFIER"] == "(two) "
    down, plan = step(stacked, "deactivate")
    assert down["PATH"] == env["PATH"] and "CONDA_STACKED_2" not in down
    assert plan.activate_scripts == []  # the stacked-under env was never deactivated
    down, plan = step(switched, "deactivate")
    assert down["PATH"] == env["PATH"] and down["CONDA_PREFIX"] == str(envs["base"])
    assert [Path(p).name for p in plan.activate_scripts] == ["10-test.sh"]


def test_auto_stack_and_stacked_env_prompt(envs, start):
    env, _ = step({**start, "CONDA_SHLVL": "0"}, "activate", "base")
    stacked, _ = step(env, "activate", "two", None, auto_stack="1",
                      env_prompt="({stacked_env}) ")
    assert stacked["CONDA_STACKED_2"] == "true"
    assert stacked["CONDA_PROMPT_MODIFIER"] == "(two,base) "
    no_stack, _ = step(env, "activate", "two", False, auto_stack="1")
    assert "CONDA_STACKED_2" not in no_stack


def test_reactivate_same_prefix_and_changeps1_off(envs, start):
    env, _ = step({**start, "CONDA_SHLVL": "0"}, "activate", "two")
    again, plan = step(env, "activate", str(envs["two"]))
    assert again["CONDA_SHLVL"] == "1" and again["PATH"] == env["PATH"]
    assert plan.deactivate_scripts and plan.activate_scripts
    _, plan = step({**start, "CONDA_SHLVL": "0"}, "activate", "two", changeps1="false")
    assert plan.set_vars == {} and plan.export["CONDA_PROMPT_MODIFIER"] == ""


def test_missing_environments_raise_one_line(envs, start):
    with pytest.raises(EnvironmentNameNotFound, match="Could not find conda environment: nah"):
        step(start, "activate", "nah")
    with pytest.raises(EnvironmentLocationNotFound, match="Not a conda environment"):
        step(start, "activate", str(envs["base"] / "nowhere"))


def test_hostile_state_names_are_refused(envs, start, capsys):
    (envs["two"] / "conda-meta" / "state").write_text(
        '{"env_vars": {"OK_NAME": "1", "BAD; rm -rf /": "x", "unset_me": "***unset***"}}')
    env, plan = step({**start, "CONDA_SHLVL": "0", "UNSET_ME": "was"}, "activate", "two")
    assert env["OK_NAME"] == "1" and "UNSET_ME" not in env
    assert not any("rm" in k for k in plan.export)
    assert "invalid name" in capsys.readouterr().err
    back, _ = step(env, "deactivate")
    assert back["UNSET_ME"] == "was" and "OK_NAME" not in back


@pytest.mark.parametrize("shell,expected", [
    ("bash", "export V='a'\\''b $x'"), ("fish", "set -gx V 'a\\'b $x'"),
    ("tcsh", "setenv V 'a'\\''b $x'"), ("powershell", "$Env:V = 'a''b $x'"),
    ("xonsh", "$V = \"a'b $x\""),
])
def test_quoting_per_dialect(shell, expected):
    assert get_dialect(shell).export("V", "a'b $x") == expected
