"""What every shell dialect provides: quoting, statement templates, prompt handling, hook.

A :class:`Dialect` turns an activation :class:`~plugins.shells.activator.Plan` into a script
for its shell, in conda's order: ``PATH`` first (so deactivate scripts that edit ``PATH``
see the new value and their edits survive), then the deactivate scripts of the environment
being left, unset variables, prompt variables, exported variables, and last the activate
scripts of the environment entered. Every value is quoted by :meth:`Dialect.quote`, never
interpolated.
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from plugins.shells.activator import Plan

#: names we write into scripts; anything else (from a hostile state file) is refused
VALID_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class HookInfo:
    """What a hook needs to know: the executable variables and a few settings."""

    def __init__(self, exe_vars: Mapping[str, str], *, changeps1: bool,
                 activate_base: bool, root_prefix: str, command: str = "conda"):
        self.exe_vars = dict(exe_vars)
        self.changeps1 = changeps1
        self.activate_base = activate_base
        self.root_prefix = root_prefix
        #: the shell function (alias) the hook defines: ``conda``, or ``microconda`` when
        #: run through that alias (which leaves the real conda's function alone)
        self.command = command


class Dialect:
    """Base of the shell dialects; subclasses set the class attributes and :meth:`quote`."""

    #: the shell name used in ``conda shell.<name>`` (set by :meth:`for_shell`)
    name = "posix"
    script_extension = ".sh"
    command_join = "\n"
    #: what :meth:`hook` writes: the ``conda`` function, the prompt wrapper added with
    #: ``changeps1``, the statement that activates base. In them ``@SHELL@`` is
    #: ``shell.<name>``, ``@CMD@`` the function's name (``conda`` or ``microconda``, also
    #: the prefix of its helpers) and ``@CALL@`` :attr:`hook_call` (or
    #: :attr:`hook_call_microconda`).
    hook_functions = ""
    hook_prompt = ""
    hook_activate_base = "@CMD@ activate base\n"
    #: how the ``conda`` function runs the executable; how the ``microconda`` one does
    hook_call = ""
    hook_call_microconda = ""

    def for_shell(self, shell: str) -> Dialect:
        """This dialect, named after the shell that asked (bash, zsh, tcsh…)."""
        if shell == self.name:
            return self
        clone = copy.copy(self)
        clone.name = shell
        return clone

    # -- statements ------------------------------------------------------------------------

    def quote(self, value: str) -> str:
        raise NotImplementedError

    def export(self, name: str, value: str) -> str:
        raise NotImplementedError

    def unset(self, name: str) -> str:
        raise NotImplementedError

    def set_var(self, name: str, value: str) -> str:
        return self.export(name, value)

    def source(self, path: str) -> str:
        raise NotImplementedError

    def export_path(self, entries: Sequence[str]) -> str:
        return self.export("PATH", ":".join(entries))

    def update_prompt(self, environ: Mapping[str, str], old_modifier: str,
                      new_modifier: str) -> dict[str, str]:
        """Shell variables (not exported) that put ``new_modifier`` in the prompt."""
        return {}

    # -- scripts ---------------------------------------------------------------------------

    def render(self, plan: Plan) -> str:
        lines: list[str] = []
        if plan.path is not None:
            lines.append(self.export_path(plan.path))
        lines += [self.source(s) for s in plan.deactivate_scripts]
        lines += [self.unset(n) for n in plan.unset]
        lines += [self.set_var(n, v) for n, v in plan.set_vars.items()]
        lines += [self.export(n, v) for n, v in plan.export.items()]
        lines += [self.source(s) for s in plan.activate_scripts]
        return "".join(line + self.command_join for line in lines)

    def hook(self, info: HookInfo) -> str:
        """The script that defines the ``conda`` (or ``microconda``) shell function for this
        shell: the executable's variables, :attr:`hook_functions`, then :attr:`hook_prompt`
        with ``changeps1`` and :attr:`hook_activate_base` with ``auto_activate``."""
        lines = [self.hook_export(k, v) for k, v in info.exe_vars.items()]
        text = "\n".join(lines) + "\n" + self.hook_functions
        if info.changeps1:
            text += self.hook_prompt
        if info.activate_base:
            text += self.hook_activate_base
        return self.fill(text, info.command)

    def fill(self, template: str, command: str) -> str:
        """``template`` with ``@SHELL@``, ``@CMD@`` (``@Cmd@`` capitalized) and ``@CALL@``
        replaced."""
        call = self.hook_call_microconda if command == "microconda" else self.hook_call
        return (template.replace("@CALL@", call)
                .replace("@SHELL@", f"shell.{self.name}").replace("@CMD@", command)
                .replace("@Cmd@", command.capitalize()))

    def hook_export(self, name: str, value: str) -> str:
        """How :meth:`hook` sets one of the executable's variables."""
        return self.export(name, value)
