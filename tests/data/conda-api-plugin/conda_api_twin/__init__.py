"""A plugin for conda, written only against ``conda.plugins`` and the conda modules.

It is the conda-API twin of ``tests/data/thirdparty-plugin``: one record of every hook
type, each leaving a visible trace, so the test suite can check that microconda's conda
compatibility layer gives every record the meaning it has in conda.
"""

from __future__ import annotations

import json
import os
import sys

from conda import plugins
from conda.base.context import context
from conda.common.configuration import PrimitiveParameter
from conda.exceptions import CondaError
from conda.plugins.types import (
    CondaAuthHandler,
    CondaEnvironmentExporter,
    CondaEnvironmentSpecifier,
    CondaErrorHint,
    CondaExceptionObserver,
    CondaHealthCheck,
    CondaPackageExtractor,
    CondaPostCommand,
    CondaPostSolve,
    CondaPostTransactionAction,
    CondaPreCommand,
    CondaPrefixDataLoader,
    CondaPreSolve,
    CondaPreTransactionAction,
    CondaReporterBackend,
    CondaRequestHeader,
    CondaSetting,
    CondaSolver,
    CondaSubcommand,
    CondaVirtualPackage,
    EnvironmentFormat,
    EnvironmentSpecBase,
    ReporterRendererBase,
)


class TwinError(CondaError):
    """What ``conda twin --fail`` raises."""


def _configure(parser):
    parser.add_argument("who", nargs="?", default="world")
    parser.add_argument("--fail", action="store_true")


def _twin(args):
    if args.fail:
        raise TwinError("the twin was asked to fail")
    from conda.reporters import get_spinner

    with get_spinner("greeting"):
        pass
    print(json.dumps({"greeting": f"{context.plugins.twin_greeting}, {args.who}!",
                      "json": bool(context.json)}))
    return 0


class Shout(ReporterRendererBase):
    def render(self, data, **kwargs):
        return json.dumps(data, sort_keys=True).upper() + "\n"

    def detail_view(self, data, **kwargs):
        return "".join(f"{k.upper()}={v}\n" for k, v in data.items())

    def envs_list(self, data, **kwargs):
        return "".join(f"ENV {p}\n" for p in data)


class TwinSpec(EnvironmentSpecBase):
    """Reads ``*.twin`` (and ``twin.yml``) files: ``name`` then one package spec per line."""

    def __init__(self, filename=None, **kwargs):
        self.filename = filename

    def can_handle(self):
        name = os.path.basename(str(self.filename or ""))
        return name.endswith(".twin") or name == "twin.yml"

    @property
    def env(self):
        from conda.models.environment import Environment
        from conda.models.match_spec import MatchSpec

        with open(self.filename) as f:
            lines = [line.strip() for line in f if line.strip()]
        return Environment(platform=context.subdir, name=lines[0],
                           requested_packages=[MatchSpec(s) for s in lines[1:]])


def _export(environment):
    names = sorted(record.name for record in environment.explicit_packages)
    return f"twin {environment.platform} {' '.join(names)}\n"


class TwinAction:
    """conda's ``Action`` protocol: built with the transaction's facts, verified, run."""

    def __init__(self, transaction_context=None, target_prefix=None, unlink_precs=None,
                 link_precs=None, remove_specs=None, update_specs=None, neutered_specs=None):
        self.target_prefix = target_prefix
        self.link_precs = link_precs

    def verify(self):
        self._verified = True

    def execute(self):
        print(f"twin-action:{os.path.basename(self.target_prefix)}:"
              f"{len(list(self.link_precs or ()))}", file=sys.stderr)

    def reverse(self):
        pass

    def cleanup(self):
        pass


class TwinSolver:
    """A conda ``Solver`` subclass would go here; microconda cannot drive one."""


def _auth_handler():
    from conda.plugins.types import ChannelAuthBase

    class TwinAuth(ChannelAuthBase):
        def __call__(self, request):
            request.headers["X-Twin-Auth"] = self.channel_name
            return request
    return TwinAuth


