"""The ``conda`` command: global flags, configuration, plugins, then one subcommand.

``--version`` is answered before anything is loaded. Otherwise global flags are read
first (``--json``, ``-v``, ``-q``, ``--debug``, ``--console``, ``--no-plugins``), the
configuration is loaded, plugins are discovered, and the parser is built from the
``conda_subcommands`` hook: only the command being run has its ``configure_parser`` called.
Errors become one line (or a JSON object) and an exit code; tracebacks only with
``--debug`` or ``-vvv``.
"""

from __future__ import annotations

import os
import sys

from kernel import CONDA_VERSION, TYPE_CHECKING, __version__

if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from typing import Any, NoReturn

    from kernel.manager import PluginManager
    from kernel.types import CondaSubcommand

_GLOBAL_FLAGS = {"--json": ("json", True), "--debug": ("verbosity", 3),
                 "--no-plugins": ("no_plugins", True), "-q": ("quiet", True),
                 "--quiet": ("quiet", True)}


def prog_name() -> str:
    name = os.path.basename(sys.argv[0] or "conda")
    return "microconda" if name.startswith("microconda") else "conda"


def version_line() -> str:
    """``conda 26.7.1`` (the conda release followed, what tools parse) as ``conda``;
    ``microconda 0.1.0`` (its own) as ``microconda``."""
    name = prog_name()
    return f"{name} {CONDA_VERSION if name == 'conda' else __version__}"


def scan_global_flags(argv: Sequence[str]) -> tuple[dict[str, Any], str | None]:
    """Read global flags anywhere before ``--``; return overrides and the command name."""
    overrides: dict[str, Any] = {}
    command: str | None = None
    verbose = 0
    it = iter(range(len(argv)))
    for i in it:
        arg = argv[i]
        if arg == "--":
            break
        if arg in _GLOBAL_FLAGS:
            key, value = _GLOBAL_FLAGS[arg]
            overrides[key] = value
        elif arg == "--verbose" or (arg.startswith("-v") and set(arg[1:]) == {"v"}):
            verbose += 1 if arg == "--verbose" else len(arg) - 1
        elif arg == "--console" and i + 1 < len(argv):
            overrides["console"] = argv[i + 1]
            next(it, None)
        elif arg.startswith("--console="):
            overrides["console"] = arg.split("=", 1)[1]
        elif command is None and not arg.startswith("-"):
            command = arg
    if verbose:
        overrides["verbosity"] = max(verbose, overrides.get("verbosity", 0))
    return overrides, command


