"""``requirements.txt`` / ``spec.txt``: one conda match spec a line.

Reading handles ``.txt`` files that are not ``@EXPLICIT``: ``#`` starts a comment (a
``# platform: <subdir>`` comment sets the platform), blank lines are skipped, every other
line must be a match spec; a bad one is an error naming the file and line. Writing
(``requirements``, aliases ``reqs``/``txt``): conda's header, then
``channel::name==version=build`` for every installed package (or the requested specs of an
environment that was never solved).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kernel import hookimpl
from kernel.types import CondaEnvironmentExporter, CondaEnvironmentSpecifier
from plugins.env_files.model import Environment, EnvironmentFileError, read_text


def _strip_comment(line: str) -> str:
    index = line.find("#")
    while index > 0 and not line[index - 1].isspace():
        index = line.find("#", index + 1)  # a '#' inside a spec or URL is not a comment
    return (line if index < 0 else line[:index]).strip()


def parse_requirements(text: str, filename: str) -> Environment:
    """The :class:`Environment` of a requirements file's ``text``."""
    from kernel.errors import CondaError
    from kernel.models import MatchSpec

    env = Environment(filename=filename)
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if stripped.startswith("#"):
            key, _, value = stripped.lstrip("#").strip().partition(":")
            if key.strip() == "platform" and value.strip():
                env.platform = value.strip()
            continue
        line = _strip_comment(raw)
        if not line:
            continue
        if line.startswith("@"):
            raise EnvironmentFileError(filename, f"'{line}' is not a match spec (an explicit "
                                                 f"file needs the exact line @EXPLICIT)",
                                       number)
        if line.startswith(("-", "--")):
            raise EnvironmentFileError(filename, f"'{line}' is a pip option; conda "
                                                 f"requirement files hold match specs only",
                                       number)
        try:
            MatchSpec(line)
        except CondaError as exc:
            raise EnvironmentFileError(filename, exc.message, number) from None
        env.requested_packages.append(line)
    return env


class RequirementsSpec:
    """conda's environment-spec protocol for requirement (spec) files."""

    def __init__(self, filename: str):
        self.filename = filename
        self._env: Environment | None = None

    def can_handle(self) -> bool:
        if not self.filename.lower().endswith(".txt"):
            return False
        try:
            text = read_text(self.filename)
        except EnvironmentFileError:
            return True  # ours by name: reading it again reports the error
        return not any(line.strip() == "@EXPLICIT" for line in text.splitlines())

    @property
    def env(self) -> Environment:
        if self._env is None:
            self._env = parse_requirements(read_text(self.filename), self.filename)
        return self._env


def _channel(record: dict[str, Any]) -> str:
    from kernel.models import Channel

    text = str(record.get("channel") or "")
    if not text:
        return ""
    try:
        return str(Channel(text).canonical_name)
    except Exception:
        return text


def export_requirements(env: Any) -> str:
    from kernel import __version__
    from kernel.errors import CondaError

    lines = ["# This file may be used to create an environment using:",
             f"# $ conda create --name {getattr(env, 'name', None) or '<env>'} "
             f"--file <this file>",
             f"# platform: {getattr(env, 'platform', None) or 'unknown'}",
             f"# created-by: microconda {__version__}",
             "# Note: This is a conda requirements file (MatchSpec format)",
             "# Contains conda package specifications, not pip requirements"]
    records = list(getattr(env, "explicit_packages", None) or ())
    specs = [f"{_channel(r)}::{r['name']}=={r['version']}={r['build']}" if _channel(r)
             else f"{r['name']}=={r['version']}={r['build']}" for r in records]
    specs = specs or [str(s) for s in getattr(env, "requested_packages", None) or ()]
    if not specs:
        raise CondaError("cannot export the requirements format: the environment has no "
                         "packages")
    return "\n".join([*lines, *specs]) + "\n"


@hookimpl
def conda_environment_specifiers() -> Iterator[CondaEnvironmentSpecifier]:
    yield CondaEnvironmentSpecifier(name="requirements.txt",
                                    environment_spec=RequirementsSpec)


@hookimpl
def conda_environment_exporters() -> Iterator[CondaEnvironmentExporter]:
    yield CondaEnvironmentExporter(name="requirements", aliases=("reqs", "txt"),
                                   default_filenames=("requirements.txt", "spec.txt"),
                                   export=export_requirements)
