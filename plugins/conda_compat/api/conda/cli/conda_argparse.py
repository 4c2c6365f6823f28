"""``conda.cli.conda_argparse``: the parser helpers conda re-exports here."""

from __future__ import annotations

from conda.cli.helpers import (
    add_output_and_prompt_options,
    add_parser_channels,
    add_parser_help,
    add_parser_json,
    add_parser_prefix,
    add_parser_verbose,
)
from plugins.conda_compat.missing import missing_attributes

__all__ = [
    "add_output_and_prompt_options", "add_parser_channels", "add_parser_help",
    "add_parser_json", "add_parser_prefix", "add_parser_verbose",
]

__getattr__ = missing_attributes(__name__)
