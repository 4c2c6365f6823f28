"""The ``conda config`` action: pick the target file, then show, describe, validate or edit."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from kernel import reporting
from kernel.config import CMDLINE_SOURCE, Config, get_config, load_config
from kernel.errors import ArgumentError, EnvironmentLocationNotFound

SHOWING = ("show", "show_sources", "validate", "describe")
EDITING = ("append", "prepend", "set", "remove", "remove_key")


def user_rc_path(config: Config) -> Path:
    """``$CONDARC`` when set (conda's ``--file`` default), else ``~/.condarc``."""
    if config.env.get("CONDARC"):
        return Path(config.env["CONDARC"]).expanduser()
    return Path(config.env.get("HOME") or Path.home()) / ".condarc"


def _prefix_named(name: str, config: Config) -> Path:
    if name in ("base", "root"):
        return Path(config.root_prefix)
    for envs_dir in config.envs_dirs:
        if (Path(envs_dir) / name).is_dir():
            return Path(envs_dir) / name
    raise EnvironmentLocationNotFound(f"no environment named '{name}' in "
                                      f"{', '.join(config.envs_dirs)}", name=name)


def target_path(args: argparse.Namespace, config: Config) -> Path:
    """The file edits go to (and ``--get`` reads), chosen as conda chooses it."""
    if args.system:
        return Path(config.root_prefix) / ".condarc"
    if args.env:
        active = config.active_prefix
        return Path(active) / ".condarc" if active else user_rc_path(config)
    if args.file:
        return Path(os.path.abspath(os.path.expanduser(args.file)))
    if args.prefix or args.name:
        prefix = Path(os.path.expanduser(args.prefix)) if args.prefix else _prefix_named(
            args.name, config)
        if not prefix.is_dir():
            raise EnvironmentLocationNotFound(f"no environment at {prefix}", prefix=str(prefix))
        return prefix / ".condarc"
    return user_rc_path(config)


def _reading_config(args: argparse.Namespace, declared: list[Any]) -> Config:
    """The run's configuration, or with ``--file`` one read from that file only."""
    config = get_config()
    if not args.file:
        return config
    cmdline = dict(config.sources[-1][1]) if config.sources[-1][0] == CMDLINE_SOURCE else {}
    path = Path(os.path.expanduser(args.file))
    if not path.is_file():
        raise ArgumentError(f"--file {args.file}: no such file", path=str(path))
    single = load_config(cmdline, config.env, [path], strict=not args.validate)
    if not args.validate:
        single.bind_plugin_settings(declared)
    return single


def execute(args: argparse.Namespace) -> int:
    from plugins.subcommands.config import describe, edit, show
    from plugins.subcommands.config.keys import declared_settings
    from plugins.subcommands.config.rcfile import RcFile

    showing = [a for a in SHOWING if getattr(args, a) not in (None, False)]
    editing = [a for a in EDITING if getattr(args, a)] + (["get"] if args.get is not None else [])
    if showing and editing:
        raise ArgumentError(f"conda config: --{showing[0].replace('_', '-')} cannot be combined "
                            f"with --{editing[0].replace('_', '-')}")
    if not showing and not editing:
        raise ArgumentError("conda config: nothing to do; give --show, --show-sources, "
                            "--describe, --validate, --get, --set, --add, --append, --remove "
                            "or --remove-key (see conda config --help)")
    as_json = bool(get_config().json)
    declared = declared_settings()
    if args.describe is not None:
        describe.describe(args.describe, declared, as_json)
        return 0
    if showing:
        config = _reading_config(args, declared)
        if args.show is not None:
            show.show(config, args.show, declared, as_json)
        elif args.show_sources:
            show.show_sources(config, declared, as_json)
        else:
            show.validate(config, declared)
        return 0

    path = target_path(args, get_config())
    warnings: list[str] = []
    warn = warnings.append if as_json else reporting.warn
    rc = RcFile(path)
    if args.get is not None:
        found = edit.get(rc, args.get, declared, warn)
        if as_json:
            reporting.render({"success": True, "rc_path": str(path), "warnings": warnings,
                              "get": found})
        else:
            lines = [line for name, value in found.items() for line in edit.get_lines(name, value)]
            if lines:
                reporting.render("\n".join(lines))
        return 0
    editor = edit.Editor(rc, declared, warn)
    for key, item in args.prepend:
        editor.add(key, item, prepend=True)
    for key, item in args.append:
        editor.add(key, item, prepend=False)
    for key, value in args.set:
        editor.set(key, value)
    for key, item in args.remove:
        editor.remove(key, item)
    for key in args.remove_key:
        editor.remove_key(key)
    rc.write()
    if as_json:
        reporting.render({"success": True, "rc_path": str(path), "warnings": warnings,
                          "get": {}})
    return 0
