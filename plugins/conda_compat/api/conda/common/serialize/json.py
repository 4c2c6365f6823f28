"""``conda.common.serialize.json``: ``dumps``/``loads``/``dump``/``load``, conda's layout."""

from __future__ import annotations

import json as _json
from typing import Any

from plugins.conda_compat.missing import missing_attributes

__all__ = ["dump", "dumps", "load", "loads"]


def dumps(obj: Any, **kwargs: Any) -> str:
    kwargs.setdefault("indent", 2)
    kwargs.setdefault("sort_keys", True)
    return _json.dumps(obj, default=str, **kwargs)


def dump(obj: Any, stream: Any, **kwargs: Any) -> None:
    stream.write(dumps(obj, **kwargs))


loads = _json.loads
load = _json.load

__getattr__ = missing_attributes(__name__)
