"""``conda package``: conda's low-level package tool.

``--which PATH…`` names the package owning each path; ``--untracked`` lists files no package
owns; ``--reset`` deletes them; ``--pkg-name NAME --pkg-version V --pkg-build N`` packs the
untracked files into ``NAME-V-N.tar.bz2`` (see
:mod:`plugins.environment.package_builder`). microconda adds ``--noarch``, ``--depends``,
``--entry-point``, ``--output-dir`` so small ``noarch`` packages can be built without
conda-build (the demo channel is built this way).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator

from kernel import hookimpl
from kernel.types import CondaSubcommand

SUMMARY = "Create low-level conda packages. (EXPERIMENTAL)"


def configure_parser(parser: argparse.ArgumentParser) -> None:
    from plugins.environment.prefix_args import add_prefix_args

    add_prefix_args(parser)
    parser.add_argument("-w", "--which", metavar="PATH", nargs="+",
                        help="Given some file's PATH, print which conda package the file "
                             "came from.")
    parser.add_argument("-r", "--reset", action="store_true",
                        help="Remove all untracked files and exit.")
    parser.add_argument("-u", "--untracked", action="store_true",
                        help="Display all untracked files and exit.")
    parser.add_argument("--pkg-name", default="unknown", help="Anaconda package name.")
    parser.add_argument("--pkg-version", default="0.0", help="Anaconda package version.")
    parser.add_argument("--pkg-build", type=int, default=0, help="Anaconda package build "
                                                                 "number.")
    parser.add_argument("--noarch", choices=("generic", "python"),
                        help="(microconda) Make a noarch package of this type.")
    parser.add_argument("--depends", action="append", default=[], metavar="SPEC",
                        help="(microconda) A run dependency (repeatable).")
    parser.add_argument("--entry-point", action="append", default=[], metavar="'NAME = "
                        "MODULE:FUNC'", help="(microconda) A python entry point (repeatable).")
    parser.add_argument("--output-dir", default=".", metavar="DIR",
                        help="(microconda) Where to write the package (default: here).")


def _which(prefix: str, paths: list[str]) -> list[tuple[str, str | None]]:
    from plugins.environment.package_builder import tracked_files

    owners = tracked_files(prefix)
    found = []
    for path in paths:
        full = os.path.abspath(path)
        rel = os.path.relpath(full, prefix).replace(os.sep, "/")
        found.append((path, owners.get(rel)))
    return found


def execute(args: argparse.Namespace) -> int:
    from kernel import reporting
    from plugins.environment.package_builder import PackageSpec, build_package, untracked_files
    from plugins.environment.prefix_args import apply_overrides
    from plugins.environment.resolve_prefix import resolve_prefix

    config = apply_overrides(args)
    prefix = resolve_prefix(args, config)
    if args.which:
        found = _which(prefix, args.which)
        if config.json:
            reporting.render({path: owner for path, owner in found})
        else:
            reporting.render("".join(f"{path:<50} {owner or 'untracked'}\n"
                                     for path, owner in found))
        return 0
    if args.untracked or args.reset:
        files = untracked_files(prefix)
        if args.reset:
            for rel in files:
                os.unlink(os.path.join(prefix, rel))
        if config.json:
            reporting.render({"success": True, "prefix": prefix,
                              "removed" if args.reset else "untracked": files})
        else:
            verb = "removed: " if args.reset else ""
            reporting.render("".join(f"{verb}{rel}\n" for rel in files))
        return 0
    spec = PackageSpec(name=args.pkg_name, version=args.pkg_version,
                       build_number=args.pkg_build, noarch=args.noarch,
                       depends=args.depends, entry_points=args.entry_point)
    files = untracked_files(prefix)
    path = build_package(prefix, spec, files=files, output_dir=args.output_dir)
    if config.json:
        reporting.render({"success": True, "files": len(files), "package": path})
    else:
        reporting.render(f"# files: {len(files)}\n# success\n{os.path.basename(path)}\n")
    return 0


@hookimpl
def conda_subcommands() -> Iterator[CondaSubcommand]:
    yield CondaSubcommand(name="package", summary=SUMMARY, action=execute,
                          configure_parser=configure_parser)
