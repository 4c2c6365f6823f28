"""POSIX shells (sh, dash, bash, zsh): single-quoted values, ``PS1``, the ``conda`` function.

Values are single-quoted with ``'`` written as ``'\\''``, so nothing in them (``$``, backticks,
``\\``, newlines) is ever expanded. The hook defines ``conda()`` (run as ``microconda``:
``microconda()`` and ``__microconda_*`` helpers, leaving the real conda's alone):
``activate``/``deactivate`` evaluate the output of ``conda shell.<shell> …`` in the current
shell (passing ``PS1`` so the prompt can be edited); ``install``/``update``/``remove``
reactivate afterwards so new activate scripts and variables take effect; everything else
runs the executable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from plugins.shells.dialect import Dialect

if TYPE_CHECKING:
    from collections.abc import Mapping


def quote(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"


_FUNCTIONS = r"""
__@CMD@_exe() (
    @CALL@ "$@"
)

__@CMD@_hashr() {
    if [ -n "${ZSH_VERSION:+x}" ]; then
        rehash
    elif [ -n "${POSH_VERSION:+x}" ]; then
        :
    else
        hash -r
    fi
}

__@CMD@_activate() {
    __@CMD@_script="$(PS1="${PS1:-}" @CALL@ @SHELL@ "$@")" || {
        __@CMD@_status=$?
        unset __@CMD@_script
        return $__@CMD@_status
    }
    eval "$__@CMD@_script"
    unset __@CMD@_script
    __@CMD@_hashr
}

@CMD@() {
    case "${1-}" in
        activate|deactivate)
            __@CMD@_activate "$@"
            ;;
        install|update|upgrade|remove|uninstall)
            __@CMD@_exe "$@" || return
            __@CMD@_activate reactivate
            ;;
        *)
            __@CMD@_exe "$@"
            ;;
    esac
}

if [ -z "${CONDA_SHLVL+x}" ]; then
    export CONDA_SHLVL=0
fi
if [ -z "${PS1+x}" ]; then
    PS1=
fi
"""


class PosixDialect(Dialect):
    name = "posix"
    script_extension = ".sh"
    hook_functions = _FUNCTIONS
    hook_call = '"$CONDA_EXE" $_CE_M $_CE_CONDA'
    hook_call_microconda = '"$MICROCONDA_EXE"'

    def quote(self, value: str) -> str:
        return quote(value)

    def export(self, name: str, value: str) -> str:
        return f"export {name}={quote(value)}"

    def unset(self, name: str) -> str:
        return f"unset {name}"

    def set_var(self, name: str, value: str) -> str:
        return f"{name}={quote(value)}"

    def source(self, path: str) -> str:
        return f". {quote(path)}"

    def update_prompt(self, environ: Mapping[str, str], old_modifier: str,
                      new_modifier: str) -> dict[str, str]:
        ps1 = environ.get("PS1", "")
        if "POWERLINE_COMMAND" in ps1:
            return {}  # powerline draws the environment itself
        if old_modifier and ps1.startswith(old_modifier):
            ps1 = ps1[len(old_modifier):]
        return {"PS1": new_modifier + ps1}


DIALECT = PosixDialect()
