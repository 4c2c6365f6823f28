"""``conda rename``: give an existing environment a new name or location.

``conda rename -n OLD NEW`` (or ``-p OLD_PATH NEW``): ``NEW`` is a name (placed in the
first writable ``envs_dirs``, as ``create -n`` places it) or, when it holds a path
separator, a path. Like conda, the environment is *cloned* to the destination (packages
relinked from the package cache, so prefix placeholders point at the new location; files
no package owns are copied) and the source is then deleted. The base environment and the
active one cannot be renamed; an existing destination is refused unless ``--force``, which
moves it aside first and puts it back if the clone fails. ``--dry-run`` says what would be
done and writes nothing.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator

from kernel import hookimpl
from kernel.errors import CondaError
from kernel.types import CondaSubcommand

SUMMARY = "Rename an existing environment."


class CondaEnvironmentRenameError(CondaError):
    """The source or destination of ``conda rename`` is not allowed."""


def configure_parser(parser: argparse.ArgumentParser) -> None:
    from plugins.environment.prefix_args import add_output_args, add_prefix_args

    add_prefix_args(parser)
    parser.add_argument("destination", help="New name or path for the environment.")
    parser.add_argument("--force", action="store_true",
                        help="Force rename of an environment (replaces an existing "
                             "destination).")
    add_output_args(parser)


def _same(a: str, b: str) -> bool:
    return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def _source(args: argparse.Namespace, config: object) -> str:
    from plugins.environment.resolve_prefix import resolve_prefix

    if not args.name and not args.prefix:
        raise CondaEnvironmentRenameError("one of -n/--name or -p/--prefix is required to "
                                          "say which environment to rename")
    source = resolve_prefix(args, config, must_exist=False)
    if _same(source, str(getattr(config, "root_prefix", ""))):
        raise CondaEnvironmentRenameError("The 'base' environment cannot be renamed",
                                          prefix=source)
    active = getattr(config, "active_prefix", None)
    if active and _same(source, active):
        raise CondaEnvironmentRenameError(f"Cannot rename the active environment ({source}); "
                                          "deactivate it first", prefix=source)
    return resolve_prefix(args, config)


def _destination(value: str, config: object, force: bool) -> str:
    from plugins.environment.resolve_prefix import prefix_for_name, validate_name

    if value in ("base", "root"):
        raise CondaEnvironmentRenameError(f"Environment destination cannot be '{value}'")
    if os.sep in value or (os.altsep and os.altsep in value):
        dest = os.path.normpath(os.path.abspath(os.path.expanduser(value)))
    else:
        validate_name(value)
        dest = prefix_for_name(value, config, creating=True)
    if os.path.lexists(dest) and not force:
        raise CondaEnvironmentRenameError(f"The environment '{value}' already exists at "
                                          f"{dest}. Override with --force.", destination=dest)
    return dest


def execute(args: argparse.Namespace) -> int:
    import shutil
    import sys
    import tempfile

    from kernel import reporting
    from plugins.environment.clone import check_clone_paths, clone_into
    from plugins.environment.prefix_args import apply_overrides
    from plugins.prefix import unregister_env

    config = apply_overrides(args)
    source = _source(args, config)
    dest = _destination(args.destination, config, args.force)
    check_clone_paths(source, dest)
    if config.dry_run:
        if config.json:
            reporting.render({"success": True, "dry_run": True, "source": source,
                              "destination": dest,
                              "actions": [f"clone {source} {dest}", f"rm_rf {source}"]})
        else:
            reporting.render(f"Dry run action: clone {source} {dest}\n"
                             f"Dry run action: rm_rf {source}\n")
        return 0
    if not config.json:
        reporting.render(f"Renaming environment {source} to {dest}\n")
    reporting.confirm("Proceed")
    backup = None
    if os.path.lexists(dest):  # --force: keep the old destination until the clone worked
        backup = tempfile.mkdtemp(prefix=".rename-backup-", dir=os.path.dirname(dest))
        os.rename(dest, os.path.join(backup, "env"))
    try:
        clone_into(source, dest, progress=not (config.quiet or config.json),
                   command_line=sys.argv)
    except BaseException:
        shutil.rmtree(dest, ignore_errors=True)
        if backup is not None:
            os.rename(os.path.join(backup, "env"), dest)
            os.rmdir(backup)
        raise
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)
    shutil.rmtree(source)
    unregister_env(source)
    if config.json:
        reporting.render({"success": True, "source": source, "destination": dest})
    return 0


@hookimpl
def conda_subcommands() -> Iterator[CondaSubcommand]:
    yield CondaSubcommand(name="rename", summary=SUMMARY, action=execute,
                          configure_parser=configure_parser)
