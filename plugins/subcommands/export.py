"""``conda export``: write an environment in any format an exporter plugin provides.

The format is ``--format`` (an exporter's name or alias), else inferred from ``--file``'s
name through the exporters' ``default_filenames`` (``environment.yml``, ``explicit.txt``,
``requirements.txt``, ...), else ``environment-yaml`` (``environment-json`` under
``--json``). Output goes to ``--file`` (written atomically) or stdout. ``--from-history``,
``--no-builds``, ``--ignore-channels``, ``-c`` and ``--override-channels`` shape the
environment as ``conda env export`` does. Exporters are reached only through the
``conda_environment_exporters`` hook.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator

from kernel import hookimpl
from kernel.types import CondaSubcommand

SUMMARY = "Export a given environment in a variety of formats."
DEFAULT_FORMAT = "environment-yaml"


def configure_parser(parser: argparse.ArgumentParser, *, formats: bool = True) -> None:
    from plugins.environment.prefix_args import add_prefix_args

    add_prefix_args(parser)
    parser.add_argument("-f", "--file", metavar="FILE",
                        help="File name or path for the exported environment; the format "
                             "is inferred from the name unless --format is given.")
    if formats:
        parser.add_argument("--format", metavar="FORMAT",
                            help="Format of the exported file: an exporter name or alias "
                                 "(environment-yaml, environment-json, explicit, "
                                 "requirements, ...).")
    parser.add_argument("-c", "--channel", action="append", default=[], dest="channel",
                        help="Additional channel to include in the export.")
    parser.add_argument("--override-channels", action="store_true",
                        help="Do not include .condarc channels.")
    parser.add_argument("--no-builds", action="store_true",
                        help="Remove build specification from dependencies.")
    parser.add_argument("--ignore-channels", action="store_true",
                        help="Do not include channel names with package names.")
    parser.add_argument("--from-history", action="store_true",
                        help="Build environment spec from explicit specs in history.")


def _write_file(path: str, text: str) -> str:
    from kernel.errors import CondaError

    target = os.path.abspath(os.path.expanduser(path))
    tmp = f"{target}.{os.getpid()}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise CondaError(f"cannot write {path}: {exc.strerror or exc}", path=path) from None
    return target


PIP_WARNING = (
    "The exported environment contains 3rd party Python packages.\n\n"
    "Your environment contains {count} installed via pip. Conda cannot reliably lock these "
    "packages for reproducible environments.\n\nDetected packages:{listing}\n\n"
    "Learn more: https://docs.conda.io/projects/conda/en/stable/user-guide/configuration/"
    "pip-interoperability.html")


def warn_pip_packages(found: list[str]) -> None:
    """conda's export warning, on stderr, when the environment holds pip packages."""
    from kernel import reporting

    if found:
        count = f"{len(found)} package{'s' if len(found) > 1 else ''}"
        listing = "".join(f"\n  - {spec}" for spec in found)
        reporting.warn(PIP_WARNING.format(count=count, listing=listing))


def run_export(args: argparse.Namespace, default_format: str = DEFAULT_FORMAT) -> int:
    import json

    from kernel import reporting
    from kernel.errors import CondaError
    from plugins.environment.prefix_args import apply_overrides
    from plugins.environment.resolve_prefix import resolve_prefix
    from plugins.subcommands.env.files import pick_exporter
    from plugins.subcommands.env.prefix_env import prefix_environment

    config = apply_overrides(args)
    fmt = getattr(args, "format", None)
    if config.json and not fmt and not args.file:
        default_format = "environment-json"
    exporter = pick_exporter(fmt, args.file, default_format)
    prefix = resolve_prefix(args, config)
    env, pip = prefix_environment(prefix, from_history=args.from_history,
                                  no_builds=args.no_builds,
                                  ignore_channels=args.ignore_channels,
                                  extra_channels=args.channel,
                                  override_channels=args.override_channels)
    warn_pip_packages(pip)
    try:
        text = exporter.export(env)
    except CondaError:
        raise
    except Exception as exc:
        raise CondaError(f"the '{exporter.name}' exporter failed: {type(exc).__name__}: "
                         f"{exc}", format=exporter.name) from exc
    if args.file:
        path = _write_file(args.file, text)
        if config.json:
            reporting.render({"success": True, "file": path, "format": exporter.name})
        return 0
    if not config.json:
        reporting.write(text)
    elif exporter.name == "environment-json":
        reporting.render(json.loads(text))
    else:
        reporting.render({"format": exporter.name, "content": text})
    return 0


def execute(args: argparse.Namespace) -> int:
    return run_export(args)


@hookimpl
def conda_subcommands() -> Iterator[CondaSubcommand]:
    yield CondaSubcommand(name="export", summary=SUMMARY, action=execute,
                          configure_parser=configure_parser)
