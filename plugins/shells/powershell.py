"""PowerShell: single-quoted values (``'`` doubled), ``$Env:`` variables, a ``conda`` function.

The hook defines ``conda`` as a global function: ``activate``/``deactivate`` run
``conda shell.powershell …`` and ``Invoke-Expression`` its output; other commands run the
executable. With ``changeps1`` the current ``prompt`` function is wrapped once so it starts
with ``$Env:CONDA_PROMPT_MODIFIER``.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from plugins.shells.dialect import Dialect

if TYPE_CHECKING:
    from collections.abc import Sequence

_FUNCTIONS = r"""
function global:__@Cmd@-Exe {
@CALL@
}

function global:__@Cmd@-Activate {
    $script = (__@Cmd@-Exe '@SHELL@' @args) -join "`n"
    if ($LASTEXITCODE -ne 0) { return }
    if ($script) { Invoke-Expression $script }
}

function global:@CMD@ {
    $cmd = if ($args.Count -gt 0) { $args[0] } else { '' }
    switch -Exact ($cmd) {
        { $_ -in 'activate', 'deactivate' } { __@Cmd@-Activate @args; break }
        { $_ -in 'install', 'update', 'upgrade', 'remove', 'uninstall' } {
            __@Cmd@-Exe @args
            if ($LASTEXITCODE -eq 0) { __@Cmd@-Activate 'reactivate' }
            break
        }
        default { __@Cmd@-Exe @args }
    }
}

if (-not (Test-Path Env:CONDA_SHLVL)) { $Env:CONDA_SHLVL = '0' }
"""

_PROMPT = r"""
if (-not (Test-Path Function:\__@Cmd@-Prompt-Orig)) {
    Copy-Item Function:\prompt Function:\__@Cmd@-Prompt-Orig
    function global:prompt {
        if ($Env:CONDA_PROMPT_MODIFIER) { Write-Host $Env:CONDA_PROMPT_MODIFIER -NoNewline }
        __@Cmd@-Prompt-Orig
    }
}
"""


def quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class PowerShellDialect(Dialect):
    name = "powershell"
    script_extension = ".ps1"
    hook_functions = _FUNCTIONS
    hook_prompt = _PROMPT
    hook_call = ("    if ($Env:_CE_M) { & $Env:CONDA_EXE $Env:_CE_M $Env:_CE_CONDA @args }\n"
                 "    else { & $Env:CONDA_EXE @args }")
    hook_call_microconda = "    & $Env:MICROCONDA_EXE @args"

    def quote(self, value: str) -> str:
        return quote(value)

    def export(self, name: str, value: str) -> str:
        return f"$Env:{name} = {quote(value)}"

    def export_path(self, entries: Sequence[str]) -> str:
        return self.export("PATH", os.pathsep.join(entries))

    def unset(self, name: str) -> str:
        return f"Remove-Item -ErrorAction SilentlyContinue Env:{name}"

    def source(self, path: str) -> str:
        return f". {quote(path)}"


DIALECT = PowerShellDialect()
