"""A third party's plugin: one subcommand, a virtual package, pre/post commands, a reporter
backend and a setting, all added without touching microconda's kernel.

Built like the ``hello`` example of docs/plugins.md, but every name is its own
(``fixture-greet``, ``fixture_vp``, ``fixture-shout``, ``fixture_greeting``), so the suite
still passes when a developer has that example, or any plugin, installed beside it."""

from __future__ import annotations

import json
import sys
from typing import Any

from kernel import hookimpl
from kernel.parameters import PrimitiveParameter
from kernel.types import (
    CondaPostCommand,
    CondaPreCommand,
    CondaReporterBackend,
    CondaSetting,
    CondaSubcommand,
    CondaVirtualPackage,
    ReporterRendererBase,
)


def _configure(parser: Any) -> None:
    parser.add_argument("who", nargs="?", default="world")


def _greet(args: Any) -> int:
    from kernel import reporting
    from kernel.config import get_config

    greeting = get_config().plugins.fixture_greeting
    reporting.render({"greeting": f"{greeting}, {args.who}!"})
    return 0


class Shout(ReporterRendererBase):
    def render(self, data: Any, **kwargs: Any) -> str:
        return json.dumps(data, sort_keys=True).upper() + "\n"


@hookimpl
def conda_subcommands():
    yield CondaSubcommand(name="fixture-greet", summary="Greet someone.", action=_greet,
                          configure_parser=_configure)


@hookimpl
def conda_virtual_packages():
    yield CondaVirtualPackage(name="fixture_vp", version="1.0", build="0")


@hookimpl
def conda_pre_commands():
    yield CondaPreCommand(name="fixture-pre", run_for={"fixture-greet"},
                          action=lambda cmd: print(f"pre:{cmd}", file=sys.stderr))


@hookimpl
def conda_post_commands():
    yield CondaPostCommand(name="fixture-post", run_for={"fixture-greet"},
                           action=lambda cmd: print(f"post:{cmd}", file=sys.stderr))


@hookimpl
def conda_reporter_backends():
    yield CondaReporterBackend(name="fixture-shout", description="Upper-case JSON.", renderer=Shout)


@hookimpl
def conda_settings():
    yield CondaSetting(name="fixture_greeting", description="What fixture-greet says.",
                       parameter=PrimitiveParameter("hello", str))
