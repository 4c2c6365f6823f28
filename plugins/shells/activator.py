"""The shell-independent half of activation: which variables, ``PATH`` and scripts change.

It follows conda's ``_Activator``: ``CONDA_SHLVL`` counts active environments,
``CONDA_PREFIX_<n>`` remembers the one below level ``n+1``, ``CONDA_STACKED_<n>`` marks a
level entered with ``--stack`` (or ``auto_stack``), whose ``bin`` is prepended instead of
replacing the one below. Environment variables come from the prefix's
``etc/conda/env_vars.d/*.json`` (packages) then ``conda-meta/state`` (``conda env config
vars``); a variable that was already set is saved as ``__CONDA_SHLVL_<n>_<NAME>`` and put
back on deactivation, so a full deactivation restores the shell's exact environment.

The work is a simulation: start from a copy of the caller's environment, apply the
operation, and diff. :class:`Plan` is the diff plus the scripts to source.
"""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, Any

from kernel.errors import EnvironmentLocationNotFound

if TYPE_CHECKING:
    from collections.abc import Mapping

    from plugins.shells.dialect import Dialect

#: ``conda env config vars unset`` writes this value: the variable is removed while active
UNSET_MARKER = "***unset***"
ON_WIN = sys.platform == "win32"


class EnvironmentNameNotFound(EnvironmentLocationNotFound):
    """No environment of that name in any ``envs_dirs`` entry."""


class Plan:
    """What one activation step changes; a dialect renders it (see :mod:`.dialect`)."""

    def __init__(self) -> None:
        self.path: list[str] | None = None
        self.unset: list[str] = []
        self.set_vars: dict[str, str] = {}
        self.export: dict[str, str] = {}
        self.deactivate_scripts: list[str] = []
        self.activate_scripts: list[str] = []


def command_name() -> str:
    """``microconda`` when run through the ``microconda`` alias, else ``conda``.

    It names the shell function the hook defines: the alias exists for machines that also
    have the real conda, so it must never define (or repoint) ``conda``.
    """
    from kernel.cli import prog_name

    return prog_name()


def conda_exe_vars() -> dict[str, str]:
    """``CONDA_EXE`` (the console script) and friends, as conda exports them.

    Without a console script (a source checkout), ``CONDA_EXE`` is the interpreter and
    ``_CE_M``/``_CE_CONDA`` are ``-m``/``kernel`` so ``$CONDA_EXE $_CE_M $_CE_CONDA`` runs us.
    Run as ``microconda``, only ``MICROCONDA_EXE`` (the ``microconda`` script): conda's
    variables stay pointing at the real conda, whose shell function reads them.
    """
    argv0 = sys.argv[0] if sys.argv else ""
    bindir = os.path.dirname(sys.executable)
    if command_name() == "microconda":
        for path in (argv0, os.path.join(bindir, "microconda"),
                     os.path.join(bindir, "microconda.exe")):
            if path and os.path.isfile(path) and os.access(path, os.X_OK):
                return {"MICROCONDA_EXE": os.path.abspath(path)}
        return {"MICROCONDA_EXE": os.path.join(bindir, "microconda")}
    candidates = [argv0] if os.path.basename(argv0) == "conda" else []
    candidates += [os.path.join(bindir, "conda"), os.path.join(bindir, "conda.exe")]
    for path in candidates:
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return {"CONDA_EXE": os.path.abspath(path), "_CE_M": "", "_CE_CONDA": "",
                    "CONDA_PYTHON_EXE": sys.executable}
    return {"CONDA_EXE": sys.executable, "_CE_M": "-m", "_CE_CONDA": "kernel",
            "CONDA_PYTHON_EXE": sys.executable}


def exe_argv(exe_vars: Mapping[str, str] | None = None) -> list[str]:
    """The command line that runs this executable, from :func:`conda_exe_vars`."""
    found = conda_exe_vars() if exe_vars is None else exe_vars
    if "MICROCONDA_EXE" in found:
        return [found["MICROCONDA_EXE"]]
    return [found["CONDA_EXE"], *filter(None, (found.get("_CE_M"), found.get("_CE_CONDA")))]


