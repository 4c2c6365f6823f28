"""Records of the hooks only some commands call; :mod:`kernel.types` re-exports them.

Pre/post command and solve actions, HTTP request headers, ``conda doctor`` checks,
transaction actions, environment file readers and writers, prefix data loaders, error
hints and exception observers. Import them from :mod:`kernel.types` as every other record:
this module is loaded the first time one of its names is asked for there, so a command
that never calls these hooks does not build their classes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

from kernel.types import CondaPlugin, _frozenset_of_names, _names, _strings

if TYPE_CHECKING:
    from kernel.models import MatchSpec, PackageRecord


# -- commands and solves --------------------------------------------------------------------


@attrs.frozen
class CondaPreCommand(CondaPlugin):
    """``action(command)`` runs before each command named in ``run_for``."""

    action: Callable[[str], None]
    run_for: frozenset[str] = attrs.field(converter=_frozenset_of_names)


@attrs.frozen
class CondaPostCommand(CondaPlugin):
    """``action(command)`` runs after each command named in ``run_for`` succeeds."""

    action: Callable[[str], None]
    run_for: frozenset[str] = attrs.field(converter=_frozenset_of_names)


@attrs.frozen
class CondaPreSolve(CondaPlugin):
    """``action(specs_to_add, specs_to_remove)`` runs before every solve."""

    action: Callable[[frozenset[MatchSpec], frozenset[MatchSpec]], None]


@attrs.frozen
class CondaPostSolve(CondaPlugin):
    """``action(repodata_fn, unlink_records, link_records)`` runs after every solve."""

    action: Callable[[str, tuple[PackageRecord, ...], tuple[PackageRecord, ...]], None]


# -- network ----------------------------------------------------------------------------------


@attrs.frozen
class CondaRequestHeader(CondaPlugin):
    """An HTTP header sent on every request (session headers) or on matching requests."""

    value: str


# -- health -----------------------------------------------------------------------------------


@attrs.frozen
class CondaHealthCheck(CondaPlugin):
    """A ``conda doctor`` check.

    ``action(prefix, verbose)`` reports through the reporter and returns nothing;
    ``fixer(prefix, args)`` repairs what the check finds and returns an exit code;
    ``summary`` is one line for ``--list``; ``fix`` one line saying what the fixer does.
    """

    action: Callable[[str, bool], Any]
    fixer: Callable[[str, Any], int | None] | None = None
    summary: str | None = None
    fix: str | None = None


# -- transactions, environments, prefixes -----------------------------------------------------


@attrs.frozen
class CondaPreTransactionAction(CondaPlugin):
    """``action(transaction)`` runs before a transaction touches a prefix."""

    action: Callable[[Any], None]


@attrs.frozen
class CondaPostTransactionAction(CondaPlugin):
    """``action(transaction)`` runs after a transaction completed on a prefix."""

    action: Callable[[Any], None]


@attrs.frozen
class CondaEnvironmentSpecifier(CondaPlugin):
    """Reads an environment file. ``environment_spec(filename)`` builds an object with
    ``can_handle() -> bool`` and an ``env`` attribute (the parsed environment)."""

    environment_spec: Callable[[str], Any]


@attrs.frozen
class CondaEnvironmentExporter(CondaPlugin):
    """Writes an environment: ``export(environment) -> str`` in this format."""

    aliases: tuple[str, ...] = attrs.field(converter=_names)
    default_filenames: tuple[str, ...] = attrs.field(converter=_strings)
    export: Callable[[Any], str]


@attrs.frozen
class CondaPrefixDataLoader(CondaPlugin):
    """``loader(prefix, records)`` adds records not managed by conda (e.g. pip's)."""

    loader: Callable[[str, dict[str, Any]], dict[str, Any]]


# -- errors -----------------------------------------------------------------------------------


@attrs.frozen
class CondaErrorHint(CondaPlugin):
    """``hint(error)`` returns one line of advice for an error, or ``None``."""

    hint: Callable[[BaseException], str | None]


@attrs.frozen
class CondaExceptionObserver(CondaPlugin):
    """``action(error)`` sees every error that ends a command (logging, telemetry)."""

    action: Callable[[BaseException], None]
