"""xonsh: Python string literals (``repr``), ``$VAR`` assignments, a ``conda`` alias.

The hook registers ``aliases['conda']``: ``activate``/``deactivate`` run
``conda shell.xonsh …`` and execute its output in the session with ``execx``; other commands
run the executable. ``source`` runs the ``.xsh`` activate scripts.
"""

from __future__ import annotations

from plugins.shells.dialect import Dialect

_FUNCTIONS = '''
def _conda_exe_argv():
    argv = [$CONDA_EXE]
    if ${...}.get("_CE_M"):
        argv += [$_CE_M, $_CE_CONDA]
    return argv


def _conda_activate(args):
    import subprocess as _sp
    argv = _conda_exe_argv() + ["@SHELL@", *args]
    done = _sp.run(argv, stdout=_sp.PIPE, env=${...}.detype(), text=True)
    if done.returncode != 0:
        return done.returncode
    execx(done.stdout)
    return 0


def _conda_main(args, stdin=None):
    cmd = args[0] if args else ""
    if cmd in ("activate", "deactivate"):
        return _conda_activate(args)
    import subprocess as _sp
    code = _sp.call(_conda_exe_argv() + list(args), env=${...}.detype())
    if code == 0 and cmd in ("install", "update", "upgrade", "remove", "uninstall"):
        return _conda_activate(["reactivate"])
    return code


aliases["conda"] = _conda_main
if "CONDA_SHLVL" not in ${...}:
    $CONDA_SHLVL = "0"
'''


class XonshDialect(Dialect):
    name = "xonsh"
    script_extension = ".xsh"
    hook_functions = _FUNCTIONS
    hook_activate_base = "_conda_activate(['activate', 'base'])\n"

    def quote(self, value: str) -> str:
        return repr(value)

    def export(self, name: str, value: str) -> str:
        return f"${name} = {value!r}"

    def unset(self, name: str) -> str:
        return f"${{...}}.pop({name!r}, None)"

    def source(self, path: str) -> str:
        return f"source {path!r}"


DIALECT = XonshDialect()