def _terminal_columns() -> int:
    """``shutil.get_terminal_size().columns``, without importing shutil and the archive
    modules it loads (argparse makes a help formatter for every ``add_argument``)."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    stdout = sys.__stdout__
    try:
        return os.get_terminal_size(stdout.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):  # no stdout, or not a terminal
        return 80


def _argument_parser_class() -> type[argparse.ArgumentParser]:
    import argparse

    from kernel.errors import ArgumentError

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            raise ArgumentError(f"{self.prog}: {message}")

        def _get_formatter(self) -> argparse.HelpFormatter:
            # argparse's own takes the width from shutil, less the same 2 columns
            width = _terminal_columns() - 2
            return self.formatter_class(prog=self.prog, width=width)  # type: ignore[call-arg]

    return Parser


def global_options() -> argparse.ArgumentParser:
    """A parent parser holding the flags every command accepts."""
    parser = _argument_parser_class()(add_help=False)
    group = parser.add_argument_group("output, prompt, and flow control options")
    group.add_argument("--json", action="store_true", help="Report all output as json.")
    group.add_argument("--console", metavar="NAME", help="Select the reporter backend.")
    group.add_argument("-v", "--verbose", action="count", default=0,
                       help="Increase verbosity (-v info, -vv debug, -vvv trace).")
    group.add_argument("-q", "--quiet", action="store_true", help="Do not show progress.")
    group.add_argument("--debug", action="store_true", help="Show tracebacks.")
    group.add_argument("--no-plugins", action="store_true",
                       help="Load only the plugins shipped with microconda.")
    return parser


def build_parser(subcommands: Sequence[CondaSubcommand],
                 command: str | None) -> argparse.ArgumentParser:
    import argparse

    parser_class = _argument_parser_class()
    parser = parser_class(prog=prog_name(), description="conda is a tool for managing and "
                          "deploying applications, environments and packages.",
                          parents=[global_options()])
    parser.add_argument("-V", "--version", action="version", version=version_line())
    sub = parser.add_subparsers(dest="cmd", metavar="COMMAND", parser_class=parser_class,
                                title="commands")
    parents = [global_options()]
    for record in sorted(subcommands, key=lambda r: r.name):
        chosen = command in (record.name, *record.aliases)
        if record.configure_parser is None:
            p = sub.add_parser(record.name, aliases=list(record.aliases), help=record.summary,
                               add_help=False, prefix_chars=chr(0))
            p.add_argument("raw_args", nargs=argparse.REMAINDER)
        else:
            p = sub.add_parser(record.name, aliases=list(record.aliases), help=record.summary,
                               description=record.summary, parents=parents)
            if chosen:
                record.configure_parser(p)
        p.set_defaults(_subcommand=record)
    return parser


def _suggest(command: str, names: Sequence[str]) -> str:
    import difflib

    close = difflib.get_close_matches(command, names, n=1)
    return f" Did you mean 'conda {close[0]}'?" if close else ""


def _setup_logging(verbosity: int) -> None:
    if verbosity <= 0:
        return
    import logging

    level = {1: logging.INFO, 2: logging.DEBUG}.get(verbosity, 5)
    logging.basicConfig(level=level, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")


def _report_error(exc: BaseException, *, as_json: bool, debug: bool) -> int:
    import json
    import traceback

    import kernel.manager
    from kernel.errors import CondaError

    manager = kernel.manager._manager  # None when the error came before plugins loaded
    if manager is not None:
        for observer in _safe_results(manager, "conda_exception_observers"):
            try:
                observer.action(exc)
            except Exception:  # an observer must never hide the error
                continue
    if isinstance(exc, CondaError):
        code = exc.return_code
        if as_json:
            print(json.dumps(exc.dump_map(), indent=2, sort_keys=True, default=str))
        elif code == 0:
            print(exc.message)
        else:
            print(f"{type(exc).__name__}: {exc.message}", file=sys.stderr)
    else:
        code = 1
        message = f"An unexpected error occurred: {type(exc).__name__}: {exc}"
        if as_json:
            print(json.dumps({"error": message, "exception_name": type(exc).__name__,
                              "message": str(exc)}, indent=2, sort_keys=True))
        else:
            print(f"{message}\n(run with --debug to see the traceback)", file=sys.stderr)
    if debug:
        traceback.print_exception(exc)
    if manager is not None and code != 0 and not as_json:
        for hint in _safe_results(manager, "conda_error_hints"):
            try:
                line = hint.hint(exc)
            except Exception:  # a broken hint is ignored
                continue
            if line:
                print(f"hint: {line}", file=sys.stderr)
    return code


def _safe_results(manager: PluginManager, hook: str) -> list[Any]:
    from kernel.errors import CondaError

    try:
        return manager.hook_results(hook)
    except CondaError:
        return []


def _run_commands_hook(manager: PluginManager, hook: str, command: str) -> None:
    for record in manager.hook_results(hook):
        if command in record.run_for:
            record.action(command)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``conda`` console script; returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] in ("-V", "--version"):
        print(version_line())
        return 0
    overrides, command = scan_global_flags(args_list)
    as_json = bool(overrides.get("json"))
    debug = overrides.get("verbosity", 0) >= 3
    try:
        return _dispatch(args_list, overrides, command)
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:
        from kernel.config import get_config
        from kernel.errors import CondaError

        try:
            as_json = as_json or bool(get_config().json)
        except CondaError:
            pass
        return _report_error(exc, as_json=as_json, debug=debug)


def _dispatch(argv: list[str], overrides: dict[str, Any], command: str | None) -> int:
    from kernel.config import load_config, set_config
    from kernel.errors import CommandNotFoundError

    config = load_config(overrides)
    set_config(config)
    _setup_logging(int(config.verbosity))

    from kernel.manager import get_plugin_manager

    manager = get_plugin_manager()
    config.bind_plugin_settings(manager.hook_results("conda_settings"))
    for line in (*config.warnings, *manager.warnings):
        print(f"warning: {line}", file=sys.stderr)
    subcommands: list[Any] = []
    if command is not None and manager.load_command(command):
        subcommands = manager.hook_results("conda_subcommands", complete=False)
    names = sorted({n for r in subcommands for n in (r.name, *r.aliases)})
    if command not in names:
        subcommands = manager.hook_results("conda_subcommands")
        names = sorted({n for r in subcommands for n in (r.name, *r.aliases)})
    if command is not None and command not in names:
        raise CommandNotFoundError(f"No command 'conda {command}'.{_suggest(command, names)}",
                                   command=command)
    parser = build_parser(subcommands, command)
    if command is None:  # no command: help (after the flags given are checked)
        if argv and not any(a in ("-h", "--help") for a in argv):
            parser.parse_args(argv)
        parser.print_help()
        return 0
    ns = parser.parse_args(argv)
    record: CondaSubcommand = ns._subcommand
    _run_commands_hook(manager, "conda_pre_commands", record.name)
    action_arg: Any = ns.raw_args if record.configure_parser is None else ns
    result = record.action(action_arg)
    code = int(result or 0)
    if code == 0:
        _run_commands_hook(manager, "conda_post_commands", record.name)
    return code


def run() -> NoReturn:
    """Console-script wrapper: exits with :func:`main`'s code."""
    sys.exit(main())
