"""``conda-meta/pinned``: match specs every solve in this prefix must respect.

One spec per line; blank lines and ``#`` comments are ignored, as in conda.
"""

from __future__ import annotations

import os

PINNED = os.path.join("conda-meta", "pinned")


def read_pinned(prefix: str) -> list[str]:
    """The pinned spec strings of ``prefix`` (empty when there is no pinned file)."""
    try:
        with open(os.path.join(prefix, PINNED), encoding="utf-8") as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return []
    return [s for s in (line.split("#", 1)[0].strip() for line in lines) if s]
