"""``conda plugins list [--json]``: each plugin, where it comes from, and the hooks it implements.

Status is ``active`` (registered), ``blocked`` (skipped by ``--no-plugins``) or ``failed``
(it did not import; ``error`` says why). Built-ins show the ``microconda`` distribution.
A plugin module may define ``plugin_note()``: its line is printed under the table (and is
``note`` in ``--json``); the conda compatibility layer says there which ``conda`` it serves.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from kernel import hookimpl
from kernel.types import CondaSubcommand

if TYPE_CHECKING:
    import argparse

    from kernel.manager import PluginManager

HEADER = ("name", "distribution", "version", "status", "hooks")


def configure_parser(parser: argparse.ArgumentParser) -> None:
    from kernel.cli import global_options

    actions = parser.add_subparsers(dest="plugins_action", metavar="ACTION", title="actions")
    listing = actions.add_parser("list", help="List installed plugins.",
                                 description="List installed plugins.",
                                 parents=[global_options()])
    listing.set_defaults(plugins_action="list")


def installed_plugins(manager: PluginManager) -> list[dict[str, Any]]:
    """One object per plugin the manager knows, registered or not, sorted by name."""
    found: dict[str, dict[str, Any]] = {}
    manager.load_all()
    for name, info in manager.infos.items():
        plugin = manager.get_plugin(name)
        callers = manager.get_hookcallers(plugin) if plugin is not None else None
        found[name] = {
            "name": name, "distribution": info.distribution, "version": info.version,
            "status": info.status, "value": info.value, "builtin": info.builtin,
            "hooks": sorted(c.name for c in callers or ()), "error": info.error,
        }
        note = getattr(plugin, "plugin_note", None)
        if callable(note):
            found[name]["note"] = note()
    return [found[name] for name in sorted(found)]


def execute(args: argparse.Namespace) -> int:
    from kernel import reporting
    from kernel.config import get_config
    from kernel.manager import get_plugin_manager

    plugins = installed_plugins(get_plugin_manager())
    if get_config().json:
        reporting.render(plugins)
    elif not plugins:
        reporting.render("No plugins installed.")
    else:
        rows = [[p["name"], p["distribution"], p["version"], p["status"],
                 ", ".join(p["hooks"]) or "-"] for p in plugins]
        reporting.table(rows, HEADER)
        for p in plugins:
            if p.get("note"):
                reporting.render(f"{p['name']}: {p['note']}")
    return 0


@hookimpl
def conda_subcommands() -> Iterator[CondaSubcommand]:
    yield CondaSubcommand(name="plugins", summary="List the plugins conda has loaded.",
                          action=execute, configure_parser=configure_parser)
