"""conda init: marked blocks, idempotence, --reverse, --dry-run, and a shell that uses them."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from plugins.shells.initialize import BEGIN, END, edit
from tests.shells.conftest import need


def test_init_is_idempotent_and_reverse_removes_exactly_the_block(conda, hermetic_env):
    home = hermetic_env
    bashrc = home / ".bashrc"
    bashrc.write_text("# mine\nalias ll='ls -l'\n")
    bashrc.chmod(0o600)
    done = conda("init", "bash", "zsh", "--dry-run")
    assert done.returncode == 0 and "modified" in done.stdout and "Dry run" in done.stdout
    assert bashrc.read_text() == "# mine\nalias ll='ls -l'\n"
    assert not (home / ".zshrc").exists()
    done = conda("init", "bash", "zsh")
    assert done.returncode == 0, done.stderr
    text = bashrc.read_text()
    assert text.startswith("# mine\nalias ll='ls -l'\n" + BEGIN) and text.endswith(END + "\n")
    assert "shell.bash" in text and oct(bashrc.stat().st_mode & 0o777) == "0o600"
    assert "shell.zsh" in (home / ".zshrc").read_text()
    again = conda("init", "bash")
    assert "no change" in again.stdout and bashrc.read_text() == text
    done = conda("init", "--all", "--reverse")
    assert done.returncode == 0, done.stderr
    assert bashrc.read_text() == "# mine\nalias ll='ls -l'\n"
    assert (home / ".zshrc").read_text() == ""


def test_init_follows_symlinks_and_json(conda, hermetic_env):
    real = hermetic_env / "dotfiles" / "bashrc"
    real.parent.mkdir()
    real.write_text("x=1\n")
    (hermetic_env / ".bashrc").symlink_to(real)
    done = conda("init", "bash", "--json")
    assert done.returncode == 0 and '"modified"' in done.stdout
    assert (hermetic_env / ".bashrc").is_symlink() and BEGIN in real.read_text()
    assert conda("init", "nosuchshell").returncode == 2


def test_edit_replaces_block_in_place():
    old = f"a\n{BEGIN}\nold\n{END}\nb\n"
    assert edit(old, f"{BEGIN}\nnew\n{END}\n") == f"a\n{BEGIN}\nnew\n{END}\nb\n"
    assert edit(old, None) == "a\nb\n"
    assert edit("no newline", "B\n") == "no newline\nB\n"


def test_initialized_bash_and_fish_can_activate(conda, envs, shell_environ, hermetic_env):
    need("bash")
    assert conda("init", "bash", "fish", "tcsh").returncode == 0
    rc = hermetic_env / ".bashrc"
    done = subprocess.run(["bash", "--norc", "-c", f'. "{rc}"; conda activate two; '
                           'echo "$CONDA_DEFAULT_ENV $TWO_VAR"'], env=shell_environ,
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "two 2", done.stderr
    for shell, rcfile, cmd in (
            ("fish", ".config/fish/config.fish", "source {rc}; conda activate two; "
             "echo $CONDA_DEFAULT_ENV $TWO_VAR"),
            ("tcsh", ".tcshrc", "source {rc}; conda activate two; "
             "echo $CONDA_DEFAULT_ENV $TWO_VAR")):
        if not any(Path(p, shell).exists() for p in os.environ["PATH"].split(os.pathsep)):
            continue
        path = hermetic_env / rcfile
        script = hermetic_env / f"test.{shell}"
        script.write_text(cmd.format(rc=path).replace("; ", "\n") + "\n")  # csh: alias
        args = [shell, "--no-config"] if shell == "fish" else [shell, "-f"]  # needs a new line
        done = subprocess.run([*args, str(script)], env=shell_environ,
                              capture_output=True, text=True, timeout=60)
        assert done.stdout.strip() == "two 2", (shell, done.stderr)


def test_direct_activate_says_run_conda_init(conda, envs):
    for command in (["activate", "two"], ["deactivate"]):
        done = conda(*command)
        assert done.returncode == 1
        assert done.stderr.strip() == f"CondaError: Run 'conda init' before 'conda {command[0]}'"
