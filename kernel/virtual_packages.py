"""The virtual packages of a run: ask the plugins, apply overrides, hand records to the solver.

Overrides follow conda. A record with an ``override_entity`` takes that field from
``CONDA_OVERRIDE_<NAME>`` (read from ``config.env``), else from the ``virtual_packages:``
condarc map (or conda's ``override_virtual_packages:``). A blank value yields
``empty_override``: :data:`DROP` removes the package, ``None`` keeps it as ``0``. Then
``version_validation`` normalises the version (``None`` means ``0``). Values may be
callables, called only when not overridden. A missing version or build is ``0``.
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from kernel.errors import ConfigurationError
from kernel.types import DROP, CondaVirtualPackage

OVERRIDE_ENV_PREFIX = "CONDA_OVERRIDE_"
CONDARC_KEYS = ("virtual_packages", "override_virtual_packages")
_VALID = {"version": re.compile(r"^[A-Za-z0-9_.+!-]+$"), "build": re.compile(r"^[A-Za-z0-9_.+]+$")}


@attrs.frozen
class VirtualPackage:
    """One ``__name`` package for the solver, with the fields of conda's virtual record."""

    name: str
    version: str
    build: str
    subdir: str
    build_number: int = 0
    channel: str = "@"
    md5: str = "12345678901234567890123456789012"
    package_type: str = "virtual_system"
    depends: tuple[str, ...] = ()
    constrains: tuple[str, ...] = ()

    fn = property(lambda self: self.name)

    def triple(self) -> list[str]:
        """``[name, version, build]``, one entry of ``conda info --json``'s ``virtual_pkgs``."""
        return [self.name, self.version, self.build]

    def to_record(self) -> Any:
        """This package as a :class:`kernel.models.PackageRecord`."""
        from kernel.models import PackageRecord

        return PackageRecord.from_json({**attrs.asdict(self), "fn": self.fn})


def _condarc_text(key: str, value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigurationError(f"{key}: expected a version string, got {value!r}", key=key)
    # ruamel reads YAML 2.10 as a float that remembers its width: keep the zero
    width, dot = getattr(value, "_width", None), getattr(value, "_prec", None)
    if isinstance(width, int) and isinstance(dot, int) and width > dot >= 0 and \
            getattr(value, "_exp", None) is None:
        return f"{value:.{width - dot - 1}f}"
    return str(value)


def _override(name: str, config: Any) -> tuple[str, str] | None:
    """``(value, where it came from)`` for virtual package ``name``, or ``None``."""
    var = f"{OVERRIDE_ENV_PREFIX}{name}".upper()
    if config.env.get(var) is not None:
        return config.env[var], var
    for key in CONDARC_KEYS:
        mapping = config.get(key) or {}
        for spelled in (name, f"__{name}"):
            if mapping.get(spelled) is not None:
                where = f"{key}.{spelled} ({config.origin(key)})"
                return _condarc_text(where, mapping[spelled]), where
    return None


def override_for(name: str, config: Any) -> str | None:
    """The override set for ``name`` (``""`` counts) or ``None``; lets a plugin skip probing."""
    found = _override(name, config)
    return None if found is None else found[0]


def _resolve(package: CondaVirtualPackage, config: Any) -> VirtualPackage | None:
    values: dict[str, Any] = {"version": package.version, "build": package.build}
    source = None
    if package.override_entity:
        found = _override(package.name, config)
        if found is not None:
            value, source = found
            values[package.override_entity] = value.strip() or package.empty_override
    for field, value in values.items():
        values[field] = value() if callable(value) else value
    if values["version"] is DROP or values["build"] is DROP:
        return None
    if package.version_validation is not None and values["version"] is not None:
        values["version"] = package.version_validation(str(values["version"]))
    for field, value in values.items():
        values[field] = "0" if value is None else str(value)
        if source and field == package.override_entity and not _VALID[field].match(
                values[field]):
            raise ConfigurationError(f"{source}: {values[field]!r} is not a valid {field} "
                                     f"for __{package.name}", key=source)
    return VirtualPackage(f"__{package.name}", values["version"], values["build"],
                          str(config.subdir))


def virtual_packages(manager: Any = None, config: Any = None) -> list[VirtualPackage]:
    """Every virtual package for ``config``'s target subdir, overrides applied, by name.

    The manager caches hook results for the run: use one manager per configuration."""
    from kernel import config as config_module
    from kernel.manager import get_plugin_manager

    config = config if config is not None else config_module.get_config()
    previous = config_module._current  # plugins read get_config(): make it ``config``
    manager = manager if manager is not None else get_plugin_manager()
    config_module.set_config(config)
    try:
        declared = manager.hook_results("conda_virtual_packages")
        resolved = (_resolve(package, config) for package in declared)
        return sorted((p for p in resolved if p is not None), key=lambda p: p.name)
    finally:
        config_module.set_config(previous)


def virtual_package_records(manager: Any = None, config: Any = None) -> list[Any]:
    """``PackageRecord`` objects for :class:`SolveRequest`."""
    return [p.to_record() for p in virtual_packages(manager, config)]


def virtual_package_triples(manager: Any = None, config: Any = None) -> list[list[str]]:
    """``[[name, version, build], …]`` for ``conda info --json``'s ``virtual_pkgs``."""
    return [p.triple() for p in virtual_packages(manager, config)]
