"""``conda.plugins.types``: conda 26.x's plugin records, same names, fields and defaults.

A conda-API plugin builds these; :mod:`plugins.conda_compat.convert` turns each into
microconda's record when the hook runs, adapting call conventions where they differ.
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from conda.auxlib import NULL
from plugins.conda_compat.missing import missing_attributes

__all__ = [  # noqa: F822  (ChannelAuthBase is built on first use, see __getattr__)
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
class CondaSolver(CondaPlugin):
    backend: type


@dataclass
class CondaPreCommand(CondaPlugin):
    action: Callable[[str], None]
    run_for: set[str]


@dataclass
class CondaPostCommand(CondaPlugin):
    action: Callable[[str], None]
    run_for: set[str]


class ChannelNameMixin:
    def __init__(self, channel_name: str, *args: Any, **kwargs: Any):
        self.channel_name = channel_name
        super().__init__(*args, **kwargs)


def __getattr__(name: str) -> Any:
    if name == "ChannelAuthBase":  # requests is imported only by plugins that need it
        from requests.auth import AuthBase

        base = type("ChannelAuthBase", (ChannelNameMixin, AuthBase), {"__module__": __name__})
        globals()["ChannelAuthBase"] = base
        return base
    return _missing(name)


_missing = missing_attributes(__name__)


@dataclass
class CondaAuthHandler(CondaPlugin):
    handler: type


@dataclass
class CondaHealthCheck(CondaPlugin):
    action: Callable[[str, bool], None]
    fixer: Callable[..., int] | None = None
    summary: str | None = None
    fix: str | None = None


@dataclass
class CondaPreSolve(CondaPlugin):
    action: Callable[[frozenset[Any], frozenset[Any]], None]


@dataclass
class CondaPostSolve(CondaPlugin):
    action: Callable[[str, tuple[Any, ...], tuple[Any, ...]], None]


@dataclass
class CondaSetting(CondaPlugin):
    description: str
    parameter: Any
    aliases: tuple[str, ...] = tuple()


class ReporterRendererBase(ABC):
    def render(self, data: Any, **kwargs: Any) -> str:
        return str(data)

    @abstractmethod
    def detail_view(self, data: dict[str, Any], **kwargs: Any) -> str: ...

    @abstractmethod
    def envs_list(self, data: Any, **kwargs: Any) -> str: ...


@dataclass
class CondaReporterBackend(CondaPlugin):
    description: str
    renderer: type


@dataclass
class CondaRequestHeader(CondaPlugin):
    value: str


@dataclass(frozen=True)
class CondaErrorHint:
    text: str
    hint_code: str


@dataclass
class CondaPreTransactionAction(CondaPlugin):
    action: type


@dataclass
class CondaPostTransactionAction(CondaPlugin):
    action: type


@dataclass
class CondaPrefixDataLoader(CondaPlugin):
    loader: Callable[..., Any]


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


@dataclass
class CondaPackageExtractor(CondaPlugin):
    extensions: list[str]
    extract: Callable[[Any, Any], None]


@dataclass(frozen=True)
class CondaExceptionEvent:
    exc_type: type[BaseException]
    exc_value: BaseException
    exc_traceback: Any
    argv: tuple[str, ...] | None = None
    conda_version: str | None = None
    return_code: int | None = None
    active_prefix: str | None = None
    target_prefix: str | None = None
    channels: tuple[str, ...] | None = None
    subdir: str | None = None
    offline: bool | None = None
    dry_run: bool | None = None
    quiet: bool | None = None
    json: bool | None = None


@dataclass
class CondaExceptionObserver(CondaPlugin):
    hook: Callable[[CondaExceptionEvent], None]
    watch_for: set[str]
