"""``conda.activate``: conda's activator classes over microconda's activation.

``PosixActivator(["activate", "--stack", PREFIX]).execute()`` returns the script that
``conda shell.posix activate --stack PREFIX`` prints (microconda's
:mod:`plugins.shells.activator` decides what changes, its dialects write it), so
conda-spawn's shells activate exactly as ``conda activate`` does. The private helpers conda
plugins call (``_default_env``, ``_prompt_modifier``, ``path_conversion``, the ``PATH``
editors) are provided; ``cmd.exe`` has no microconda dialect and raises
``UnsupportedCondaAPI``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any

from plugins.conda_compat.missing import missing_attributes, unsupported

__all__ = [
    "CmdExeActivator", "CshActivator", "FishActivator", "PosixActivator",
    "PowerShellActivator", "XonshActivator", "activator_map",
]


class _Activator:
    shell = "posix"
    script_extension = ".sh"
    pathsep_join = ":".join
    sep = "/"

    def __init__(self, arguments: Sequence[str] | None = None):
        self._raw_arguments = list(arguments or ())
        self.environ = os.environ.copy()

    # -- microconda's pieces ------------------------------------------------------------

    def _ours(self) -> Any:
        from kernel.config import get_config
        from plugins.shells import get_dialect
        from plugins.shells.activator import Activator

        return Activator(get_dialect(self.shell), get_config(), self.environ)

    def execute(self) -> str:
        args = self._raw_arguments
        verb = args[0] if args else "activate"
        rest = [a for a in args[1:] if not a.startswith("--")]
        stack = True if "--stack" in args else (False if "--no-stack" in args else None)
        activator = self._ours()
        if verb == "activate":
            plan = activator.activate(rest[0] if rest else "base", stack)
        elif verb == "deactivate":
            plan = activator.deactivate()
        elif verb == "reactivate":
            plan = activator.reactivate()
        else:
            raise unsupported(f"conda.activate.{type(self).__name__}.execute({verb!r})")
        if type(self).get_export_unset_vars is not _Activator.get_export_unset_vars:
            self._let_subclass_edit(plan)
        return str(activator.dialect.render(plan))

    def _let_subclass_edit(self, plan: Any) -> None:
        """Pass the plan's variables through an overriding ``get_export_unset_vars``, as
        conda's activators do (conda-spawn's drops ``CONDA_EXE`` and friends there)."""
        from plugins.shells.activator import conda_exe_vars

        metavars = conda_exe_vars()
        kwargs = {k.lower(): v for k, v in plan.export.items() if k not in metavars}
        if plan.path is not None:
            kwargs["path"] = os.pathsep.join(plan.path)
        export, unset = self.get_export_unset_vars(
            export_metavars=any(k in plan.export for k in metavars), **kwargs)
        if "PATH" in export:
            plan.path = export.pop("PATH").split(os.pathsep)
        plan.export = export
        plan.unset = [*plan.unset, *(n for n in unset if n not in plan.unset)]

    # -- conda's helpers ------------------------------------------------------------------

    def _default_env(self, prefix: str) -> str:
        return str(self._ours().default_env(prefix))

    def _prompt_modifier(self, prefix: str, conda_default_env: str) -> str:
        from kernel.config import get_config

        config = get_config()
        if not config.changeps1:
            return ""
        try:
            return str(config.env_prompt).format(
                default_env=conda_default_env, prefix=prefix,
                name=os.path.basename(str(prefix).rstrip("/\\")))
        except (KeyError, IndexError, ValueError):
            return str(config.env_prompt)

    def path_conversion(self, paths: Any) -> Any:
        return paths

    def _get_path_dirs(self, prefix: str) -> tuple[str, ...]:
        return tuple(self._ours().path_dirs(prefix))

    def _get_starting_path_list(self) -> list[str]:
        value = self.environ.get("PATH", "")
        return value.split(os.pathsep) if value else []

    def _add_prefix_to_path(self, prefix: str,
                            starting_path_dirs: Iterable[str] | None = None) -> tuple[str, ...]:
        start = list(self._get_starting_path_list() if starting_path_dirs is None
                     else starting_path_dirs)
        return (*self._get_path_dirs(prefix), *start)

    def _replace_prefix_in_path(self, old_prefix: str | None, new_prefix: str | None,
                                starting_path_dirs: Iterable[str] | None = None
                                ) -> tuple[str, ...]:
        start = list(self._get_starting_path_list() if starting_path_dirs is None
                     else starting_path_dirs)
        return tuple(self._ours()._replace_in_path(start, old_prefix, new_prefix))

    def get_export_unset_vars(self, export_metavars: bool = True,
                              **kwargs: Any) -> tuple[dict[str, str], list[str]]:
        export = {k.upper(): str(v) for k, v in kwargs.items() if v is not None}
        unset = [k.upper() for k, v in kwargs.items() if v is None]
        if export_metavars:
            from plugins.shells.activator import conda_exe_vars

            export.update(conda_exe_vars())
        return export, unset


class PosixActivator(_Activator):
    shell = "posix"
    script_extension = ".sh"


class CshActivator(_Activator):
    shell = "csh"
    script_extension = ".csh"


class XonshActivator(_Activator):
    shell = "xonsh"
    script_extension = ".sh"


class FishActivator(_Activator):
    shell = "fish"
    script_extension = ".fish"


class PowerShellActivator(_Activator):
    shell = "powershell"
    script_extension = ".ps1"


class CmdExeActivator(_Activator):
    shell = "cmd.exe"
    script_extension = ".bat"

    def execute(self) -> str:
        raise unsupported("conda.activate.CmdExeActivator (cmd.exe activation)")


activator_map: dict[str, type[_Activator]] = {
    "posix": PosixActivator, "ash": PosixActivator, "bash": PosixActivator,
    "dash": PosixActivator, "zsh": PosixActivator, "csh": CshActivator,
    "tcsh": CshActivator, "xonsh": XonshActivator, "cmd.exe": CmdExeActivator,
    "fish": FishActivator, "powershell": PowerShellActivator,
}

__getattr__ = missing_attributes(__name__)
