"""The plugin manager: entry-point discovery (stevedore, cached), registration, dispatch.

Every plugin, built-in or third-party, is an entry point in the group ``conda``. The first
run after the installed distributions change discovers them with stevedore and writes a
small cache keyed on ``sys.path`` and the modification times of its entries; later runs
import the cached modules directly, so a warm start costs only the plugin modules.

Failure policy: a third-party plugin that fails to import is one warning naming its
distribution, and the run goes on; a broken built-in plugin is a hard error. Names are
unique per hook (aliases included); a clash names both providers.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs
import pluggy

from kernel import PROJECT_NAME
from kernel.errors import NoProviderError, PluginError
from kernel.hookspecs import CondaSpecs

DISTRIBUTION = "microconda"
CACHE_VERSION = 1


@attrs.frozen
class PluginInfo:
    """Where a registered (or refused) plugin came from."""

    name: str
    value: str
    distribution: str
    version: str
    status: str = "active"  # active | blocked | failed
    error: str | None = None

    @property
    def builtin(self) -> bool:
        return self.distribution == DISTRIBUTION

    def provider(self) -> str:
        return f"{self.name} ({self.distribution} {self.version})"


# -- entry-point discovery --------------------------------------------------------------------


def _cache_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    key = [sys.executable, *sys.path]
    for entry in sys.path:
        try:
            key.append(str(os.stat(entry or ".").st_mtime_ns))
        except OSError:
            key.append("-")
    digest = hashlib.sha256("\0".join(key).encode()).hexdigest()[:32]
    return Path(base) / "microconda" / f"entry-points-{digest}.json"


def _discover_with_stevedore(group: str) -> list[dict[str, str]]:
    """Cold path: list the group's entry points and the distribution of each."""
    import importlib.metadata

    from stevedore import ExtensionManager

    owners: dict[tuple[str, str], tuple[str, str]] = {}
    for dist in importlib.metadata.distributions():
        for ep in dist.entry_points:
            if ep.group == group:
                owners.setdefault((ep.name, ep.value),
                                  (dist.metadata["Name"] or "unknown", dist.version or "0"))
    found: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    listing: ExtensionManager[Any] = ExtensionManager.make_test_instance([], namespace=group)
    for ep in listing.list_entry_points():
        if (ep.name, ep.value) in seen:
            continue
        seen.add((ep.name, ep.value))
        owner, version = owners.get((ep.name, ep.value), ("unknown", "0"))
        found.append({"name": ep.name, "value": ep.value, "dist": owner, "version": version})
    return found


def discover(group: str = PROJECT_NAME) -> list[dict[str, str]]:
    """The group's entry points as ``{name, value, dist, version}``, cached across runs."""
    path = _cache_file()
    try:
        data = json.loads(path.read_text())
        if data.get("version") == CACHE_VERSION and data.get("group") == group:
            return list(data["entry_points"])
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    entry_points = _discover_with_stevedore(group)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"version": CACHE_VERSION, "group": group,
                                   "entry_points": entry_points}))
        os.replace(tmp, path)
    except OSError:
        pass
    return entry_points


def _load_entry_point(value: str) -> Any:
    module_name, _, attr = value.partition(":")
    obj: Any = importlib.import_module(module_name.strip())
    for part in filter(None, attr.strip().split(".")):
        obj = getattr(obj, part)
    return obj


# -- the manager ------------------------------------------------------------------------------


