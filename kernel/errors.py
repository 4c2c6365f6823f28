"""The error hierarchy every layer raises and the CLI turns into exit codes.

A :class:`CondaError` is an expected failure: the CLI prints its one-line message
(``CondaError: <message>`` the way conda does), exits with :attr:`CondaError.return_code`
and, under ``--json``, prints :meth:`CondaError.dump_map`. Anything else that escapes a
command is a bug and is reported as such.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class CondaError(Exception):
    """Base of every expected failure.

    ``message`` is one human line (it may name a file, URL or spec, never a secret);
    keyword arguments become extra fields of the JSON error object.
    """

    return_code: int = 1

    def __init__(self, message: str, *, caused_by: BaseException | None = None, **fields: Any):
        super().__init__(message)
        self.message = message
        self.caused_by = caused_by
        self.fields = fields

    def __str__(self) -> str:
        return self.message

    def dump_map(self) -> dict[str, Any]:
        """The JSON error object, in conda's shape plus this error's own fields."""
        cls = type(self)
        data: dict[str, Any] = {
            "caused_by": repr(self.caused_by) if self.caused_by is not None else "None",
            "error": f"{cls.__name__}: {self.message}",
            "exception_name": cls.__name__,
            "exception_type": f"<class '{cls.__module__}.{cls.__qualname__}'>",
            "message": self.message,
        }
        for key, value in self.fields.items():
            data.setdefault(key, value)
        return data


class ArgumentError(CondaError):
    """The command line is wrong (unknown command, bad flag value)."""

    return_code = 2


class CommandNotFoundError(ArgumentError):
    """No subcommand plugin provides the command the user typed."""


class ConfigurationError(CondaError):
    """A condarc file or a setting is malformed, unknown or of the wrong type."""


class PluginError(CondaError):
    """A plugin is broken: it failed to load, collides with another, or raised in a hook."""


class NoProviderError(PluginError):
    """A capability was asked for and no registered plugin provides it."""


class InvalidVersionSpec(CondaError, ValueError):
    """A version or version-spec string that conda's grammar rejects."""

    def __init__(self, invalid_spec: str, details: str = ""):
        self.invalid_spec = invalid_spec
        msg = f"Invalid version '{invalid_spec}'" + (f": {details}" if details else "")
        super().__init__(msg, invalid_spec=invalid_spec)


class InvalidMatchSpec(CondaError, ValueError):
    """A match-spec string or mapping that conda's grammar rejects."""

    def __init__(self, invalid_spec: object, details: str = ""):
        self.invalid_spec = str(invalid_spec)
        msg = f"Invalid spec '{invalid_spec}'" + (f": {details}" if details else "")
        super().__init__(msg, invalid_spec=self.invalid_spec)


class ChannelError(CondaError):
    """A channel cannot be reached, is not found, or refuses our credentials."""


_SEARCH_ELSEWHERE = ("To search for alternate channels that may provide the conda package "
                     "you're\nlooking for, navigate to\n\n    https://anaconda.org\n\n"
                     "and use the search bar at the top of the page.\n")


class PackagesNotFoundError(CondaError):
    """Requested specs match no record in the channels searched.

    Given ``packages`` and ``channel_urls`` (the subdir URLs searched; credentials are
    masked here), the message is conda's: the packages, ``Current channels:`` and where
    to look for others, and the JSON object carries ``packages``, ``channel_urls`` and
    their ``*_formatted`` texts, as conda's does.
    """

    def __init__(self, message: str = "", *, packages: Iterable[Any] = (),
                 channel_urls: Iterable[str] = (), **fields: Any):
        from kernel.session import redact_url

        self.packages = [str(p) for p in packages]
        self.channel_urls = [redact_url(str(u)) for u in channel_urls]
        listed, channels = ("".join(f"\n  - {item}" for item in items)
                            for items in (self.packages, self.channel_urls))
        if self.packages:
            fields.update(packages=self.packages, packages_formatted=listed)
        if self.channel_urls:
            fields.update(channel_urls=self.channel_urls, channels_formatted=channels)
            message = ("The following packages are not available from current channels:\n"
                       f"{listed}\n\nCurrent channels:\n{channels}\n\n{_SEARCH_ELSEWHERE}")
        elif not message:
            message = f"The following packages are missing from the target environment:\n{listed}\n"
        super().__init__(message, **fields)


class PackagesNotFoundInChannelsError(PackagesNotFoundError):
    """conda's name for :class:`PackagesNotFoundError` when channels were searched."""


class UnsatisfiableError(CondaError):
    """The solver proved that the requested specs cannot be installed together."""


class SpecsConfigurationConflictError(UnsatisfiableError):
    """Unsatisfiable because of pinned specs (``pinned_packages``, ``conda-meta/pinned``):
    conda's name for it, an :class:`UnsatisfiableError` for callers that catch that."""


class PrefixError(CondaError):
    """An environment (prefix) is missing, locked, or not a conda prefix."""


class EnvironmentLocationNotFound(PrefixError):
    """The named or given environment does not exist."""


class DirectoryNotACondaEnvironmentError(PrefixError):
    """The target folder exists but is not a conda environment (no ``conda-meta``)."""


class DryRunExit(CondaError):
    """Raised to stop a command after its plan under ``--dry-run``; exits 0."""

    return_code = 0


class CondaSystemExit(CondaError):
    """The user declined a prompt (answered no); conda exits 0 with a message."""

    return_code = 0


class InvalidChannel(CondaError, ValueError):
    """A channel name, URL or path that cannot be parsed (the message masks credentials)."""

    def __init__(self, channel: str, details: str = ""):
        self.channel = channel
        msg = f"Invalid channel '{channel}'" + (f": {details}" if details else "")
        super().__init__(msg, channel=channel)


class InvalidPackageRecord(CondaError, ValueError):
    """A package record (repodata entry, index.json, conda-meta file) that is malformed."""

    def __init__(self, record: str, details: str = ""):
        self.record = record
        msg = f"Invalid package record '{record}'" + (f": {details}" if details else "")
        super().__init__(msg, record=record)


class IncompatibleMatchSpecs(InvalidMatchSpec):
    """Two specs for the same package cannot be merged (e.g. two different exact builds)."""
