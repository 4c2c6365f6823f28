"""``conda run``: a command in an activated environment, as a child of this process.

The activation is the same script ``conda shell.bash activate`` prints (variables, ``PATH``,
the environment's ``activate.d/*.sh`` scripts), run by ``bash -c`` with the command given as
positional parameters and started with ``exec "$@"``: arguments are never parsed or
interpolated by any shell, so spaces, ``;``, ``$(...)`` and quotes reach the program as
typed. stdin, stdout and stderr are inherited (output streams as it is written), the
child's exit status is returned (``128 + N`` when a signal ``N`` killed it), and SIGINT,
SIGTERM and SIGHUP sent to conda are passed on to the child (handlers are in place before
the child starts; a signal that comes while it starts is sent once it exists).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

#: bash keeps the command in an array so activate scripts can use "$@" freely
_BASH_WRAPPER = '__conda_run_argv=("$@")\nset --\n{activation}exec "${{__conda_run_argv[@]}}"\n'
_SH_WRAPPER = '{activation}exec "$@"\n'
FORWARDED = ("SIGINT", "SIGTERM", "SIGHUP")


def activation_script(prefix: str, config: Any, environ: Mapping[str, str]) -> str:
    """The POSIX activation of ``prefix`` for a non-interactive shell (no prompt)."""
    from plugins.shells import get_dialect
    from plugins.shells.activator import Activator

    dialect = get_dialect("bash")
    plan = Activator(dialect, config, environ).activate(prefix, stack=False)
    plan.set_vars = {}
    return dialect.render(plan)


def command_line(prefix: str, command: Sequence[str], config: Any,
                 environ: Mapping[str, str]) -> list[str]:
    """The argv that runs ``command`` in ``prefix`` through bash (or ``sh``)."""
    activation = activation_script(prefix, config, environ)
    bash = shutil.which("bash")
    if bash:
        script = _BASH_WRAPPER.format(activation=activation)
        return [bash, "--noprofile", "--norc", "-c", script, "conda-run", *command]
    return ["/bin/sh", "-c", _SH_WRAPPER.format(activation=activation), "conda-run", *command]


def _terminal_sent_it() -> bool:
    """True when we are the terminal's foreground group: Ctrl-C already reached the child."""
    try:
        return os.isatty(0) and os.tcgetpgrp(0) == os.getpgrp()
    except OSError:
        return False


def run(prefix: str, command: Sequence[str], config: Any, *, cwd: str | None = None,
        environ: Mapping[str, str] | None = None) -> int:
    """Run ``command`` in ``prefix``; returns its exit status.

    The forwarding handlers are installed before the child is started: a signal that
    arrives while it starts is remembered and sent to it as soon as it exists, so conda is
    never killed with its child left running.
    """
    if sys.platform == "win32":
        from kernel.errors import CondaError

        raise CondaError("conda run is not supported on Windows by microconda yet")
    environ = dict(os.environ if environ is None else environ)
    argv = command_line(prefix, command, config, environ)
    sys.stdout.flush()
    sys.stderr.flush()
    forwarder = _Forwarder()
    previous = {}
    for name in FORWARDED:
        sig = getattr(signal, name, None)
        if sig is not None:
            previous[sig] = signal.signal(sig, forwarder.handle)
    try:
        proc = subprocess.Popen(argv, cwd=cwd, env=environ)
        forwarder.attach(proc)
        code = proc.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 128 - code if code < 0 else code


class _Forwarder:
    """The signal handler of ``conda run``: passes signals on to the child once it exists."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self.pending: list[int] = []

    def handle(self, signum: int, frame: object) -> None:
        if self.proc is None:
            # No child yet, so even a Ctrl-C from the terminal has not reached it.
            self.pending.append(signum)
            return
        if signum == signal.SIGINT and _terminal_sent_it():
            return
        self._send(signum)

    def attach(self, proc: subprocess.Popen[bytes]) -> None:
        """From now on signals go to ``proc``; those that came before are sent first."""
        self.proc = proc
        while self.pending:
            self._send(self.pending.pop(0))

    def _send(self, signum: int) -> None:
        assert self.proc is not None
        try:
            self.proc.send_signal(signum)
        except ProcessLookupError:
            pass
