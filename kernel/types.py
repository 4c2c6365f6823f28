"""The records plugins yield from their hooks, with conda's names and fields.

Every record is a frozen attrs class whose ``name`` is validated in one place
(:func:`_plugin_name`): stripped, lowercased, and refused when empty or holding characters
other than letters, digits, ``.``, ``_``, ``-``. Heavy imports never happen here; the
callables a record carries import what they need when they run.

Building an attrs class costs about half a millisecond, so the records of hooks that only
some commands call (pre/post command and solve actions, request headers, health checks,
transaction actions, environment files, prefix data loaders, error hints and observers)
live in :mod:`kernel.types_rare` and are imported from here on first use.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any, Literal

import attrs

from kernel.lazy_exports import lazy_attributes

if TYPE_CHECKING:
    import argparse

    from kernel.models import MatchSpec, PackageRecord
    from kernel.types_rare import (
        CondaEnvironmentExporter,
        CondaEnvironmentSpecifier,
        CondaErrorHint,
        CondaExceptionObserver,
        CondaHealthCheck,
        CondaPostCommand,
        CondaPostSolve,
        CondaPostTransactionAction,
        CondaPreCommand,
        CondaPrefixDataLoader,
        CondaPreSolve,
        CondaPreTransactionAction,
        CondaRequestHeader,
    )

__all__ = [
    "DROP", "CondaAuthHandler", "CondaEnvironmentExporter", "CondaEnvironmentSpecifier",
    "CondaErrorHint", "CondaExceptionObserver", "CondaHealthCheck", "CondaPackageExtractor",
    "CondaPlugin", "CondaPostCommand", "CondaPostSolve", "CondaPostTransactionAction",
    "CondaPreCommand", "CondaPreSolve", "CondaPreTransactionAction", "CondaPrefixDataLoader",
    "CondaReporterBackend", "CondaRequestHeader", "CondaSetting", "CondaSolver",
    "CondaSubcommand", "CondaVirtualPackage", "DepsModifier", "RecordSource",
    "ReporterRendererBase", "SolveRequest", "SolveResult", "UpdateModifier",
]

_NAME = re.compile(r"^[a-z0-9_][a-z0-9._-]*$")


def _plugin_name(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"plugin name must be a string, not {type(value).__name__}")
    name = value.strip().lower()
    if not _NAME.match(name):
        raise ValueError(f"invalid plugin name {value!r}: use letters, digits, '.', '_', '-'")
    return name


def _names(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(_plugin_name(v) for v in values)


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(v) for v in values)


def _frozenset_of_names(values: Iterable[str]) -> frozenset[str]:
    return frozenset(_plugin_name(v) for v in values)


@attrs.frozen
class CondaPlugin:
    """Base of every plugin record: a validated, unique-per-hook ``name``."""

    name: str = attrs.field(converter=_plugin_name)


# -- commands -------------------------------------------------------------------------------


@attrs.frozen
class CondaSubcommand(CondaPlugin):
    """A ``conda <name>`` command.

    ``action(args)`` receives the parsed :class:`argparse.Namespace` when
    ``configure_parser`` is given, else the list of raw argument strings. It returns an
    exit code (``None`` means 0) or raises a :class:`kernel.errors.CondaError`.
    """

    summary: str
    action: Callable[[Any], int | None]
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_names)
    configure_parser: Callable[[argparse.ArgumentParser], None] | None = None




# -- solving --------------------------------------------------------------------------------

UpdateModifier = Literal[
    "specs_satisfied_skip_solve", "freeze_installed", "update_deps", "update_specs", "update_all"
]
DepsModifier = Literal["not_set", "no_deps", "only_deps"]


class RecordSource:
    """What a solver reads records from; the index plugin provides the real one.

    ``records(name)`` returns every candidate of that package name across all channels and
    subdirs, highest-priority channel first; ``channel_rank(record)`` is 0 for the
    highest-priority channel, 1 for the next, …; ``names()`` lists the package names known
    (needed for glob specs). Implementations build records lazily: a solve asks for a few
    dozen names out of thousands.
    """

    def records(self, name: str) -> Sequence[PackageRecord]:
        raise NotImplementedError

    def channel_rank(self, record: PackageRecord) -> int:
        raise NotImplementedError

    def names(self) -> Iterable[str]:
        raise NotImplementedError


@attrs.frozen
class SolveRequest:
    """Everything a solver backend needs, already gathered by the command.

    ``installed`` are the prefix's records; ``history_specs`` the specs the user asked for
    in earlier commands (``conda-meta/history``); ``pinned`` the pins from
    ``pinned_packages`` and ``conda-meta/pinned``; ``virtual_packages`` records named
    ``__*`` from the virtual-package plugins. ``conda_prefix`` is true when the target is
    the root prefix (conda's own prefix): there an installed ``conda`` is never downgraded
    unless the request names a version of it, and with ``auto_update_conda`` it may update.
    """

    source: RecordSource
    specs_to_add: tuple[MatchSpec, ...] = ()
    specs_to_remove: tuple[MatchSpec, ...] = ()
    installed: tuple[PackageRecord, ...] = ()
    history_specs: tuple[MatchSpec, ...] = ()
    pinned: tuple[MatchSpec, ...] = ()
    virtual_packages: tuple[PackageRecord, ...] = ()
    channel_priority: Literal["strict", "flexible", "disabled"] = "flexible"
    update_modifier: UpdateModifier = "update_specs"
    deps_modifier: DepsModifier = "not_set"
    force_remove: bool = False
    force_reinstall: bool = False
    ignore_pinned: bool = False
    prune: bool = False
    aggressive_update_packages: tuple[str, ...] = ("ca-certificates", "certifi", "openssl")
    conda_prefix: bool = False
    auto_update_conda: bool = True
    add_pip_as_python_dependency: bool = True
    #: another solve follows when this one is unsatisfiable (conda's should_retry_solve):
    #: raise UnsatisfiableError without working out the explanation
    should_retry_solve: bool = False


@attrs.frozen
class SolveResult:
    """A solver's answer: the final state and the diff against ``installed``.

    ``records`` is the whole final environment in dependency (link) order; ``unlink`` are
    installed records to remove (reverse dependency order), ``link`` the records to add
    (dependency order). Records are the solver's input objects, not copies.
    """

    records: tuple[PackageRecord, ...]
    unlink: tuple[PackageRecord, ...] = ()
    link: tuple[PackageRecord, ...] = ()


@attrs.frozen
class CondaSolver(CondaPlugin):
    """A solver; ``backend(request)`` returns a :class:`SolveResult` or raises
    :class:`kernel.errors.UnsatisfiableError` / :class:`kernel.errors.PackagesNotFoundError`."""

    backend: Callable[[SolveRequest], SolveResult]
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_names)




# -- virtual packages -----------------------------------------------------------------------


class _Drop:
    """Marker for ``empty_override``: an empty override removes the virtual package."""

    def __repr__(self) -> str:
        return "DROP"


DROP: Any = _Drop()


@attrs.frozen
class CondaVirtualPackage(CondaPlugin):
    """A virtual package ``__<name>`` describing the system (``cuda``, ``glibc``, …).

    ``override_entity`` names the field ``CONDA_OVERRIDE_<NAME>`` replaces (``"version"``
    or ``"build"``); an empty override yields ``empty_override`` for that field, or drops
    the package when it is :data:`DROP`. ``version_validation(value)`` normalises an
    override; when it returns ``None`` the version becomes ``"0"`` (as conda does).
    ``version`` and ``build`` may be callables, evaluated only when the package is used.
    """

    version: str | Callable[[], str | None] | None
    build: str | Callable[[], str | None] | None
    override_entity: Literal["version", "build"] | None = None
    empty_override: Any = DROP
    version_validation: Callable[[str], str | None] | None = None


# -- network --------------------------------------------------------------------------------


@attrs.frozen
class CondaAuthHandler(CondaPlugin):
    """``handler`` is a ``requests.auth.AuthBase`` subclass; ``channel_settings`` picks it
    per channel (``auth: <name>``) and it is instantiated with the channel's name."""

    handler: type



# -- health, settings, reporting ------------------------------------------------------------



@attrs.frozen
class CondaSetting(CondaPlugin):
    """A setting under ``plugins:`` in condarc and ``CONDA_PLUGINS_<NAME>``.

    ``parameter`` is one of :mod:`kernel.parameters`' parameter types.
    """

    description: str
    parameter: Any
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_names)


