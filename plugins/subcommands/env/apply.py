"""Putting a parsed environment into a prefix: conda packages, then pip, then variables.

Used by ``conda env create``, ``conda env update`` and ``conda create --file``. The conda
part is one :class:`~plugins.environment.install_flow.Change` (requested specs, or the
``@EXPLICIT`` URLs) through the shared install flow. The file's channels come after ``-c``
and before the configured ones; ``nodefaults`` among them drops the configured channels.
``pip:`` dependencies are then installed by the environment's own ``python -m pip install
-U -r <file> --exists-action=b``, run from the environment file's folder so relative paths
(``-e .``, ``-r other.txt``) work; ``variables:`` go to ``conda-meta/state``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from typing import Any

from kernel.errors import ArgumentError, CondaError

INSTALLERS = ("pip",)


class PipInstallError(CondaError):
    """pip could not be run in the environment, or failed."""


def check_installers(env: Any) -> None:
    """Refuse, before anything is installed, dependency sections nobody can install."""
    for key, entries in (getattr(env, "external_packages", None) or {}).items():
        if entries and key not in INSTALLERS:
            where = getattr(env, "filename", None) or "the environment file"
            raise CondaError(f"{where}: no installer for '{key}:' dependencies (supported: "
                             f"{', '.join(INSTALLERS)})", installer=key)


def target_prefix(args: Any, env: Any, config: Any, *, creating: bool) -> str:
    """``-n``/``-p``, else the file's ``name:``, else its ``prefix:``."""
    from plugins.environment.resolve_prefix import resolve_prefix

    if not getattr(args, "name", None) and not getattr(args, "prefix", None):
        if getattr(env, "name", None):
            args.name = str(env.name)
        elif getattr(env, "prefix", None):
            args.prefix = str(env.prefix)
        else:
            raise ArgumentError("the environment file has no 'name:' or 'prefix:'; pass "
                                "-n NAME or -p PATH")
    return resolve_prefix(args, config, creating=creating, must_exist=False)


def build_change(env: Any, prefix: str, args: Any, *, command: str, creating: bool,
                 extra_specs: Sequence[str] = ()) -> Any:
    from plugins.environment.install_flow import Change, parse_specs

    channels = [str(c) for c in getattr(env, "channels", None) or () if c != "nodefaults"]
    override = bool(getattr(args, "override_channels", False)) or "nodefaults" in (
        getattr(env, "channels", None) or ())
    requested = [str(s) for s in getattr(env, "requested_packages", None) or ()]
    named = {s.name for s in parse_specs(requested)}
    extra = [s for s in parse_specs(list(extra_specs)) if s.name not in named]
    return Change(command=command, prefix=prefix,
                  specs_to_add=[*parse_specs(requested), *extra],
                  explicit_urls=explicit_urls(env),
                  channels=list(dict.fromkeys([*(getattr(args, "channel", None) or ()),
                                               *channels])),
                  override_channels=override, creating=creating,
                  update_modifier=getattr(args, "update_modifier", None),
                  deps_modifier=getattr(args, "deps_modifier", None))


