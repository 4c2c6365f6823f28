"""The canonical text of a match spec, as conda prints it.

``channel[/subdir]::name`` then the version outside brackets when it is exact (``==1.7``) or
fuzzy (``=1.7`` for ``1.7.*``), the build outside (``=py27_0``) only after an exact version,
and everything else in ``[key=value,...]`` with values quoted when they hold ``, =``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FIELD_NAMES = (
    "channel",
    "subdir",
    "name",
    "version",
    "build",
    "build_number",
    "track_features",
    "features",
    "url",
    "md5",
    "sha256",
    "license",
    "license_family",
    "fn",
)
_QUOTE_VERSION_IF = "><$^|,"  # version/build text with these goes in quoted brackets
_QUOTE_VALUE_IF = ", ="  # other bracket values with these are quoted


def render(components: Mapping[str, Any]) -> str:
    """The canonical string of a spec's field matchers."""
    parts: list[str] = []
    brackets: list[str] = []
    channel = components.get("channel")
    exact_channel = channel is not None and bool(channel.exact_value)
    if exact_channel:
        parts.append(str(channel))
    elif channel is not None and not channel.matches_all:
        brackets.append(f"channel={channel}")
    subdir = components.get("subdir")
    if subdir is not None:
        if exact_channel:
            parts.append(f"/{subdir}")
        else:
            brackets.append(f"subdir={subdir}")
    name = components.get("name")
    name_text = str(name) if name is not None else "*"
    parts.append(f"::{name_text}" if parts else name_text)

    version = components.get("version")
    build = components.get("build")
    version_exact = False
    if version is not None:
        text = str(version)
        if any(c in text for c in _QUOTE_VERSION_IF):
            brackets.append(f"version='{text}'")
        elif text[:2] in ("!=", "~="):
            if build is not None:
                brackets.append(f"version='{text}'")
            else:
                parts.append(text)
        elif text.endswith(".*"):
            parts.append("=" + text[:-2])
        elif text == "*":
            pass  # any version: "numpy", never "numpy="
        elif text.endswith("*"):
            parts.append("=" + text[:-1])
        elif text.startswith("=="):
            parts.append(text)
            version_exact = True
        elif text.startswith("="):
            parts.append(text)  # "=1.7" is fuzzy, like "1.7.*" (conda prints "===1.7")
        else:
            parts.append("==" + text)
            version_exact = True
    if build is not None:
        text = str(build)
        if any(c in text for c in _QUOTE_VERSION_IF):
            brackets.append(f"build='{text}'")
        elif "*" in text or not version_exact:
            brackets.append(f"build={text}")
        else:
            parts.append("=" + text)

    skip = {"channel", "subdir", "name", "version", "build"}
    if "url" in components and "fn" in components:
        skip.add("fn")
    for field in FIELD_NAMES:
        if field in skip or field not in components:
            continue
        if field == "url" and channel is not None:
            continue
        text = str(components[field])
        if any(c in text for c in _QUOTE_VALUE_IF):
            brackets.append(f"{field}='{text}'")
        else:
            brackets.append(f"{field}={text}")
    if brackets:
        parts.append("[" + ",".join(brackets) + "]")
    return "".join(parts)
