"""The base environment: the root prefix, made a conda environment the first time it is needed.

conda is installed into its base environment, so it always has one. microconda is installed
with pip, and its root prefix (``root_prefix``; by default ``~/.microconda``) may not exist
yet; a command that targets base (no ``-n``/``-p`` and nothing active, ``-n base``,
``conda activate`` with no argument) creates it as an empty environment: a ``conda-meta``
folder holding an empty ``history``, which is what makes a folder a conda prefix.
"""

from __future__ import annotations

import os

from kernel.errors import PrefixError


def _same(a: str, b: str) -> bool:
    return os.path.normcase(os.path.normpath(a)) == os.path.normcase(os.path.normpath(b))


def is_root_prefix(prefix: str, config: object) -> bool:
    """Whether ``prefix`` is the configured root prefix."""
    root = getattr(config, "root_prefix", None)
    return bool(root) and _same(os.path.abspath(prefix), os.path.abspath(str(root)))


def ensure_base(root_prefix: str) -> bool:
    """Make ``root_prefix`` an (empty) conda environment unless it is one already.

    Returns whether it was created now. Existing files are never touched: an existing
    ``conda-meta/history`` is kept as it is. Raises :class:`PrefixError` naming the folder
    when it cannot be written.
    """
    meta = os.path.join(root_prefix, "conda-meta")
    history = os.path.join(meta, "history")
    if os.path.isdir(meta):
        return False
    try:
        os.makedirs(meta, exist_ok=True)
        with open(history, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise PrefixError(f"cannot create the base environment at {root_prefix} "
                          f"({exc.strerror or exc}); set root_prefix to a folder you can "
                          f"write", prefix=root_prefix) from None
    return True
