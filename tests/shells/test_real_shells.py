"""Source the hook in real shells, activate, stack, deactivate, and compare environments."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.shells.conftest import CONDA, need

# Each script: load the hook, dump env, activate $TARGET1 (a path with a space and a quote),
# report, stack 'two', report, deactivate twice, dump env again, try a missing env.
POSIX = """eval "$('{conda}' shell.{shell} hook)"
env | sort > before
echo "ps1=$PS1"
conda activate "$TARGET1"
echo "lvl=$CONDA_SHLVL"; printf "state=%s\\n" "$STATE_VAR"; echo "clobber=$CLOBBER"
echo "act=$ACT_ITS_MY_ENV"; echo "py=$(command -v python)"; echo "ps1=$PS1"
conda activate --stack two
echo "lvl=$CONDA_SHLVL"; echo "two=$TWO_VAR"; echo "clobber=$CLOBBER"; echo "ps1=$PS1"
conda deactivate
conda deactivate
env | sort > after
echo "ps1=$PS1"
conda activate does-not-exist
echo "status=$?"
"""
FISH = """'{conda}' shell.fish hook | source
env | sort > before
echo "ps1="
conda activate "$TARGET1"
echo "lvl=$CONDA_SHLVL"; printf "state=%s\\n" "$STATE_VAR"; echo "clobber=$CLOBBER"
echo "act=$ACT_ITS_MY_ENV"; echo "py="(command -v python); echo "ps1=$CONDA_PROMPT_MODIFIER"
conda activate --stack two
echo "lvl=$CONDA_SHLVL"; echo "two=$TWO_VAR"; echo "clobber=$CLOBBER"
echo "ps1=$CONDA_PROMPT_MODIFIER"
conda deactivate
conda deactivate
env | sort > after
echo "ps1="
conda activate does-not-exist
echo "status=$status"
"""
CSH = """'{conda}' shell.{shell} hook > hook.csh
source hook.csh
env | sort > before
echo "ps1=$prompt:q"
conda activate "$TARGET1"
echo "lvl=$CONDA_SHLVL"; printf "state=%s\\n" "$STATE_VAR:q"; echo "clobber=$CLOBBER"
echo "act=$ACT_ITS_MY_ENV:q"; echo "py=`which python`"; echo "ps1=$prompt:q"
conda activate --stack two
echo "lvl=$CONDA_SHLVL"; echo "two=$TWO_VAR"; echo "clobber=$CLOBBER"; echo "ps1=$prompt:q"
conda deactivate
conda deactivate
env | sort > after
echo "ps1=$prompt:q"
conda activate does-not-exist
echo "status=1"
"""
XONSH = """execx($(@({conda!r}) shell.xonsh hook))
env | sort > before
conda activate $TARGET1
print("lvl=" + $CONDA_SHLVL); print("state=" + $STATE_VAR); print("clobber=" + $CLOBBER)
import os, shutil  # xonsh's own `which` answers from a command cache that can lag PATH
print("act=" + $ACT_ITS_MY_ENV)
print("py=" + str(shutil.which("python", path=os.pathsep.join($PATH))))
print("ps1=" + $CONDA_PROMPT_MODIFIER)
conda activate --stack two
print("lvl=" + $CONDA_SHLVL); print("two=" + $TWO_VAR); print("clobber=" + $CLOBBER)
print("ps1=" + $CONDA_PROMPT_MODIFIER)
conda deactivate
conda deactivate
env | sort > after
print("gone=" + str([v for v in ("CONDA_PREFIX", "STATE_VAR", "ACT_ITS_MY_ENV") if v in ${{...}}]))
done = !(conda activate does-not-exist)
print("status=" + str(done.returncode))
"""
SHELLS = {"bash": ("POSIX", ["--norc", "--noprofile"]), "dash": ("POSIX", []),
          "zsh": ("POSIX", ["-f"]), "fish": ("FISH", ["--no-config"]),
          "tcsh": ("CSH", ["-f"])}


@pytest.mark.parametrize("shell", sorted(SHELLS))
def test_activate_stack_deactivate_round_trip(shell, envs, shell_environ, tmp_path):
    exe = need(shell)
    kind, flags = SHELLS[shell]
    script = globals()[kind].format(conda=CONDA, shell=shell)
    (tmp_path / "test.script").write_text(script)
    done = subprocess.run([exe, *flags, "test.script"], cwd=tmp_path, env=shell_environ,
                          capture_output=True, text=True, timeout=120)
    lines = done.stdout.splitlines()
    one = envs["one"]
    ps1 = lines.pop(0)[4:]  # the shell's own prompt before activation
    assert lines[:6] == [
        "lvl=1", "state=va'l $(echo no) `no` \\n", "clobber=from-env", f"act={one}",
        f"py={one}/bin/python", f"ps1=(it's my env) {ps1}"], (done.stdout, done.stderr)
    assert lines[6:10] == ["lvl=2", "two=2", "clobber=from-env", f"ps1=(two) {ps1}"]
    assert lines[10] == f"ps1={ps1}"
    assert "Could not find conda environment: does-not-exist" in done.stderr
    assert lines[11] != "status=0"
    before = (tmp_path / "before").read_text()
    after = (tmp_path / "after").read_text()
    assert after == before


def test_real_activate_deactivate_package_scripts(envs, shell_environ, tmp_path, shared_data):
    """The scripts of conda's own activate_deactivate_package test recipe, under bash."""
    from conda_package_streaming.package_streaming import stream_conda_component

    need("bash")
    archive = (shared_data / "conda/tests/data/test-recipes/noarch/"
               "activate_deactivate_package-1.0-0.conda")
    if not archive.exists():
        pytest.skip(f"{archive} is missing")
    prefix = envs["two"]
    for tar, member in stream_conda_component(str(archive), component="pkg"):
        if member.isfile() and member.name.endswith(".sh"):
            data = tar.extractfile(member).read()
            (prefix / member.name).write_bytes(data)
    script = f"""eval "$('{CONDA}' shell.bash hook)"
echo "path=$PATH"
conda activate two
echo "test=$TEST"; echo "path=$PATH"
conda deactivate
echo "path=$PATH"
"""
    done = subprocess.run(["bash", "--norc", "-c", script], env=shell_environ,
                          capture_output=True, text=True, timeout=60)
    lines = dict(line.split("=", 1) for line in done.stdout.splitlines()[1:3])
    start = done.stdout.splitlines()[0].split("=", 1)[1]
    assert lines["test"] == "teststringfromactivate"
    assert lines["path"] == f"teststringfromactivate/bin/test:{prefix}/bin:{start}"
    assert done.stdout.splitlines()[-1] == f"path={start}"


