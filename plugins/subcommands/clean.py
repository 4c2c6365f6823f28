"""``conda clean``: remove what the package caches and prefixes no longer need.

| flag | removes |
|---|---|
| ``-i/--index-cache`` | ``<pkgs_dir>/cache``: repodata, ``.idx`` sidecars, shard indexes, shards |
| ``-t/--tarballs`` | package archives (``*.conda``, ``*.tar.bz2``, and ``.partial`` leftovers) |
| ``-p/--packages`` | extracted package folders that no environment uses |
| ``-l/--logfiles`` | files in ``<pkgs_dir>/.logs`` |
| ``-c/--tempfiles [PATH ...]`` | ``*.c~``, ``*.trash`` under the paths (default: root prefix) |
| ``-a/--all`` | all of the above |

``--tempfiles`` also removes ``<pkgs_dir>/.trash`` folders.

An extracted package counts as *used* when any of its files has more than one hard link
(conda's test), or when a known environment (``environments.txt``, ``envs_dirs``, the root
prefix) records it: copied and soft-linked environments leave no hard links behind.
Only writable ``pkgs_dirs`` are cleaned. Nothing is deleted under ``--dry-run``; without
``-y`` each removal asks first. ``--json`` prints conda's result object.
"""

from __future__ import annotations

import argparse
import os
import shutil
from collections.abc import Iterator, Sequence
from typing import Any

from kernel import hookimpl
from kernel.types import CondaSubcommand

SUMMARY = "Remove unused packages and caches."
_TARBALL_SUFFIXES = (".conda", ".tar.bz2", ".partial")
_TEMP_SUFFIXES = (".c~", ".trash")


def configure_parser(parser: argparse.ArgumentParser) -> None:
    from plugins.environment.prefix_args import add_output_args

    group = parser.add_argument_group("Removal Targets")
    group.add_argument("-a", "--all", action="store_true",
                       help="Remove index cache, lock files, unused cache packages, tarballs, "
                            "and logfiles.")
    group.add_argument("-i", "--index-cache", action="store_true",
                       help="Remove index cache.")
    group.add_argument("-p", "--packages", action="store_true",
                       help="Remove unused packages from writable package caches.")
    group.add_argument("-t", "--tarballs", action="store_true",
                       help="Remove cached package tarballs.")
    group.add_argument("-c", "--tempfiles", nargs="*", metavar="PATH", default=None,
                       help="Remove temporary files (*.c~, *.trash) under the given paths "
                            "(default: the root prefix).")
    group.add_argument("-l", "--logfiles", action="store_true", help="Remove log files.")
    add_output_args(parser)


