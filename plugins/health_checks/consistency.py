"""Health check ``consistency``: every installed package's dependencies are installed and
match, and no installed package breaks another's ``constrains``.

Dependencies on virtual packages (``__glibc``, ``__unix``, …) are checked against the
virtual-package plugins. The fixer asks the solver for the missing and mismatched
dependencies from the channels the environment's packages came from (after any ``-c``;
``--override-channels`` keeps only those; the configured channels only when the records
name none) and installs them through the ordinary install flow, so ``--offline`` and a
``file://`` channel need no network.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from kernel import hookimpl
from kernel.types import CondaHealthCheck

NAME = "consistency"


@attrs.frozen
class Issue:
    package: str
    kind: str  # "missing" | "mismatch" | "constrains"
    spec: str
    installed: str | None = None

    def line(self) -> str:
        if self.kind == "missing":
            return f"{self.package} depends on {self.spec}, which is not installed"
        relation = "depends on" if self.kind == "mismatch" else "constrains"
        return f"{self.package} {relation} {self.spec}, but {self.installed} is installed"


def _virtual() -> dict[str, Any]:
    from kernel.errors import CondaError
    from kernel.virtual_packages import virtual_package_records

    try:
        return {str(r.name): r for r in virtual_package_records()}
    except CondaError:
        return {}


def _spec(text: str) -> Any | None:
    from kernel.errors import CondaError
    from kernel.models import MatchSpec

    try:
        return MatchSpec(text)
    except (CondaError, ValueError):
        return None


def find_issues(records: dict[str, dict[str, Any]]) -> list[Issue]:
    from plugins.health_checks.records import dist_name

    virtual = _virtual() if any(str(d).startswith("__") for r in records.values()
                                for d in r.get("depends") or ()) else {}
    issues = []
    for _name, record in sorted(records.items()):
        dist = dist_name(record)
        for kind, texts in (("mismatch", record.get("depends") or ()),
                            ("constrains", record.get("constrains") or ())):
            for text in texts:
                spec = _spec(str(text))
                if spec is None:
                    continue
                found = records.get(spec.name) or virtual.get(spec.name)
                if found is None:
                    if kind == "mismatch":
                        issues.append(Issue(dist, "missing", str(text)))
                    continue
                if not spec.match(found):
                    shown = dist_name(found) if isinstance(found, dict) else \
                        f"{found.name}-{found.version}-{found.build}"
                    issues.append(Issue(dist, kind, str(text), shown))
    return issues


def check(prefix: str, verbose: bool) -> None:
    from plugins.health_checks import report
    from plugins.health_checks.records import scan

    records = scan(prefix).records
    issues = find_issues(records)
    by_package: dict[str, list[Issue]] = {}
    for issue in issues:
        by_package.setdefault(issue.package, []).append(issue)
    for package, found in by_package.items():
        report.problem(f"{package}: {len(found)} unsatisfied dependency or constraint(s)",
                       details=[i.line() for i in found], package=package,
                       issues=[attrs.asdict(i) for i in found])
    if not issues:
        report.ok(f"The environment is consistent ({len(records)} package record(s)).")


def fix(prefix: str, args: Any) -> int:
    from kernel.config import get_config
    from plugins.environment.install_flow import Change, run_change
    from plugins.health_checks.records import scan

    records = scan(prefix).records
    issues = [i for i in find_issues(records) if not i.spec.startswith("__")]
    if not issues:
        return 0
    specs = list(dict.fromkeys(i.spec for i in issues))
    channels, override = fix_channels(records, list(getattr(args, "channel", None) or []),
                                      bool(getattr(args, "override_channels", False)),
                                      bool(get_config().override_channels_enabled))
    change = Change(command="install", prefix=prefix, specs_to_add=[_spec(s) for s in specs],
                    channels=channels, override_channels=override)
    return run_change(change)


def fix_channels(records: dict[str, dict[str, Any]], given: list[str], override: bool,
                 override_enabled: bool = True) -> tuple[list[str], bool]:
    """``(channels, override_channels)`` the fix solves against.

    The environment's own channels (those its records came from), after any ``-c``
    channels; the configured channels only when the records name none (or when overriding
    is disabled). ``--override-channels`` keeps the ``-c`` channels alone.
    """
    if override:
        return given, True
    own = [c for c in (_channel(r) for r in records.values()) if c]
    channels = list(dict.fromkeys([*given, *own]))
    return channels, bool(own) and override_enabled


def _channel(record: dict[str, Any]) -> str:
    """The channel a record came from, without its subdir (``file:///ch``, ``conda-forge``)."""
    channel = str(record.get("channel") or "").rstrip("/")
    subdir = str(record.get("subdir") or "")
    if subdir and channel.endswith("/" + subdir):
        channel = channel[: -len(subdir) - 1]
    return channel


@hookimpl
def conda_health_checks() -> Iterator[CondaHealthCheck]:
    yield CondaHealthCheck(
        name=NAME, action=check, fixer=fix,
        summary="Every installed package's depends and constrains are satisfied.",
        fix="Solve for the missing or mismatched dependencies and install them.")
