"""``conda doctor`` (alias ``check``): run the health checks on an environment.

Checks come only from the ``conda_health_checks`` hook; this module never imports one.
Each check reports findings through :mod:`plugins.health_checks.report` (or prints conda's
``✅``/``❌`` lines, which are read back as findings). A check that raises is one failed
finding naming its plugin and distribution; the others still run.

``--fix`` offers each failing check's fixer (asking first; ``-y`` agrees, ``--dry-run``
only says what it would do), then runs the checks again and reports what is left. The exit
status is 1 while a check fails, else 0. ``--json`` prints the report as one object.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterator, Sequence
from contextlib import redirect_stdout
from typing import TYPE_CHECKING, Any

from kernel import hookimpl
from kernel.types import CondaSubcommand

if TYPE_CHECKING:
    from kernel.types import CondaHealthCheck

SUMMARY = "Display a health report for your environment."


def configure_parser(parser: argparse.ArgumentParser) -> None:
    from plugins.environment.prefix_args import (
        add_channel_args,
        add_output_args,
        add_prefix_args,
    )

    parser.add_argument("checks", metavar="CHECK", nargs="*",
                        help="Run only these health checks (default: all; see --list).")
    add_prefix_args(parser)
    parser.add_argument("--list", action="store_true", dest="list_checks",
                        help="List the available health checks and their fixes.")
    parser.add_argument("--fix", action="store_true",
                        help="Offer to fix what the failing checks found.")
    add_output_args(parser)
    add_channel_args(parser, repodata=False)  # for fixes that solve (consistency)


# -- running checks -----------------------------------------------------------------------


def provider(manager: Any, record: CondaHealthCheck) -> dict[str, str]:
    """The plugin (name, distribution, version) that yielded ``record``."""
    module = str(getattr(record.action, "__module__", "") or "")
    parts = module.split(".")
    while parts and parts != [""]:
        candidate = sys.modules.get(".".join(parts))
        if candidate is not None and manager.is_registered(candidate):
            return _info(manager.info_for(candidate))
        parts.pop()
    for impl in manager.hook.conda_health_checks.get_hookimpls():
        if getattr(impl.function, "__module__", None) == module:
            return _info(manager.info_for(impl.plugin))
    return {"plugin": "unknown", "distribution": "unknown", "version": "0"}


def _info(info: Any) -> dict[str, str]:
    return {"plugin": info.name, "distribution": info.distribution, "version": info.version}


def run_check(record: CondaHealthCheck, prefix: str, verbose: bool,
              origin: dict[str, str]) -> dict[str, Any]:
    """Run one check; whatever it does, the result is a dict with its findings."""
    from plugins.health_checks import report

    printed = io.StringIO()
    error: BaseException | None = None
    with report.collect(record.name) as collected, redirect_stdout(printed):
        try:
            record.action(prefix, verbose)
        except (Exception, SystemExit) as exc:
            error = exc
    findings = [*collected, *report.findings_from_text(record.name, printed.getvalue())]
    if error is not None:
        who = f"{origin['plugin']} ({origin['distribution']} {origin['version']})"
        findings.append(report.Finding(
            record.name, False, f"The check raised {type(error).__name__}: {error} "
            f"[plugin {who}]", data={"exception": type(error).__name__, "error": str(error)}))
    if not findings:
        findings.append(report.Finding(record.name, True, "No problems reported."))
    return {"name": record.name, "summary": record.summary, "fix": record.fix,
            "fixable": record.fixer is not None, "ok": all(f.ok for f in findings),
            "raised": error is not None, **origin, "findings": findings}


def select(records: Sequence[CondaHealthCheck], names: Sequence[str]) -> list[CondaHealthCheck]:
    from kernel.errors import ArgumentError

    by_name = {r.name: r for r in records}
    unknown = [n for n in names if n.strip().lower() not in by_name]
    if unknown:
        raise ArgumentError(f"unknown health check(s): {', '.join(unknown)} (available: "
                            f"{', '.join(sorted(by_name)) or 'none'})", checks=unknown)
    wanted = {n.strip().lower() for n in names}
    return [by_name[n] for n in sorted(by_name) if not wanted or n in wanted]


# -- output ---------------------------------------------------------------------------------


def report_text(prefix: str, results: Sequence[dict[str, Any]], verbose: bool,
                title: str = "Environment Health Report for", hint: bool = True) -> str:
    from plugins.health_checks import report

    lines = [f"{title}: {prefix}", ""]
    for result in results:
        for finding in result["findings"]:
            mark = report.OK_MARK if finding.ok else report.X_MARK
            lines.append(f"{mark} {result['name']}: {finding.message}")
            if verbose:
                lines.extend(f"    {detail}" for detail in finding.details)
    failed = sum(not r["ok"] for r in results)
    lines += ["", f"{len(results) - failed} of {len(results)} check(s) passed."
              + (" Run with --fix to repair what can be repaired." if hint and failed and any(
                  r["fixable"] and not r["ok"] for r in results) else ""), ""]
    return "\n".join(lines)


def as_json(results: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "findings": [f.as_json() for f in r["findings"]]} for r in results]


def list_checks(manager: Any, records: Sequence[CondaHealthCheck], json: bool) -> None:
    from kernel import reporting

    rows = []
    for record in sorted(records, key=lambda r: r.name):
        origin = provider(manager, record)
        rows.append({"name": record.name, "summary": record.summary or "",
                     "fix": record.fix or ("(has a fixer)" if record.fixer else ""),
                     "fixable": record.fixer is not None, **origin})
    if json:
        reporting.render({"checks": rows})
        return
    reporting.table([[r["name"], r["summary"], r["fix"] or "-",
                      f"{r['distribution']} {r['version']}"] for r in rows],
                    ["name", "summary", "fix", "provided by"])


# -- fixing ---------------------------------------------------------------------------------


def apply_fix(record: CondaHealthCheck, result: dict[str, Any], prefix: str,
              args: argparse.Namespace, config: Any) -> dict[str, Any]:
    """Offer and run one fixer; returns what happened."""
    from kernel import reporting
    from kernel.errors import CondaSystemExit

    outcome: dict[str, Any] = {"name": record.name, "fix": record.fix}
    if record.fixer is None:
        outcome["status"] = "no fixer"
        if not config.json:
            reporting.render(f"{record.name}: no automatic fix is available.\n")
        return outcome
    what = record.fix or "run its fixer"
    if config.dry_run:
        outcome["status"] = "dry run"
        if not config.json:
            reporting.render(f"Would fix '{record.name}': {what}\n" + "".join(
                f"    {f.message}\n" for f in result["findings"] if not f.ok))
        return outcome
    try:
        if not config.json:
            reporting.render(f"\n'{record.name}': {what}\n")
        reporting.confirm(f"Fix '{record.name}'", dry_run=False)
        captured = io.StringIO()
        if config.json:
            with redirect_stdout(captured):
                code = record.fixer(prefix, args)
            outcome["output"] = captured.getvalue()
        else:
            code = record.fixer(prefix, args)
    except CondaSystemExit:
        outcome["status"] = "declined"
        return outcome
    except Exception as exc:
        from kernel.errors import ChannelError, PackagesNotFoundError

        # another fix can unblock a solve (a bad pin), never reach a channel or find a package
        outcome.update(status="failed", error=f"{type(exc).__name__}: {exc}",
                       retry=not isinstance(exc, (ChannelError, PackagesNotFoundError)))
        if not config.json:
            reporting.render(f"❌ fixing '{record.name}' failed: {outcome['error']}\n")
        return outcome
    outcome.update(status="fixed" if not code else "failed", exit_code=int(code or 0))
    return outcome


def fix_all(failing: list[tuple[CondaHealthCheck, dict[str, Any]]], prefix: str,
            args: argparse.Namespace, config: Any, verbose: bool,
            origins: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """Offer each failing check's fix, in rounds: a fix that failed is offered again after
    another fix succeeded (fixes can depend on each other: a bad pin makes every solve
    fail), until a round makes no progress. A fix that failed on a channel (unreachable,
    offline without a cache) or on a package no channel has is shown once and not retried:
    no other fix can change that."""
    fixes: list[dict[str, Any]] = []
    pending = failing
    while pending:
        retry = []
        for record, result in pending:
            outcome = apply_fix(record, result, prefix, args, config)
            fixes.append(outcome)
            if outcome["status"] == "failed" and outcome.pop("retry", False):
                retry.append(record)
        if not retry or not any(f["status"] == "fixed" for f in fixes[-len(pending):]):
            break
        again = [(r, run_check(r, prefix, verbose, origins[r.name])) for r in retry]
        pending = [(r, res) for r, res in again if not res["ok"]]
    return fixes


def execute(args: argparse.Namespace) -> int:
    from kernel import reporting
    from kernel.manager import get_plugin_manager
    from plugins.environment.prefix_args import apply_overrides
    from plugins.environment.resolve_prefix import resolve_prefix

    config = apply_overrides(args)
    manager = get_plugin_manager()
    records = list(manager.hook_results("conda_health_checks"))
    if args.list_checks:
        list_checks(manager, select(records, args.checks), bool(config.json))
        return 0
    chosen = select(records, args.checks)
    prefix = resolve_prefix(args, config)
    verbose = bool(getattr(args, "verbose", 0))
    origins = {r.name: provider(manager, r) for r in chosen}

    def run_all() -> list[dict[str, Any]]:
        return [run_check(r, prefix, verbose, origins[r.name]) for r in chosen]

    results = run_all()
    if not config.json:
        reporting.render(report_text(prefix, results, verbose, hint=not args.fix))
    data: dict[str, Any] = {"prefix": prefix, "checks": as_json(results)}
    if args.fix:
        failing = [(r, res) for r, res in zip(chosen, results, strict=True) if not res["ok"]]
        fixes = fix_all(failing, prefix, args, config, verbose, origins)
        data["fixes"] = fixes
        if any(f["status"] in ("fixed", "failed") for f in fixes):
            data["before_fixes"] = data["checks"]
            results = run_all()
            data["checks"] = as_json(results)
            if not config.json:
                reporting.render("\n" + report_text(prefix, results, verbose,
                                                    "Report after fixes for"))
    data["success"] = all(r["ok"] for r in results)
    if config.json:
        reporting.render(data)
    return 0 if data["success"] else 1


@hookimpl
def conda_subcommands() -> Iterator[CondaSubcommand]:
    yield CondaSubcommand(name="doctor", summary=SUMMARY, action=execute, aliases=("check",),
                          configure_parser=configure_parser)
