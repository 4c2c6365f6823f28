"""``conda compare FILE``: does an environment hold what an environment file asks for?

Each ``dependencies`` entry of the file (conda specs, and the ``pip:`` list) is matched
against the environment's records by name: a missing name or a record the spec does not
match is one line each, and the exit code is 1; when all match, conda's ``Success. …``
line and 0. ``--json`` prints the same lines as a JSON list, as conda does.

The environment's records include what pip installed (``conda_prefix_data_loaders``), so
a ``pip:`` entry ``name==version`` matches the pip package, as in conda.

The file is read by the first ``conda_environment_specifiers`` plugin that can handle it;
when none is installed (or none handles the file), a plain ``environment.yml`` is read
here with ``ruamel.yaml``.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator, Sequence
from typing import Any

from kernel import hookimpl
from kernel.errors import CondaError
from kernel.types import CondaSubcommand

SUMMARY = "Compare packages between conda environments."
SUCCESS = ("Success. All the packages in the specification file are present in the "
           "environment with matching version and build string.")


class EnvironmentFileError(CondaError):
    """The environment file is missing, unreadable, or not an environment file."""


def configure_parser(parser: argparse.ArgumentParser) -> None:
    from plugins.environment.prefix_args import add_prefix_args

    add_prefix_args(parser)
    parser.add_argument("file", help="Path to the environment file to compare against.")


def _from_specifiers(path: str) -> list[str] | None:
    from kernel.manager import get_plugin_manager

    for record in get_plugin_manager().hook_results("conda_environment_specifiers"):
        try:
            spec = record.environment_spec(path)
            if not spec.can_handle():
                continue
            env = spec.env
        except CondaError:
            raise
        except Exception:  # a specifier that cannot read this file leaves it to the next
            continue
        requested = getattr(env, "requested_packages", None)
        if requested is not None:  # conda's Environment: conda specs, then external ones
            external = getattr(env, "external_packages", None) or {}
            return [str(s) for s in requested] + [
                str(s) for entries in external.values() for s in entries or ()]
        deps = getattr(env, "dependencies", None)
        if isinstance(deps, dict):
            return [str(s) for key in ("conda", "pip") for s in deps.get(key) or ()]
        if deps is not None:
            return [str(s) for s in deps]
    return None


def _from_yaml(path: str) -> list[str]:
    from ruamel.yaml import YAML

    try:
        with open(path, encoding="utf-8") as f:
            data = YAML(typ="safe", pure=True).load(f)
    except Exception as exc:
        raise EnvironmentFileError(f"cannot read environment file {path}: "
                                   f"{type(exc).__name__}: {exc}".splitlines()[0],
                                   path=path) from None
    if not isinstance(data, dict) or not isinstance(data.get("dependencies") or [], list):
        raise EnvironmentFileError(f"{path} is not an environment file (expected a mapping "
                                   f"with a 'dependencies' list)", path=path)
    specs: list[str] = []
    for entry in data.get("dependencies") or []:
        if isinstance(entry, dict):
            specs += [str(s) for s in entry.get("pip") or ()]
        elif entry is not None:
            specs.append(str(entry))
    return specs


def read_dependencies(path: str) -> list[str]:
    if not os.path.isfile(path):
        raise EnvironmentFileError(f"Unable to locate environment file: {path}", path=path)
    found = _from_specifiers(path)
    return found if found is not None else _from_yaml(path)


def compare(installed: dict[str, Any], specs: Sequence[str]) -> tuple[int, list[str]]:
    """conda's ``compare_packages``: ``(exit code, lines)``."""
    from kernel.models import MatchSpec

    lines: list[str] = []
    for text in specs:
        spec = MatchSpec(text)
        record = installed.get(spec.name)
        if record is None:
            lines.append(f"{spec.name} not found")
        elif not spec.match(record):
            lines.append(f"{spec.name} found but mismatch. Specification pkg: {text}, "
                         f"Running pkg: {record.name}={record.version}={record.build}")
    if not lines:
        return 0, [SUCCESS]
    return 1, lines


def execute(args: argparse.Namespace) -> int:
    from kernel import reporting
    from plugins.environment.prefix_args import apply_overrides
    from plugins.environment.resolve_prefix import resolve_prefix
    from plugins.prefix import PrefixData

    config = apply_overrides(args)
    prefix = resolve_prefix(args, config)
    path = os.path.abspath(os.path.expanduser(os.path.expandvars(args.file)))
    specs = read_dependencies(path)
    installed = {r.name: r for r in PrefixData(prefix, interoperability=True).records()}
    code, lines = compare(installed, specs)
    reporting.render(lines if config.json else "\n".join(lines) + "\n")
    return code


@hookimpl
def conda_subcommands() -> Iterator[CondaSubcommand]:
    yield CondaSubcommand(name="compare", summary=SUMMARY, action=execute,
                          configure_parser=configure_parser)