def _same(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return os.path.normcase(os.path.normpath(a)) == os.path.normcase(os.path.normpath(b))


def locate_prefix(target: str, config: Any) -> str:
    """The prefix named by ``target``: a path (has a separator), ``base``/``root``, or a name
    looked up in ``envs_dirs``. Raises conda's :class:`EnvironmentLocationNotFound` (a path)
    or :class:`EnvironmentNameNotFound` (a name), with conda's texts. ``base`` always
    exists: the root prefix is made an empty environment if it is not one yet."""
    if "/" in target or os.sep in target or target in (".", ".."):
        prefix = os.path.abspath(os.path.expanduser(os.path.expandvars(target)))
        if not os.path.isdir(os.path.join(prefix, "conda-meta")):
            raise EnvironmentLocationNotFound(f"Not a conda environment: {prefix}",
                                              prefix=prefix)
        return prefix
    if target in ("base", "root"):
        root = os.path.abspath(str(config.root_prefix))
        if not os.path.isdir(os.path.join(root, "conda-meta")):
            from plugins.prefix.base import ensure_base

            ensure_base(root)
        return root
    for envs_dir in config.envs_dirs:
        prefix = os.path.join(envs_dir, target)
        if os.path.isdir(os.path.join(prefix, "conda-meta")):
            return os.path.abspath(prefix)
    raise EnvironmentNameNotFound(f"Could not find conda environment: {target}\n"
                                  f"You can list all discoverable environments with "
                                  f"`conda info --envs`.", environment_name=target)


def environment_vars(prefix: str, uppercase: bool = True) -> dict[str, str]:
    """Variables set while ``prefix`` is active: packages' ``env_vars.d`` then the state file.

    Unreadable files are skipped with a warning; names that are not shell identifiers are
    refused (they would otherwise be written into a script).
    """
    from plugins.shells.dialect import VALID_NAME

    found: dict[str, Any] = {}
    pkg_dir = os.path.join(prefix, "etc", "conda", "env_vars.d")
    files = sorted(os.path.join(pkg_dir, f) for f in _listdir(pkg_dir) if f.endswith(".json"))
    for path in [*files, os.path.join(prefix, "conda-meta", "state")]:
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        except FileNotFoundError:
            continue
        except (OSError, ValueError) as exc:
            print(f"warning: ignoring {path}: {exc}", file=sys.stderr)
            continue
        if path.endswith("state"):
            data = data.get("env_vars", {}) if isinstance(data, dict) else {}
        if isinstance(data, dict):
            found.update(data)
    result: dict[str, str] = {}
    for name, value in found.items():
        key = str(name).upper() if uppercase else str(name)
        if not VALID_NAME.match(key):
            print(f"warning: ignoring environment variable with invalid name {key!r} in "
                  f"{prefix}", file=sys.stderr)
            continue
        result[key] = str(value)
    return result


def _listdir(path: str) -> list[str]:
    try:
        return os.listdir(path)
    except OSError:
        return []


class Activator:
    """Builds :class:`Plan` s for one shell dialect from ``environ`` (the caller's)."""

    def __init__(self, dialect: Dialect, config: Any, environ: Mapping[str, str] | None = None):
        self.dialect = dialect
        self.config = config
        self.environ = dict(os.environ if environ is None else environ)

    # -- queries -----------------------------------------------------------------------

    def shlvl(self) -> int:
        try:
            return max(int(self.environ.get("CONDA_SHLVL", "").strip() or 0), 0)
        except ValueError:
            return 0

    def default_env(self, prefix: str) -> str:
        """``base``, the name of an environment under an ``envs`` dir, else the path."""
        if _same(prefix, str(self.config.root_prefix)):
            return "base"
        parent = os.path.dirname(prefix.rstrip("/\\"))
        if os.path.basename(parent) == "envs" or any(_same(parent, d)
                                                      for d in self.config.envs_dirs):
            return os.path.basename(prefix.rstrip("/\\"))
        return prefix

    def path_dirs(self, prefix: str) -> list[str]:
        if ON_WIN:
            return [prefix.rstrip("\\"), *(os.path.join(prefix, *p) for p in (
                ("Library", "mingw-w64", "bin"), ("Library", "usr", "bin"),
                ("Library", "bin"), ("Scripts",), ("bin",)))]
        return [os.path.join(prefix, "bin")]

    def scripts(self, prefix: str, kind: str) -> list[str]:
        """``etc/conda/<kind>.d`` scripts for this shell: sorted, reversed to deactivate."""
        folder = os.path.join(prefix, "etc", "conda", f"{kind}.d")
        ext = self.dialect.script_extension
        names = sorted(n for n in _listdir(folder) if n.endswith(ext))
        if kind == "deactivate":
            names.reverse()
        return [os.path.join(folder, n) for n in names]

    def _env_vars(self, prefix: str) -> dict[str, str]:
        return environment_vars(prefix, bool(self.config.get("envvars_force_uppercase", True)))

    # -- PATH --------------------------------------------------------------------------

    def _path(self) -> list[str]:
        value = self.environ.get("PATH", "")
        return value.split(os.pathsep) if value else []

    def _replace_in_path(self, entries: list[str], old: str | None,
                         new: str | None) -> list[str]:
        """``old``'s dirs removed from ``entries`` and ``new``'s put where they were."""
        entries = list(entries)
        at = 0
        if old is not None:
            dirs = self.path_dirs(old)
            hits = [i for i, e in enumerate(entries) if any(_same(e, d) for d in dirs)]
            if hits:
                at = hits[0]
                last = max(i for i in hits if i - at < len(dirs))
                del entries[at:last + 1]
        if new is not None:
            entries[at:at] = self.path_dirs(new)
        return entries

    # -- prompt ------------------------------------------------------------------------

    def _prompt_modifier(self, prefix: str, default_env: str, op: str, stack: bool) -> str:
        """conda's ``env_prompt`` filled in, with ``{stacked_env}`` from the stack."""
        if not self.config.changeps1:
            return ""
        env = self.environ
        old = self.shlvl()
        env_stack: list[str] = []
        prompt_stack: list[str] = []
        for i in range(1, old + 1):
            p = env.get("CONDA_PREFIX", "") if i == old else env.get(f"CONDA_PREFIX_{i}", "")
            name = self.default_env(p)
            env_stack.append(name)
            if not env.get(f"CONDA_STACKED_{i}"):
                prompt_stack = prompt_stack[:-1]
            prompt_stack.append(name)
        if op == "deactivate":
            prompt_stack, env_stack = prompt_stack[:-1], env_stack[:-1]
            if not env.get(f"CONDA_STACKED_{old}") and env_stack:
                prompt_stack.append(env_stack[-1])
        elif op == "activate":
            if not stack:
                prompt_stack = prompt_stack[:-1]
            prompt_stack.append(default_env)
        template = str(self.config.env_prompt)
        try:
            return template.format(default_env=default_env, prefix=prefix,
                                   name=os.path.basename(prefix.rstrip("/\\")),
                                   stacked_env=",".join(reversed(prompt_stack)))
        except (KeyError, IndexError, ValueError):
            return template

    # -- variables ---------------------------------------------------------------------

    def _enter_vars(self, env: dict[str, str], prefix: str, level: int) -> None:
        """Set ``prefix``'s variables at ``level``, saving values they replace."""
        for name, value in self._env_vars(prefix).items():
            if name in env:
                if value != UNSET_MARKER and env[name] != value:
                    print(f"warning: overwriting environment variable {name}", file=sys.stderr)
                env[f"__CONDA_SHLVL_{level - 1}_{name}"] = env[name]
            if value == UNSET_MARKER:
                env.pop(name, None)
            else:
                env[name] = value

    def _leave_vars(self, env: dict[str, str], prefix: str, level: int) -> None:
        """Undo :meth:`_enter_vars` of ``prefix`` at ``level``."""
        for name in self._env_vars(prefix):
            saved = f"__CONDA_SHLVL_{level - 1}_{name}"
            if saved in env:
                env[name] = env.pop(saved)
            else:
                env.pop(name, None)

    def _finish(self, env: dict[str, str], path: list[str] | None, old_modifier: str,
                new_modifier: str) -> Plan:
        env.update(conda_exe_vars())
        plan = Plan()
        if path is not None:
            plan.path = path
        before = self.environ
        plan.unset = [k for k in before if k not in env and k != "PATH"]
        plan.export = {k: v for k, v in sorted(env.items())
                       if k != "PATH" and before.get(k) != v}
        if self.config.changeps1:
            plan.set_vars = self.dialect.update_prompt(before, old_modifier, new_modifier)
        return plan

    # -- operations --------------------------------------------------------------------

    def activate(self, target: str, stack: bool | None = None) -> Plan:
        prefix = locate_prefix(target, self.config)
        old_level, old_prefix = self.shlvl(), self.environ.get("CONDA_PREFIX")
        if old_level > 0 and _same(old_prefix, prefix):
            return self.reactivate()
        if stack is None:
            auto = int(self.config.auto_stack or 0)
            stack = auto > 0 and old_level <= auto
        level = old_level + 1
        env = dict(self.environ)
        deactivate_scripts: list[str] = []
        if old_level == 0 or not old_prefix:
            path = self.path_dirs(prefix) + self._path()
        elif stack:
            path = self.path_dirs(prefix) + self._path()
            env[f"CONDA_PREFIX_{old_level}"] = old_prefix
            env[f"CONDA_STACKED_{level}"] = "true"
        else:
            path = self._replace_in_path(self._path(), old_prefix, prefix)
            env[f"CONDA_PREFIX_{old_level}"] = old_prefix
            deactivate_scripts = self.scripts(old_prefix, "deactivate")
            self._leave_vars(env, old_prefix, old_level)
        default_env = self.default_env(prefix)
        modifier = self._prompt_modifier(prefix, default_env, "activate", stack)
        env.update(CONDA_PREFIX=prefix, CONDA_SHLVL=str(level), CONDA_DEFAULT_ENV=default_env,
                   CONDA_PROMPT_MODIFIER=modifier)
        self._enter_vars(env, prefix, level)
        plan = self._finish(env, path, self.environ.get("CONDA_PROMPT_MODIFIER", ""), modifier)
        plan.deactivate_scripts = deactivate_scripts
        plan.activate_scripts = self.scripts(prefix, "activate")
        return plan

    def deactivate(self) -> Plan:
        old_level, old_prefix = self.shlvl(), self.environ.get("CONDA_PREFIX")
        if old_level < 1 or not old_prefix:
            return Plan()
        level = old_level - 1
        env = dict(self.environ)
        self._leave_vars(env, old_prefix, old_level)
        new_prefix = env.pop(f"CONDA_PREFIX_{level}", None) if level else None
        stacked = env.pop(f"CONDA_STACKED_{old_level}", None) is not None
        activate_scripts: list[str] = []
        modifier = ""
        if new_prefix is None:
            path = self._replace_in_path(self._path(), old_prefix, None)
            for name in ("CONDA_PREFIX", "CONDA_DEFAULT_ENV", "CONDA_PROMPT_MODIFIER"):
                env.pop(name, None)
            env["CONDA_SHLVL"] = str(level)
        else:
            if stacked:
                path = self._replace_in_path(self._path(), old_prefix, None)
            else:
                path = self._replace_in_path(self._path(), old_prefix, new_prefix)
                self._enter_vars(env, new_prefix, level)
                activate_scripts = self.scripts(new_prefix, "activate")
            default_env = self.default_env(new_prefix)
            modifier = self._prompt_modifier(new_prefix, default_env, "deactivate", False)
            env.update(CONDA_PREFIX=new_prefix, CONDA_SHLVL=str(level),
                       CONDA_DEFAULT_ENV=default_env, CONDA_PROMPT_MODIFIER=modifier)
        plan = self._finish(env, path, self.environ.get("CONDA_PROMPT_MODIFIER", ""), modifier)
        plan.deactivate_scripts = self.scripts(old_prefix, "deactivate")
        plan.activate_scripts = activate_scripts
        return plan

    def reactivate(self) -> Plan:
        level, prefix = self.shlvl(), self.environ.get("CONDA_PREFIX")
        if level < 1 or not prefix:
            return Plan()
        env = dict(self.environ)
        self._leave_vars(env, prefix, level)
        self._enter_vars(env, prefix, level)
        default_env = self.environ.get("CONDA_DEFAULT_ENV") or self.default_env(prefix)
        modifier = self._prompt_modifier(prefix, default_env, "reactivate", False)
        env["CONDA_PROMPT_MODIFIER"] = modifier
        path = self._replace_in_path(self._path(), prefix, prefix)
        plan = self._finish(env, path, self.environ.get("CONDA_PROMPT_MODIFIER", ""), modifier)
        plan.deactivate_scripts = self.scripts(prefix, "deactivate")
        plan.activate_scripts = self.scripts(prefix, "activate")
        return plan
