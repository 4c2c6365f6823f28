"""xonsh: Python string literals (``repr``), ``$VAR`` assignments, a ``conda`` alias.

The hook registers ``aliases['conda']``: ``activate``/``deactivate`` run
``conda shell.xonsh …`` and execute its output in the session with ``execx``; other commands
run the executable. ``source`` runs the ``.xsh`` activate scripts.
"""

from __future__ import annotations

from plugins.shells.dialect import Dialect

_FUNCTIONS = '''
def _@CMD@_exe_argv():
@CALL@


def _@CMD@_activate(args):
    import subprocess as _sp
    argv = _@CMD@_exe_argv() + ["@SHELL@", *args]
    done = _sp.run(argv, stdout=_sp.PIPE, env=${...}.detype(), text=True)
    if done.returncode != 0:
        return done.returncode
    execx(done.stdout)
    return 0


def _@CMD@_main(args, stdin=None):
    cmd = args[0] if args else ""
    if cmd in ("activate", "deactivate"):
        return _@CMD@_activate(args)
    import subprocess as _sp
    code = _sp.call(_@CMD@_exe_argv() + list(args), env=${...}.detype())
    if code == 0 and cmd in ("install", "update", "upgrade", "remove", "uninstall"):
        return _@CMD@_activate(["reactivate"])
    return code


aliases["@CMD@"] = _@CMD@_main
if "CONDA_SHLVL" not in ${...}:
    $CONDA_SHLVL = "0"
'''


class XonshDialect(Dialect):
    name = "xonsh"
    script_extension = ".xsh"
    hook_functions = _FUNCTIONS
    hook_activate_base = "_@CMD@_activate(['activate', 'base'])\n"
    hook_call = ('    argv = [$CONDA_EXE]\n    if ${...}.get("_CE_M"):\n'
                 '        argv += [$_CE_M, $_CE_CONDA]\n    return argv')
    hook_call_microconda = "    return [$MICROCONDA_EXE]"

    def quote(self, value: str) -> str:
        return repr(value)

    def export(self, name: str, value: str) -> str:
        return f"${name} = {value!r}"

    def unset(self, name: str) -> str:
        return f"${{...}}.pop({name!r}, None)"

    def source(self, path: str) -> str:
        return f"source {path!r}"


DIALECT = XonshDialect()
