"""conda run: activation, streaming, stdin, exit codes, signals, no shell injection."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.shells.conftest import CONDA, need


@pytest.fixture(autouse=True)
def _bash() -> None:
    need("bash")


def test_run_activates_env_and_keeps_arguments_literal(conda, envs, shell_environ, tmp_path):
    args = ["a b", ";touch pwned1", "$(touch pwned2)", "`touch pwned3`", "it's", "\"q\"",
            "new\nline", "*"]
    done = conda("run", "-n", "two", "--cwd", str(tmp_path), "bash", "-c",
                 'printf "%s|" "$TWO_VAR" "$CONDA_DEFAULT_ENV" "$(command -v python)" "$PWD"'
                 ' "$ACT_TWO"; printf "<%s>" "$@"', "argv0", *args, env=shell_environ)
    assert done.returncode == 0, done.stderr
    two = envs["two"]
    head, _, tail = done.stdout.partition("<")
    assert head == f"2|two|{two}/bin/python|{tmp_path}|{two}|"
    assert "<" + tail == "".join(f"<{a}>" for a in args)
    assert not list(tmp_path.glob("pwned*"))


def test_run_by_prefix_and_exit_codes(conda, envs, shell_environ):
    done = conda("run", "-p", str(envs["one"]), "python", env=shell_environ)
    assert done.returncode == 0 and "fake python" in done.stdout
    assert conda("run", "-n", "two", "bash", "-c", "exit 7", env=shell_environ).returncode == 7
    killed = conda("run", "-n", "two", "bash", "-c", "kill -KILL $$", env=shell_environ)
    assert killed.returncode == 128 + signal.SIGKILL
    missing = conda("run", "-n", "two", "no-such-program-here", env=shell_environ)
    assert missing.returncode == 127
    nope = conda("run", "-n", "nope", "true", env=shell_environ)
    assert nope.returncode == 1 and nope.stderr.strip() == (
        f"EnvironmentLocationNotFound: Not a conda environment: {envs['two'].parent / 'nope'}")
    assert conda("run", "-n", "two", env=shell_environ).returncode == 2


def test_run_passes_global_flags_after_double_dash(conda, envs, shell_environ):
    done = conda("run", "-n", "two", "--", "bash", "-c", 'printf "%s " "$@"', "x", "--json",
                 "-v", env=shell_environ)
    assert done.returncode == 0 and done.stdout == "--json -v "


def test_run_passes_stdin(conda, envs, shell_environ):
    done = conda("run", "-n", "two", "cat", input="line one\nline two\n", env=shell_environ)
    assert done.stdout == "line one\nline two\n"


def _start(shell_environ: dict[str, str], script: str) -> subprocess.Popen[str]:
    return subprocess.Popen([str(CONDA), "run", "-n", "two", "bash", "-c", script],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=shell_environ)


def test_run_streams_output(envs, shell_environ):
    proc = _start(shell_environ, "echo first; sleep 2; echo second")
    try:
        start = time.monotonic()
        assert proc.stdout is not None
        assert proc.stdout.readline() == "first\n"
        assert proc.poll() is None, "the first line should arrive while the child runs"
        assert time.monotonic() - start < 30
        assert proc.stdout.readline() == "second\n"
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()


@pytest.mark.parametrize("sig,code", [(signal.SIGTERM, 3), (signal.SIGINT, 4)])
def test_run_passes_signals_to_the_child(envs, shell_environ, sig, code):
    # Deterministic: conda's handlers are in place before the child starts, and the child
    # says "ready" only once its own trap is set, so the signal is sent after both.
    proc = _start(shell_environ, f'trap "echo got {sig.name}; exit {code}" {sig.name[3:]}; '
                                 'echo ready; while :; do sleep 0.05; done')
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "ready\n"
        proc.send_signal(sig)
        assert proc.wait(timeout=30) == code
        assert proc.stdout.read() == f"got {sig.name}\n"
    finally:
        proc.kill()


# Runs conda run's code in a process of its own, with ``subprocess.Popen`` wrapped to send
# SIGTERM to that process once the child exists but before Popen has returned: the window
# in which a signal used to kill conda (default handler) and leave the child running.
_SIGNAL_WHILE_STARTING = """
import os, signal, subprocess, sys
from kernel.config import get_config
from plugins.shells import runner

class Popen(subprocess.Popen):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGTERM)

subprocess.Popen = Popen
child = [sys.executable, "-c", "import time; time.sleep(300)", sys.argv[2]]
sys.exit(runner.run(sys.argv[1], child, get_config()))
"""


def _running_with(marker: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                if marker.encode() in fh.read():
                    found.append(int(entry))
        except (OSError, ValueError):
            continue
    return found


def test_signal_while_the_child_starts_reaches_the_child(envs, shell_environ, tmp_path):
    if not os.path.isdir("/proc"):
        pytest.skip("needs /proc to look for a left-over child")
    marker = f"conda-run-marker-{tmp_path.name}"
    try:
        # output to a file: a left-over child would hold a pipe open
        with open(tmp_path / "stderr", "w") as err:
            done = subprocess.run([sys.executable, "-c", _SIGNAL_WHILE_STARTING,
                                   str(envs["two"]), marker], env=shell_environ,
                                  stdout=subprocess.DEVNULL, stderr=err, timeout=120)
        assert done.returncode == 128 + signal.SIGTERM, (tmp_path / "stderr").read_text()
        assert _running_with(marker) == []
    finally:
        for pid in _running_with(marker):
            os.kill(pid, signal.SIGKILL)
