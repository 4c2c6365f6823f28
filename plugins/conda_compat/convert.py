"""conda's plugin records turned into microconda's, one converter per hook.

Fields that mean the same are copied; where conda's call convention differs, the callable
is wrapped: a subcommand without a parser gets its arguments as a tuple, a solver class
(``conda.core.solve.Solver``) cannot be driven by microconda and fails with a clear
:class:`UnsupportedCondaAPI`, health-check fixers get a ``confirm`` callback, transaction
actions are instantiated and run as conda's ``Action``, exporters and environment
specifiers see conda's ``Environment`` (:mod:`conda.models.environment`), exception
observers get conda's ``CondaExceptionEvent``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import kernel.types as ours

# -- one converter per hook --------------------------------------------------------------


def _subcommand(record: Any, plugin: str) -> Any:
    action = record.action
    if record.configure_parser is None:
        def raw(args: Any) -> int | None:
            return action(tuple(args))
        action = raw
    return ours.CondaSubcommand(name=record.name, summary=record.summary, action=action,
                                aliases=tuple(record.aliases),
                                configure_parser=record.configure_parser)


def _null_to_drop(value: Any) -> Any:
    from conda.auxlib import NULL

    if value is NULL:
        return ours.DROP
    if callable(value):
        return lambda: _null_to_drop(value())
    return value


def _virtual_package(record: Any, plugin: str) -> Any:
    return ours.CondaVirtualPackage(
        name=record.name, version=_null_to_drop(record.version),
        build=_null_to_drop(record.build), override_entity=record.override_entity,
        empty_override=_null_to_drop(record.empty_override),
        version_validation=record.version_validation)


def _solver(record: Any, plugin: str) -> Any:
    def backend(request: Any) -> Any:
        from plugins.conda_compat.missing import UnsupportedCondaAPI

        raise UnsupportedCondaAPI(
            f"plugin {plugin}'s solver '{record.name}' is a conda.core.solve.Solver class, "
            f"which microconda cannot drive; choose another solver", plugin=plugin,
            api="conda.core.solve.Solver")
    return ours.CondaSolver(name=record.name, backend=backend)


def _command_hook(kind: str) -> Callable[[Any, str], Any]:
    def convert(record: Any, plugin: str) -> Any:
        return getattr(ours, kind)(name=record.name, action=record.action,
                                   run_for=set(record.run_for))
    return convert


def _health_check(record: Any, plugin: str) -> Any:
    fixer = record.fixer
    if fixer is not None:
        original = fixer

        def fixer(prefix: str, args: Any) -> int | None:  # the user agreed already
            return original(prefix, args, lambda message: None)
    return ours.CondaHealthCheck(name=record.name, action=record.action, fixer=fixer,
                                 summary=record.summary, fix=record.fix)


def _setting(record: Any, plugin: str) -> Any:
    return ours.CondaSetting(name=record.name, description=record.description,
                             parameter=record.parameter, aliases=tuple(record.aliases))


def _reporter_backend(record: Any, plugin: str) -> Any:
    # conda's progress bars and spinners are objects of its own classes; ours are context
    # managers, so those two stay microconda's (quiet unless a microconda backend draws them)
    base = ours.ReporterRendererBase
    renderer = type(record.renderer.__name__, (record.renderer, base),
                    {"__module__": record.renderer.__module__,
                     "progress_bar": base.progress_bar, "spinner": base.spinner})
    return ours.CondaReporterBackend(name=record.name, description=record.description,
                                     renderer=renderer)


def _transaction_action(kind: str) -> Callable[[Any, str], Any]:
    def convert(record: Any, plugin: str) -> Any:
        action_class = record.action

        def action(transaction: Any) -> None:
            from conda.models.match_spec import MatchSpec

            instance = action_class(
                transaction_context={}, target_prefix=transaction.prefix,
                unlink_precs=transaction.unlink_records, link_precs=transaction.link_records,
                remove_specs=[MatchSpec(s) for s in transaction.removed_specs],
                update_specs=[MatchSpec(s) for s in transaction.requested_specs],
                neutered_specs=[MatchSpec(s) for s in transaction.neutered_specs])
            instance.verify()
            instance.execute()
            cleanup = getattr(instance, "cleanup", None)
            if callable(cleanup):
                cleanup()
        return getattr(ours, kind)(name=record.name, action=action)
    return convert


def _exporter(record: Any, plugin: str) -> Any:
    from plugins.conda_compat.environments import export_function

    return ours.CondaEnvironmentExporter(
        name=record.name, aliases=tuple(record.aliases),
        default_filenames=tuple(record.default_filenames), export=export_function(record))


def _specifier(record: Any, plugin: str) -> Any:
    from plugins.conda_compat.environments import NamedSpecifier, spec_function

    return NamedSpecifier(name=record.name, environment_spec=spec_function(record),
                          default_filenames=tuple(record.default_filenames))


def _extractor(record: Any, plugin: str) -> Any:
    return ours.CondaPackageExtractor(name=record.name, extensions=tuple(record.extensions),
                                      extract=record.extract)


def _observer(record: Any, plugin: str) -> Any:
    watched = set(record.watch_for)

    def action(error: BaseException) -> None:
        if not watched & {cls.__name__ for cls in type(error).__mro__}:
            return
        from conda.plugins.types import CondaExceptionEvent

        from kernel.config import get_config

        config = get_config()
        record.hook(CondaExceptionEvent(
            exc_type=type(error), exc_value=error, exc_traceback=error.__traceback__,
            argv=tuple(sys.argv), conda_version=_conda_version(),
            return_code=getattr(error, "return_code", 1),
            active_prefix=os.environ.get("CONDA_PREFIX"),
            target_prefix=str(config.target_prefix) if config.get("target_prefix") else None,
            channels=tuple(config.channels), subdir=str(config.subdir),
            offline=bool(config.offline), dry_run=bool(config.get("dry_run", False)),
            quiet=bool(config.quiet), json=bool(config.json)))
    return ours.CondaExceptionObserver(name=record.name, action=action)


def _conda_version() -> str:
    from conda import __version__

    return __version__


def _same(kind: str) -> Callable[[Any, str], Any]:
    def convert(record: Any, plugin: str) -> Any:
        fields = {k: v for k, v in vars(record).items()}
        return getattr(ours, kind)(**fields)
    return convert


CONVERTERS: dict[str, Callable[[Any, str], Any]] = {
    "conda_subcommands": _subcommand,
    "conda_virtual_packages": _virtual_package,
    "conda_solvers": _solver,
    "conda_pre_commands": _command_hook("CondaPreCommand"),
    "conda_post_commands": _command_hook("CondaPostCommand"),
    "conda_auth_handlers": _same("CondaAuthHandler"),
    "conda_health_checks": _health_check,
    "conda_pre_solves": _same("CondaPreSolve"),
    "conda_post_solves": _same("CondaPostSolve"),
    "conda_settings": _setting,
    "conda_reporter_backends": _reporter_backend,
    "conda_session_headers": _same("CondaRequestHeader"),
    "conda_request_headers": _same("CondaRequestHeader"),
    "conda_pre_transaction_actions": _transaction_action("CondaPreTransactionAction"),
    "conda_post_transaction_actions": _transaction_action("CondaPostTransactionAction"),
    "conda_environment_specifiers": _specifier,
    "conda_environment_exporters": _exporter,
    "conda_prefix_data_loaders": _same("CondaPrefixDataLoader"),
    "conda_package_extractors": _extractor,
    "conda_exception_observers": _observer,
}


def convert(hook: str, record: Any, plugin: str) -> Any:
    """microconda's record for ``record``, yielded by ``plugin``'s ``hook``."""
    if isinstance(record, ours.CondaPlugin):
        return record  # a plugin for both that yields microconda's records
    converter = CONVERTERS.get(hook)
    if converter is None:
        from plugins.conda_compat.missing import UnsupportedCondaAPI

        raise UnsupportedCondaAPI(f"plugin {plugin} implements {hook}, a hook microconda does "
                                  f"not have", plugin=plugin, api=hook)
    return converter(record, plugin)


def error_hint(function: Callable[[Any], Any], plugin: str) -> Any:
    """One record whose ``hint(error)`` joins the texts ``function(error)`` yields."""
    def hint(error: BaseException) -> str | None:
        texts = [h.text for h in function(error) or ()]
        return "\n".join(texts) or None
    return ours.CondaErrorHint(name=f"{plugin.partition('.')[0]}-hints", hint=hint)
