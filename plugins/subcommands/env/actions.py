"""What each ``conda env`` sub-action does (the parser is in :mod:`.parsers`)."""

from __future__ import annotations

import argparse
import os
from typing import Any

from kernel.errors import ArgumentError, CondaError


class CondaEnvException(CondaError):
    """The environment cannot be made at the target (base prefix, foreign folder)."""


def _same(a: str, b: str) -> bool:
    return os.path.normcase(os.path.normpath(a)) == os.path.normcase(os.path.normpath(b))


def create(args: argparse.Namespace) -> int:
    from kernel import reporting
    from plugins.environment.prefix_args import apply_overrides
    from plugins.subcommands.env.apply import (
        activate_message,
        check_installers,
        install_environment,
        target_prefix,
    )
    from plugins.subcommands.env.files import read_environment

    config = apply_overrides(args)
    env = read_environment(args.file, args.env_spec)
    check_installers(env)
    prefix = target_prefix(args, env, config, creating=True)
    if _same(prefix, config.root_prefix):
        raise CondaEnvException(f"The target prefix is the base prefix ({prefix}). Aborting.",
                                prefix=prefix)
    meta = os.path.join(prefix, "conda-meta")
    if os.path.isdir(prefix) and not os.path.isdir(meta) and os.listdir(prefix):
        raise CondaEnvException(f"The target directory exists, but it is not a conda "
                                f"environment: {prefix}", prefix=prefix)
    if os.path.isdir(meta) and not config.dry_run:
        if not config.json:
            reporting.warn(f"A conda environment already exists at '{prefix}'")
        reporting.confirm("Remove existing environment")
    defaults = [] if args.no_default_packages or getattr(env, "explicit_packages", None) \
        else list(config.create_default_packages)
    code = install_environment(env, prefix, args, command="create", creating=True,
                               extra_specs=defaults)
    if code == 0 and not config.json and not config.dry_run:
        reporting.render(activate_message(prefix, args.name))
    return code


def update(args: argparse.Namespace) -> int:
    from plugins.environment.prefix_args import apply_overrides
    from plugins.subcommands.env.apply import (
        check_installers,
        install_environment,
        target_prefix,
    )
    from plugins.subcommands.env.files import read_environment

    config = apply_overrides(args)
    env = read_environment(args.file, args.env_spec)
    check_installers(env)
    prefix = target_prefix(args, env, config, creating=True)
    exists = os.path.isdir(os.path.join(prefix, "conda-meta"))
    # --prune reaches the solver, which solves the file's specs as if nothing were
    # installed: the plan removes what no longer serves them
    return install_environment(env, prefix, args, command="update", creating=not exists,
                               prune=bool(args.prune) and exists)


def remove(args: argparse.Namespace) -> int:
    """``conda remove --all``, reached through the ``remove`` command plugin."""
    from kernel.manager import get_plugin_manager

    record = get_plugin_manager().find("conda_subcommands", "remove", what="command")
    ns = argparse.Namespace(packages=[], all=True, keep_env=False, force=False,
                            name=args.name, prefix=args.prefix, channel=[],
                            override_channels=False, offline=None, use_index_cache=None,
                            solver=None, yes=args.yes, dry_run=args.dry_run)
    return int(record.action(ns) or 0)


def list_envs(args: argparse.Namespace) -> int:
    from kernel import reporting
    from kernel.config import get_config
    from plugins.environment.known_envs import envs_details, known_envs

    config = get_config()
    prefixes = known_envs(config)
    reporting.envs_list(prefixes, details=envs_details(prefixes, config))
    return 0


def _assignments(values: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or any(c.isspace() for c in name.strip()):
            raise ArgumentError(f"invalid variable '{item}': use NAME=VALUE", var=item)
        out[name.strip()] = value
    return out


def config_vars(args: argparse.Namespace) -> int:
    from kernel import reporting
    from plugins.environment.prefix_args import apply_overrides
    from plugins.environment.resolve_prefix import resolve_prefix
    from plugins.subcommands.env.state import env_vars, set_env_vars, unset_env_vars

    config = apply_overrides(args)
    prefix = resolve_prefix(args, config)
    action = args.vars_action
    if action == "list":
        values = env_vars(prefix)
        reporting.render(values if config.json else
                         "".join(f"{k} = {v}\n" for k, v in values.items()))
        return 0
    if action == "set":
        values = set_env_vars(prefix, _assignments(args.vars))
    else:
        values = unset_env_vars(prefix, [v.strip() for v in args.vars])
    if config.json:
        reporting.render({"success": True, "prefix": prefix, "env_vars": values})
    else:
        reporting.render("To make your changes take effect please reactivate your "
                         "environment\n")
    return 0


def export(args: argparse.Namespace) -> int:
    from plugins.subcommands.export import run_export

    return run_export(args)


_ACTIONS: dict[str, Any] = {"create": create, "update": update, "remove": remove,
                            "list": list_envs, "ls": list_envs, "export": export}


def run(args: argparse.Namespace) -> int:
    if args.env_action == "config":
        return config_vars(args)
    return int(_ACTIONS[args.env_action](args) or 0)
