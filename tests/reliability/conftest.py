"""Fixtures for the reliability tests: one channel per session, and work *slots*.

A slot is a folder with a fixed prefix path, its own HOME and its own package caches, so a
trial can restore a prepared prefix by copying it back to the *same* path and compare the
result byte for byte with a serial reference run made at that path. Trials run two at a
time (one per slot) to keep the suite inside its time budget on two cores.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from queue import Queue
from typing import Any, TypeVar

import pytest

from tests.reliability.harness import (
    TIMEOUT,
    Conda,
    build_channel,
    check_records,
    orphans,
    skip_reason,
    snapshot,
)

T = TypeVar("T")
WORKERS = 2


@dataclass(frozen=True)
class Scenario:
    """An operation on a prepared prefix: ``conda <op> -p P -y <specs>`` after
    ``conda create -p P -y <base>``."""

    name: str
    base: tuple[str, ...]
    op: str
    specs: tuple[str, ...]

    def argv(self, prefix: Path) -> list[str]:
        return [self.op, "-p", str(prefix), "-y", *self.specs]


#: the three operations the crash tests attack (post-link scripts: post_link-c, -d, -e and
#: post_link_run_in_env_package; rel_tool is noarch python with an entry point and .pyc)
SCENARIOS = {
    "install": Scenario(
        "install", ("versioned=1.0", "post_link-b"), "install",
        ("post_link-c", "post_link-d", "post_link_run_in_env_package", "dependent=1.0",
         "clobber-a", "activate_deactivate_package", "python", "rel_tool=1.0")),
    "update": Scenario(
        "update", ("dependent=1.0", "another_dependent=1.0", "versioned=1.0", "python",
                   "rel_tool=1.0", "post_link-b"), "update",
        ("dependent", "another_dependent", "versioned", "rel_tool")),
    "remove": Scenario(
        "remove", ("post_link-b", "post_link-c", "post_link-d", "dependent=1.0", "clobber-a",
                   "activate_deactivate_package", "python", "rel_tool=1.0", "versioned=1.0"),
        "remove", ("post_link-c", "post_link-d", "dependent", "rel_tool", "clobber-a")),
    # post_link-e's script writes bin/file, which no package owns (as in conda)
    "post-link-file": Scenario(
        "post-link-file", ("versioned=1.0",), "install", ("post_link-d",)),
}


@dataclass
class Reference:
    """A scenario prepared in one slot: the template prefix and the states around the op."""

    template: Path
    before: dict[str, str]
    after: dict[str, str]
    after_orphans: set[str]
    seconds: float
    #: how long the transaction journal existed during the serial run (None: not seen)
    transaction: float | None


@dataclass
class Slot:
    root: Path
    channel: str
    refs: dict[str, Reference] = field(default_factory=dict)

    @property
    def prefix(self) -> Path:
        return self.root / "env"

    @property
    def journal(self) -> Path:
        return self.prefix / "conda-meta" / ".journal.jsonl"

    @property
    def pkgs(self) -> Path:
        return self.root / "pkgs"

    def conda(self, pkgs: Path | None = None) -> Conda:
        return Conda(self.root / "home", self.channel, pkgs or self.pkgs)

    def fresh_cache(self) -> None:
        shutil.rmtree(self.pkgs, ignore_errors=True)

    def restore(self, scenario: Scenario) -> Reference:
        """Put the scenario's prefix back (same path) with an empty package cache."""
        ref = self.reference(scenario)
        shutil.rmtree(self.prefix, ignore_errors=True)
        shutil.copytree(ref.template, self.prefix, symlinks=True)
        self.fresh_cache()
        return ref

    def reference(self, scenario: Scenario) -> Reference:
        if scenario.name in self.refs:
            return self.refs[scenario.name]
        base_cache = self.root / "basepkgs"
        template = self.root / f"template-{scenario.name}"
        shutil.rmtree(self.prefix, ignore_errors=True)
        self.conda(base_cache)("create", "-p", str(self.prefix), "-y", *scenario.base).ok()
        shutil.copytree(self.prefix, template, symlinks=True)
        shutil.rmtree(self.prefix)
        shutil.copytree(template, self.prefix, symlinks=True)
        before = snapshot(self.prefix)
        self.fresh_cache()
        run = self.conda().killed_after(TIMEOUT, *scenario.argv(self.prefix),
                                        after=self.journal).ok()
        assert not run.killed, run.err
        check_records(self.prefix)
        ref = Reference(template, before, snapshot(self.prefix), orphans(self.prefix),
                        run.seconds, run.phase)
        assert ref.before != ref.after, f"{scenario.name} changed nothing"
        self.refs[scenario.name] = ref
        return ref


class Slots:
    """The session's slots, lent to trials one at a time."""

    def __init__(self, root: Path, channel: str, channel_dir: Path):
        self.channel = channel
        self.channel_dir = channel_dir
        self.root = root
        self.all = [Slot(root / f"slot{i}", channel) for i in range(WORKERS)]
        self._free: Queue[Slot] = Queue()
        for slot in self.all:
            self._free.put(slot)
        self.trees: dict[str, dict[str, bytes]] = {}
        self._lock = threading.Lock()

    def run(self, work: Callable[[Slot, T], Any], items: Iterable[T]) -> list[Any]:
        """``work(slot, item)`` for each item, two at a time; results in item order."""
        def one(item: T) -> Any:
            slot = self._free.get()
            try:
                return work(slot, item)
            finally:
                self._free.put(slot)

        with ThreadPoolExecutor(WORKERS) as pool:
            return list(pool.map(one, items))


@pytest.fixture(scope="session")
def slots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Slots]:
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("reliability")
    channel = build_channel(root / "channel")
    yield Slots(root, channel, root / "channel")
