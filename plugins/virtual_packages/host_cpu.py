"""This machine's CPU microarchitecture (``archspec.cpu.host()``'s name), remembered.

Importing archspec and matching the CPU against its table costs ~10 ms on every command
that builds an index; the answer only changes when what archspec reads changes. On Linux
archspec reads the first entry of ``/proc/cpuinfo`` and the machine name, so the answer is
kept in ``$XDG_CACHE_HOME/microconda/archspec-host.json`` under a digest of exactly those,
plus archspec's own files (an upgrade asks again). Elsewhere (macOS asks ``sysctl``,
Windows ``cpuid``), or with ``ARCHSPEC_*`` variables pointing archspec at other tables,
archspec is asked every time. A failed detection is never remembered.
"""

from __future__ import annotations

import json
import os
import sys
import zlib

#: what archspec reads on Linux; tests point it elsewhere
CPUINFO = "/proc/cpuinfo"


def _cache_path() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "microconda", "archspec-host.json")


def _archspec_files() -> list[str] | None:
    """Where archspec is installed, and when its code and table were written."""
    from importlib.machinery import PathFinder  # importlib.util costs a millisecond more

    try:
        spec = PathFinder.find_spec("archspec")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    root = os.path.dirname(spec.origin)
    stamps = [root]
    for path in (spec.origin, os.path.join(root, "json", "cpu", "microarchitectures.json")):
        try:
            stat = os.stat(path)
        except OSError:
            return None
        stamps.append(f"{stat.st_mtime_ns}:{stat.st_size}")
    return stamps


def _first_cpu_entry() -> str | None:
    """``/proc/cpuinfo`` up to its first blank line (all that archspec reads of it)."""
    lines: list[str] = []
    try:
        with open(CPUINFO, encoding="utf-8", errors="replace") as f:
            for line in f:
                if not line.strip() and lines:
                    break
                lines.append(line)
    except OSError:
        return None
    return "".join(lines) or None


def host_key() -> str | None:
    """The digest the answer is remembered under; ``None`` where it is not remembered."""
    if not sys.platform.startswith("linux") or any(
            name.startswith("ARCHSPEC_") for name in os.environ):
        return None
    entry = _first_cpu_entry()
    files = _archspec_files()
    if entry is None or files is None:
        return None
    raw = "\0".join([os.uname().machine, *files, entry]).encode()
    return f"{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}{len(raw):x}"


#: answers kept (machines sharing a home, several archspec installations)
_KEEP = 8


def _read() -> dict[str, str]:
    try:
        with open(_cache_path(), encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str) and v}


def _write(known: dict[str, str]) -> None:
    path = _cache_path()
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(dict(list(known.items())[-_KEEP:]), f)
        os.replace(tmp, path)
    except OSError:  # a read-only cache only costs the next run the detection
        try:
            os.unlink(tmp)
        except OSError:
            pass


def host_microarchitecture() -> str:
    """``archspec.cpu.host().name``, from the cache when this CPU was seen before.

    Raises whatever importing archspec or detecting raises (the caller falls back).
    """
    key = host_key()
    known = _read() if key is not None else {}
    if key is not None and key in known:
        return known[key]
    import archspec.cpu

    name = str(archspec.cpu.host().name)
    if key is not None:
        known.pop(key, None)
        known[key] = name
        _write(known)
    return name
