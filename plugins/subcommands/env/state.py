"""``<prefix>/conda-meta/state``: the environment's own variables, in conda's format.

The file is JSON, ``{"env_vars": {"NAME": "value", ...}}`` (other keys are kept). Like
conda, unsetting a variable marks it ``***unset***`` so that activation can drop it; reading
hides marked names. Writes are atomic (temp file + rename).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from typing import Any

from kernel.errors import CondaError

UNSET = "***unset***"


def state_file(prefix: str) -> str:
    return os.path.join(prefix, "conda-meta", "state")


def read_state(prefix: str) -> dict[str, Any]:
    path = state_file(prefix)
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise CondaError(f"{path}: not a valid state file ({exc})", path=path) from None
    if not isinstance(data, dict) or not isinstance(data.get("env_vars", {}), dict):
        raise CondaError(f"{path}: not a valid state file (expected {{\"env_vars\": {{...}}}})",
                         path=path)
    return data


def _write(prefix: str, data: Mapping[str, Any]) -> None:
    path = state_file(prefix)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(tmp, path)


def env_vars(prefix: str) -> dict[str, str]:
    """The variables set for ``prefix`` (unset ones hidden)."""
    raw = read_state(prefix).get("env_vars", {})
    return {str(k): str(v) for k, v in raw.items() if v != UNSET}


def set_env_vars(prefix: str, values: Mapping[str, str]) -> dict[str, str]:
    data = read_state(prefix)
    current = dict(data.get("env_vars") or {})
    current.update({str(k): str(v) for k, v in values.items()})
    data["env_vars"] = current
    _write(prefix, data)
    return env_vars(prefix)


def unset_env_vars(prefix: str, names: Iterable[str]) -> dict[str, str]:
    data = read_state(prefix)
    current = dict(data.get("env_vars") or {})
    for name in names:
        if name in current:
            current[name] = UNSET
    if current:
        data["env_vars"] = current
        _write(prefix, data)
    return env_vars(prefix)
