"""A third party's plugin: one subcommand, a virtual package, pre/post commands, a reporter
backend and a setting, all added without touching microconda's kernel."""

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


def _hello(args: Any) -> int:
    from kernel import reporting
    from kernel.config import get_config

    greeting = get_config().plugins.greeting
    reporting.render({"greeting": f"{greeting}, {args.who}!"})
    return 0


class Shout(ReporterRendererBase):
    def render(self, data: Any, **kwargs: Any) -> str:
        return json.dumps(data, sort_keys=True).upper() + "\n"


@hookimpl
def conda_subcommands():
    yield CondaSubcommand(name="hello", summary="Greet someone.", action=_hello,
                          configure_parser=_configure)


@hookimpl
def conda_virtual_packages():
    yield CondaVirtualPackage(name="hello_vp", version="1.0", build="0")


@hookimpl
def conda_pre_commands():
    yield CondaPreCommand(name="hello-pre", run_for={"hello"},
                          action=lambda cmd: print(f"pre:{cmd}", file=sys.stderr))


@hookimpl
def conda_post_commands():
    yield CondaPostCommand(name="hello-post", run_for={"hello"},
                           action=lambda cmd: print(f"post:{cmd}", file=sys.stderr))


@hookimpl
def conda_reporter_backends():
    yield CondaReporterBackend(name="shout", description="Upper-case JSON.", renderer=Shout)


@hookimpl
def conda_settings():
    yield CondaSetting(name="greeting", description="What hello says.",
                       parameter=PrimitiveParameter("hello", str))
