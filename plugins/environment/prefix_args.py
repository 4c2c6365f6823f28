"""The flags the environment commands share, and how they reach the configuration.

``add_prefix_args`` (``-n/--name``, ``-p/--prefix``), ``add_channel_args`` (``-c``,
``--override-channels``, ``--offline``, ``-C``, ``--[no-]repodata-use-shards``),
``add_output_args`` (``-y``, ``--dry-run``) and ``add_solver_args`` (``--solver``, update
and deps modifiers) add conda's flags with conda's spellings. :func:`apply_overrides`
turns the parsed flags into command-line overrides of the run's configuration (the
highest-precedence source), so ``get_config().always_yes`` and ``reporting.confirm`` see
``-y`` and ``--dry-run``.
"""

from __future__ import annotations

import argparse
from typing import Any

#: parsed attribute -> setting it overrides (only when the flag was given)
_OVERRIDES = {"yes": "always_yes", "dry_run": "dry_run", "offline": "offline",
              "use_index_cache": "use_index_cache", "solver": "solver",
              "show_channel_urls": "show_channel_urls", "update_modifier": "update_modifier",
              "deps_modifier": "deps_modifier", "subdir": "subdir",
              "ignore_pinned": "ignore_pinned", "repodata_use_shards": "repodata_use_shards"}


def add_prefix_args(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("Target Environment Specification")
    target = group.add_mutually_exclusive_group()
    target.add_argument("-n", "--name", metavar="ENVIRONMENT",
                        help="Name of environment.")
    target.add_argument("-p", "--prefix", metavar="PATH",
                        help="Full path to environment location (i.e. prefix).")


def add_channel_args(parser: argparse.ArgumentParser, *, repodata: bool = True) -> None:
    """``repodata``: also ``--[no-]repodata-use-shards`` (conda's commands that take
    ``add_parser_channels``: create, install, update, remove, notices, search)."""
    group = parser.add_argument_group("Channel Customization")
    group.add_argument("-c", "--channel", action="append", default=[], dest="channel",
                       help="Additional channel to search for packages (highest priority "
                            "first); a name, URL or file:// path.")
    group.add_argument("--override-channels", action="store_true",
                       help="Do not search the configured channels (requires -c).")
    group.add_argument("--offline", action="store_true", default=None,
                       help="Offline mode. Do not connect to the Internet.")
    group.add_argument("-C", "--use-index-cache", action="store_true", default=None,
                       help="Use cache of channel index files, even if it has expired.")
    group.add_argument("--platform", "--subdir", dest="subdir", metavar="SUBDIR",
                       help="Use packages built for this platform (e.g. osx-arm64); the "
                            "virtual packages follow it.")
    if repodata:
        add_shards_flag(group)


def add_shards_flag(group: Any) -> None:
    group.add_argument("--repodata-use-shards", action=argparse.BooleanOptionalAction,
                       dest="repodata_use_shards", default=None,
                       help="Use sharded repodata if available. Enabled by default.")


def add_output_args(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("Output, Prompt, and Flow Control Options")
    group.add_argument("-y", "--yes", action="store_true", default=None,
                       help="Sets any confirmation values to 'yes' automatically.")
    group.add_argument("-d", "--dry-run", action="store_true", default=None,
                       help="Only display what would have been done.")


def add_solver_args(parser: argparse.ArgumentParser, *, install: bool = True) -> None:
    group = parser.add_argument_group("Solver Mode Modifiers")
    group.add_argument("--solver", metavar="NAME", help="Choose which solver backend to use.")
    if not install:
        return
    update = group.add_mutually_exclusive_group()
    update.add_argument("--freeze-installed", "--no-update-deps", dest="update_modifier",
                        action="store_const", const="freeze_installed",
                        help="Do not update or change already-installed dependencies.")
    update.add_argument("--update-deps", dest="update_modifier", action="store_const",
                        const="update_deps", help="Update dependencies that have available "
                                                  "updates.")
    update.add_argument("-S", "--satisfied-skip-solve", dest="update_modifier",
                        action="store_const", const="specs_satisfied_skip_solve",
                        help="Exit early and do not run the solver if the requested specs "
                             "are satisfied.")
    update.add_argument("--update-all", "--all", dest="update_modifier",
                        action="store_const", const="update_all",
                        help="Update all installed packages in the environment.")
    update.add_argument("--update-specs", dest="update_modifier", action="store_const",
                        const="update_specs", help="Update based on provided specifications.")
    deps = group.add_mutually_exclusive_group()
    deps.add_argument("--no-deps", dest="deps_modifier", action="store_const",
                      const="no_deps", help="Do not install, update, remove, or change "
                                            "dependencies.")
    deps.add_argument("--only-deps", dest="deps_modifier", action="store_const",
                      const="only_deps", help="Only install dependencies.")
    group.add_argument("--no-pin", dest="ignore_pinned", action="store_true", default=None,
                       help="Ignore pinned file.")
    # conda accepts --prune on install/update (hidden) and does not pass it to the solve
    group.add_argument("--prune", action="store_true", help=argparse.SUPPRESS)
    group.add_argument("--force-reinstall", action="store_true",
                       help="Ensure that any user-requested package for the current "
                            "operation is uninstalled and reinstalled.")


def add_spec_args(parser: argparse.ArgumentParser, *, files: bool = True) -> None:
    parser.add_argument("packages", metavar="package_spec", nargs="*",
                        help="List of packages to install or update in the conda environment.")
    if files:
        parser.add_argument("--file", action="append", default=[], dest="file",
                            help="Read package versions from the given file. Repeated file "
                                 "specifications can be passed (e.g. --file=file1 "
                                 "--file=file2).")


def apply_overrides(args: argparse.Namespace) -> Any:
    """Rebuild the run's configuration with the command's flags as command-line values.

    Returns the new :class:`kernel.config.Config` (also installed as the current one).
    """
    from kernel import reporting
    from kernel.config import CMDLINE_SOURCE, Config, get_config, set_config
    from kernel.manager import get_plugin_manager

    config = get_config()
    wanted = {setting: getattr(args, attr) for attr, setting in _OVERRIDES.items()
              if getattr(args, attr, None) is not None}
    if not wanted:
        return config
    cmdline: dict[str, Any] = {}
    for source, raw in config.sources:
        if source == CMDLINE_SOURCE:
            cmdline.update(raw)
    cmdline.update(wanted)
    # The files and variables as already read (not parsed again), then the new flags.
    sources = [(source, raw) for source, raw in config.sources if source != CMDLINE_SOURCE]
    new = Config([*sources, (CMDLINE_SOURCE, cmdline)], config.env)
    for error in new.errors.values():
        raise error
    new.bind_plugin_settings(get_plugin_manager().hook_results("conda_settings"))
    set_config(new)
    reporting.reset()
    return new
