"""``conda init``: the marked block in each shell's startup file, added, refreshed or removed.

The block sits between conda's markers, ``# >>> conda initialize >>>`` and
``# <<< conda initialize <<<``, and evaluates ``conda shell.<shell> hook`` at shell start.
Running init again rewrites the block in place (or reports "no change"); ``--reverse``
removes exactly the marked lines. Files are written atomically (a temporary file in the
same directory, fsynced, then renamed over the original, keeping its mode), and a
symlinked startup file is edited at its target.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

BEGIN = "# >>> conda initialize >>>"
END = "# <<< conda initialize <<<"
NOTE = "# !! Contents within this block are managed by 'conda init' !!"
#: shells ``conda init`` knows, in ``--all`` order
INIT_SHELLS = ("bash", "zsh", "fish", "tcsh", "xonsh", "powershell")


def markers(command: str = "conda") -> tuple[str, str, str]:
    """``(begin, end, note)`` of the block ``<command> init`` manages: ``microconda init``
    keeps a block of its own, so it never rewrites or removes the real conda's."""
    if command == "conda":
        return BEGIN, END, NOTE
    return (BEGIN.replace("conda", command, 1), END.replace("conda", command, 1),
            NOTE.replace("'conda init'", f"'{command} init'"))


def _block_pattern(command: str) -> re.Pattern[str]:
    begin, end, _ = markers(command)
    return re.compile(rf"^{re.escape(begin)}[ \t]*\n.*?^{re.escape(end)}[ \t]*(?:\n|\Z)",
                      re.M | re.S)


def rc_files(shell: str, environ: Mapping[str, str]) -> list[Path]:
    """The startup files ``conda init <shell>`` edits, under ``$HOME``."""
    home = Path(environ.get("HOME") or Path.home())
    config = Path(environ.get("XDG_CONFIG_HOME") or home / ".config")
    if shell == "bash":
        return [home / (".bash_profile" if sys.platform == "darwin" else ".bashrc")]
    if shell == "zsh":
        return [Path(environ.get("ZDOTDIR") or home) / ".zshrc"]
    if shell == "fish":
        return [config / "fish" / "config.fish"]
    if shell == "tcsh":
        return [home / ".tcshrc"]
    if shell == "xonsh":
        return [home / ".xonshrc"]
    if shell == "powershell":
        if sys.platform == "win32":
            docs = home / "Documents"
            return [docs / "PowerShell" / "profile.ps1",
                    docs / "WindowsPowerShell" / "profile.ps1"]
        return [config / "powershell" / "profile.ps1"]
    raise ValueError(f"conda init does not support {shell}")


def block(shell: str, argv: Sequence[str], command: str = "conda") -> str:
    """The marked block for ``shell``; ``argv`` runs microconda (``CONDA_EXE`` [-m kernel])."""
    from plugins.shells import csh, fish, posix, powershell

    if shell in ("bash", "zsh"):
        cmd = " ".join(posix.quote(a) for a in [*argv, f"shell.{shell}", "hook"])
        body = (f'__conda_setup="$({cmd} 2> /dev/null)"\n'
                'if [ $? -eq 0 ]; then\n    eval "$__conda_setup"\nfi\nunset __conda_setup\n')
    elif shell == "fish":
        cmd = " ".join(fish.quote(a) for a in argv)
        body = (f"if test -x {fish.quote(argv[0])}\n"
                f"    {cmd} shell.fish hook $argv | source\nend\n")
    elif shell == "tcsh":
        cmd = " ".join(csh.quote(a) for a in argv)
        body = (f"if ( -x {csh.quote(argv[0])} ) then\n    set _conda_tmp=`mktemp`\n"
                f'    {cmd} shell.tcsh hook >! "$_conda_tmp" && source "$_conda_tmp"\n'
                '    rm -f "$_conda_tmp"\n    unset _conda_tmp\nendif\n')
    elif shell == "xonsh":
        cmd = " ".join(repr(a) for a in [*argv, "shell.xonsh", "hook"])
        body = (f"if !(test -f {argv[0]!r}):\n"
                f"    execx($({cmd}))\n")
    elif shell == "powershell":
        cmd = " ".join(powershell.quote(a) for a in [*argv, "shell.powershell", "hook"])
        body = (f"If (Test-Path {powershell.quote(argv[0])}) {{\n"
                f"    (& {cmd}) -join \"`n\" | Invoke-Expression\n}}\n")
    else:
        raise ValueError(f"conda init does not support {shell}")
    begin, end, note = markers(command)
    return f"{begin}\n{note}\n{body}{end}\n"


def edit(text: str, new_block: str | None, command: str = "conda") -> str:
    """``text`` with every ``command`` block removed and ``new_block`` (if any) put where the
    first one was, or appended."""
    pattern = _block_pattern(command)
    match = pattern.search(text)
    at = match.start() if match else None
    text = pattern.sub("", text)
    if new_block is None:
        return text
    if at is not None:
        return text[:at] + new_block + text[at:]
    if text and not text.endswith("\n"):
        text += "\n"
    return text + new_block


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one rename, keeping its mode; follows symlinks."""
    target = Path(os.path.realpath(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def plan_file(path: Path, shell: str, argv: Sequence[str], reverse: bool,
              command: str = "conda") -> tuple[str, str]:
    """``(old, new)`` text of one startup file."""
    try:
        old = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        old = ""
    return old, edit(old, None if reverse else block(shell, argv, command), command)


def initialize(shells: Sequence[str], argv: Sequence[str], environ: Mapping[str, str], *,
               reverse: bool = False, dry_run: bool = False,
               command: str = "conda") -> list[dict[str, str]]:
    """Apply (or plan, with ``dry_run``) init for ``shells``; one result per file.

    ``command`` is ``microconda`` when run through that alias: its own block, whose hook
    defines the ``microconda`` function."""
    results: list[dict[str, str]] = []
    for shell in shells:
        for path in rc_files(shell, environ):
            if reverse and not path.exists():
                results.append({"shell": shell, "path": str(path), "result": "no change"})
                continue
            old, new = plan_file(path, shell, argv, reverse, command)
            changed = old != new
            if changed and not dry_run:
                write_atomic(path, new)
            results.append({"shell": shell, "path": str(path),
                            "result": "modified" if changed else "no change"})
    return results
