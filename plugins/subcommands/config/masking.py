"""Keep secrets out of what ``conda config`` prints.

URL credentials (``scheme://user:password@``), anaconda.org tokens (``/t/<token>/``) and
``?token=``-style query values are masked wherever they appear in a string; every value
under a key whose name says it holds a secret (``token``, ``password``, ``secret``,
``api_key``, ``credentials``…) is replaced whole. ``conda info`` masks its values with
:func:`mask_text` too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

MASK = "***"
_USERINFO = re.compile(r"(?P<scheme>\b[a-z][a-z0-9+.-]*://)(?P<userinfo>[^/@\s]+)@", re.I)
_TOKEN = re.compile(r"/t/[^/\s]+")
_QUERY = re.compile(r"(?i)([?&](?:token|access_token|api_key|apikey|password|sig)=)[^&#\s]+")
_SECRET_KEY = re.compile(r"token|passw(or)?d|secret|api_?key|credential|private_?key", re.I)


def is_secret_key(name: str) -> bool:
    return bool(_SECRET_KEY.search(name))


def mask_text(text: str) -> str:
    """``text`` with URL credentials and channel tokens masked."""
    text = _USERINFO.sub(
        lambda m: f"{m['scheme']}{MASK}:{MASK}@" if ":" in m["userinfo"] else
        f"{m['scheme']}{MASK}@", text)
    return _QUERY.sub(rf"\1{MASK}", _TOKEN.sub("/t/<TOKEN>", text))


def mask(value: Any, key: str = "", *, secret: bool = False) -> Any:
    """A copy of ``value`` (plain dicts, lists, scalars) safe to print under ``key``."""
    secret = secret or is_secret_key(key)
    if isinstance(value, Mapping):
        return {mask_text(str(k)): mask(v, str(k), secret=secret) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask(v, key, secret=secret) for v in value]
    if secret and value is not None and not isinstance(value, bool) and value != "":
        return MASK
    return mask_text(value) if isinstance(value, str) else value
