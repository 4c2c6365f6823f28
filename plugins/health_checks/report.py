"""How a health check says what it found, and how ``conda doctor`` collects it.

``CondaHealthCheck.action(prefix, verbose)`` returns nothing (conda's contract), so a check
reports its findings here instead of printing them::

    from plugins.health_checks import report

    def check(prefix, verbose):
        missing = find_missing(prefix)
        if missing:
            report.problem(f"{len(missing)} files are missing", details=missing,
                           files=missing)
        else:
            report.ok("every file is present")

The doctor command runs each check inside :func:`collect`, which gathers the
:class:`Finding` objects for its console output, ``--json`` and exit status. Outside
:func:`collect` (a check called on its own), each finding is printed as one marked line,
the way conda's checks print. A check written for conda that only prints ``✅``/``❌``
lines still works: :func:`findings_from_text` turns those lines into findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import attrs

OK_MARK = "✅"
X_MARK = "❌"


def _lines(values: Iterable[Any]) -> tuple[str, ...]:
    return tuple(str(v) for v in values)


@attrs.frozen
class Finding:
    """One line of a check's report: ``ok`` or a problem, with optional details and data.

    ``details`` are extra lines shown under ``-v``; ``data`` is JSON-able and appears as
    is in ``conda doctor --json``.
    """

    check: str
    ok: bool
    message: str
    details: tuple[str, ...] = attrs.field(default=(), converter=_lines)
    data: dict[str, Any] = attrs.field(factory=dict)

    def line(self) -> str:
        return f"{OK_MARK if self.ok else X_MARK} {self.message}"

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "message": self.message, "details": list(self.details),
                "data": self.data}


_stack: list[tuple[str, list[Finding]]] = []


@contextmanager
def collect(check: str) -> Iterator[list[Finding]]:
    """Gather the findings reported while the block runs (nested blocks are separate)."""
    found: list[Finding] = []
    _stack.append((check, found))
    try:
        yield found
    finally:
        _stack.pop()


def add(finding: Finding) -> Finding:
    """Record ``finding`` in the innermost :func:`collect`, or print it when none."""
    if _stack:
        _stack[-1][1].append(finding)
    else:
        print(finding.line())
        for detail in finding.details:
            print(f"    {detail}")
    return finding


def _report(ok: bool, message: str, details: Iterable[Any], data: dict[str, Any]) -> Finding:
    check = _stack[-1][0] if _stack else ""
    return add(Finding(check, ok, message, _lines(details), data))


def ok(message: str, *, details: Iterable[Any] = (), **data: Any) -> Finding:
    """Report that something checked is fine."""
    return _report(True, message, details, data)


def problem(message: str, *, details: Iterable[Any] = (), **data: Any) -> Finding:
    """Report a problem; ``conda doctor`` exits non-zero while one remains."""
    return _report(False, message, details, data)


def findings_from_text(check: str, text: str) -> list[Finding]:
    """Findings from what a check printed: each ``✅``/``❌`` line starts one; other
    non-blank lines become details of the finding before them (or of an unmarked one)."""
    found: list[Finding] = []
    lines: list[str] = []
    ok_flag: bool | None = None

    def flush() -> None:
        if ok_flag is not None:
            found.append(Finding(check, ok_flag, lines[0], _lines(lines[1:])))
        elif lines:
            found.append(Finding(check, True, lines[0], _lines(lines[1:])))

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith((OK_MARK, X_MARK)):
            flush()
            ok_flag = line.startswith(OK_MARK)
            lines = [line[1:].strip()]
        else:
            lines.append(line)
    flush()
    return found