def _health(prefix, verbose):
    print(f"twin check of {os.path.basename(prefix)}")


@plugins.hookimpl
def conda_subcommands():
    yield CondaSubcommand(name="twin", summary="Greet, the conda way.", action=_twin,
                          configure_parser=_configure)


@plugins.hookimpl
def conda_virtual_packages():
    yield CondaVirtualPackage(name="twin", version="2.0", build="0")


@plugins.hookimpl
def conda_solvers():
    yield CondaSolver(name="twin-solver", backend=TwinSolver)


@plugins.hookimpl
def conda_pre_commands():
    yield CondaPreCommand(name="twin-pre", run_for={"twin"},
                          action=lambda command: print(f"pre:{command}", file=sys.stderr))


@plugins.hookimpl
def conda_post_commands():
    yield CondaPostCommand(name="twin-post", run_for={"twin"},
                           action=lambda command: print(f"post:{command}", file=sys.stderr))


@plugins.hookimpl
def conda_auth_handlers():
    yield CondaAuthHandler(name="twin-auth", handler=_auth_handler())


@plugins.hookimpl
def conda_health_checks():
    yield CondaHealthCheck(name="twin-check", action=_health, summary="Says hello.")


@plugins.hookimpl
def conda_pre_solves():
    yield CondaPreSolve(name="twin-pre-solve", action=lambda add, remove: print(
        f"pre-solve:{','.join(sorted(s.name for s in add))}", file=sys.stderr))


@plugins.hookimpl
def conda_post_solves():
    yield CondaPostSolve(name="twin-post-solve", action=lambda fn, unlink, link: print(
        f"post-solve:{','.join(sorted(r.name for r in link))}", file=sys.stderr))


@plugins.hookimpl
def conda_settings():
    yield CondaSetting(name="twin_greeting", description="What twin says.",
                       parameter=PrimitiveParameter("hello", element_type=str))


@plugins.hookimpl
def conda_reporter_backends():
    yield CondaReporterBackend(name="twin-shout", description="Upper-case JSON.",
                               renderer=Shout)


@plugins.hookimpl
def conda_session_headers(host):
    yield CondaRequestHeader(name="X-Twin-Session", value=host)


@plugins.hookimpl
def conda_request_headers(host, path):
    yield CondaRequestHeader(name="X-Twin-Request", value=path)


@plugins.hookimpl
def conda_error_hints(error):
    if isinstance(error, TwinError):
        yield CondaErrorHint(text="ask the twin nicely", hint_code="twin_nicely")


@plugins.hookimpl
def conda_prefix_data_loaders():
    yield CondaPrefixDataLoader(name="twin-loader", loader=lambda prefix, records: records)


@plugins.hookimpl
def conda_environment_specifiers():
    yield CondaEnvironmentSpecifier(name="twin-file", environment_spec=TwinSpec,
                                    default_filenames=("*.twin", "twin.yml"),
                                    environment_format=EnvironmentFormat.environment)


@plugins.hookimpl
def conda_environment_exporters():
    yield CondaEnvironmentExporter(name="twin-format", aliases=("twin",),
                                   default_filenames=("*.twin.json",), export=_export)


@plugins.hookimpl
def conda_package_extractors():
    yield CondaPackageExtractor(name="twin-extractor", extensions=[".twin-pkg"],
                                extract=lambda source, destination: None)


@plugins.hookimpl
def conda_pre_transaction_actions():
    yield CondaPreTransactionAction(name="twin-pre-transaction", action=TwinAction)


@plugins.hookimpl
def conda_post_transaction_actions():
    yield CondaPostTransactionAction(name="twin-post-transaction", action=TwinAction)


@plugins.hookimpl
def conda_exception_observers():
    yield CondaExceptionObserver(
        name="twin-observer", watch_for={"CondaError"},
        hook=lambda event: print(f"observed:{event.exc_type.__name__}:{event.return_code}",
                                 file=sys.stderr))
