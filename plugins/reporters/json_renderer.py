"""The renderer behind the ``json`` backend.

Each call returns exactly one JSON document (``indent=2, sort_keys=True``, like conda) and a
newline, so ``conda … --json | jq`` always parses. Progress bars and spinners print nothing,
and prompts answer their default: nobody is there to read them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from enum import Enum
from typing import Any

from kernel.types import ReporterRendererBase


def _jsonable(value: Any) -> Any:
    """What ``json.dumps`` cannot handle on its own: paths, sets, enums, records."""
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, Enum):
        return value.value
    dump = getattr(value, "dump", None)
    if callable(dump):
        return dump()
    return str(value)


def dumps(data: Any) -> str:
    """``data`` as conda prints JSON: two-space indent, sorted keys, trailing newline."""
    return json.dumps(data, indent=2, sort_keys=True, default=_jsonable,
                      ensure_ascii=False) + "\n"


class JSONRenderer(ReporterRendererBase):
    """One JSON document per call; nothing else ever reaches stdout."""

    def render(self, data: Any, **kwargs: Any) -> str:
        return dumps(data)

    def detail_view(self, data: dict[str, Any], **kwargs: Any) -> str:
        return dumps(data)

    def table(self, rows: Sequence[Sequence[Any]], header: Sequence[str],
              **kwargs: Any) -> str:
        return dumps([dict(zip(header, row, strict=False)) for row in rows])

    def envs_list(self, prefixes: Sequence[str], **kwargs: Any) -> str:
        """``{"envs": [...]}``, with conda's ``envs_details`` when given as ``details``."""
        details = kwargs.get("details")
        return dumps({"envs": list(prefixes),
                      **({"envs_details": details} if details is not None else {})})

    def progress_bar(self, description: str, total: int | None = None,
                     **kwargs: Any) -> AbstractContextManager[Callable[[int], None]]:
        return nullcontext(_ignore)

    def spinner(self, message: str, **kwargs: Any) -> AbstractContextManager[None]:
        return nullcontext()

    def prompt(self, message: str, choices: Sequence[str] = ("yes", "no"),
               default: str = "yes") -> str:
        return default


def _ignore(n: int) -> None:
    """``advance(n)`` of a progress bar nobody sees."""
