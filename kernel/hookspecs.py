"""The hooks a plugin can implement: the whole contract, one docstring each.

Every hook is a generator of records from :mod:`kernel.types`; implement it with
``@hookimpl`` and ``yield`` one or more records. Rules common to all hooks:

* **When**: hooks are called lazily, the first time the kernel needs that kind of plugin
  in a run, and their results are cached for the rest of the run.
* **Names**: within one hook a name (and every alias) is unique across all plugins; a clash
  is a :class:`kernel.errors.PluginError` naming both providers with distribution and
  version, and the command stops.
* **Raising**: an exception raised while a hook is being called becomes a
  :class:`kernel.errors.PluginError` naming the plugin and its distribution; the command
  stops with that one line (``--debug`` shows the traceback). Exceptions raised later by
  the *callables* inside a record are handled where the hook's docstring says.
* **Imports**: module top level declares records only; import heavy libraries (requests,
  rich, pycosat, …) inside the callables so start-up stays fast.

This module is the source of ``docs/hooks.md``; a test fails when the two disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pluggy

from kernel import PROJECT_NAME

if TYPE_CHECKING:  # annotations only: the record classes load with the plugins using them
    from kernel.types import (
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
    )


hookspec = pluggy.HookspecMarker(PROJECT_NAME)


class CondaSpecs:
    """The hookspec namespace registered on every plugin manager."""

    @hookspec
    def conda_subcommands(self) -> Iterable[CondaSubcommand]:
        """Register ``conda <name>`` commands.

        **Called** once per run, when the CLI builds its parser (not for ``--version``).

        **Yields** :class:`~kernel.types.CondaSubcommand` records. With
        ``configure_parser(parser)`` the action receives the parsed ``argparse.Namespace``;
        without it the action receives the list of raw arguments after the command name.
        The action returns an exit code (``None`` = 0).

        **Raises**: a :class:`~kernel.errors.CondaError` from the action is printed as one
        line (a JSON error object with ``--json``) and sets the exit code; any other
        exception is reported as a bug in the plugin that provides the command.

        Example::

            from kernel import hookimpl
            from kernel.types import CondaSubcommand

            def hello(args):
                print(f"hello {args.who}")

            def configure(parser):
                parser.add_argument("who", nargs="?", default="world")

            @hookimpl
            def conda_subcommands():
                yield CondaSubcommand(name="hello", summary="Say hello.", action=hello,
                                      configure_parser=configure)
        """

    @hookspec
    def conda_pre_commands(self) -> Iterable[CondaPreCommand]:
        """Run code before commands.

        **Called** after argument parsing, before the command's action.

        **Yields** :class:`~kernel.types.CondaPreCommand` records; ``action(command_name)``
        runs for each command in ``run_for``. An exception from the action aborts the
        command with that error (a :class:`~kernel.errors.CondaError` keeps its message).

        Example::

            @hookimpl
            def conda_pre_commands():
                yield CondaPreCommand(name="audit", action=lambda cmd: print("before", cmd),
                                      run_for={"install", "create"})
        """

    @hookspec
    def conda_post_commands(self) -> Iterable[CondaPostCommand]:
        """Run code after commands succeed.

        **Called** after the command's action returned exit code 0.

        **Yields** :class:`~kernel.types.CondaPostCommand` records; ``action(command_name)``
        runs for each command in ``run_for``. An exception from the action becomes the
        command's error and exit code.

        Example::

            @hookimpl
            def conda_post_commands():
                yield CondaPostCommand(name="audit", action=lambda cmd: print("after", cmd),
                                       run_for={"install"})
        """

    @hookspec
    def conda_solvers(self) -> Iterable[CondaSolver]:
        """Register solvers.

        **Called** when a command needs to solve; the ``solver`` setting (``--solver``)
        picks one by name or alias.

        **Yields** :class:`~kernel.types.CondaSolver` records. ``backend(request)`` gets a
        :class:`~kernel.types.SolveRequest` and returns a :class:`~kernel.types.SolveResult`,
        or raises :class:`~kernel.errors.UnsatisfiableError` (with an explanation) or
        :class:`~kernel.errors.PackagesNotFoundError`; other exceptions are reported as a
        bug in that solver.

        Example::

            @hookimpl
            def conda_solvers():
                yield CondaSolver(name="mine", backend=my_solve, aliases=("experimental",))
        """

    @hookspec
    def conda_pre_solves(self) -> Iterable[CondaPreSolve]:
        """Run code before every solve.

        **Called** right before the solver backend, with the specs to add and to remove.

        **Yields** :class:`~kernel.types.CondaPreSolve`; ``action(specs_to_add,
        specs_to_remove)`` may raise a :class:`~kernel.errors.CondaError` to refuse the
        solve, which stops the command with that message.

        Example::

            @hookimpl
            def conda_pre_solves():
                yield CondaPreSolve(name="log", action=lambda add, rm: print(sorted(map(str, add))))
        """

    @hookspec
    def conda_post_solves(self) -> Iterable[CondaPostSolve]:
        """Run code after every successful solve.

        **Called** with the repodata file name and the records to unlink and to link,
        before anything is downloaded. Raising a :class:`~kernel.errors.CondaError` stops
        the command before the prefix is touched.

        Example::

            @hookimpl
            def conda_post_solves():
                yield CondaPostSolve(name="count", action=lambda fn, unlink, link: print(len(link)))
        """

    @hookspec
    def conda_virtual_packages(self) -> Iterable[CondaVirtualPackage]:
        """Describe the system as virtual packages (``__linux``, ``__glibc``, ``__cuda``…).

        **Called** when a solve, ``conda info`` or the index needs the virtual packages for
        the target platform. Detect inside the hook (it runs in that run only).

        **Yields** :class:`~kernel.types.CondaVirtualPackage` records for what exists on
        this system (yield nothing when the thing is absent). The kernel applies
        ``CONDA_OVERRIDE_<NAME>`` and the ``virtual_packages:`` condarc key afterwards.
        An exception stops the command with the plugin named.

        Example::

            @hookimpl
            def conda_virtual_packages():
                yield CondaVirtualPackage(name="gpu_vendor", version="1", build="acme",
                                          override_entity="build")
        """

    @hookspec
    def conda_auth_handlers(self) -> Iterable[CondaAuthHandler]:
        """Register authentication handlers for channels.

        **Called** when the kernel builds the HTTP session for a channel whose
        ``channel_settings`` entry names ``auth: <name>``.

        **Yields** :class:`~kernel.types.CondaAuthHandler`; ``handler(channel_name)`` must
        be a ``requests.auth.AuthBase``. It must never put secrets into exceptions or logs.

        Example::

            class Token(requests.auth.AuthBase):
                def __init__(self, channel_name): self.token = os.environ["MY_TOKEN"]
                def __call__(self, r): r.headers["Authorization"] = f"Bearer {self.token}"; return r

            @hookimpl
            def conda_auth_handlers():
                yield CondaAuthHandler(name="my-token", handler=Token)
        """

    @hookspec
    def conda_session_headers(self, host: str) -> Iterable[CondaRequestHeader]:
        """Add HTTP headers to every request of a session.

        **Called** when a session is built for ``host``. Header names the kernel owns
        (``Authorization``, ``Cookie``, ``Host``, ``Content-Length``, …) are refused with a
        :class:`~kernel.errors.PluginError`.

        Example::

            @hookimpl
            def conda_session_headers(host):
                yield CondaRequestHeader(name="X-Team", value="data-science")
        """

    @hookspec
    def conda_request_headers(self, host: str, path: str) -> Iterable[CondaRequestHeader]:
        """Add HTTP headers to one request, by its host and path.

        **Called** before each request is sent; same refused names as
        :meth:`conda_session_headers`.

        Example::

            @hookimpl
            def conda_request_headers(host, path):
                if path.endswith("repodata.json"):
                    yield CondaRequestHeader(name="X-Repodata", value="1")
        """

    @hookspec
    def conda_health_checks(self) -> Iterable[CondaHealthCheck]:
        """Register ``conda doctor`` checks.

        **Called** by ``conda doctor``. ``action(prefix, verbose)`` reports its findings;
        an exception from one check is reported with its plugin and the other checks still
        run. ``fixer(prefix, args)`` runs under ``--fix`` after the user agreed.

        Example::

            def check(prefix, verbose):
                ok = os.path.exists(os.path.join(prefix, "conda-meta", "history"))
                print(("✅" if ok else "❌") + " history file present")

            @hookimpl
            def conda_health_checks():
                yield CondaHealthCheck(name="history", action=check, summary="history exists")
        """

    @hookspec
    def conda_settings(self) -> Iterable[CondaSetting]:
        """Declare settings read from ``plugins:`` in condarc and ``CONDA_PLUGINS_<NAME>``.

        **Called** when configuration is loaded. A value of the wrong type is a
        :class:`~kernel.errors.ConfigurationError` naming the file and key.

        Example::

            @hookimpl
            def conda_settings():
                yield CondaSetting(name="greeting", description="What hello says.",
                                   parameter=PrimitiveParameter("hello", str))
        """

    @hookspec
    def conda_reporter_backends(self) -> Iterable[CondaReporterBackend]:
        """Register output backends.

        **Called** the first time a command reports anything. ``--json`` picks ``json``;
        otherwise the ``console`` setting (``--console NAME``) picks one. The renderer class
        subclasses :class:`~kernel.types.ReporterRendererBase`.

        Example::

            class Shout(ReporterRendererBase):
                def render(self, data, **kw): return str(data).upper() + "\\n"

            @hookimpl
            def conda_reporter_backends():
                yield CondaReporterBackend(name="shout", description="Loud.", renderer=Shout)
        """

    @hookspec
    def conda_package_extractors(self) -> Iterable[CondaPackageExtractor]:
        """Register package archive formats.

        **Called** by the index (which file names are packages) and the package cache.
        ``extract(archive, dest_dir)`` must refuse members escaping ``dest_dir`` by raising
        a :class:`~kernel.errors.CondaError` naming the archive and member.

        Example::

            @hookimpl
            def conda_package_extractors():
                yield CondaPackageExtractor(name="zip-pkg", extensions=(".zpkg",), extract=unzip)
        """

    @hookspec
    def conda_pre_transaction_actions(self) -> Iterable[CondaPreTransactionAction]:
        """Run code before a transaction changes a prefix.

        **Called** under the prefix lock, before the first unlink. Raising aborts the
        transaction; the prefix is left unchanged.

        Example::

            @hookimpl
            def conda_pre_transaction_actions():
                yield CondaPreTransactionAction(name="snapshot", action=take_snapshot)
        """

    @hookspec
    def conda_post_transaction_actions(self) -> Iterable[CondaPostTransactionAction]:
        """Run code after a transaction changed a prefix.

        **Called** under the prefix lock after the last link. Raising is reported; the
        transaction stays committed.

        Example::

            @hookimpl
            def conda_post_transaction_actions():
                yield CondaPostTransactionAction(name="notify", action=send_notice)
        """

    @hookspec
    def conda_environment_specifiers(self) -> Iterable[CondaEnvironmentSpecifier]:
        """Register environment file readers (environment.yml, ``@EXPLICIT``, requirements).

        **Called** by ``create --file``/``env create``; the first specifier whose
        ``can_handle()`` is true reads the file. Errors name the file.

        Example::

            @hookimpl
            def conda_environment_specifiers():
                yield CondaEnvironmentSpecifier(name="toml-env", environment_spec=TomlSpec)
        """

    @hookspec
    def conda_environment_exporters(self) -> Iterable[CondaEnvironmentExporter]:
        """Register environment writers for ``conda export --format NAME``.

        Example::

            @hookimpl
            def conda_environment_exporters():
                yield CondaEnvironmentExporter(name="toml", aliases=(),
                                               default_filenames=("env.toml",), export=to_toml)
        """

    @hookspec
    def conda_prefix_data_loaders(self) -> Iterable[CondaPrefixDataLoader]:
        """Add records conda does not manage (e.g. pip-installed distributions) to a prefix.

        **Called** when ``conda list``, ``export`` and ``compare`` read a prefix (never for
        solves or transactions); ``loader(prefix, records)`` gets the conda-meta records
        (record dicts keyed by name), returns the records it adds, keyed by name, and may
        drop from ``records`` in place the ones its packages replaced.

        Example::

            @hookimpl
            def conda_prefix_data_loaders():
                yield CondaPrefixDataLoader(name="pip", loader=load_pip_records)
        """

    @hookspec
    def conda_error_hints(self) -> Iterable[CondaErrorHint]:
        """Offer one line of advice when a command fails.

        **Called** after a command raised; each ``hint(error)`` may return a line that is
        printed under the error. A hint that raises is ignored.

        Example::

            @hookimpl
            def conda_error_hints():
                yield CondaErrorHint(name="offline",
                                     hint=lambda e: "try --offline" if "HTTP" in str(e) else None)
        """

    @hookspec
    def conda_exception_observers(self) -> Iterable[CondaExceptionObserver]:
        """See every error that ends a command (logging, telemetry).

        **Called** with the exception before it is printed; an observer that raises is
        ignored.

        Example::

            @hookimpl
            def conda_exception_observers():
                yield CondaExceptionObserver(name="log", action=lambda e: logger.error(e))
        """
