"""csh and tcsh: single-quoted values, ``prompt``, and a ``conda`` (``microconda``) alias.

csh has no functions and ``eval`` cannot run multi-line output, so the hook defines an alias
that writes ``conda shell.tcsh dispatch ARGS…`` output to a temporary file and sources it.
``dispatch`` answers ``activate``/``deactivate`` with the activation script and any other
command with a line that runs the executable (then a reactivation for ``install``,
``update`` and ``remove``). Inside single quotes csh still treats ``!`` and newlines
specially; :func:`quote` escapes both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from plugins.shells.dialect import Dialect, HookInfo

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence


def quote(value: str) -> str:
    escaped = value.replace("'", "'\\''").replace("!", "\\!").replace("\n", "\\\n")
    return "'" + escaped + "'"


_ALIAS = ("set _@CMD@_tmp=`mktemp`; ( setenv prompt \"$prompt:q\"; @CALL@ "
          "@SHELL@ dispatch \\!* ) >! \"$_@CMD@_tmp\" && source \"$_@CMD@_tmp\"; "
          "rm -f \"$_@CMD@_tmp\"; unset _@CMD@_tmp")

_REACTIVATE = """if ( $status == 0 ) then
    ( setenv prompt "$prompt:q"; @CALL@ @SHELL@ reactivate ) >! "$_@CMD@_tmp.r" \
&& source "$_@CMD@_tmp.r"
    rm -f "$_@CMD@_tmp.r"
endif
"""


class CshDialect(Dialect):
    name = "csh"
    script_extension = ".csh"
    command_join = ";\n"

    hook_call = '"$CONDA_EXE"'
    hook_call_microconda = '"$MICROCONDA_EXE"'

    def quote(self, value: str) -> str:
        return quote(value)

    def export(self, name: str, value: str) -> str:
        return f"setenv {name} {quote(value)}"

    def unset(self, name: str) -> str:
        return f"unsetenv {name}"

    def set_var(self, name: str, value: str) -> str:
        return f"set {name}={quote(value)}"

    def source(self, path: str) -> str:
        return f"source {quote(path)}"

    def update_prompt(self, environ: Mapping[str, str], old_modifier: str,
                      new_modifier: str) -> dict[str, str]:
        prompt = environ.get("prompt", "")
        if old_modifier and prompt.startswith(old_modifier):
            prompt = prompt[len(old_modifier):]
        return {"prompt": new_modifier + prompt}

    def passthrough(self, argv: Sequence[str], reactivate: bool,
                    command: str = "conda") -> str:
        """The lines ``dispatch`` prints for a command the executable runs itself."""
        line = " ".join(quote(a) for a in argv) + "\n"
        return line + (self.fill(_REACTIVATE, command) if reactivate else "")

    def hook(self, info: HookInfo) -> str:
        lines = [self.export(k, v) for k, v in info.exe_vars.items()]
        lines.append("if ( ! $?CONDA_SHLVL ) setenv CONDA_SHLVL 0")
        lines.append("if ( ! $?prompt ) set prompt=''")
        lines.append(f"alias {info.command} " + quote(self.fill(_ALIAS, info.command))
                     .replace("\\\\!", "\\!"))
        if info.activate_base:
            lines.append(f"{info.command} activate base")
        return "".join(line + self.command_join for line in lines)


DIALECT = CshDialect()
