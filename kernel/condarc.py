"""Condarc files: where conda looks for them, and reading one with its line numbers.

The search path is conda's, lowest precedence first; :func:`read_condarc` returns ruamel's
round-trip mapping so messages can name a line and ``conda config`` can write the file back
with its comments, order and quoting.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kernel.errors import ConfigurationError


def _expand(path: str, env: Mapping[str, str]) -> str | None:
    """Expand a leading ``$VAR`` or ``~``; ``None`` when the variable is unset."""
    if path.startswith("$"):
        var, _, rest = path[1:].partition("/")
        if not env.get(var):
            return None
        return os.path.join(env[var], rest) if rest else env[var]
    if path.startswith("~"):
        return str(Path(env.get("HOME") or Path.home()) / path[2:])
    return path


SEARCH_PATH = (
    "/etc/conda/.condarc", "/etc/conda/condarc", "/etc/conda/condarc.d/",
    "/var/lib/conda/.condarc", "/var/lib/conda/condarc", "/var/lib/conda/condarc.d/",
    "$CONDA_ROOT/.condarc", "$CONDA_ROOT/condarc", "$CONDA_ROOT/condarc.d/",
    "$XDG_CONFIG_HOME/conda/.condarc", "$XDG_CONFIG_HOME/conda/condarc",
    "$XDG_CONFIG_HOME/conda/condarc.d/",
    "~/.config/conda/.condarc", "~/.config/conda/condarc", "~/.config/conda/condarc.d/",
    "~/.conda/.condarc", "~/.conda/condarc", "~/.conda/condarc.d/",
    "~/.condarc",
    "$CONDA_PREFIX/.condarc", "$CONDA_PREFIX/condarc", "$CONDA_PREFIX/condarc.d/",
    "$CONDARC",
)


def search_path(env: Mapping[str, str]) -> list[Path]:
    """Existing condarc files in precedence order (lowest first), without duplicates.

    An entry naming a directory (the ``condarc.d/`` ones, or ``$CONDARC`` set to one) adds its
    ``*.yml`` / ``*.yaml`` files in name order, as conda does.
    """
    found: list[Path] = []
    for entry in SEARCH_PATH:
        expanded = _expand(entry, env)
        if expanded is None:
            continue
        path = Path(expanded)
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir()
                                if p.suffix in (".yml", ".yaml") and p.is_file()))
        elif path.is_file():
            found.append(path)
    unique: dict[Path, Path] = {}
    for p in found:
        unique.setdefault(p.resolve(), p)
    return list(unique.values())


def read_condarc(path: Path) -> dict[str, Any]:
    """Parse one condarc file; errors name the file and line.

    The mapping is ruamel's round-trip one: it remembers line numbers (for messages), comments
    (``#!final``) and quoting, so ``conda config`` edits it and writes it back unchanged.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigurationError(f"{path}: not valid UTF-8 (byte {exc.start})",
                                 path=str(path)) from None
    except OSError as exc:
        raise ConfigurationError(f"{path}: cannot read ({exc.strerror})", path=str(path)) from None
    if not text.strip():
        return {}
    import warnings

    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError

    yaml = YAML(typ="rt", pure=True)
    yaml.preserve_quotes = True
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. ReusedAnchorWarning: not the user's concern
            data = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" line {mark.line + 1}, column {mark.column + 1}:" if mark else ""
        raise ConfigurationError(f"{path}:{where} invalid YAML: {exc.problem or exc.context}",
                                 path=str(path)) from None
    except Exception as exc:  # any failure on untrusted text (bad tags, deep nesting…)
        raise ConfigurationError(f"{path}: invalid YAML: {type(exc).__name__}: {exc}",
                                 path=str(path)) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigurationError(f"{path}: expected a mapping of settings at the top level, "
                                 f"got {type(data).__name__}", path=str(path))
    return data
