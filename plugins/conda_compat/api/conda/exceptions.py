"""``conda.exceptions``: conda's error classes over microconda's.

``CondaError`` *is* microconda's, so an error a plugin raises prints, exits and ``--json``s
exactly as microconda's own errors (``ErrorName: message``, the class's ``return_code``,
conda's error object). The subclasses keep conda's names, constructors and exit codes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kernel import errors as _kernel
from kernel.errors import ArgumentError, CondaError, PluginError
from plugins.conda_compat.missing import missing_attributes

__all__ = [
    "ArgumentError", "CondaEnvException", "CondaError", "CondaExitZero", "CondaFileIOError",
    "CondaHTTPError", "CondaKeyError", "CondaMultiError", "CondaOSError", "CondaSystemExit",
    "CondaValueError", "DryRunExit", "EnvironmentFileNotFound", "EnvironmentLocationNotFound",
    "EnvironmentNameNotFound", "OperationNotAllowed", "PackagesNotFoundError", "PluginError",
    "SpecNotFound",
]


class CondaExitZero(CondaError):
    return_code = 0


class CondaMultiError(CondaError):
    def __init__(self, errors: Iterable[BaseException]):
        self.errors = tuple(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


class CondaValueError(CondaError, ValueError):
    pass


class CondaEnvException(CondaError):
    pass


class OperationNotAllowed(CondaError):
    pass


class SpecNotFound(CondaError):
    pass


class CondaOSError(CondaError, OSError):
    def __init__(self, message: str, **kwargs: Any):
        super().__init__(message, **kwargs)


class CondaFileIOError(CondaError, OSError):
    def __init__(self, filepath: Any, message: str, *args: Any):
        super().__init__(f"'{filepath}'. {message}", filepath=str(filepath))


class CondaKeyError(CondaError, KeyError):
    def __init__(self, key: Any, message: str, *args: Any):
        self.key = key
        super().__init__(f"{key!r}: {message}", key=key)


class CondaHTTPError(CondaError):
    def __init__(self, message: str, url: str = "", status_code: Any = None,
                 reason: str = "", elapsed_time: Any = None, *args: Any, **kwargs: Any):
        super().__init__(f"HTTP {status_code} {reason} for url <{url}>\n{message}", url=url,
                         status_code=status_code, reason=reason)


class EnvironmentLocationNotFound(_kernel.EnvironmentLocationNotFound):
    def __init__(self, location: Any):
        super().__init__(f"Not a conda environment: {location}", location=str(location))


class EnvironmentNameNotFound(_kernel.EnvironmentLocationNotFound):
    def __init__(self, environment_name: str):
        super().__init__(f"Could not find conda environment: {environment_name}\nYou can "
                         f"list all discoverable environments with `conda info --envs`.",
                         environment_name=environment_name)


class EnvironmentFileNotFound(CondaError):
    def __init__(self, filename: Any, *args: Any, **kwargs: Any):
        super().__init__(f"'{filename}' file not found", filename=str(filename))


class PackagesNotFoundError(_kernel.PackagesNotFoundError):
    def __init__(self, packages: Iterable[Any], channel_urls: Iterable[str] = ()):
        names = [str(p) for p in packages]
        lines = "\n".join(f"  - {n}" for n in names)
        super().__init__(f"The following packages are missing from the target environment:"
                         f"\n{lines}", packages=names, channel_urls=list(channel_urls))


class DryRunExit(_kernel.DryRunExit, CondaExitZero):
    def __init__(self) -> None:
        super().__init__("Dry run. Exiting.")


class CondaSystemExit(_kernel.CondaSystemExit, CondaExitZero, SystemExit):
    def __init__(self, *args: Any):
        super().__init__(" ".join(str(a) for a in args))


__getattr__ = missing_attributes(__name__)
