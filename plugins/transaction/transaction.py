"""``Transaction``: unlink and link packages in a prefix, all or nothing.

``execute()`` runs, in order: recovery of any earlier crash; fetch and extract (package
cache); the prefix lock; ``conda_pre_transaction_actions``; the journal; for each package
to remove its pre-unlink script, files, then record; for each package to add its pre-link
script and files, then entry points, post-link scripts, ``.pyc`` compilation and records;
``conda-meta/history``; the commit mark; ``conda_post_transaction_actions``; and
``environments.txt``. Any exception — a failing post-link script, a full disk, Ctrl-C,
``SIGTERM`` — rolls every change back before it propagates; a ``kill -9`` is rolled back by
the next command's :func:`~plugins.transaction.recovery.recover`.
"""

from __future__ import annotations

import os
import shlex
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from plugins.prefix.history import History, dist_str, spec_name
from plugins.prefix.prefix_data import PrefixData
from plugins.prefix.records import record_dict
from plugins.transaction import noarch
from plugins.transaction.journal import Journal, remove_created_prefix
from plugins.transaction.killpoints import kill_point
from plugins.transaction.link_unlink import (
    PackageLink,
    compile_pycs,
    link_files,
    unlink_package,
    write_entry_points,
    write_records,
)
from plugins.transaction.linking import determine_link_type
from plugins.transaction.lock import PrefixLock
from plugins.transaction.package_info import read_package_info
from plugins.transaction.recovery import recover
from plugins.transaction.scripts import (
    PRELINK_HEADER,
    prelink_messages,
    run_script,
    script_path,
)
from plugins.transaction.verify import check_packages, check_path_conflicts, find_path_conflicts

_PREFIX_ONLY = ("files", "paths_data", "link", "extracted_package_dir",
                "package_tarball_full_path", "requested_spec", "requested_specs")


@dataclass(frozen=True)
class LinkSettings:
    """How files get into the prefix (``always_copy``, ``always_softlink``, …)."""

    always_copy: bool = False
    always_softlink: bool = False
    allow_softlinks: bool = False
    path_conflict: str = "clobber"  # clobber | warn | prevent
    safety_checks: str = "warn"  # enabled | warn | disabled
    extra_safety_checks: bool = False

    @classmethod
    def from_config(cls) -> LinkSettings:
        from kernel.config import get_config

        config = get_config()
        return cls(bool(config.always_copy), bool(config.always_softlink),
                   bool(config.allow_softlinks), str(config.path_conflict or "clobber"),
                   str(config.safety_checks or "warn"), bool(config.extra_safety_checks))


@dataclass
class TransactionResult:
    """What ``execute()`` did."""

    prefix: str
    unlinked: list[str] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)
    link_types: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _State:
    """What the checks before the journal read from the prefix, for the steps after it."""

    to_unlink: list[dict[str, Any]]
    python_version: str | None
    site_packages: str
    settings: LinkSettings
    #: files of unlinked packages that a pip package owns too: left in place
    keep: frozenset[str] = frozenset()


def _default_notice(message: str) -> None:
    from kernel.config import get_config

    stream = sys.stderr if get_config().json else sys.stdout
    print(message, file=stream, flush=True)


