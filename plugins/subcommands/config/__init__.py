"""``conda config``: show, describe, validate and edit condarc files, as conda's command does.

Only the record and the parser live here; the command's modules (and ruamel.yaml) are
imported when it runs. Reads go through the kernel's loader (:mod:`kernel.config`); edits
round-trip the target file so its comments, key order and quoting survive.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from kernel import hookimpl
from kernel.types import CondaSubcommand

if TYPE_CHECKING:
    import argparse

SUMMARY = "Modify configuration values in .condarc."

EPILOG = """\
examples:
  conda config --show                     all settings as calculated and compiled
  conda config --show-sources             every source and what it sets
  conda config --describe channel_priority
  conda config --add channels conda-forge  (highest priority)
  conda config --append channels bioconda  (lowest priority)
  conda config --set channel_priority strict --env
  conda config --set proxy_servers.https http://proxy:8080
  conda config --remove-key proxy_servers
"""


def configure_parser(parser: argparse.ArgumentParser) -> None:
    import argparse

    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EPILOG
    where = parser.add_argument_group(
        "config file location selection",
        "Without one of these flags, the user config file is used: $CONDARC when set, "
        "else ~/.condarc.").add_mutually_exclusive_group()
    where.add_argument("--system", action="store_true",
                       help="Write to the root prefix's .condarc ($CONDA_ROOT/.condarc).")
    where.add_argument("--env", action="store_true",
                       help="Write to the active environment's .condarc ($CONDA_PREFIX); "
                            "without an active environment, to the user config file.")
    where.add_argument("--file", metavar="FILE", help="Write to (or read only) the given file.")
    where.add_argument("-p", "--prefix", metavar="PATH",
                       help="Write to the .condarc of the environment at PATH.")
    where.add_argument("-n", "--name", metavar="ENV",
                       help="Write to the .condarc of the environment named ENV.")

    show = parser.add_argument_group("config subcommands").add_mutually_exclusive_group()
    show.add_argument("--show", nargs="*", metavar="KEY", default=None,
                      help="Display configuration values as calculated and compiled "
                           "(all of them without KEY).")
    show.add_argument("--show-sources", action="store_true",
                      help="Display every configuration source and the values it sets.")
    show.add_argument("--validate", action="store_true",
                      help="Check every configuration source; report each invalid value.")
    show.add_argument("--describe", nargs="*", metavar="KEY", default=None,
                      help="Describe configuration parameters (all of them without KEY).")

    edit = parser.add_argument_group("config modifiers").add_mutually_exclusive_group()
    edit.add_argument("--get", nargs="*", metavar="KEY", default=None,
                      help="Get values from the config file (all of them without KEY).")
    pair: dict[str, Any] = {"nargs": 2, "action": "append", "default": [],
                            "metavar": ("KEY", "VALUE")}
    edit.add_argument("--append", help="Add VALUE to the end of a list key.", **pair)
    edit.add_argument("--prepend", "--add", dest="prepend",
                      help="Add VALUE to the beginning of a list key.", **pair)
    edit.add_argument("--set", help="Set a boolean, string or number key, or MAP.KEY.",
                      **pair)
    edit.add_argument("--remove", help="Remove every VALUE from a list key.", **pair)
    edit.add_argument("--remove-key", action="append", default=[], metavar="KEY",
                      help="Remove a key (and all its values) from the config file.")


def _execute(args: argparse.Namespace) -> int:
    from plugins.subcommands.config.command import execute

    return execute(args)


@hookimpl
def conda_subcommands() -> Iterator[CondaSubcommand]:
    yield CondaSubcommand(name="config", summary=SUMMARY, action=_execute,
                          configure_parser=configure_parser)
