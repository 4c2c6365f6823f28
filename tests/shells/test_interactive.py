"""An interactive bash in tmux: the prompt changes on activate and comes back on deactivate."""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid

import pytest

from tests.shells.conftest import CONDA, need


def test_tmux_interactive_bash_prompt(envs, shell_environ, tmp_path):
    need("bash")
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed here (apt-get install tmux)")
    sock = f"mc-{uuid.uuid4().hex[:8]}"
    tmux = ["tmux", "-L", sock]
    env = {**shell_environ, "TERM": "xterm"}
    env.pop("TMUX", None)
    subprocess.run([*tmux, "new-session", "-d", "-s", "t", "-x", "200", "-y", "50",
                    "bash --norc --noprofile -i"], env=env, check=True, timeout=30)

    def send(line: str) -> None:
        subprocess.run([*tmux, "send-keys", "-t", "t", line, "Enter"], check=True, timeout=30)

    def screen() -> str:
        return subprocess.run([*tmux, "capture-pane", "-p", "-t", "t"], capture_output=True,
                              text=True, timeout=30).stdout

    def wait_for(text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            out = screen()
            if text in out:
                return out
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared:\n{screen()}")

    try:
        send("PS1='mc$ '")
        send(f"eval \"$('{CONDA}' shell.bash hook)\"; echo hook-$((1+1))")
        wait_for("hook-2")
        send('conda activate "$TARGET1"; echo "lvl=$CONDA_SHLVL"')
        wait_for("lvl=1")
        wait_for("(it's my env) mc$")  # tmux drops the trailing space
        send("command -v python; conda deactivate; echo \"lvl=$CONDA_SHLVL[$PS1]\"")
        out = wait_for("lvl=0[mc$ ]")
        assert f"{envs['one']}/bin/python" in out
    finally:
        subprocess.run([*tmux, "kill-server"], timeout=30)