def _same_build(installed: dict[str, Any], wanted: dict[str, Any]) -> bool:
    """Whether an installed record is the package ``wanted`` (name, version, build, hash)."""
    if any(str(installed.get(k)) != str(wanted.get(k)) for k in ("name", "version", "build")):
        return False
    for key in ("sha256", "md5"):
        if installed.get(key) and wanted.get(key):
            return str(installed[key]) == str(wanted[key])
    return True


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Within the block, ``SIGTERM`` raises ``KeyboardInterrupt`` (so it rolls back)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class Transaction:
    """Unlink ``unlink_records`` and link ``link_records`` in ``prefix``.

    ``unlink_records`` are installed records (any object with the record's fields, a
    ``PrefixRecord`` or a dict; they are looked up by name in ``conda-meta``);
    ``link_records`` are package records, in link order. ``requested_specs`` /
    ``removed_specs`` are the user's match specs (strings or ``MatchSpec``), recorded in
    history and as each record's ``requested_spec``. Constructing reads nothing and writes
    nothing; commands under ``--dry-run`` never call :meth:`execute`.
    """

    def __init__(self, prefix: str, unlink_records: Sequence[Any] = (),
                 link_records: Sequence[Any] = (), requested_specs: Sequence[Any] = (),
                 removed_specs: Sequence[Any] = (), command_line: str | Sequence[str] = "",
                 *, neutered_specs: Sequence[Any] = (), pkgs_dirs: Sequence[str] | None = None,
                 lock_timeout: float | None = None, conda_version: str | None = None,
                 register_envs: bool | None = None, settings: LinkSettings | None = None,
                 notice: Callable[[str], None] | None = None, progress: bool = True):
        self.prefix = os.path.abspath(os.path.expanduser(prefix))
        self.unlink_records = tuple(unlink_records)
        self.link_records = tuple(link_records)
        self.requested_specs = tuple(str(s) for s in requested_specs)
        self.removed_specs = tuple(str(s) for s in removed_specs)
        self.neutered_specs = tuple(str(s) for s in neutered_specs)
        from kernel.session import redact_url

        # the history and the journal keep the command line: never with a secret in it
        self.command_line = redact_url(command_line if isinstance(command_line, str)
                                       else shlex.join(command_line))
        self.pkgs_dirs = pkgs_dirs
        self.lock_timeout = lock_timeout
        self.conda_version = conda_version
        self.register_envs = register_envs
        self.settings = settings
        self.notice = notice or _default_notice
        self.progress = progress
        self.packages: list[PackageLink] = []
        self.result = TransactionResult(self.prefix)
        self._prepared = False

    @property
    def nothing_to_do(self) -> bool:
        return not self.unlink_records and not self.link_records

    # -- preparation (no writes to the prefix) --------------------------------------------

    def prepare(self) -> None:
        """Fetch and extract what will be linked, and read each package's metadata."""
        if self._prepared:
            return
        from plugins.package_cache.fetch import fetch_packages

        entries = fetch_packages(self.link_records, pkgs_dirs=self.pkgs_dirs,
                                 progress=self.progress)
        wanted = {spec_name(s): s for s in self.requested_specs}
        for link_record, entry in zip(self.link_records, entries, strict=True):
            given = {k: v for k, v in record_dict(link_record).items() if k not in _PREFIX_ONLY}
            record = {**entry.record, **{k: v for k, v in given.items() if v is not None}}
            for key in ("md5", "sha256", "size", "fn"):
                if not record.get(key) and entry.record.get(key):
                    record[key] = entry.record[key]
            info = read_package_info(entry.extracted_package_dir)
            self.packages.append(PackageLink(
                record, info, 0, entry.package_tarball_full_path,
                requested_spec=wanted.get(str(record["name"]))))
        self._prepared = True

    def prelink_messages(self) -> str:
        """Messages packages want shown before they are installed ('' when none).

        conda's block: for each package that has ``info/prelink_messages``, the header
        ``The following PRELINK MESSAGES are INCLUDED:`` then each file's name and text.
        The command shows it and asks for confirmation before :meth:`execute`.
        """
        self.prepare()
        texts = (prelink_messages(p.info.extracted_dir) for p in self.packages)
        return "".join(PRELINK_HEADER + text for text in texts if text)

    def _python(self, installed: dict[str, dict[str, Any]]) -> tuple[str | None, str | None]:
        """The final state's python version and declared site-packages path."""
        for pkg in self.packages:
            if pkg.record["name"] == "python":
                return str(pkg.record["version"]), pkg.record.get("python_site_packages_path")
        removed = {record_dict(r)["name"] for r in self.unlink_records}
        python = installed.get("python")
        if python and "python" not in removed:
            return str(python["version"]), python.get("python_site_packages_path")
        return None, None

    # -- execution ------------------------------------------------------------------------

    def execute(self) -> TransactionResult:
        """Apply the transaction (see the module docstring); returns what was done."""
        created_prefix = not os.path.isdir(self.prefix)
        created_meta = not os.path.isdir(os.path.join(self.prefix, "conda-meta"))
        if not created_meta:
            recover(self.prefix, lock_timeout=self.lock_timeout)
        self.prepare()
        os.makedirs(self.prefix, exist_ok=True)
        with PrefixLock(self.prefix, self.lock_timeout, notice=self.notice):
            recover(self.prefix)
            self._call_hooks("conda_pre_transaction_actions", raising=True)
            try:
                state = self._preflight()  # may refuse: nothing has been changed yet
            except BaseException:
                if created_meta:
                    remove_created_prefix(self.prefix, created_prefix)
                raise
            journal = Journal.begin(self.prefix, created_prefix=created_prefix, info={
                "created_meta": created_meta, "command": self.command_line,
                "unlink": [dist_str(record_dict(r)) for r in self.unlink_records],
                "link": [p.dist for p in self.packages]})
            try:
                with _sigterm_as_interrupt():
                    self._run(journal, created_meta, state)
                    journal.commit()
            except BaseException:
                journal.rollback()
                raise
            journal.finish()
            self._call_hooks("conda_post_transaction_actions", raising=False)
        self._register(created_meta)
        return self.result

    def _preflight(self) -> _State:
        """Read the prefix, then check path conflicts and the extracted packages."""
        installed = PrefixData(self.prefix).raw_records()
        to_unlink = self._to_unlink(installed)
        python_version, declared_sp = self._python(installed)
        site_packages = noarch.site_packages_path(python_version, declared_sp)
        settings = self.settings or LinkSettings.from_config()
        conflicts = find_path_conflicts(installed, [str(r["name"]) for r in to_unlink],
                                        self.packages, site_packages)
        check_path_conflicts(conflicts, settings.path_conflict, self.notice)
        check_packages(self.packages, settings.safety_checks, settings.extra_safety_checks,
                       self.notice)
        keep = self._pip_owned(installed, to_unlink, site_packages)
        return _State(to_unlink, python_version, site_packages, settings, keep)

    def _pip_owned(self, installed: dict[str, dict[str, Any]],
                   to_unlink: list[dict[str, Any]], site_packages: str) -> frozenset[str]:
        """Files of the unlinked packages that a pip-installed package lists too and no
        linked package brings back: unlinking must not delete what pip still needs.
        site-packages is read only when a transaction unlinks something from a prefix
        with python."""
        if not to_unlink or "python" not in installed:
            return frozenset()
        from plugins.prefix.prefix_data import is_external, run_loaders
        from plugins.transaction.verify import package_targets

        leaving = {str(p) for r in to_unlink for p in r.get("files") or ()}
        merged = dict(installed)
        run_loaders(self.prefix, merged)
        pip_files = {str(p) for r in merged.values() if is_external(r)
                     for p in r.get("files") or ()}
        keep = leaving & pip_files
        for pkg in self.packages if keep else ():
            keep.difference_update(package_targets(pkg, site_packages))
        if keep:
            self.notice(f"leaving {len(keep)} file(s) in place that pip-installed packages "
                        f"also own")
        return frozenset(keep)

    def _run(self, journal: Journal, created_meta: bool, state: _State) -> None:
        prefix = self.prefix
        to_unlink, python_version = state.to_unlink, state.python_version
        site_packages, settings = state.site_packages, state.settings
        root = self._root_prefix()
        unlinked: list[dict[str, Any]] = []
        for record in to_unlink:
            run_script(prefix, record, "pre-unlink", prefix=prefix, root_prefix=root,
                       notice=self.notice)
            unlink_package(journal, prefix, record, warn=self.notice, keep=state.keep)
            unlinked.append(record)
        probe_dir = os.path.dirname(journal.scratch("link-probe"))
        for pkg in self.packages:
            pkg.link_type = determine_link_type(
                pkg.info.extracted_dir, probe_dir, always_copy=settings.always_copy,
                always_softlink=settings.always_softlink,
                allow_softlinks=settings.allow_softlinks)
            run_script(pkg.info.extracted_dir, pkg.record, "pre-link", prefix=prefix,
                       root_prefix=root, notice=self.notice)
            link_files(journal, prefix, pkg, site_packages)
        for pkg in self.packages:
            write_entry_points(journal, prefix, pkg)
        scripted = [p for p in self.packages
                    if os.path.isfile(script_path(prefix, str(p.record["name"]), "post-link"))]
        if scripted:  # files the scripts create are undone with the rest
            journal.begin_scripts(label=" ".join(p.dist for p in scripted))
        for pkg in scripted:
            run_script(prefix, pkg.record, "post-link", prefix=prefix, root_prefix=root,
                       activate=True, notice=self.notice)
        compile_pycs(journal, prefix, self.packages, python_version)
        write_records(journal, prefix, self.packages)
        if unlinked or self.packages or created_meta:
            self._append_history(journal, unlinked)
        self.result.unlinked = [dist_str(r) for r in unlinked]
        self.result.linked = [dist_str(p.record) for p in self.packages]
        self.result.link_types = {p.dist: p.link_type for p in self.packages}

    def _to_unlink(self, installed: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
        """The installed records to unlink, the plan reconciled with the prefix as it is now.

        The plan was made before this process held the prefix lock, so another command may
        have changed the prefix since: a package it already removed is skipped; a package
        it installed under a name this transaction links is replaced (never two records
        for one name) -- or, when it is the very same build, kept and not linked again.
        """
        names = [str(record_dict(r)["name"]) for r in self.unlink_records]
        planned = set(names)
        kept: set[str] = set()
        for pkg in self.packages:
            name = str(pkg.record["name"])
            current = installed.get(name)
            if current is None or name in planned:
                continue
            if _same_build(current, pkg.record):
                kept.add(name)
            else:
                names.append(name)
        self.packages = [p for p in self.packages if str(p.record["name"]) not in kept]
        return [installed[n] for n in dict.fromkeys(names) if n in installed]

    def _append_history(self, journal: Journal, unlinked: list[dict[str, Any]]) -> None:
        from kernel import CONDA_VERSION

        history = History(self.prefix)
        text = History.format_revision(
            unlinked=[dist_str(r) for r in unlinked],
            linked=[dist_str(p.record) for p in self.packages],
            update_specs=self.requested_specs, remove_specs=self.removed_specs,
            neutered_specs=self.neutered_specs, command_line=self.command_line,
            conda_version=self.conda_version or CONDA_VERSION)
        journal.begin_append("conda-meta/history")
        history.append(text)
        kill_point("history")

    # -- around the transaction -----------------------------------------------------------

    @staticmethod
    def _root_prefix() -> str:
        from kernel.config import get_config

        return str(get_config().root_prefix or "")

    def _call_hooks(self, hook: str, *, raising: bool) -> None:
        from kernel.manager import get_plugin_manager

        for record in get_plugin_manager().hook_results(hook):
            try:
                record.action(self)
            except Exception as exc:
                if raising:
                    raise
                self.notice(f"{hook} action '{record.name}' failed: "
                            f"{type(exc).__name__}: {exc}")

    def _register(self, created_meta: bool) -> None:
        register = self.register_envs
        if register is None:
            from kernel.config import get_config

            register = bool(get_config().register_envs)
        if not register:
            return
        from plugins.prefix.environments import register_env, unregister_env

        if self.packages or created_meta:
            register_env(self.prefix)
        elif self.unlink_records:
            unregister_env(self.prefix)
