"""``noarch: python`` packages: where their files go, their entry points, their ``.pyc``.

A noarch python package ships ``site-packages/…`` and ``python-scripts/…``; linking puts
them under the environment's site-packages (``lib/pythonX.Y/site-packages``, or what the
python record's ``python_site_packages_path`` says, ``Lib/site-packages`` on Windows) and
``bin/`` (``Scripts/``). Entry points ``name = module:func`` from ``info/link.json``
become ``bin/<name>`` scripts run by the environment's python. ``.pyc`` files are compiled
by the environment's own python (into the transaction's scratch space, then renamed into
place), to exactly the names recorded, and skipped when the environment has no python
binary.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

WINDOWS = sys.platform == "win32"
SHEBANG_MAX = 127

ENTRY_POINT_TEMPLATE = """\
# -*- coding: utf-8 -*-
import re
import sys

from {module} import {import_name}

if __name__ == '__main__':
    sys.argv[0] = re.sub(r'(-script\\.pyw?|\\.exe)?$', '', sys.argv[0])
    sys.exit({func}())
"""

# Run by the environment's python: compile "src\\tcfile" pairs read from a list file.
_COMPILE_SCRIPT = """\
import py_compile, sys
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        src, _, dst = line.rstrip("\\n").partition("\\t")
        try:
            py_compile.compile(src, cfile=dst, dfile=src, doraise=True)
        except Exception as exc:
            print(f"{src}: {exc}", file=sys.stderr)
"""


def major_minor(version: str | None) -> str | None:
    """``"3.11.4"`` → ``"3.11"``; ``None`` when there is no python."""
    if not version:
        return None
    parts = version.split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 else parts[0]


def site_packages_path(python_version: str | None, declared: str | None = None) -> str:
    """The environment's site-packages, relative to the prefix."""
    if declared:
        return declared.strip("/")
    if WINDOWS:
        return "Lib/site-packages"
    return f"lib/python{major_minor(python_version) or '3'}/site-packages"


def bin_directory() -> str:
    return "Scripts" if WINDOWS else "bin"


def python_executable(prefix: str) -> str:
    return os.path.join(prefix, "python.exe" if WINDOWS else "bin/python")


def target_short_path(path: str, noarch: str | None, site_packages: str) -> str:
    """Where a package path goes in the prefix (changed only for noarch python)."""
    if noarch != "python":
        return path
    if path.startswith("site-packages/"):
        return f"{site_packages}/{path[len('site-packages/'):]}"
    if path.startswith("python-scripts/"):
        return f"{bin_directory()}/{path[len('python-scripts/'):]}"
    return path


def pyc_short_path(py_path: str, python_version: str) -> str:
    """``a/b.py`` → ``a/__pycache__/b.cpython-311.pyc`` for python 3.11."""
    directory, name = os.path.split(py_path)
    tag = "cpython-" + (major_minor(python_version) or "").replace(".", "")
    stem = name[:-3] if name.endswith(".py") else name
    return f"{directory}/__pycache__/{stem}.{tag}.pyc" if directory else \
        f"__pycache__/{stem}.{tag}.pyc"


def parse_entry_point(spec: str) -> tuple[str, str, str]:
    """``"name = module:func"`` → ``(name, module, func)``."""
    name, _, target = spec.partition("=")
    module, _, func = target.partition(":")
    if not name.strip() or not module.strip() or not func.strip():
        raise ValueError(f"invalid entry point {spec!r}")
    return name.strip(), module.strip(), func.strip()


def entry_point_short_path(name: str) -> str:
    return f"{bin_directory()}/{name}-script.py" if WINDOWS else f"{bin_directory()}/{name}"


def shebang(prefix: str) -> str:
    """``#!<prefix>/bin/python``, or ``#!/usr/bin/env python`` when that cannot work."""
    line = f"#!{python_executable(prefix)}"
    if len(line) > SHEBANG_MAX or " " in prefix:
        return "#!/usr/bin/env python"
    return line


def entry_point_script(prefix: str, module: str, func: str) -> str:
    """The text of an entry point script for ``module:func``."""
    body = ENTRY_POINT_TEMPLATE.format(module=module, import_name=func.split(".")[0],
                                       func=func)
    return f"{shebang(prefix)}\n{body}"


def write_entry_point(prefix: str, short_path: str, module: str, func: str) -> None:
    full = os.path.join(prefix, short_path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8") as f:
        f.write(entry_point_script(prefix, module, func))
    os.chmod(full, 0o755)  # noqa: S103 - an executable script, as conda writes it


def compile_pyc(prefix: str, pairs: Sequence[tuple[str, str]], list_file: str,
                timeout: float = 600) -> list[str]:
    """Compile ``(py, pyc)`` short-path pairs with the environment's python.

    The compiler writes into a ``pyc`` folder beside ``list_file`` (the transaction's
    scratch space), and each finished file is then renamed into place: a compiler killed
    half-way through a file (``py_compile`` writes ``<name>.pyc.<id>``, then renames it)
    leaves its temporary file there, never in the prefix. Returns the pyc short paths that
    exist afterwards; an environment without a python binary compiles nothing (the files
    still work, python compiles them on first import).
    """
    import subprocess  # only when compiling: planning a transaction imports this module

    python = python_executable(prefix)
    if not pairs or not os.access(python, os.X_OK):
        return []
    staging = os.path.join(os.path.dirname(list_file), "pyc")
    with open(list_file, "w", encoding="utf-8") as f:
        for src, dst in pairs:
            f.write(f"{os.path.join(prefix, src)}\t{os.path.join(staging, dst)}\n")
    try:
        subprocess.run([python, "-Wi", "-c", _COMPILE_SCRIPT, list_file], cwd=prefix,
                       capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired):
        pass
    made = []
    for _, dst in pairs:
        compiled = os.path.join(staging, dst)
        if os.path.isfile(compiled):
            target = os.path.join(prefix, dst)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.replace(compiled, target)
            made.append(dst)
    return made