def test_eval_without_hook_and_empty_deactivate(envs, conda, shell_environ):
    done = conda("shell.bash", "deactivate", env=shell_environ)
    assert done.returncode == 0 and done.stdout == ""
    done = conda("shell.bash", "activate", str(Path(envs["base"]) / "missing"),
                 env=shell_environ)
    assert done.returncode != 0 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Not a conda environment" in done.stderr
    done = conda("shell.bash", "bogus", env=shell_environ)
    assert done.returncode == 2 and "invalid command 'bogus'" in done.stderr


def test_xonsh_activate_stack_deactivate_round_trip(envs, shell_environ, tmp_path):
    """The same round trip in real xonsh (no prompt to check: the hook leaves $PROMPT alone)."""
    exe = shutil.which("xonsh")
    if exe is None:
        pytest.skip("xonsh is not installed here (Debian package 'xonsh': apt-get install xonsh)")
    (tmp_path / "test.xsh").write_text(XONSH.format(conda=str(CONDA)))
    done = subprocess.run([exe, "--no-rc", "test.xsh"], cwd=tmp_path, env=shell_environ,
                          capture_output=True, text=True, timeout=60)
    one = envs["one"]
    assert done.stdout.splitlines() == [
        "lvl=1", "state=va'l $(echo no) `no` \\n", "clobber=from-env", f"act={one}",
        f"py={one}/bin/python", "ps1=(it's my env) ",
        "lvl=2", "two=2", "clobber=from-env", "ps1=(two) ",
        "gone=[]", "status=1"], (done.stdout, done.stderr)
    assert "Could not find conda environment: does-not-exist" in done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert (tmp_path / "after").read_text() == (tmp_path / "before").read_text()