def environment_python(prefix: str) -> str | None:
    names = ("python.exe",) if sys.platform == "win32" else ("bin/python", "bin/python3")
    for name in names:
        path = os.path.join(prefix, name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def pip_install(prefix: str, requirements: Sequence[str], workdir: str) -> str:
    """Run the environment's pip on ``requirements``; returns pip's output."""
    python = environment_python(prefix)
    if python is None:
        raise PipInstallError(f"cannot install the pip dependencies: the environment at "
                              f"{prefix} has no python (add python and pip to the conda "
                              f"dependencies)", prefix=prefix)
    folder = workdir if os.access(workdir, os.W_OK) else None
    fd, req_file = tempfile.mkstemp(prefix="condaenv.", suffix=".requirements.txt",
                                    dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write("".join(f"{line}\n" for line in requirements))
        command = [python, "-m", "pip", "install", "-U", "-r", req_file,
                   "--exists-action=b"]
        try:
            proc = subprocess.run(command, cwd=workdir, capture_output=True, text=True,
                                  check=False)
        except OSError as exc:
            raise PipInstallError(f"cannot run {python}: {exc.strerror or exc}") from None
    finally:
        os.unlink(req_file)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        last = next((line for line in reversed(proc.stderr.splitlines()) if line.strip()),
                    "no output")
        raise PipInstallError(f"pip failed (exit code {proc.returncode}) installing the "
                              f"pip dependencies into {prefix}: {last.strip()}",
                              prefix=prefix, returncode=proc.returncode)
    return proc.stdout


def finish(env: Any, prefix: str) -> None:
    """pip dependencies and variables, after the conda packages are in place."""
    from kernel import reporting
    from kernel.config import get_config
    from plugins.subcommands.env.state import set_env_vars

    config = get_config()
    pip_deps = list((getattr(env, "external_packages", None) or {}).get("pip") or ())
    if pip_deps:
        filename = getattr(env, "filename", None)
        workdir = os.path.dirname(os.path.abspath(filename)) if filename else os.getcwd()
        if not config.json:
            reporting.render("Installing pip dependencies: ...working...\n")
        output = pip_install(prefix, pip_deps, workdir)
        if config.json:
            sys.stderr.write(output)
        elif not config.quiet:
            reporting.render(output + "done\n")
    variables = dict(getattr(env, "variables", None) or {})
    if variables:
        set_env_vars(prefix, variables)


def activate_message(prefix: str, name: str | None) -> str:
    return ("#\n# To activate this environment, use\n#\n"
            f"#     $ conda activate {name or prefix}\n#\n"
            "# To deactivate an active environment, use\n#\n#     $ conda deactivate\n\n")


def install_environment(env: Any, prefix: str, args: Any, *, command: str, creating: bool,
                        extra_specs: Sequence[str] = (), prune: bool = False) -> int:
    """The conda packages, then :func:`finish`; returns the exit code."""
    from kernel.config import get_config
    from plugins.environment.install_flow import run_change

    check_installers(env)
    change = build_change(env, prefix, args, command=command, creating=creating,
                          extra_specs=extra_specs)
    change.prune = prune
    # conda's env update solves frozen first, then with update_specs
    change.freeze_first = command == "update"
    code = run_change(change)
    if code != 0 or get_config().dry_run:
        return code
    finish(env, prefix)
    return 0


def files_into_args(args: Any) -> Any:
    """For ``conda create --file``: read each file through the specifier plugins, move its
    specs and channels into ``args`` and return the merged environment (``None`` when no
    file was read that way). Files no specifier claims stay in ``args.file`` for the
    install flow's plain spec-file reader."""
    from plugins.env_files.model import Environment
    from plugins.subcommands.env.files import (
        EnvironmentSpecPluginNotDetected,
        read_environment,
    )

    merged: Any = None
    remaining = []
    for filename in getattr(args, "file", None) or ():
        try:
            env = read_environment(filename)
        except EnvironmentSpecPluginNotDetected:
            remaining.append(filename)
            continue
        merged = merged or Environment(filename=getattr(env, "filename", None) or filename)
        merged.requested_packages += [str(s) for s in env.requested_packages or ()]
        merged.explicit_packages += [dict(r) for r in env.explicit_packages or ()]
        merged.channels += [str(c) for c in env.channels or () if c not in merged.channels]
        for key, entries in (env.external_packages or {}).items():
            merged.external_packages.setdefault(key, []).extend(entries)
        merged.variables.update(env.variables or {})
    if merged is not None:
        check_installers(merged)
        args.file = remaining
        args.packages = [*args.packages, *merged.requested_packages]
        args.channel = list(dict.fromkeys([*args.channel, *(
            c for c in merged.channels if c != "nodefaults")]))
        args.override_channels = args.override_channels or "nodefaults" in merged.channels
    return merged


def explicit_urls(env: Any) -> list[str]:
    from plugins.env_files.model import url_line

    return [url_line(dict(r)) for r in getattr(env, "explicit_packages", None) or ()]
