"""The records of conda's less used hooks; :mod:`conda.plugins.types` re-exports them."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from conda.plugins.types import CondaPlugin
from plugins.conda_compat.missing import missing_attributes


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


def __getattr__(name: str) -> Any:
    if name == "ChannelAuthBase":  # requests is imported only by plugins that need it
        from requests.auth import AuthBase

        base = type("ChannelAuthBase", (ChannelNameMixin, AuthBase),
                    {"__module__": "conda.plugins.types"})
        globals()["ChannelAuthBase"] = base
        return base
    return _missing(name)


_missing = missing_attributes(__name__)
