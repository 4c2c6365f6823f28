"""The path every environment-changing command takes, stage by stage.

specs (command line, ``--file``) → index (``plugins.index``) → solve (the configured
``conda_solvers`` plugin, with ``conda_pre_solves`` / ``conda_post_solves`` around it) →
plan (``plugins.transaction.plan_transaction``) → display (``## Package Plan ##`` or
``--json``) → confirm (``-y``; ``--dry-run`` stops here, having written nothing) → fetch
and extract (``--download-only`` stops here) → the packages' pre-link messages, confirmed
again (conda's ``PRELINK MESSAGES`` block) → :class:`plugins.transaction.Transaction`.

Commands build a :class:`Change` and call :func:`run_change`; they never import a solver.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from kernel.errors import CondaError, PackagesNotFoundError

ALREADY_INSTALLED = "All requested packages already installed."


class SpecFileError(CondaError):
    """A ``--file`` cannot be read or holds a line that is not a spec or package URL."""


class PackageNotInstalledError(CondaError):
    """``conda update`` named a package the environment does not have."""


class NoChannelsConfiguredError(CondaError):
    """Packages were requested but no channel is configured or given (conda's error)."""

    def __init__(self, packages: Sequence[str]) -> None:
        wanted = ", ".join(packages) or "the requested packages"
        super().__init__(
            "No channels are configured. Conda requires at least one channel to search "
            f"for packages.\n\nYou have attempted to install: {wanted}\n\n"
            f"Name a channel for this command (conda install -c <channel> {wanted}) or "
            "add one to the configuration (conda config --append channels <channel>).",
            packages=list(packages))


@dataclass
class Change:
    """What one command asks for (see the module docstring)."""

    command: str
    prefix: str
    specs_to_add: list[Any] = field(default_factory=list)
    specs_to_remove: list[Any] = field(default_factory=list)
    explicit_urls: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    override_channels: bool = False
    creating: bool = False
    update_modifier: str | None = None
    deps_modifier: str | None = None
    force_reinstall: bool = False
    force_remove: bool = False
    #: conda's prune (``env update --prune``): solve the specs as if nothing were
    #: installed, so what no longer serves a requested spec is removed
    prune: bool = False
    #: conda's install (no update flag) and env update: solve with what does not
    #: conflict frozen first, then once more with update_specs (None: install without
    #: an update flag)
    freeze_first: bool | None = None
    download_only: bool = False
    remove_all: bool = False
    #: a ready RecordSource (``remove`` uses the installed records); None loads the index
    source: Any = None
    #: the final environment, already known (``--clone``, ``--revision``): no solve
    final_records: list[Any] | None = None


# -- specs ------------------------------------------------------------------------------------


def parse_specs(values: Sequence[str]) -> list[Any]:
    """``MatchSpec`` of each value; a bad one raises naming it."""
    from kernel.models import MatchSpec

    return [MatchSpec(v) for v in values if v.strip()]


def read_spec_files(paths: Sequence[str]) -> tuple[list[str], list[str]]:
    """``(specs, explicit package URLs)`` of ``--file`` files (``@EXPLICIT`` ones give URLs)."""
    specs: list[str] = []
    urls: list[str] = []
    for path in paths:
        try:
            with open(os.path.expanduser(path), encoding="utf-8") as f:
                lines = [line.split("#", 1)[0].strip() if not line.lstrip().startswith(
                    ("http", "file:")) else line.strip() for line in f]
        except (OSError, UnicodeDecodeError) as exc:
            raise SpecFileError(f"cannot read spec file {path}: {exc}", path=path) from None
        explicit = "@EXPLICIT" in lines
        for line in lines:
            if not line or line.startswith(("#", "@")):
                continue
            if explicit:
                if "://" not in line:
                    raise SpecFileError(f"{path}: '{line}' is not a package URL (the file "
                                        f"is @EXPLICIT)", path=path)
                urls.append(line)
            else:
                specs.append(line)
    return specs, urls


def spec_channels(specs: Sequence[Any]) -> list[str]:
    """Channels named by ``channel::name`` specs (searched after ``-c``)."""
    found = []
    for spec in specs:
        channel = spec.get("channel")
        if channel is not None:
            found.append(str(getattr(channel, "canonical_name", channel)))
    return found


# -- index and solve --------------------------------------------------------------------------


def load_source(change: Change) -> Any:
    if change.source is not None:
        return change.source
    from kernel.config import get_config
    from plugins.index import load_index

    channels = list(dict.fromkeys([*change.channels, *spec_channels(change.specs_to_add)]))
    if change.specs_to_add:
        from plugins.index import resolve_channels

        if not resolve_channels(get_config(), channels, change.override_channels):
            raise NoChannelsConfiguredError([s.name for s in change.specs_to_add])
    if get_config().dry_run:  # a dry run reads the repodata cache as it is, when it can
        try:
            return load_index(channels=channels, override_channels=change.override_channels,
                              use_index_cache=True)
        except CondaError:
            pass
    return load_index(channels=channels, override_channels=change.override_channels)


def solve(change: Change, source: Any, installed: Sequence[Any]) -> Any:
    """Ask the configured solver plugin, with the pre/post-solve hooks around it."""
    import attrs

    from kernel.config import get_config
    from kernel.errors import UnsatisfiableError
    from kernel.manager import get_plugin_manager
    from kernel.models import MatchSpec
    from kernel.types import SolveRequest
    from plugins.prefix import PrefixData, read_pinned
    from plugins.prefix.base import is_root_prefix

    config = get_config()
    manager = get_plugin_manager()
    solver = manager.find("conda_solvers", str(config.solver), what="solver")
    prefix_data = PrefixData(change.prefix)
    history: list[Any] = []
    pinned: list[Any] = []
    if installed:
        for text in prefix_data.requested_specs_map().values():
            try:
                history.append(MatchSpec(text))
            except CondaError:
                continue
        pinned = parse_specs(read_pinned(change.prefix))
    pinned += parse_specs(list(config.pinned_packages))
    ignore_pinned = bool(config.ignore_pinned)
    # conda's install without an update flag first solves with everything that does not
    # conflict frozen, and on failure once more with update_specs
    retry = change.freeze_first
    if retry is None:
        retry = change.command == "install" and change.update_modifier is None
    retry = bool(retry) and bool(installed) and not change.prune
    modifier = "freeze_installed" if retry else (
        change.update_modifier or config.update_modifier)
    request = SolveRequest(
        source=source, specs_to_add=tuple(change.specs_to_add),
        specs_to_remove=tuple(change.specs_to_remove), installed=tuple(installed),
        history_specs=tuple(history), pinned=() if ignore_pinned else tuple(pinned),
        ignore_pinned=ignore_pinned, prune=change.prune, should_retry_solve=retry,
        virtual_packages=tuple(getattr(source, "virtual", ())),
        channel_priority=config.channel_priority,
        update_modifier=cast(Any, modifier),
        deps_modifier=cast(Any, change.deps_modifier or config.deps_modifier),
        force_remove=change.force_remove, force_reinstall=change.force_reinstall,
        aggressive_update_packages=tuple(config.aggressive_update_packages),
        add_pip_as_python_dependency=bool(config.add_pip_as_python_dependency),
        conda_prefix=is_root_prefix(str(change.prefix), config),
        auto_update_conda=bool(config.auto_update_conda))
    for hook in manager.hook_results("conda_pre_solves"):
        hook.action(frozenset(request.specs_to_add), frozenset(request.specs_to_remove))
    try:
        result = solver.backend(request)
    except UnsatisfiableError:
        if not retry:
            raise
        result = solver.backend(attrs.evolve(request, update_modifier="update_specs",
                                             should_retry_solve=False))
    for hook in manager.hook_results("conda_post_solves"):
        hook.action(str(config.repodata_fns[0]), tuple(result.unlink), tuple(result.link))
    return result


def explicit_records(urls: Sequence[str]) -> list[Any]:
    """The repodata record of each ``@EXPLICIT`` URL, read from its channel's index."""
    from plugins.index import load_index

    records = []
    for line in urls:
        url, _, checksum = line.partition("#")
        base, _, fn = url.rstrip("/").rpartition("/")
        channel_url, _, subdir = base.rpartition("/")
        if not fn.endswith((".conda", ".tar.bz2")) or not channel_url:
            raise SpecFileError(f"'{line}' is not a package URL", url=line)
        index = load_index(channels=[channel_url], subdirs=[subdir], override_channels=True,
                           virtual=False)
        name = fn.rsplit("-", 2)[0]
        found = [r for r in index.records(name) if r.fn == fn]
        if not found:
            raise PackagesNotFoundError(f"package {fn} not found in {base}", url=line)
        checksum = checksum.removeprefix("sha256:")
        record = found[0]
        if checksum and checksum not in (record.md5, record.sha256):
            raise SpecFileError(f"checksum of {fn} in the file does not match its channel",
                                url=line)
        records.append(record)
    return records


def metadata_message(change: Change) -> str:
    """conda's line before the index loads: the channels (canonical names), the platform,
    ``Collecting package metadata (repodata.json)``."""
    from kernel.config import get_config
    from kernel.models import Channel
    from kernel.session import redact_url
    from plugins.index.index import resolve_channels, sync_channel_context

    config = get_config()
    sync_channel_context(config, list(config.subdirs))
    values = resolve_channels(config, [*change.channels, *spec_channels(change.specs_to_add)],
                              change.override_channels)
    names = dict.fromkeys(redact_url(str(Channel(v).canonical_name)) for v in values)
    listed = "".join(f" - {name}\n" for name in names)
    return (f"Channels:\n{listed}Platform: {config.subdir}\n"
            f"Collecting package metadata ({config.repodata_fns[-1]})")


def with_channels(exc: PackagesNotFoundError, source: Any, change: Change) -> CondaError:
    """conda's not-found error for packages the solve could not find: the channels searched,
    and where to look for others (a remove's missing packages are left as they are)."""
    from kernel.errors import PackagesNotFoundInChannelsError

    urls = getattr(source, "channel_urls", None)
    if (isinstance(exc, PackagesNotFoundInChannelsError) or not exc.packages or urls is None
            or change.specs_to_remove):
        return exc
    return PackagesNotFoundInChannelsError(packages=exc.packages, channel_urls=urls())


# -- plan, confirm, transact ------------------------------------------------------------------


def _final_records(change: Change, installed: Sequence[Any]) -> tuple[list[Any], set[str]]:
    """The final environment and the names to relink even when unchanged."""
    if change.remove_all:
        return [], set()
    if change.final_records is not None:
        return list(change.final_records), set()
    if change.explicit_urls:
        wanted = explicit_records(change.explicit_urls)
        names = {r.name for r in wanted}
        kept = [r for r in installed if r.name not in names]
        return [*kept, *wanted], (names if change.force_reinstall else set())
    if change.creating and not change.specs_to_add:
        return [], set()  # an empty environment needs no channel
    from kernel import reporting

    if change.source is not None:
        source = change.source
    else:
        with reporting.spinner(metadata_message(change)):
            source = load_source(change)
    try:
        with reporting.spinner("Solving environment"):
            result = solve(change, source, installed)
    except PackagesNotFoundError as exc:
        raise with_channels(exc, source, change) from None
    final = [r for r in result.records if not str(r.name).startswith("__")]
    forced = {r.name for r in result.link} & {r.name for r in result.unlink}
    return final, forced


def _show(text: str) -> None:
    from kernel import reporting
    from kernel.config import get_config

    if not get_config().json:
        reporting.render(text)


def _json(data: dict[str, Any]) -> None:
    from kernel import reporting
    from kernel.config import get_config

    if get_config().json:
        reporting.render(data)


def _confirm_prelink_messages(txn: Any) -> None:
    """Show the packages' pre-link messages and ask again (``-y`` answers), as conda does."""
    from kernel import reporting

    text = txn.prelink_messages()
    if text:
        _show(text)
        reporting.confirm()


def run_change(change: Change) -> int:
    """Solve, show, confirm and apply ``change``; returns the exit code."""
    from kernel.config import get_config

    config = get_config()
    exists = os.path.isdir(os.path.join(change.prefix, "conda-meta"))
    if not exists or config.dry_run:
        return _run_change(change, exists)
    # Hold the prefix from recovery through execution, so the plan is never made against
    # a state another command is changing (the lock is re-entrant for the transaction).
    from plugins.transaction import PrefixLock, recover

    with PrefixLock(change.prefix):
        recover(change.prefix)
        return _run_change(change, exists)


def _run_change(change: Change, exists: bool) -> int:
    from kernel import reporting
    from kernel.config import get_config
    from kernel.errors import DryRunExit
    from plugins.environment.plan_display import actions_json, plan_text
    from plugins.package_cache import find_entry
    from plugins.prefix import PrefixData
    from plugins.prefix.records import record_dict
    from plugins.transaction import plan_transaction

    config = get_config()
    current = PrefixData(change.prefix).records() if exists else []
    for_solver = [] if change.creating else current
    final, forced = _final_records(change, for_solver)
    plan = plan_transaction(change.prefix, final, installed=current, force_reinstall=forced)
    if plan.nothing_to_do and not change.creating and not change.download_only:
        _show(f"\n# {ALREADY_INSTALLED}\n\n")
        _json({"success": True, "message": ALREADY_INSTALLED})
        return 0
    to_fetch = [r for r in plan.link if find_entry(record_dict(r), None) is None]
    specs = [str(s) for s in (change.specs_to_remove if change.command == "remove"
                              else change.specs_to_add)]
    if not config.json:  # the text plan is not shown with --json; skip building it
        _show(plan_text(change.prefix, plan.unlink, plan.link, specs=specs,
                        removed=change.command == "remove", to_download=to_fetch))
    actions = actions_json(change.prefix, plan.unlink, plan.link, to_fetch)
    if config.dry_run:
        if config.json:
            reporting.render({"success": True, "dry_run": True, "prefix": change.prefix,
                              "actions": actions})
            return 0
        raise DryRunExit("Dry run. Exiting.")
    reporting.confirm()
    # Fetching and linking load only now: a dry run never needs them.
    from plugins.package_cache import fetch_packages
    from plugins.transaction import Transaction

    if change.download_only:
        fetch_packages(plan.link, progress=not (config.quiet or config.json))
        _show("Downloaded packages; --download-only given, leaving the environment as it "
              "is.\n")
        _json({"success": True, "prefix": change.prefix, "actions": actions,
               "download_only": True})
        return 0
    txn = Transaction(change.prefix, plan.unlink, plan.link,
                      requested_specs=[] if change.command == "remove" else specs,
                      removed_specs=specs if change.command == "remove" else [],
                      command_line=sys.argv, progress=not (config.quiet or config.json))
    txn.prepare()
    with reporting.spinner("Preparing transaction"):
        pass  # everything was fetched and read by prepare()
    with reporting.spinner("Verifying transaction"):
        pass  # the transaction verifies as it links; conda's line, for scripts that read it
    _confirm_prelink_messages(txn)
    with reporting.spinner("Executing transaction"):
        txn.execute()
    _json({"success": True, "prefix": change.prefix, "actions": actions})
    return 0