class ReporterRendererBase:
    """What a reporter backend implements; the kernel's reporting front end calls it.

    ``render`` turns any JSON-able data into text; the other methods have plain-text
    defaults a backend may override.
    """

    def render(self, data: Any, **kwargs: Any) -> str:
        raise NotImplementedError

    def detail_view(self, data: dict[str, Any], **kwargs: Any) -> str:
        width = max((len(str(k)) for k in data), default=0)
        return "".join(f"{k:>{width}} : {v}\n" for k, v in data.items())

    def table(self, rows: Sequence[Sequence[Any]], header: Sequence[str], **kwargs: Any) -> str:
        widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=False)]
        lines = ["  ".join(f"{c!s:<{w}}" for c, w in zip(r, widths, strict=False)).rstrip()
                 for r in [header, *rows]]
        return "\n".join(lines) + "\n"

    def envs_list(self, prefixes: Sequence[str], **kwargs: Any) -> str:
        return "".join(f"{p}\n" for p in prefixes)

    def progress_bar(self, description: str, total: int | None = None,
                     **kwargs: Any) -> AbstractContextManager[Callable[[int], None]]:
        """A context manager yielding ``advance(n)``; the default shows nothing."""
        return nullcontext(lambda n: None)

    def spinner(self, message: str, **kwargs: Any) -> AbstractContextManager[None]:
        return nullcontext()

    def prompt(self, message: str, choices: Sequence[str] = ("yes", "no"),
               default: str = "yes") -> str:
        """Ask the user; the default backend answers ``default`` without asking."""
        return default

    def streams(self) -> Iterator[str]:  # pragma: no cover - hook for subclasses
        yield from ()


@attrs.frozen
class CondaReporterBackend(CondaPlugin):
    """An output backend (``console``, ``json``) chosen by ``--console``/``--json``."""

    description: str
    renderer: type[ReporterRendererBase]


# -- packages -------------------------------------------------------------------------------


@attrs.frozen
class CondaPackageExtractor(CondaPlugin):
    """``extract(source_archive, destination_dir)`` unpacks files ending in ``extensions``."""

    extensions: tuple[str, ...] = attrs.field(converter=_strings)
    extract: Callable[[str, str], None]


#: the records :mod:`kernel.types_rare` defines, imported on first use
_RARE = frozenset({
    "CondaEnvironmentExporter", "CondaEnvironmentSpecifier", "CondaErrorHint",
    "CondaExceptionObserver", "CondaHealthCheck", "CondaPostCommand", "CondaPostSolve",
    "CondaPostTransactionAction", "CondaPreCommand", "CondaPrefixDataLoader", "CondaPreSolve",
    "CondaPreTransactionAction", "CondaRequestHeader"})


__getattr__ = lazy_attributes(__name__, dict.fromkeys(_RARE, "kernel.types_rare"))
