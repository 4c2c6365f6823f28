"""The plugin manager: entry-point discovery (stevedore, cached), registration, dispatch.

Every plugin is an entry point: microconda's own in ``microconda.plugins`` (only microconda
reads it), then third parties' in conda's group ``conda``. Discovery is cached (see
:mod:`kernel.discovery`), so a warm start costs only the plugin modules it imports.

Failure policy: a third-party plugin that fails to import is one warning naming its
distribution, and the run goes on; a broken built-in plugin is a hard error. Names are
unique per hook (aliases included); a clash names both providers.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

import attrs
import pluggy

from kernel import BUILTIN_GROUP, PROJECT_NAME
from kernel.discovery import discover, hook_map_entry, read_hook_map, write_hook_map
from kernel.errors import NoProviderError, PluginError
from kernel.hookspecs import CondaSpecs

DISTRIBUTION = "microconda"


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
        self._pending: dict[str, tuple[PluginInfo, dict[str, Any]]] = {}
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

    def load_entrypoints(self, group: str = BUILTIN_GROUP, *, block_third_party: bool = False,
                         entry_points: Iterable[dict[str, str]] | None = None,
                         lazy: bool = False) -> int:
        """Register the plugins of ``group``; returns how many were imported now.

        With ``lazy``, a plugin recorded in the hook map (see :mod:`kernel.discovery`) is
        only imported when a hook it implements is first called.
        """
        known = read_hook_map(group) if lazy else {}
        count = 0
        for ep in discover(group) if entry_points is None else entry_points:
            info = PluginInfo(ep["name"], ep["value"], ep["dist"], ep["version"])
            if ep["name"] in self.infos or ep["name"] in self._pending:
                continue
            if block_third_party and not info.builtin:
                self.infos[info.name] = attrs.evolve(info, status="blocked")
                continue
            entry = known.get(info.name)
            if entry is not None and entry.get("value") == info.value:
                self._pending[info.name] = (info, entry)
                continue
            count += self._import(info)
        self._check_pending()
        if lazy and count:
            self._record_hook_map(group, known)
        return count

    def _import(self, info: PluginInfo) -> int:
        try:
            plugin = _load_entry_point(info.value)
        except Exception as exc:
            if info.builtin:
                raise PluginError(f"built-in plugin {info.provider()} failed to load: "
                                  f"{type(exc).__name__}: {exc}") from exc
            self.warnings.append(f"plugin {info.provider()} failed to load and was skipped: "
                                 f"{type(exc).__name__}: {exc}")
            self.infos[info.name] = attrs.evolve(info, status="failed", error=str(exc))
            return 0
        if self.is_registered(plugin):
            return 0
        self.register(plugin, info.name, info)
        return 1

    def _record_hook_map(self, group: str, known: dict[str, dict[str, Any]]) -> None:
        entries = {name: entry for name, (_, entry) in self._pending.items()}
        for name, info in self.infos.items():
            plugin = self.get_plugin(name)
            if plugin is None or info.status != "active":
                continue
            hooks = [caller.name for caller in self.get_hookcallers(plugin) or ()]
            commands: list[str] = []
            try:
                for impl in self.hook.conda_subcommands.get_hookimpls():
                    if impl.plugin is plugin:
                        records: Iterable[Any] = impl.function() or ()  # type: ignore[assignment]
                        for record in records:
                            commands += [record.name, *record.aliases]
            except Exception:
                continue  # a plugin that cannot say its commands is always imported
            entry = hook_map_entry(sys.modules.get(info.value.partition(":")[0].strip()),
                                   info.value, hooks, commands)
            if entry is not None and hooks:  # a plugin with no hook acts on import: never defer
                entries[name] = entry
        if entries != known:  # importing only plugins that act on import records nothing new
            write_hook_map(group, entries)

    def _ensure(self, wanted: Callable[[dict[str, Any]], bool] | None = None) -> None:
        """Import the pending plugins ``wanted`` selects (all when ``None``)."""
        chosen = [name for name, (_, entry) in self._pending.items()
                  if wanted is None or wanted(entry)]
        for name in chosen:
            info, _ = self._pending.pop(name)
            self._import(info)
        if chosen:
            self._check_pending()

    def load_all(self) -> None:
        """Import every pending plugin (``conda plugins list`` shows them all)."""
        self._ensure()

    def load_command(self, command: str) -> bool:
        """Import the plugins providing ``command``; ``False`` when the map cannot tell."""
        if any(name not in self._pending for name in self._providers("conda_subcommands")):
            return False
        self._ensure(lambda entry: command in entry["commands"])
        return True

    def _providers(self, hook_name: str) -> list[str]:
        return [self.get_name(impl.plugin) or "" for impl in
                getattr(self.hook, hook_name).get_hookimpls()]

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

    def hook_results(self, hook_name: str, *, complete: bool = True, **kwargs: Any) -> list[Any]:
        """Every record the hook's implementations yield, names checked for clashes.

        ``complete=False`` asks only the plugins imported so far (the CLI uses it after
        :meth:`load_command`); such partial answers are not cached.
        """
        key = (hook_name, tuple(sorted(kwargs.items())))
        if complete:
            self._ensure(lambda entry: hook_name in entry["hooks"])
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
        if complete:
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
        for group in (BUILTIN_GROUP, PROJECT_NAME):
            manager.load_entrypoints(group, block_third_party=bool(get_config().no_plugins),
                                     lazy=True)
        _manager = manager
    return _manager


def set_plugin_manager(manager: PluginManager | None) -> None:
    """Install a manager for this process (tests use a fresh one; ``None`` resets)."""
    global _manager
    _manager = manager
