"""Small fake plugins the kernel tests register into a fresh manager."""

from __future__ import annotations

import json
from typing import Any

from kernel import hookimpl
from kernel.types import CondaReporterBackend, CondaSubcommand, ReporterRendererBase


class PlainRenderer(ReporterRendererBase):
    def render(self, data: Any, **kwargs: Any) -> str:
        return f"{data}\n"


class JsonRenderer(ReporterRendererBase):
    def render(self, data: Any, **kwargs: Any) -> str:
        return json.dumps(data, sort_keys=True) + "\n"


class Reporters:
    """A console and a json backend, enough for commands to report."""

    @hookimpl
    def conda_reporter_backends(self):
        yield CondaReporterBackend(name="console", description="plain", renderer=PlainRenderer)
        yield CondaReporterBackend(name="json", description="json", renderer=JsonRenderer)


class Echo:
    """``conda echo [WORDS…]`` renders its words; ``conda raw …`` gets raw arguments."""

    def __init__(self) -> None:
        self.seen: list[Any] = []

    def _echo(self, args: Any) -> int:
        from kernel import reporting

        self.seen.append(args)
        reporting.render({"words": args.words})
        return 0

    def _raw(self, args: list[str]) -> int:
        self.seen.append(args)
        return 3 if "--fail" in args else 0

    @hookimpl
    def conda_subcommands(self):
        yield CondaSubcommand(name="echo", summary="Echo words.", action=self._echo,
                              aliases=("say",),
                              configure_parser=lambda p: p.add_argument("words", nargs="*"))
        yield CondaSubcommand(name="raw", summary="Raw arguments.", action=self._raw)
