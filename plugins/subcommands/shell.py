"""``conda shell.<shell> activate|deactivate|reactivate|hook|commands``: scripts for a shell.

These are what the ``conda`` shell function (installed by ``conda init``, defined by
``hook``) evaluates; people rarely type them. Output goes to stdout for the shell to
evaluate; errors are one line on stderr and a non-zero exit, so the function evaluates
nothing. ``activate``, ``deactivate`` and ``reactivate`` also fire the pre/post-command
plugins registered for those names, as conda does.

Arguments are read by hand (no argparse) to keep activation fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator

from kernel import hookimpl
from kernel.types import CondaSubcommand

SHELL_NAMES = ("bash", "csh", "dash", "fish", "posix", "powershell", "tcsh", "xonsh", "zsh")
VERBS = ("activate", "deactivate", "reactivate", "hook", "commands")
USAGE = """usage: conda shell.{shell} activate [--stack | --no-stack] [ENV]
       conda shell.{shell} deactivate | reactivate | hook | commands

Print the script that {verb_help} for {shell}; the conda shell function evaluates it.
"""


def _run_command_plugins(hook: str, command: str) -> None:
    from kernel.manager import get_plugin_manager

    for record in get_plugin_manager().hook_results(hook):
        if command in record.run_for:
            record.action(command)


def parse(shell: str, args: list[str]) -> tuple[str, str | None, bool | None]:
    """``(verb, env, stack)`` from the raw arguments; raises ``ArgumentError``."""
    from kernel.errors import ArgumentError

    if not args:
        raise ArgumentError(f"conda shell.{shell}: one of {', '.join(VERBS)} is required")
    verb, rest = args[0], args[1:]
    if verb not in VERBS:
        raise ArgumentError(f"conda shell.{shell}: invalid command '{verb}' "
                            f"(choose from {', '.join(VERBS)})")
    stack: bool | None = None
    positional: list[str] = []
    for arg in rest:
        if arg in ("--stack", "--no-stack") and verb == "activate":
            stack = arg == "--stack"
        elif arg == "--dev":
            continue  # conda's developer flag: nothing to do here
        elif arg.startswith("-") and arg != "-":
            raise ArgumentError(f"conda shell.{shell} {verb}: unknown option '{arg}'")
        elif arg:
            positional.append(arg)
    if len(positional) > (1 if verb == "activate" else 0):
        what = "does not accept more than one argument" if verb == "activate" else \
            "does not accept arguments"
        raise ArgumentError(f"{verb} {what}: {' '.join(positional)}")
    return verb, (positional[0] if positional else None), stack


def make_action(shell: str) -> Callable[[list[str]], int]:
    def action(args: list[str]) -> int:
        if any(a in ("-h", "--help", "/?") for a in args):
            verb = args[0] if args and args[0] in VERBS else "the command"
            print(USAGE.format(shell=shell, verb_help=f"runs '{verb}'"), file=sys.stderr)
            return 0
        if args and args[0] == "dispatch" and shell in ("csh", "tcsh"):
            return dispatch(shell, args[1:])
        verb, env, stack = parse(shell, args)
        return run(shell, verb, env, stack)

    return action


def dispatch(shell: str, args: list[str]) -> int:
    """csh's ``conda`` alias: activation scripts, or a line that runs the executable."""
    if args and args[0] in ("activate", "deactivate"):
        verb, env, stack = parse(shell, args)
        return run(shell, verb, env, stack)
    from plugins.shells import get_dialect
    from plugins.shells.activator import command_name, exe_argv
    from plugins.shells.csh import CshDialect

    dialect = get_dialect(shell)
    assert isinstance(dialect, CshDialect)
    argv = [*exe_argv(), *args]
    reactivate = bool(args) and args[0] in ("install", "update", "upgrade", "remove",
                                            "uninstall")
    sys.stdout.write(dialect.passthrough(argv, reactivate, command_name()))
    return 0


def run(shell: str, verb: str, env: str | None, stack: bool | None) -> int:
    from kernel.config import get_config
    from plugins.shells import get_dialect

    dialect = get_dialect(shell)
    config = get_config()
    if verb == "commands":
        from plugins.subcommands.commands import command_names

        sys.stdout.write("\n".join(command_names()) + "\n")
        return 0
    if verb == "hook":
        from plugins.shells.activator import command_name, conda_exe_vars
        from plugins.shells.dialect import HookInfo

        # base always exists: activating it creates the root prefix if need be
        info = HookInfo(conda_exe_vars(), changeps1=bool(config.changeps1),
                        activate_base=bool(config.auto_activate),
                        root_prefix=str(config.root_prefix), command=command_name())
        sys.stdout.write(dialect.hook(info))
        return 0
    from plugins.shells.activator import Activator

    _run_command_plugins("conda_pre_commands", verb)
    activator = Activator(dialect, config)
    if verb == "activate":
        plan = activator.activate(env or "base", stack)
    elif verb == "deactivate":
        plan = activator.deactivate()
    else:
        plan = activator.reactivate()
    sys.stdout.write(dialect.render(plan))
    sys.stdout.flush()
    _run_command_plugins("conda_post_commands", verb)
    return 0


@hookimpl
def conda_subcommands() -> Iterator[CondaSubcommand]:
    for shell in SHELL_NAMES:
        yield CondaSubcommand(name=f"shell.{shell}",
                              summary=f"Print {shell} activation scripts (used by the "
                                      f"conda shell function).",
                              action=make_action(shell))
