"""Which prefix a command works on: ``-n NAME``, ``-p PATH``, else the active environment.

conda's rules: ``-n base`` is the root prefix; any other name is looked up in
``envs_dirs`` (an existing environment wins) and, for ``create``, placed in the first
``envs_dirs`` entry that can be written; a name may not hold a path separator or
characters that break shells. Without ``-n``/``-p`` the active environment
(``$CONDA_PREFIX``) is used, else the root prefix. The root prefix is the base
environment; a command that needs it creates it when it does not exist yet
(:mod:`plugins.prefix.base`).
"""

from __future__ import annotations

import os
import re
from typing import Any

from kernel.errors import (
    ArgumentError,
    DirectoryNotACondaEnvironmentError,
    EnvironmentLocationNotFound,
    PrefixError,
)
from plugins.prefix.base import ensure_base, is_root_prefix

_BAD_NAME = re.compile(r"[/\\:#\s!\"'`$&|;<>()*?{}\[\]^%=,]")


def _norm(path: str) -> str:
    return os.path.normpath(os.path.abspath(os.path.expanduser(path)))


def _writable_dir(path: str) -> bool:
    probe = path
    while not os.path.exists(probe):
        parent = os.path.dirname(probe)
        if parent == probe:
            return False
        probe = parent
    return os.access(probe, os.W_OK)


def validate_name(name: str) -> str:
    if not name or name in (".", "..") or _BAD_NAME.search(name):
        raise ArgumentError(f"Invalid environment name: '{name}' (names may not contain "
                            f"spaces, path separators or shell characters)", name=name)
    return name


def not_an_environment(prefix: str) -> PrefixError:
    """conda's error for a target that is not a conda environment: the folder is missing
    (``EnvironmentLocationNotFound``) or holds no ``conda-meta``."""
    if os.path.isdir(prefix):
        return DirectoryNotACondaEnvironmentError(
            "The target directory exists, but it is not a conda environment.\n"
            "Use 'conda create' to convert the directory to a conda environment.\n"
            f"  target directory: {prefix}", target_directory=prefix)
    return EnvironmentLocationNotFound(f"Not a conda environment: {prefix}", location=prefix)


def prefix_for_name(name: str, config: Any, *, creating: bool = False) -> str:
    """The environment called ``name``; one not found would live in the first writable
    ``envs_dirs`` entry, which is where ``creating`` puts it and what the error names
    otherwise (as conda does)."""
    validate_name(name)
    if name in ("base", "root"):
        return _norm(config.root_prefix)
    for envs_dir in config.envs_dirs:
        candidate = os.path.join(_norm(envs_dir), name)
        if os.path.isdir(os.path.join(candidate, "conda-meta")):
            return candidate
    writable = [_norm(d) for d in config.envs_dirs if _writable_dir(_norm(d))]
    if not creating:
        home = writable[0] if writable else _norm(config.envs_dirs[0])
        raise not_an_environment(os.path.join(home, name))
    if writable:
        return os.path.join(writable[0], name)
    raise PrefixError(f"no writable envs_dirs to create environment '{name}' in "
                      f"({', '.join(config.envs_dirs)})", name=name)


def resolve_prefix(args: Any, config: Any, *, creating: bool = False,
                   must_exist: bool = True) -> str:
    """The absolute prefix the command targets.

    ``must_exist`` requires a conda environment there (a ``conda-meta`` folder);
    ``creating`` requires ``-n`` or ``-p`` (conda's create refuses to guess).
    """
    name = getattr(args, "name", None)
    path = getattr(args, "prefix", None)
    if name:
        prefix = prefix_for_name(name, config, creating=creating)
    elif path:
        prefix = _norm(path)
    elif creating:
        raise ArgumentError("one of the arguments -n/--name -p/--prefix is required")
    else:
        prefix = _norm(config.active_prefix or config.root_prefix)
    if must_exist and is_root_prefix(prefix, config):
        ensure_base(prefix)
    if must_exist and not os.path.isdir(os.path.join(prefix, "conda-meta")):
        raise not_an_environment(prefix)
    return prefix
