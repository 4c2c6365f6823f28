"""Package scripts: ``pre-link``, ``post-link``, ``pre-unlink``, and ``.messages.txt``.

Run as conda runs them: ``bin/.<name>-<action>.sh`` with ``bash -x`` (``sh`` on BSD),
``Scripts\\.<name>-<action>.bat`` with ``%COMSPEC% /d /c`` on Windows; environment
``PREFIX``, ``PKG_NAME``, ``PKG_VERSION``, ``PKG_BUILDNUM``, ``ROOT_PREFIX`` and the
script's directory first on ``PATH``. ``post-link`` runs inside the activated environment
(its ``bin`` on ``PATH`` and its ``etc/conda/activate.d/*.sh`` sourced first). A failing
pre-link or post-link script is a :class:`LinkScriptError` carrying the script's messages
and output; a failing pre-unlink script is only a warning. Whatever a script writes to
``$PREFIX/.messages.txt`` is shown to the user and the file removed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from typing import Any

from kernel.errors import CondaError

WINDOWS = sys.platform == "win32"
MESSAGES = ".messages.txt"


class LinkScriptError(CondaError):
    """A pre-link or post-link script failed; the transaction is rolled back."""


def script_path(directory: str, name: str, action: str) -> str:
    if WINDOWS:
        return os.path.join(directory, "Scripts", f".{name}-{action}.bat")
    return os.path.join(directory, "bin", f".{name}-{action}.sh")


def take_messages(prefix: str) -> str:
    """The text scripts left in ``$PREFIX/.messages.txt`` (the file is removed)."""
    path = os.path.join(prefix, MESSAGES)
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return ""
    try:
        os.unlink(path)
    except OSError:
        pass
    return text


def _activation_wrapper(prefix: str, script: str) -> str:
    """A bash snippet: activate ``prefix`` the simple way, then source the script."""
    quoted = prefix.replace("'", "'\\''")
    return (f"export CONDA_PREFIX='{quoted}'\n"
            f"export PATH='{quoted}/bin':\"$PATH\"\n"
            f"for f in '{quoted}'/etc/conda/activate.d/*.sh; do\n"
            "  [ -f \"$f\" ] && . \"$f\"\n"
            "done\n"
            f". '{script.replace(chr(39), chr(39) + chr(92) + chr(39) + chr(39))}'\n")


def run_script(directory: str, record: Mapping[str, Any], action: str, *, prefix: str,
               root_prefix: str = "", activate: bool = False,
               notice: Callable[[str], None] | None = None) -> bool:
    """Run ``action``'s script of ``record`` found under ``directory``, if the package has one.

    Returns True when there was none or it succeeded, False when a pre-unlink script
    failed (warned through ``notice``); raises :class:`LinkScriptError` for a failing
    pre-link or post-link script.
    """
    name = str(record["name"])
    path = script_path(directory, name, action)
    if not os.path.isfile(path):
        return True
    env = dict(os.environ)
    env.update(PREFIX=prefix, PKG_NAME=name, PKG_VERSION=str(record.get("version", "")),
               PKG_BUILDNUM=str(record.get("build_number", 0)),
               ROOT_PREFIX=root_prefix or env.get("CONDA_ROOT", ""))
    env["PATH"] = os.pathsep.join((os.path.dirname(path), env.get("PATH", "")))
    if action == "pre-link":
        env["SOURCE_DIR"] = directory
    if WINDOWS:  # pragma: no cover - exercised on Windows only
        args = [env.get("COMSPEC", "cmd.exe"), "/d", "/c", path]
    else:
        shell = "sh" if "bsd" in sys.platform else "bash"
        args = ([shell, "-c", _activation_wrapper(prefix, path)] if activate
                else [shell, "-x", path])
    try:
        result = subprocess.run(args, env=env, cwd=os.path.dirname(path),
                                capture_output=True, text=True, errors="replace", check=False)
        rc, out, err = result.returncode, result.stdout, result.stderr
    except OSError as exc:
        rc, out, err = 127, "", str(exc)
    messages = take_messages(prefix)
    if messages and notice is not None:
        notice(messages.rstrip("\n"))
    if rc == 0:
        return True
    dist = f"{name}-{record.get('version', '')}-{record.get('build', '')}"
    if action in ("pre-link", "post-link"):
        raise LinkScriptError(
            f"{action} script failed for package {dist}\n"
            f"location of failed script: {path}\n"
            f"==> script messages <==\n{messages.rstrip() or '<None>'}\n"
            f"==> script output <==\nstdout: {out.rstrip()}\nstderr: {err.rstrip()}\n"
            f"return code: {rc}", package=dist, action=action, return_code_of_script=rc)
    if notice is not None:
        notice(f"{action} script failed for package {dist}\n"
               "consider notifying the package maintainer")
    return False


def prelink_messages(extracted_dir: str) -> str:
    """conda's listing of a package's ``info/prelink_messages/*`` files ('' when none).

    Each file is ``  File NAME:``, a blank line, its text indented by two spaces (blank
    lines left empty) and two blank lines, as conda prints them; files in name order.
    """
    folder = os.path.join(extracted_dir, "info", "prelink_messages")
    if not os.path.isdir(folder):
        return ""
    parts = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for fname in sorted(files):
            with open(os.path.join(root, fname), encoding="utf-8", errors="replace") as f:
                body = "".join(f"  {line}" if line.strip() else line for line in f)
            parts.append(f"  File {fname}:\n\n{body}\n\n")
    return "".join(parts)


#: what conda prints above each package's pre-link messages
PRELINK_HEADER = "\n\nThe following PRELINK MESSAGES are INCLUDED:\n\n\n"
