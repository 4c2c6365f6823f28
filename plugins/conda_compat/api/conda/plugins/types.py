"""``conda.plugins.types``: conda 26.x's plugin records, same names, fields and defaults.

A conda-API plugin builds these; :mod:`plugins.conda_compat.convert` turns each into
microconda's record when the hook runs, adapting call conventions where they differ.
Building a dataclass costs a fraction of a millisecond, so the records most plugins use are
defined here and the rest in :mod:`conda.plugins._rare_types`, imported on first use.
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from conda.auxlib import NULL
from plugins.conda_compat.missing import missing_attributes

__all__ = [  # noqa: F822  (the rare records are defined on first use, see __getattr__)
    "ChannelAuthBase", "ChannelNameMixin", "CondaAuthHandler", "CondaEnvironmentExporter",
    "CondaEnvironmentSpecifier", "CondaErrorHint", "CondaExceptionEvent",
    "CondaExceptionObserver", "CondaHealthCheck", "CondaPackageExtractor", "CondaPlugin",
    "CondaPostCommand", "CondaPostSolve", "CondaPostTransactionAction", "CondaPreCommand",
    "CondaPreSolve", "CondaPreTransactionAction", "CondaPrefixDataLoader",
    "CondaReporterBackend", "CondaRequestHeader", "CondaSetting", "CondaSolver",
    "CondaSubcommand", "CondaVirtualPackage", "EnvironmentFormat", "EnvironmentSpecBase",
    "ReporterRendererBase",
]

@dataclass
class CondaPlugin:
    name: str

    def __post_init__(self) -> None:
        from conda.exceptions import PluginError

        if not isinstance(self.name, str):
            raise PluginError(f"Invalid plugin name for {self!r}")
        self.name = self.name.lower().strip()


@dataclass
class CondaSubcommand(CondaPlugin):
    summary: str
    action: Callable[..., int | None]
    aliases: tuple[str, ...] = field(default_factory=tuple)
    configure_parser: Callable[..., None] | None = field(default=None)


@dataclass
class CondaVirtualPackage(CondaPlugin):
    version: Any
    build: Any
    override_entity: str | None = None
    empty_override: Any = NULL
    version_validation: Callable[[str], str | None] | None = None


@dataclass
class CondaSetting(CondaPlugin):
    description: str
    parameter: Any
    aliases: tuple[str, ...] = tuple()


class EnvironmentSpecBase(ABC):
    detection_supported: ClassVar[bool] = True

    @abstractmethod
    def can_handle(self) -> bool: ...

    @property
    @abstractmethod
    def env(self) -> Any: ...

    @property
    def available_platforms(self) -> tuple[str, ...]:
        from conda.base.context import context

        return (context.subdir,)

    def env_for(self, platform: str) -> Any:
        if platform not in self.available_platforms:
            raise ValueError(f"Platform {platform!r} not available in this spec. Available "
                             f"platforms: {', '.join(self.available_platforms)}")
        return self.env


class EnvironmentFormat(enum.Enum):
    lockfile = "lockfile"
    environment = "environment"


@dataclass
class CondaEnvironmentSpecifier(CondaPlugin):
    environment_spec: type[EnvironmentSpecBase]
    default_filenames: tuple[str, ...] = field(default_factory=tuple)
    aliases: tuple[str, ...] = field(default_factory=tuple)
    description: str | None = field(default=None)
    environment_format: EnvironmentFormat = field(default=EnvironmentFormat.environment)


@dataclass
class CondaEnvironmentExporter(CondaPlugin):
    aliases: tuple[str, ...]
    default_filenames: tuple[str, ...]
    export: Callable[[Any], str] | None = None
    multiplatform_export: Callable[[Any], str] | None = None
    description: str | None = field(default=None)
    environment_format: EnvironmentFormat = field(default=EnvironmentFormat.environment)

    def __post_init__(self) -> None:
        super().__post_init__()
        from conda.exceptions import PluginError

        if (self.export is None) == (self.multiplatform_export is None):
            raise PluginError(f"Exactly one of export or multiplatform_export must be set "
                              f"for exporter {self.name!r}")

_COMMON = {"CondaPlugin", "CondaSubcommand", "CondaVirtualPackage", "CondaSetting",
           "EnvironmentSpecBase", "EnvironmentFormat", "CondaEnvironmentSpecifier",
           "CondaEnvironmentExporter"}


def __getattr__(name: str) -> Any:
    if name in __all__ and name not in _COMMON:
        from conda.plugins import _rare_types

        value = getattr(_rare_types, name)
        globals()[name] = value
        return value
    return _missing(name)


_missing = missing_attributes(__name__)
