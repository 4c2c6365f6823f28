"""fish: single-quoted values (only ``\\`` and ``'`` escaped), ``PATH`` as a list.

fish keeps the prompt in a function, so activation exports ``CONDA_PROMPT_MODIFIER`` and the
hook wraps ``fish_prompt`` once to print it (when ``changeps1`` is on).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from plugins.shells.dialect import Dialect

if TYPE_CHECKING:
    from collections.abc import Sequence


def quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


_FUNCTIONS = r"""
function __@CMD@_exe
@CALL@
end

function __@CMD@_activate
    set -l __@CMD@_script (__@CMD@_exe @SHELL@ $argv)
    or return $status
    string join \n -- $__@CMD@_script | source
end

function @CMD@ --description '@CMD@, with activate and deactivate run in this shell'
    if test (count $argv) -lt 1
        __@CMD@_exe
        return $status
    end
    switch $argv[1]
        case activate deactivate
            __@CMD@_activate $argv
        case install update upgrade remove uninstall
            __@CMD@_exe $argv
            or return $status
            __@CMD@_activate reactivate
        case '*'
            __@CMD@_exe $argv
    end
end

if not set -q CONDA_SHLVL
    set -gx CONDA_SHLVL 0
end
"""

_CALL_CONDA = """    if test -n "$_CE_M"
        command $CONDA_EXE $_CE_M $_CE_CONDA $argv
    else
        command $CONDA_EXE $argv
    end"""

_PROMPT = r"""
if functions -q fish_prompt; and not functions -q __conda_fish_prompt_orig
    functions -c fish_prompt __conda_fish_prompt_orig
    functions -e fish_prompt
    function fish_prompt
        if set -q CONDA_PROMPT_MODIFIER
            printf '%s' "$CONDA_PROMPT_MODIFIER"
        end
        __conda_fish_prompt_orig
    end
end
"""


class FishDialect(Dialect):
    name = "fish"
    script_extension = ".fish"
    command_join = ";\n"
    hook_functions = _FUNCTIONS
    hook_prompt = _PROMPT
    hook_call = _CALL_CONDA
    hook_call_microconda = "    command $MICROCONDA_EXE $argv"

    def quote(self, value: str) -> str:
        return quote(value)

    def export(self, name: str, value: str) -> str:
        return f"set -gx {name} {quote(value)}"

    def export_path(self, entries: Sequence[str]) -> str:
        return "set -gx PATH " + " ".join(quote(e) for e in entries)

    def unset(self, name: str) -> str:
        return f"set -e {name}"

    def set_var(self, name: str, value: str) -> str:
        return f"set -g {name} {quote(value)}"

    def source(self, path: str) -> str:
        return f"source {quote(path)}"

    def hook_export(self, name: str, value: str) -> str:
        return self.export(name, value) if value else f"set -gx {name}"


DIALECT = FishDialect()
