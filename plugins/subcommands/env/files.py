"""Reaching the environment-file plugins: only through the kernel's hooks.

:func:`read_environment` asks every ``conda_environment_specifiers`` record (or the one
named by ``--env-spec``) whether it can handle a file and reads it with the first that
can (first the one whose ``default_filenames`` pattern, if it declares any, matches the
file's name, as conda does); :func:`pick_exporter` finds a ``conda_environment_exporters``
record by name or alias, or by one of its ``default_filenames`` (patterns such as
``*.cdx.json``).
"""

from __future__ import annotations

import fnmatch
import os
from typing import Any

from kernel.errors import CondaError


class EnvironmentSpecPluginNotDetected(CondaError):
    """No environment specifier plugin can read the file."""


class EnvironmentExporterNotDetected(CondaError):
    """No environment exporter matches the format or file name."""


def _manager() -> Any:
    from kernel.manager import get_plugin_manager

    return get_plugin_manager()


def read_environment(filename: str, spec_name: str | None = None) -> Any:
    """The parsed environment of ``filename`` (an object with conda's ``Environment``
    attributes); every failure is one :class:`CondaError` line naming the file."""
    from kernel.errors import NoProviderError

    manager = _manager()
    path = os.path.expanduser(filename)
    if not os.path.exists(path):
        from plugins.env_files.model import EnvironmentFileNotFound

        raise EnvironmentFileNotFound(filename)
    if spec_name:
        record = manager.find("conda_environment_specifiers", spec_name,
                              what="environment specifier")
        return record.environment_spec(path).env
    records = manager.hook_results("conda_environment_specifiers")
    base = os.path.basename(path)
    named = [r for r in records if any(fnmatch.fnmatch(base, pattern)
                                       for pattern in getattr(r, "default_filenames", ()))]
    if len(named) == 1:  # conda looks at the file name first (e.g. conda-lock.yml)
        spec = named[0].environment_spec(path)
        if spec.can_handle():
            return spec.env
    for record in records:
        spec = record.environment_spec(path)
        if spec.can_handle():
            return spec.env
    names = ", ".join(sorted(r.name for r in records))
    if not records:
        raise NoProviderError(f"cannot read {filename}: no environment specifier plugin is "
                              f"installed", filename=filename)
    raise EnvironmentSpecPluginNotDetected(
        f"{filename}: no environment specifier can read this file (tried: {names}); name "
        f"one with --env-spec", filename=filename)


def exporters() -> list[Any]:
    return list(_manager().hook_results("conda_environment_exporters"))


def pick_exporter(fmt: str | None, filename: str | None, default: str) -> Any:
    """The exporter for ``--format`` (name or alias), else the one whose default file name
    is ``filename``'s, else ``default``."""
    records = exporters()
    available = ", ".join(sorted(r.name for r in records)) or "none"
    if fmt:
        wanted = fmt.strip().lower()
        for record in records:
            if wanted == record.name or wanted in record.aliases:
                return record
        raise EnvironmentExporterNotDetected(
            f"unknown export format '{fmt}' (available: {available})", format=fmt)
    if filename:
        base = os.path.basename(filename).lower()
        for record in records:
            if any(fnmatch.fnmatch(base, n.lower()) for n in record.default_filenames):
                return record
        for record in records:  # conda infers by extension too: env.yaml, my.json
            ext = os.path.splitext(base)[1]
            if ext and any(os.path.splitext(n)[1].lower() == ext and ext != ".txt"
                           for n in record.default_filenames):
                return record
        raise EnvironmentExporterNotDetected(
            f"cannot tell the export format from the file name '{filename}'; pass "
            f"--format (available: {available})", filename=filename)
    for record in records:
        if default == record.name or default in record.aliases:
            return record
    raise EnvironmentExporterNotDetected(
        f"no environment exporter named '{default}' is installed (available: {available})",
        format=default)
