"""``conda create``: a new environment from a list of specs.

Needs ``-n`` or ``-p``. ``create_default_packages`` are added unless
``--no-default-packages``. An existing environment at the target is replaced (after a
confirmation) by one crash-safe transaction that unlinks what is there; a non-empty folder
that is not an environment is refused.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kernel import hookimpl
from kernel.errors import DirectoryNotACondaEnvironmentError
from kernel.types import CondaSubcommand

if TYPE_CHECKING:
    from plugins.environment.install_flow import Change

SUMMARY = "Create a new conda environment from a list of specified packages."


def configure_parser(parser: argparse.ArgumentParser) -> None:
    from plugins.subcommands.install import configure_parser as install_parser

    install_parser(parser)
    parser.add_argument("--no-default-packages", action="store_true",
                        help="Ignore create_default_packages in the .condarc file.")
    parser.add_argument("--clone", metavar="ENV",
                        help="Create a new environment as a copy of an existing local "
                             "environment (a name or a path).")


def _activate_message(prefix: str, name: str | None) -> str:
    target = name or prefix
    return ("#\n# To activate this environment, use\n#\n"
            f"#     $ conda activate {target}\n#\n"
            "# To deactivate an active environment, use\n#\n#     $ conda deactivate\n\n")


def _prepare_clone(args: argparse.Namespace, change: Change) -> tuple[str, list[str]]:
    """Turn ``change`` into a copy of the ``--clone`` source; returns the source and its
    untracked files."""
    from kernel.config import get_config
    from kernel.errors import ArgumentError
    from plugins.environment.clone import (
        check_clone_paths,
        clone_records,
        requested_specs,
        untracked_files,
    )
    from plugins.environment.install_flow import parse_specs
    from plugins.environment.resolve_prefix import prefix_for_name

    if args.packages or getattr(args, "file", None):
        raise ArgumentError("did not expect any arguments for --clone")
    value = str(args.clone)
    source = os.path.abspath(os.path.expanduser(value)) if os.sep in value or value in (
        ".", "..") else prefix_for_name(value, get_config())
    check_clone_paths(source, change.prefix)
    records, skipped = clone_records(source)
    if skipped and not get_config().json:
        from kernel import reporting

        reporting.warn("these packages cannot be cloned and were left out: "
                       + ", ".join(skipped))
    change.final_records = records
    change.specs_to_add = parse_specs(requested_specs(source))
    return source, untracked_files(source)


def execute(args: argparse.Namespace) -> int:
    from kernel import reporting
    from kernel.config import get_config
    from plugins.environment.install_flow import parse_specs, run_change
    from plugins.subcommands.install import build_change

    env = None
    if getattr(args, "file", None):  # --file through the environment specifier plugins
        from plugins.subcommands.env.apply import files_into_args

        env = files_into_args(args)
    change = build_change(args, "create", creating=True)
    if env is not None:
        from plugins.subcommands.env.apply import explicit_urls

        change.explicit_urls += explicit_urls(env)
    config = get_config()
    prefix = change.prefix
    if os.path.isdir(prefix) and not os.path.isdir(os.path.join(prefix, "conda-meta")) \
            and os.listdir(prefix):
        raise DirectoryNotACondaEnvironmentError(
            f"The target directory exists, but it is not a conda environment: {prefix}",
            prefix=prefix)
    if os.path.isdir(os.path.join(prefix, "conda-meta")) and not config.dry_run:
        if not config.json:
            reporting.warn(f"A conda environment already exists at '{prefix}'")
        reporting.confirm("Remove existing environment")
    source, untracked = "", []
    if getattr(args, "clone", None):
        source, untracked = _prepare_clone(args, change)
    elif not args.no_default_packages:
        named = {s.name for s in change.specs_to_add}
        extra = [s for s in parse_specs(list(config.create_default_packages))
                 if s.name not in named]
        change.specs_to_add.extend(extra)
    code = run_change(change)
    if code == 0 and untracked and not config.dry_run and not change.download_only:
        from plugins.environment.clone import copy_untracked

        copy_untracked(source, prefix, untracked)
    if code == 0 and env is not None and not config.dry_run and not change.download_only:
        from plugins.subcommands.env.apply import finish

        finish(env, prefix)  # pip: dependencies and variables: of an environment.yml
    if code == 0 and getattr(args, "subdir", None) and not config.dry_run \
            and not change.download_only:
        _remember_platform(prefix, args.subdir)
    if code == 0 and not config.json and not config.dry_run and not change.download_only:
        reporting.render(_activate_message(prefix, getattr(args, "name", None)))
    return code


def _remember_platform(prefix: str, subdir: str) -> None:
    """``--platform`` is kept in the environment's ``.condarc`` (as conda does), so later
    commands on it (read through ``$CONDA_PREFIX/.condarc``) use the same platform."""
    path = os.path.join(prefix, ".condarc")
    if not os.path.exists(path):
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(f"subdir: {subdir}\n")
        os.replace(tmp, path)


@hookimpl
def conda_subcommands() -> Iterator[CondaSubcommand]:
    yield CondaSubcommand(name="create", summary=SUMMARY, action=execute,
                          configure_parser=configure_parser)
