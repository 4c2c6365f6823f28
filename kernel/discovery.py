"""Entry-point discovery, cached across runs, and the hook map that makes loading lazy.

The first run after the installed distributions change lists a group (built-ins', third
parties') with stevedore (and the distribution of each entry point, for provenance) and
caches it under ``$XDG_CACHE_HOME/microconda/``, keyed on the interpreter, ``sys.path`` and
the modification times of the directories on it. After a run that imported every plugin, a
second file records which hooks each plugin implements and which commands it provides,
with its module file's modification time; later runs import a plugin only when a hook it
implements is called. A plugin whose file changed is imported eagerly and re-recorded.
"""

from __future__ import annotations

import json
import os
import sys
import zlib
from pathlib import Path
from typing import Any

CACHE_VERSION = 3


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "microconda"


def _cache_key() -> str:
    """Digest of the interpreter and ``sys.path`` with its directories' modification times.

    The script's own directory or the working directory (``sys.path[0]``) changes all the
    time and holds no distributions; its name counts, its modification time does not.
    """
    key = [sys.executable, *sys.path]
    for index, entry in enumerate(sys.path):
        if index == 0 and entry in ("", os.getcwd(), os.path.dirname(sys.argv[0] or "")):
            continue
        try:
            key.append(str(os.stat(entry or ".").st_mtime_ns))
        except OSError:
            key.append("-")
    raw = "\0".join(key).encode()
    return f"{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}{len(raw):x}"


def cache_file(kind: str = "entry-points", group: str = "conda") -> Path:
    return _cache_dir() / f"{kind}-{group}-{_cache_key()}.json"


def _write_json(path: Path, data: Any) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"version": CACHE_VERSION, "data": data}))
        os.replace(tmp, path)
    except OSError:
        pass


def _read_json(path: Path) -> Any:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
        return None
    return data.get("data")


def discover_with_stevedore(group: str) -> list[dict[str, str]]:
    """Cold path: list the group's entry points and the distribution of each."""
    import importlib.metadata

    from stevedore import ExtensionManager

    owners: dict[tuple[str, str], tuple[str, str]] = {}
    for dist in importlib.metadata.distributions():
        for ep in dist.entry_points:
            if ep.group == group:
                owners.setdefault((ep.name, ep.value),
                                  (dist.metadata["Name"] or "unknown", dist.version or "0"))
    found: dict[tuple[str, str], dict[str, str]] = {}  # first of duplicate listings wins
    listing: ExtensionManager[Any] = ExtensionManager.make_test_instance([], namespace=group)
    for ep in listing.list_entry_points():
        owner, version = owners.get((ep.name, ep.value), ("unknown", "0"))
        found.setdefault((ep.name, ep.value), {"name": ep.name, "value": ep.value,
                                               "dist": owner, "version": version})
    return list(found.values())


def discover(group: str) -> list[dict[str, str]]:
    """The group's entry points as ``{name, value, dist, version}``, cached across runs."""
    path = cache_file(group=group)
    if isinstance(cached := _read_json(path), list):
        return cached
    entry_points = discover_with_stevedore(group)
    _write_json(path, entry_points)
    return entry_points


def _mtime(path: str | None) -> int | None:
    try:
        return os.stat(path).st_mtime_ns if path else None
    except OSError:
        return None


def read_hook_map(group: str) -> dict[str, dict[str, Any]]:
    """Recorded plugins whose module file is unchanged: name -> {value, hooks, commands}."""
    data = _read_json(cache_file("hooks", group))
    if not isinstance(data, dict):
        return {}
    return {name: entry for name, entry in data.items()
            if isinstance(entry, dict) and entry.get("mtime") is not None
            and _mtime(entry.get("file")) == entry["mtime"]}


def write_hook_map(group: str, entries: dict[str, dict[str, Any]]) -> None:
    _write_json(cache_file("hooks", group), entries)


def hook_map_entry(module: Any, value: str, hooks: list[str],
                   commands: list[str]) -> dict[str, Any] | None:
    """What the hook map records for one plugin (``None`` when it has no source file)."""
    path = getattr(module, "__file__", None)
    mtime = _mtime(path)
    if mtime is None:
        return None
    return {"value": value, "file": path, "mtime": mtime, "hooks": sorted(hooks),
            "commands": sorted(commands)}
