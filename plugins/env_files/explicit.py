"""``@EXPLICIT`` files (CEP 23): one package URL a line, for exact reproduction.

Reading: the file must hold an ``@EXPLICIT`` line; before it only ``#`` comments (a
``# platform: <subdir>`` comment sets the platform); after it one package URL per line,
optionally followed by ``#<md5>`` or ``#sha256:<hex>``. Anything else is an error naming
the file and line. Writing (``explicit``): conda's header, ``@EXPLICIT``, then each
package's URL with its md5 when known.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kernel import hookimpl
from kernel.types import CondaEnvironmentExporter, CondaEnvironmentSpecifier
from plugins.env_files.model import (
    Environment,
    EnvironmentFileError,
    read_text,
    record_from_url,
    url_line,
)

MARKER = "@EXPLICIT"


def parse_explicit(text: str, filename: str) -> Environment:
    """The :class:`Environment` of an ``@EXPLICIT`` file's ``text``."""
    env = Environment(filename=filename)
    seen_marker = False
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            key, _, value = line.lstrip("#").strip().partition(":")
            if key.strip() == "platform" and value.strip():
                env.platform = value.strip()
            continue
        if line == MARKER:
            if seen_marker:
                raise EnvironmentFileError(filename, f"{MARKER} appears twice", number)
            seen_marker = True
            continue
        if not seen_marker:
            raise EnvironmentFileError(filename, f"'{line}' comes before the {MARKER} line "
                                                 f"(only # comments may)", number)
        try:
            env.explicit_packages.append(record_from_url(line))
        except ValueError as exc:
            raise EnvironmentFileError(filename, str(exc), number) from None
    if not seen_marker:
        raise EnvironmentFileError(filename, f"no {MARKER} line: not an explicit file")
    if not env.explicit_packages:
        raise EnvironmentFileError(filename, f"no package URLs after {MARKER}")
    return env


def is_explicit(text: str) -> bool:
    return any(line.strip() == MARKER for line in text.splitlines())


class ExplicitSpec:
    """conda's environment-spec protocol for ``@EXPLICIT`` files."""

    def __init__(self, filename: str):
        self.filename = filename
        self._env: Environment | None = None

    def can_handle(self) -> bool:
        if self.filename.lower().endswith((".yml", ".yaml", ".json", ".toml")):
            return False
        try:
            return is_explicit(read_text(self.filename))
        except EnvironmentFileError:
            return False

    @property
    def env(self) -> Environment:
        if self._env is None:
            self._env = parse_explicit(read_text(self.filename), self.filename)
        return self._env


def header(env: Any) -> list[str]:
    from kernel import __version__

    return ["# This file may be used to create an environment using:",
            f"# $ conda create --name {getattr(env, 'name', None) or '<env>'} "
            f"--file <this file>",
            f"# platform: {getattr(env, 'platform', None) or 'unknown'}",
            f"# created-by: microconda {__version__}"]


def export_explicit(env: Any) -> str:
    from kernel.errors import CondaError

    class CondaValueError(CondaError):
        """conda's error name for a value the format cannot take."""

    records = list(getattr(env, "explicit_packages", None) or ())
    if not records:
        raise CondaError("cannot export the explicit format: the environment has no "
                         "installed packages with URLs (use the requirements or "
                         "environment-yaml format)")
    if any(getattr(env, "external_packages", None) or {}):
        raise CondaValueError("Cannot export explicit format: environment contains external "
                              "packages that cannot be represented in explicit format. Use a "
                              "different format to include external packages.")
    lines = [*header(env), MARKER]
    for record in records:
        if not record.get("url"):
            raise CondaError(f"cannot export '{record.get('name')}' in the explicit format: "
                             f"its record has no URL")
        lines.append(url_line(record))
    return "\n".join(lines) + "\n"


@hookimpl
def conda_environment_specifiers() -> Iterator[CondaEnvironmentSpecifier]:
    yield CondaEnvironmentSpecifier(name="explicit", environment_spec=ExplicitSpec)


@hookimpl
def conda_environment_exporters() -> Iterator[CondaEnvironmentExporter]:
    yield CondaEnvironmentExporter(name="explicit", aliases=(),
                                   default_filenames=("explicit.txt",),
                                   export=export_explicit)