def _human(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{int(size)} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"  # pragma: no cover


def _pkgs_dirs() -> list[str]:
    from plugins.package_cache import PackageCache
    from plugins.package_cache.cache import configured_pkgs_dirs

    found = []
    for path in configured_pkgs_dirs():
        cache = PackageCache(path)
        if os.path.isdir(cache.pkgs_dir) and os.access(cache.pkgs_dir, os.W_OK):
            found.append(cache.pkgs_dir)
    return found


def _tree_size(path: str) -> int:
    if not os.path.isdir(path) or os.path.islink(path):
        return os.lstat(path).st_size
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total


# -- what each target finds -------------------------------------------------------------------


def find_tarballs(pkgs_dirs: Sequence[str]) -> dict[str, Any]:
    pkgs: dict[str, list[str]] = {}
    sizes: dict[str, dict[str, int]] = {}
    for pkgs_dir in pkgs_dirs:
        names = sorted(n for n in os.listdir(pkgs_dir) if n.endswith(_TARBALL_SUFFIXES)
                       and os.path.isfile(os.path.join(pkgs_dir, n)))
        pkgs[pkgs_dir] = names
        sizes[pkgs_dir] = {n: os.path.getsize(os.path.join(pkgs_dir, n)) for n in names}
    total = sum(s for d in sizes.values() for s in d.values())
    return {"pkgs_dirs": pkgs, "pkg_sizes": sizes, "total_size": total, "warnings": []}


def _used_extracted_dirs() -> set[str]:
    """Extracted package folders recorded by any known environment."""
    from kernel.config import get_config
    from plugins.prefix import PrefixData, registered_environments

    config = get_config()
    prefixes = {str(config.root_prefix), *registered_environments()}
    for envs_dir in config.envs_dirs:
        try:
            prefixes.update(os.path.join(envs_dir, n) for n in os.listdir(envs_dir))
        except OSError:
            continue
    used: set[str] = set()
    for prefix in prefixes:
        if not os.path.isdir(os.path.join(prefix, "conda-meta")):
            continue
        try:
            records = PrefixData(prefix).raw_records().values()
        except Exception:  # a corrupt environment must not make clean delete packages
            records = ()
        for record in records:
            folder = record.get("extracted_package_dir")
            if folder:
                used.add(os.path.normpath(str(folder)))
    return used


def _hardlinked(path: str) -> bool:
    for root, _, files in os.walk(path):
        for name in files:
            try:
                if os.lstat(os.path.join(root, name)).st_nlink > 1:
                    return True
            except OSError:
                return True  # unreadable: keep it
    return False


def find_pkgs(pkgs_dirs: Sequence[str]) -> dict[str, Any]:
    used = _used_extracted_dirs()
    pkgs: dict[str, list[str]] = {}
    sizes: dict[str, dict[str, int]] = {}
    for pkgs_dir in pkgs_dirs:
        pkgs[pkgs_dir], sizes[pkgs_dir] = [], {}
        for name in sorted(os.listdir(pkgs_dir)):
            path = os.path.join(pkgs_dir, name)
            if name.startswith(".") or name == "cache" or os.path.islink(path) or \
                    not os.path.isdir(os.path.join(path, "info")):
                continue
            if os.path.normpath(path) in used or _hardlinked(path):
                continue
            pkgs[pkgs_dir].append(name)
            sizes[pkgs_dir][name] = _tree_size(path)
    total = sum(s for d in sizes.values() for s in d.values())
    return {"pkgs_dirs": pkgs, "pkg_sizes": sizes, "total_size": total, "warnings": []}


def find_index_cache(pkgs_dirs: Sequence[str]) -> list[str]:
    return [os.path.join(d, "cache") for d in pkgs_dirs if os.path.isdir(os.path.join(d, "cache"))]


def find_logfiles(pkgs_dirs: Sequence[str]) -> list[str]:
    found = []
    for pkgs_dir in pkgs_dirs:
        logs = os.path.join(pkgs_dir, ".logs")
        if os.path.isdir(logs):
            found += sorted(os.path.join(logs, n) for n in os.listdir(logs))
    return found


def find_tempfiles(paths: Sequence[str], pkgs_dirs: Sequence[str]) -> list[str]:
    found = [os.path.join(d, ".trash") for d in pkgs_dirs
             if os.path.isdir(os.path.join(d, ".trash"))]
    for path in dict.fromkeys(os.path.abspath(os.path.expanduser(p)) for p in paths):
        for root, _, files in os.walk(path):
            found += sorted(os.path.join(root, n) for n in files if n.endswith(_TEMP_SUFFIXES))
    return found


# -- removing ---------------------------------------------------------------------------------


def _rm(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        os.unlink(path)


def _remove_pkgs(found: dict[str, Any], what: str, config: Any) -> None:
    from kernel import reporting

    count = sum(len(v) for v in found["pkgs_dirs"].values())
    show = not (config.json or config.quiet)
    if not count:
        if show:
            reporting.render(f"There are no unused {what} to remove.\n")
        return
    if show:
        if config.verbosity:
            lines = [f"Will remove the following {what}:"]
            for pkgs_dir, names in found["pkgs_dirs"].items():
                lines += [f"  {pkgs_dir}", f"  {'-' * len(pkgs_dir)}"]
                lines += [f"  - {n:<40} {_human(found['pkg_sizes'][pkgs_dir][n]):>10}"
                          for n in names]
                lines.append("")
            lines += ["-" * 17, f"Total: {_human(found['total_size']):>10}", ""]
            reporting.render("\n".join(lines) + "\n")
        else:
            reporting.render(f"Will remove {count} ({_human(found['total_size'])}) {what}.\n")
    if config.dry_run:
        return
    reporting.confirm("Proceed", dry_run=False)
    for pkgs_dir, names in found["pkgs_dirs"].items():
        for name in names:
            _rm(os.path.join(pkgs_dir, name))


def _remove_items(items: Sequence[str], what: str, config: Any) -> None:
    from kernel import reporting

    show = not (config.json or config.quiet)
    if not items:
        if show:
            reporting.render(f"There are no {what} to remove.\n")
        return
    if show:
        reporting.render(f"Will remove {len(items)} {what}:\n"
                         + "".join(f"  - {p}\n" for p in items))
    if config.dry_run:
        return
    reporting.confirm("Proceed", dry_run=False)
    for path in items:
        _rm(path)


def execute(args: argparse.Namespace) -> int:
    from kernel import reporting
    from kernel.errors import ArgumentError
    from plugins.environment.prefix_args import apply_overrides

    config = apply_overrides(args)
    temp_paths = args.tempfiles
    if not (args.all or args.index_cache or args.packages or args.tarballs or args.logfiles
            or temp_paths is not None):
        raise ArgumentError("At least one removal target must be given. See 'conda clean "
                            "--help'.")
    pkgs_dirs = _pkgs_dirs()
    result: dict[str, Any] = {"success": True}
    if args.all or args.tarballs:
        result["tarballs"] = found = find_tarballs(pkgs_dirs)
        _remove_pkgs(found, "tarball(s)", config)
    if args.all or args.index_cache:
        files = find_index_cache(pkgs_dirs)
        result["index_cache"] = {"files": files}
        _remove_items(files, "index cache(s)", config)
    if args.all or args.packages:
        result["packages"] = found = find_pkgs(pkgs_dirs)
        _remove_pkgs(found, "package(s)", config)
    if args.all or temp_paths is not None:
        paths = list(temp_paths or [str(config.root_prefix)])
        result["tempfiles"] = temps = find_tempfiles(paths, pkgs_dirs)
        _remove_items(temps, "tempfile(s)", config)
    if args.all or args.logfiles:
        result["logfiles"] = logs = find_logfiles(pkgs_dirs)
        _remove_items(logs, "logfile(s)", config)
    if config.json:
        if config.dry_run:
            result["dry_run"] = True
        reporting.render(result)
    return 0


@hookimpl
def conda_subcommands() -> Iterator[CondaSubcommand]:
    yield CondaSubcommand(name="clean", summary=SUMMARY, action=execute,
                          configure_parser=configure_parser)
