"""``conda.cli.helpers``: conda's ``add_parser_*`` functions, with conda's flags.

A subcommand's parser already holds microconda's global flags (``-h``, ``--json``, ``-v``,
``-q``...): a helper adds only the flags the parser lacks, so a plugin calling
``add_parser_json`` or ``add_parser_help`` gets conda's behaviour, not an argparse clash.
"""

from __future__ import annotations

import argparse
from typing import Any

from plugins.conda_compat.missing import missing_attributes

__all__ = [
    "add_output_and_prompt_options", "add_parser_channels", "add_parser_help",
    "add_parser_json", "add_parser_prefix", "add_parser_verbose",
]


def _add(target: Any, *flags: str, **kwargs: Any) -> None:
    if any(flag in target._option_string_actions for flag in flags):
        return
    target.add_argument(*flags, **kwargs)


def _group(parser: argparse.ArgumentParser, title: str) -> Any:
    for group in parser._action_groups:
        if group.title == title:
            return group
    return parser.add_argument_group(title)


def add_parser_help(p: argparse.ArgumentParser) -> None:
    _add(p, "-h", "--help", action="help", help="Show this help message and exit.")


def add_parser_verbose(parser: Any) -> None:
    _add(parser, "-v", "--verbose", action="count", default=0,
         help="Use once for info, twice for debug, three times for trace.")
    _add(parser, "-q", "--quiet", action="store_true", default=None, help="Do not display "
         "progress bar.")


def add_parser_json(p: argparse.ArgumentParser) -> Any:
    group = _group(p, "Output, Prompt, and Flow Control Options")
    _add(group, "--json", action="store_true", default=None,
         help="Report all output as json. Suitable for using conda programmatically.")
    add_parser_verbose(group)
    return group


def add_output_and_prompt_options(p: argparse.ArgumentParser) -> Any:
    group = add_parser_json(p)
    _add(group, "-d", "--dry-run", action="store_true", default=None,
         help="Only display what would have been done.")
    _add(group, "-y", "--yes", action="store_true", default=None,
         help="Sets any confirmation values to 'yes' automatically.")
    return group


def add_parser_prefix(p: argparse.ArgumentParser, prefix_required: bool = False) -> Any:
    group = _group(p, "Target Environment Specification")
    if "-n" in p._option_string_actions or "-p" in p._option_string_actions:
        return group
    target = group.add_mutually_exclusive_group(required=prefix_required)
    target.add_argument("-n", "--name", action="store", help="Name of environment.",
                        metavar="ENVIRONMENT")
    target.add_argument("-p", "--prefix", action="store", metavar="PATH",
                        help="Full path to environment location (i.e. prefix).")
    return group


def add_parser_channels(p: argparse.ArgumentParser) -> Any:
    group = _group(p, "Channel Customization")
    _add(group, "-c", "--channel", dest="channel", action="append",
         help="Additional channel to search for packages.")
    _add(group, "--use-local", action="store_true", default=None,
         help="Use locally built packages. Identical to '-c local'.")
    _add(group, "--override-channels", action="store_true",
         help="Do not search default or .condarc channels. Requires --channel.")
    _add(group, "--repodata-fn", action="append", dest="repodata_fns",
         help="Specify file name of repodata on the remote server.")
    _add(group, "--repodata-use-shards", action=argparse.BooleanOptionalAction,
         dest="repodata_use_shards", default=None,
         help="Use sharded repodata if available. Enabled by default.")
    return group


__getattr__ = missing_attributes(__name__)
