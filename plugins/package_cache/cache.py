"""Package cache directories (``pkgs_dirs``): what is there, and which one we write to.

A cache holds package archives (``<fn>``) and their extracted folders
(``<name>-<version>-<build>/``). An extracted folder counts as *complete* only when its
marker ``info/repodata_record.json`` exists — it is written last, after extraction, so a
crash never leaves a folder that looks usable. ``urls.txt`` lists every URL fetched into the
cache, one a line, like conda's. Caches are shared between environments and between
concurrent commands: writers take a per-package lock in ``.locks/``.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kernel.errors import CondaError

MARKER = os.path.join("info", "repodata_record.json")
URLS_TXT = "urls.txt"
EXTENSIONS = (".conda", ".tar.bz2")


class NoWritablePkgsDirError(CondaError):
    """None of the configured ``pkgs_dirs`` can be written."""


def strip_extension(fn: str) -> str:
    """``numpy-1.0-0.tar.bz2`` → ``numpy-1.0-0``."""
    for ext in EXTENSIONS:
        if fn.endswith(ext):
            return fn[: -len(ext)]
    return fn


def record_fn(record: Mapping[str, Any]) -> str:
    """The archive file name of a record (``fn``, else the URL's last part)."""
    fn = record.get("fn") or str(record.get("url") or "").rstrip("/").rsplit("/", 1)[-1]
    if not fn:
        fn = f"{record['name']}-{record['version']}-{record['build']}.conda"
    return str(fn)


def hash_file(path: str, algorithm: str) -> str:
    digest = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def record_matches(wanted: Mapping[str, Any], found: Mapping[str, Any]) -> bool:
    """Whether a cached ``repodata_record.json`` is the package ``wanted`` describes."""
    for key in ("name", "version", "build"):
        if str(wanted.get(key)) != str(found.get(key)):
            return False
    for key in ("sha256", "md5"):
        if wanted.get(key) and found.get(key):
            return str(wanted[key]) == str(found[key])
    return True


@dataclass(frozen=True)
class CacheEntry:
    """A complete extracted package in a cache."""

    pkgs_dir: str
    dist: str
    record: dict[str, Any]

    @property
    def extracted_package_dir(self) -> str:
        return os.path.join(self.pkgs_dir, self.dist)

    @property
    def package_tarball_full_path(self) -> str:
        return os.path.join(self.pkgs_dir, record_fn(self.record))


class PackageCache:
    """One package cache directory."""

    def __init__(self, pkgs_dir: str):
        self.pkgs_dir = os.path.abspath(os.path.expanduser(pkgs_dir))

    def is_writable(self) -> bool:
        """True when we can create files here (the directory is made if missing)."""
        try:
            os.makedirs(self.pkgs_dir, exist_ok=True)
            with open(os.path.join(self.pkgs_dir, URLS_TXT), "a"):
                pass
        except OSError:
            return False
        return True

    def lock_path(self, dist: str) -> str:
        return os.path.join(self.pkgs_dir, ".locks", f"{dist}.lock")

    def tarball_path(self, record: Mapping[str, Any]) -> str:
        return os.path.join(self.pkgs_dir, record_fn(record))

    def extracted_dir(self, record: Mapping[str, Any]) -> str:
        return os.path.join(self.pkgs_dir, strip_extension(record_fn(record)))

    def entry(self, record: Mapping[str, Any]) -> CacheEntry | None:
        """The complete extracted entry for ``record``, or ``None``."""
        folder = self.extracted_dir(record)
        try:
            with open(os.path.join(folder, MARKER), encoding="utf-8") as f:
                found = json.load(f)
        except (OSError, ValueError):
            return None
        if not isinstance(found, dict) or not record_matches(record, found):
            return None
        return CacheEntry(self.pkgs_dir, os.path.basename(folder), found)

    def entries(self) -> list[CacheEntry]:
        """Every complete extracted package here."""
        found = []
        try:
            names = sorted(os.listdir(self.pkgs_dir))
        except OSError:
            return []
        for name in names:
            marker = os.path.join(self.pkgs_dir, name, MARKER)
            try:
                with open(marker, encoding="utf-8") as f:
                    record = json.load(f)
            except (OSError, ValueError):
                continue
            if isinstance(record, dict):
                found.append(CacheEntry(self.pkgs_dir, name, record))
        return found

    def urls(self) -> list[str]:
        try:
            with open(os.path.join(self.pkgs_dir, URLS_TXT), encoding="utf-8") as f:
                return [line.strip() for line in f if line.strip()]
        except OSError:
            return []

    def add_url(self, url: str) -> None:
        """Append ``url`` to ``urls.txt`` (one short ``O_APPEND`` write: atomic)."""
        fd = os.open(os.path.join(self.pkgs_dir, URLS_TXT),
                     os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            os.write(fd, f"{url}\n".encode())
        finally:
            os.close(fd)


def configured_pkgs_dirs() -> list[str]:
    """``pkgs_dirs`` from the configuration, in order."""
    from kernel.config import get_config

    return [str(p) for p in get_config().pkgs_dirs]


def caches(pkgs_dirs: Sequence[str] | None = None) -> list[PackageCache]:
    return [PackageCache(p) for p in (configured_pkgs_dirs() if pkgs_dirs is None
                                      else pkgs_dirs)]


def first_writable(pkgs_dirs: Sequence[str] | None = None) -> PackageCache:
    """The first writable cache; the error lists every directory tried."""
    tried = caches(pkgs_dirs)
    for cache in tried:
        if cache.is_writable():
            return cache
    listed = ", ".join(c.pkgs_dir for c in tried) or "(none configured)"
    raise NoWritablePkgsDirError(f"no writable package cache directory among: {listed}; "
                                 "set pkgs_dirs in .condarc to a folder you can write",
                                 pkgs_dirs=[c.pkgs_dir for c in tried])


def find_entry(record: Mapping[str, Any],
               pkgs_dirs: Sequence[str] | None = None) -> CacheEntry | None:
    """The first complete cached entry for ``record`` across the caches."""
    for cache in caches(pkgs_dirs):
        entry = cache.entry(record)
        if entry is not None:
            return entry
    return None
