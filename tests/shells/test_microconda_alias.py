"""The ``microconda`` alias beside a real conda: its hook defines ``microconda``, activation
works through it, and the real conda's function, variables and init block are left alone."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.shells.conftest import CONDA, need

MICRO = CONDA.parent / "microconda"

# Each script: a stand-in for the real conda's hook (its function and CONDA_EXE), then our
# hook, activate 'two', report, call conda, deactivate, report.
POSIX = """conda() {{ echo "real conda $*"; }}
export CONDA_EXE=/opt/real/bin/conda
eval "$('{micro}' shell.{shell} hook)"
microconda activate two
echo "prefix=$CONDA_PREFIX"; echo "two=$TWO_VAR"; echo "exe=$CONDA_EXE"
conda info
microconda deactivate
echo "prefix=${{CONDA_PREFIX-}}"; echo "exe=$CONDA_EXE"
"""
FISH = """function conda; echo "real conda $argv"; end
set -gx CONDA_EXE /opt/real/bin/conda
'{micro}' shell.fish hook | source
microconda activate two
echo "prefix=$CONDA_PREFIX"; echo "two=$TWO_VAR"; echo "exe=$CONDA_EXE"
conda info
microconda deactivate
echo "prefix=$CONDA_PREFIX"; echo "exe=$CONDA_EXE"
"""
CSH = """alias conda 'echo "real conda \\!*"'
setenv CONDA_EXE /opt/real/bin/conda
'{micro}' shell.{shell} hook > hook.csh
source hook.csh
microconda activate two
echo "prefix=$CONDA_PREFIX"; echo "two=$TWO_VAR"; echo "exe=$CONDA_EXE"
conda info
microconda deactivate
if ( $?CONDA_PREFIX ) then
echo "prefix=$CONDA_PREFIX"
else
echo "prefix="
endif
echo "exe=$CONDA_EXE"
"""
XONSH = """aliases["conda"] = lambda args: print("real conda " + " ".join(args))
$CONDA_EXE = "/opt/real/bin/conda"
execx($({micro!r} shell.xonsh hook))
microconda activate two
print("prefix=" + $CONDA_PREFIX); print("two=" + $TWO_VAR); print("exe=" + $CONDA_EXE)
conda info
microconda deactivate
print("prefix=" + ${{...}}.get("CONDA_PREFIX", "")); print("exe=" + $CONDA_EXE)
"""
SHELLS = {"bash": (POSIX, ["--norc", "--noprofile"]), "dash": (POSIX, []),
          "zsh": (POSIX, ["-f"]), "fish": (FISH, ["--no-config"]), "tcsh": (CSH, ["-f"]),
          "xonsh": (XONSH, ["--no-rc"])}


@pytest.fixture
def micro() -> Path:
    if not MICRO.exists():
        pytest.skip(f"the microconda console script is not installed next to {CONDA}")
    return MICRO


@pytest.mark.parametrize("shell", sorted(SHELLS))
def test_hook_defines_microconda_and_leaves_conda_alone(shell, micro, envs, shell_environ,
                                                        tmp_path):
    exe = need(shell)
    template, flags = SHELLS[shell]
    (tmp_path / "test.script").write_text(template.format(micro=str(micro), shell=shell))
    done = subprocess.run([exe, *flags, "test.script"], cwd=tmp_path, env=shell_environ,
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.splitlines() == [
        f"prefix={envs['two']}", "two=2", "exe=/opt/real/bin/conda", "real conda info",
        "prefix=", "exe=/opt/real/bin/conda"], (done.stdout, done.stderr)


def test_posix_hook_names_only_microconda(micro, shell_environ):
    hook = subprocess.run([str(micro), "shell.bash", "hook"], env=shell_environ,
                          capture_output=True, text=True, timeout=60).stdout
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed here (apt-get install bash)")
    listed = subprocess.run([bash, "--norc", "--noprofile", "-c", hook + "\ndeclare -F"],
                            env={**shell_environ, "CONDA_AUTO_ACTIVATE": "false"},
                            capture_output=True, text=True, timeout=60).stdout
    functions = sorted(line.split()[-1] for line in listed.splitlines())
    assert functions == ["__microconda_activate", "__microconda_exe", "__microconda_hashr",
                         "microconda"]
    assert "CONDA_EXE=" not in hook.replace("MICROCONDA_EXE=", "")


def test_microconda_init_keeps_the_real_condas_block(micro, shell_environ, hermetic_env):
    conda_block = ("# >>> conda initialize >>>\n"
                   "# !! Contents within this block are managed by 'conda init' !!\n"
                   "eval \"$('/opt/real/bin/conda' 'shell.bash' 'hook' 2> /dev/null)\"\n"
                   "# <<< conda initialize <<<\n")
    bashrc = hermetic_env / ".bashrc"
    bashrc.write_text("# mine\n" + conda_block)
    done = subprocess.run([str(micro), "init", "bash"], env=shell_environ,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    text = bashrc.read_text()
    assert text.startswith("# mine\n" + conda_block + "# >>> microconda initialize >>>\n")
    assert f"'{micro}' 'shell.bash' 'hook'" in text
    assert text.endswith("# <<< microconda initialize <<<\n")
    done = subprocess.run([str(micro), "init", "--reverse", "bash"], env=shell_environ,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert bashrc.read_text() == "# mine\n" + conda_block
