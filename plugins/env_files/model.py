"""The parsed environment every format plugin reads into and writes from.

:class:`Environment` mirrors conda's ``conda.models.environment.Environment`` field names so
an exporter written for conda reads the same attributes: ``name``, ``prefix``,
``platform``, ``channels``, ``requested_packages`` (match-spec strings),
``explicit_packages`` (package records as conda's JSON dicts, each with at least ``url``),
``external_packages`` (``{"pip": [...]}``), ``variables``. This module holds no provider
logic; commands may import it, the formats are reached only through the hooks.

:class:`EnvironmentFileError` is the one error a reader raises: its message names the file
and, when known, the line (``FILE:LINE: what is wrong``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from kernel.errors import CondaError


class EnvironmentFileError(CondaError):
    """An environment file is missing, unreadable or malformed."""

    def __init__(self, filename: str, detail: str, line: int | None = None):
        where = f"{filename}:{line}" if line else filename
        super().__init__(f"{where}: {detail}", filename=filename, line=line)


class EnvironmentFileNotFound(EnvironmentFileError):
    """The environment file does not exist."""

    def __init__(self, filename: str):
        super().__init__(filename, "file not found")


@dataclass
class Environment:
    """One environment, as read from a file or from a prefix (see the module docstring)."""

    name: str | None = None
    prefix: str | None = None
    platform: str | None = None
    channels: list[str] = field(default_factory=list)
    requested_packages: list[str] = field(default_factory=list)
    explicit_packages: list[dict[str, Any]] = field(default_factory=list)
    external_packages: dict[str, list[str]] = field(default_factory=dict)
    variables: dict[str, str] = field(default_factory=dict)
    filename: str | None = None


def read_text(filename: str) -> str:
    """The file's text (UTF-8, else UTF-16 as conda accepts); errors name the file."""
    path = os.path.expanduser(filename)
    if not os.path.exists(path):
        raise EnvironmentFileNotFound(filename)
    if os.path.isdir(path):
        raise EnvironmentFileError(filename, "is a directory, not an environment file")
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise EnvironmentFileError(filename, f"cannot be read: {exc.strerror or exc}")
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise EnvironmentFileError(filename, "is neither UTF-8 nor UTF-16 text")


def line_of(text: str, needle: str, start: int = 1) -> int | None:
    """The 1-based number of the first line at or after ``start`` holding ``needle``."""
    for number, line in enumerate(text.splitlines(), 1):
        if number >= start and needle in line:
            return number
    return None


def record_from_url(url: str) -> dict[str, Any]:
    """A record dict from a package URL (``.../<channel>/<subdir>/<name>-<ver>-<build>.ext``
    with an optional ``#<md5>`` or ``#sha256:<hex>``); ``ValueError`` when it is not one."""
    location, _, checksum = url.strip().partition("#")
    base, _, fn = location.rstrip("/").rpartition("/")
    channel, _, subdir = base.rpartition("/")
    if "://" not in location or not channel or not fn.endswith((".conda", ".tar.bz2")):
        raise ValueError(f"'{url.strip()}' is not a package URL ending in .conda or .tar.bz2")
    stem = fn[: -len(".conda")] if fn.endswith(".conda") else fn[: -len(".tar.bz2")]
    parts = stem.rsplit("-", 2)
    if len(parts) != 3 or not all(parts):
        raise ValueError(f"'{fn}' is not named <name>-<version>-<build>")
    record: dict[str, Any] = {"name": parts[0], "version": parts[1], "build": parts[2],
                              "channel": channel, "subdir": subdir, "fn": fn,
                              "url": location}
    if checksum:
        digest = checksum.removeprefix("sha256:")
        hex_ok = all(c in "0123456789abcdefABCDEF" for c in digest)
        if checksum.startswith("sha256:") or len(digest) == 64:
            if len(digest) != 64 or not hex_ok:
                raise ValueError(f"'{checksum}' is not a sha256 checksum")
            record["sha256"] = digest.lower()
        elif len(digest) == 32 and hex_ok:
            record["md5"] = digest.lower()
        else:
            raise ValueError(f"'{checksum}' is neither an md5 nor a sha256 checksum")
    return record


def url_line(record: dict[str, Any], checksum: str | None = "md5") -> str:
    """``url#md5`` (or ``url#sha256:<hex>``, or the bare URL) of a record dict."""
    url = str(record["url"])
    if checksum == "sha256" and record.get("sha256"):
        return f"{url}#sha256:{record['sha256']}"
    if checksum and record.get("md5"):
        return f"{url}#{record['md5']}"
    return url
