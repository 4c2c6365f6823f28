"""The ``conda env`` parser tree: ``create``, ``update``, ``remove``, ``list``, ``export``,
``config vars list|set|unset``; each sub-action records its name in ``env_action``."""

from __future__ import annotations

import argparse


def _file_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-f", "--file", default="environment.yml",
                        help="Environment definition file (default: environment.yml); "
                             "environment.yml, @EXPLICIT or requirements .txt.")
    parser.add_argument("--env-spec", "--environment-specifier", dest="env_spec",
                        metavar="NAME",
                        help="Read the file with this environment specifier plugin instead "
                             "of detecting one.")


def _install_args(parser: argparse.ArgumentParser) -> None:
    from plugins.environment.prefix_args import (
        add_channel_args,
        add_output_args,
        add_prefix_args,
        add_solver_args,
    )

    add_prefix_args(parser)
    _file_args(parser)
    add_channel_args(parser, repodata=False)  # conda env has no --repodata-use-shards
    add_solver_args(parser, install=False)
    add_output_args(parser)


def configure(parser: argparse.ArgumentParser) -> None:
    from kernel.cli import global_options
    from plugins.environment.prefix_args import add_output_args, add_prefix_args
    from plugins.subcommands.export import configure_parser as export_parser

    parents = [global_options()]
    parser_class = type(parser)
    sub = parser.add_subparsers(dest="env_action", metavar="ACTION", required=True,
                                parser_class=parser_class)

    create = sub.add_parser("create", parents=parents, help="Create an environment based "
                            "on an environment definition file.")
    _install_args(create)
    create.add_argument("--no-default-packages", action="store_true",
                        help="Ignore create_default_packages in the .condarc file.")

    update = sub.add_parser("update", parents=parents, help="Update the current environment "
                            "based on an environment file.")
    _install_args(update)
    update.add_argument("--prune", action="store_true",
                        help="Remove installed packages not defined in the environment file.")

    remove = sub.add_parser("remove", parents=parents, help="Remove an environment.")
    add_prefix_args(remove)
    add_output_args(remove)

    sub.add_parser("list", aliases=["ls"], parents=parents, help="List the conda "
                   "environments.")

    export = sub.add_parser("export", parents=parents, help="Export a given environment.")
    export_parser(export, formats=True)

    config = sub.add_parser("config", parents=parents, help="Configure a conda environment.")
    config_sub = config.add_subparsers(dest="config_action", metavar="ACTION", required=True,
                                       parser_class=parser_class)
    env_vars = config_sub.add_parser("vars", parents=parents, help="Interact with "
                                     "environment variables associated with conda "
                                     "environments.")
    vars_sub = env_vars.add_subparsers(dest="vars_action", metavar="ACTION", required=True,
                                       parser_class=parser_class)
    for action, help_text, nargs in (
            ("list", "List environment variables for a conda environment.", None),
            ("set", "Set environment variables for a conda environment (NAME=VALUE).", "+"),
            ("unset", "Unset environment variables for a conda environment.", "+")):
        sub_parser = vars_sub.add_parser(action, parents=parents, help=help_text)
        if nargs:
            sub_parser.add_argument("vars", metavar="VAR", nargs=nargs,
                                    help="NAME=VALUE to set" if action == "set"
                                    else "NAME to unset")
        add_prefix_args(sub_parser)
