"""Health check ``environment-txt``: the prefix is listed in ``~/.conda/environments.txt``.

``conda env list`` and ``conda activate NAME`` find environments through that file. The
base environment (``root_prefix``) is always known and need not be listed; with
``register_envs: false`` nothing is registered, so nothing is reported missing. The fixer
registers the prefix.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from kernel import hookimpl
from kernel.types import CondaHealthCheck

NAME = "environment-txt"


def _same(a: str, b: str) -> bool:
    return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def is_registered(prefix: str) -> bool:
    from plugins.prefix import registered_environments

    return any(_same(prefix, listed) for listed in registered_environments())


def check(prefix: str, verbose: bool) -> None:
    from kernel.config import get_config
    from plugins.health_checks import report
    from plugins.prefix import environments_txt

    config = get_config()
    where = environments_txt()
    if _same(prefix, config.root_prefix):
        report.ok("This is the base environment; it is always known.", file=where)
    elif is_registered(prefix):
        report.ok(f"The environment is listed in {where}.", file=where)
    elif not config.register_envs:
        report.ok(f"The environment is not listed in {where} (register_envs is false).",
                  file=where)
    else:
        report.problem(f"The environment is not listed in {where}.", file=where,
                       details=["`conda env list` and `conda activate <name>` will not "
                                "find it."])


def fix(prefix: str, args: Any) -> int:
    from kernel import reporting
    from plugins.prefix import environments_txt, register_env

    if register_env(prefix):
        reporting.render(f"Registered {prefix} in {environments_txt()}\n")
    return 0


@hookimpl
def conda_health_checks() -> Iterator[CondaHealthCheck]:
    yield CondaHealthCheck(
        name=NAME, action=check, fixer=fix,
        summary="The environment is registered in ~/.conda/environments.txt.",
        fix="Register the environment in ~/.conda/environments.txt.")
