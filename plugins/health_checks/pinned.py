"""Health check ``pinned``: ``conda-meta/pinned`` parses, and each pin names an installed
package.

A line that is not a match spec makes every solve in the prefix fail; a pin naming a package
that is not installed is most often a typo (``numpyy``) that silently pins nothing. The fixer
rewrites the file without those lines, keeping comments, blank lines and good pins as they
were.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from kernel import hookimpl
from kernel.types import CondaHealthCheck

NAME = "pinned"


def invalid_lines(prefix: str) -> tuple[list[str], list[tuple[int, str, str]]]:
    """The file's lines and ``(line number, line, reason)`` of each invalid one."""
    from kernel.errors import CondaError
    from kernel.models import MatchSpec
    from plugins.health_checks.records import scan
    from plugins.prefix.pinned import PINNED

    try:
        with open(os.path.join(prefix, PINNED), encoding="utf-8") as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return [], []
    installed = scan(prefix).records
    bad: list[tuple[int, str, str]] = []
    for number, line in enumerate(lines, 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            spec = MatchSpec(text)
        except (CondaError, ValueError) as exc:
            bad.append((number, line, f"not a valid spec ({exc})"))
            continue
        if spec.name not in installed and not str(spec.name).startswith("__"):
            bad.append((number, line, f"'{spec.name}' is not installed"))
    return lines, bad


def check(prefix: str, verbose: bool) -> None:
    from plugins.health_checks import report
    from plugins.prefix import read_pinned

    _, bad = invalid_lines(prefix)
    for number, line, reason in bad:
        report.problem(f"conda-meta/pinned line {number}: {line.strip()!r}: {reason}",
                       line=number, text=line, reason=reason)
    if not bad:
        count = len(read_pinned(prefix))
        report.ok(f"conda-meta/pinned is valid ({count} pin(s))." if count
                  else "No pins in conda-meta/pinned.")


def fix(prefix: str, args: Any) -> int:
    from kernel import reporting
    from plugins.prefix.pinned import PINNED

    lines, bad = invalid_lines(prefix)
    if not bad:
        return 0
    drop = {number for number, _, _ in bad}
    path = os.path.join(prefix, PINNED)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("".join(f"{line}\n" for n, line in enumerate(lines, 1) if n not in drop))
    os.replace(tmp, path)
    reporting.render(f"Removed {len(drop)} line(s) from {path}\n")
    return 0


@hookimpl
def conda_health_checks() -> Iterator[CondaHealthCheck]:
    yield CondaHealthCheck(
        name=NAME, action=check, fixer=fix,
        summary="conda-meta/pinned parses and names installed packages.",
        fix="Drop the invalid lines from conda-meta/pinned (comments are kept).")