class PluginManager(pluggy.PluginManager):
    """pluggy's manager with conda's hookspecs, provenance and per-plugin dispatch."""

    def __init__(self) -> None:
        super().__init__(PROJECT_NAME)
        self.add_hookspecs(CondaSpecs)
        self.infos: dict[str, PluginInfo] = {}
        self.warnings: list[str] = []
        self._results: dict[tuple[str, tuple[Any, ...]], list[Any]] = {}
        self._trace = os.environ.get("CONDA_TRACE_PLUGINS", "") not in ("", "0", "false")

    # registration

    def register(self, plugin: Any, name: str | None = None,
                 info: PluginInfo | None = None) -> str | None:
        try:
            registered = super().register(plugin, name)
        except pluggy.PluginValidationError as exc:
            who = info.provider() if info else (name or repr(plugin))
            detail = "; ".join(line.strip() for line in str(exc).splitlines() if line.strip())
            raise PluginError(f"plugin {who} is invalid: {detail}") from None
        if registered is not None:
            self.infos[registered] = info or PluginInfo(
                registered, getattr(plugin, "__name__", repr(plugin)), "local", "0")
            self._results.clear()
        return registered

    def load_entrypoints(self, group: str = PROJECT_NAME, *, block_third_party: bool = False,
                         entry_points: Iterable[dict[str, str]] | None = None) -> int:
        """Register every plugin of ``group``; returns how many were registered."""
        count = 0
        for ep in discover(group) if entry_points is None else entry_points:
            info = PluginInfo(ep["name"], ep["value"], ep["dist"], ep["version"])
            if ep["name"] in self.infos:
                continue
            if block_third_party and not info.builtin:
                self.infos[info.name] = attrs.evolve(info, status="blocked")
                continue
            try:
                plugin = _load_entry_point(ep["value"])
            except Exception as exc:
                if info.builtin:
                    raise PluginError(f"built-in plugin {info.provider()} failed to load: "
                                      f"{type(exc).__name__}: {exc}") from exc
                line = (f"plugin {info.provider()} failed to load and was skipped: "
                        f"{type(exc).__name__}: {exc}")
                self.warnings.append(line)
                self.infos[info.name] = attrs.evolve(info, status="failed", error=str(exc))
                continue
            if self.is_registered(plugin):
                continue
            self.register(plugin, info.name, info)
            count += 1
        self._check_pending()
        return count

    def _check_pending(self) -> None:
        try:
            self.check_pending()
        except pluggy.PluginValidationError as exc:
            info = self.infos.get(self.get_name(exc.plugin) or "")
            who = info.provider() if info else repr(exc.plugin)
            raise PluginError(f"plugin {who} implements an unknown hook: {exc}") from None

    def info_for(self, plugin: Any) -> PluginInfo:
        name = self.get_name(plugin) or repr(plugin)
        return self.infos.get(name) or PluginInfo(name, name, "local", "0")

    # dispatch

    def hook_results(self, hook_name: str, **kwargs: Any) -> list[Any]:
        """Every record the hook's implementations yield, names checked for clashes."""
        key = (hook_name, tuple(sorted(kwargs.items())))
        if key in self._results:
            return self._results[key]
        caller = getattr(self.hook, hook_name)
        results: list[Any] = []
        owners: dict[str, PluginInfo] = {}
        for impl in caller.get_hookimpls():
            info = self.info_for(impl.plugin)
            start = time.perf_counter()
            try:
                args = {k: kwargs[k] for k in impl.argnames}
                produced = list(impl.function(**args) or ())
            except Exception as exc:
                raise PluginError(f"plugin {info.provider()} raised in {hook_name}: "
                                  f"{type(exc).__name__}: {exc}") from exc
            if self._trace:
                ms = (time.perf_counter() - start) * 1000
                print(f"[trace] {hook_name}: {info.provider()} -> {len(produced)} "
                      f"record(s) in {ms:.2f} ms", file=sys.stderr)
            for record in produced:
                for name in (getattr(record, "name", None), *getattr(record, "aliases", ())):
                    if name is None:
                        continue
                    if name in owners:
                        raise PluginError(
                            f"conflicting plugins for {hook_name} name '{name}': "
                            f"{owners[name].provider()} and {info.provider()}",
                            name=name, hook=hook_name)
                    owners[name] = info
                results.append(record)
        self._results[key] = results
        return results

    def find(self, hook_name: str, name: str, *, what: str, **kwargs: Any) -> Any:
        """The record named ``name`` (or aliased so) from ``hook_name``."""
        wanted = name.strip().lower()
        records = self.hook_results(hook_name, **kwargs)
        for record in records:
            if record.name == wanted or wanted in getattr(record, "aliases", ()):
                return record
        known = ", ".join(sorted(r.name for r in records)) or "none"
        raise NoProviderError(f"no {what} named '{name}' is installed (available: {known})",
                              name=name)


_manager: PluginManager | None = None


def get_plugin_manager() -> PluginManager:
    """The run's manager with every entry-point plugin loaded (built once per process)."""
    global _manager
    if _manager is None:
        from kernel.config import get_config

        manager = PluginManager()
        manager.load_entrypoints(block_third_party=bool(get_config().no_plugins))
        _manager = manager
    return _manager


def set_plugin_manager(manager: PluginManager | None) -> None:
    """Install a manager for this process (tests use a fresh one; ``None`` resets)."""
    global _manager
    _manager = manager
