"""``conda-meta/history``: what each command did to a prefix, and what the user asked for.

The format is conda's, one revision per command::

    ==> 2024-01-01 12:00:00 <==
    # cmd: conda install -n demo numpy
    # conda version: 25.7.0
    -defaults::numpy-1.25.0-py311h_0
    +defaults::numpy-1.26.4-py311h_0
    # update specs: ['numpy']

``# remove specs:`` and ``# neutered specs:`` follow the same shape. Older conda wrote
``# install specs: a, b`` (comma-separated); both are read. Requested specs, name by name,
are replayed over revisions the way conda does: removes drop, updates and neutered specs
overwrite.
"""

from __future__ import annotations

import ast
import os
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

HISTORY = os.path.join("conda-meta", "history")
_HEADER = re.compile(r"==>\s*(.+?)\s*<==")
_SPECS = re.compile(r"#\s*(\w+)\s*specs:\s*(.*)")
_NAME = re.compile(r"^(?:[^:\s\[]*::)?\s*([^\s=<>!~\[,;]+)")


@dataclass
class Revision:
    """One ``==> date <==`` block."""

    date: str
    cmd: str = ""
    conda_version: str = ""
    linked: list[str] = field(default_factory=list)
    unlinked: list[str] = field(default_factory=list)
    update_specs: list[str] = field(default_factory=list)
    remove_specs: list[str] = field(default_factory=list)
    neutered_specs: list[str] = field(default_factory=list)


def _parse_specs(text: str) -> list[str]:
    text = text.strip()
    if text.startswith("["):
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            value = []
        specs = [str(s) for s in value] if isinstance(value, (list, tuple)) else []
    elif "[" not in text:
        specs = [s.strip() for s in text.split(",")]
    else:
        specs = [text]
    return [s for s in specs if s and not s.endswith("@")]


def parse_history(text: str) -> list[Revision]:
    """Every revision of a history file's text, oldest first."""
    revisions: list[Revision] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        header = _HEADER.fullmatch(line)
        if header:
            revisions.append(Revision(date=header.group(1)))
            continue
        if not revisions:
            revisions.append(Revision(date=""))
        rev = revisions[-1]
        if line.startswith("#"):
            _parse_comment(rev, line)
        elif line[0] in "+-":
            (rev.linked if line[0] == "+" else rev.unlinked).append(line[1:].strip())
    return revisions


def _parse_comment(rev: Revision, line: str) -> None:
    if m := re.match(r"#\s*cmd:\s*(.*)", line):
        rev.cmd = m.group(1)
    elif m := re.match(r"#\s*conda version:\s*(.*)", line):
        rev.conda_version = m.group(1).strip()
    elif m := _SPECS.match(line):
        action, specs = m.group(1), _parse_specs(m.group(2))
        if action in ("update", "install", "create"):
            rev.update_specs.extend(specs)
        elif action in ("remove", "uninstall"):
            rev.remove_specs.extend(specs)
        elif action == "neutered":
            rev.neutered_specs.extend(specs)


def spec_name(spec: str) -> str:
    """The package name of a match spec string (``conda-forge::numpy>=1`` → ``numpy``)."""
    m = _NAME.match(spec.strip())
    return m.group(1) if m else spec.strip()


def dist_str(record: dict[str, object]) -> str:
    """``channel/subdir::name-version-build`` as conda writes it in history."""
    channel = str(record.get("channel") or "")
    channel = channel.rstrip("/")
    subdir = str(record.get("subdir") or "")
    if channel.endswith("/" + subdir) and subdir:
        channel = channel[: -len(subdir) - 1]
    canonical = channel
    for known in ("https://conda.anaconda.org/", "http://conda.anaconda.org/",
                  "https://repo.anaconda.com/pkgs/", "http://repo.anaconda.com/pkgs/"):
        if channel.startswith(known):
            canonical = channel[len(known):]
            if "repo.anaconda.com" in known and canonical in ("main", "r", "msys2", "free"):
                canonical = "defaults"
    where = f"{canonical}/{subdir}" if canonical and subdir else canonical or subdir
    name = f"{record['name']}-{record['version']}-{record['build']}"
    return f"{where}::{name}" if where else name


class History:
    """A prefix's history file."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.path = os.path.join(prefix, HISTORY)

    def read_text(self) -> str:
        try:
            with open(self.path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def revisions(self) -> list[Revision]:
        return parse_history(self.read_text())

    def requested_specs_map(self, installed: Iterable[str] | None = None) -> dict[str, str]:
        """``{name: spec}`` the user asked for, over all revisions.

        With ``installed`` (package names), names no longer installed are left out, as
        conda does (old conda did not always record removals).
        """
        specs: dict[str, str] = {}
        for rev in self.revisions():
            for spec in rev.remove_specs:
                specs.pop(spec_name(spec), None)
            for spec in (*rev.update_specs, *rev.neutered_specs):
                specs[spec_name(spec)] = spec
        if installed is not None:
            keep = set(installed)
            specs = {n: s for n, s in specs.items() if n in keep}
        return specs

    @staticmethod
    def format_revision(*, unlinked: Sequence[str], linked: Sequence[str],
                        update_specs: Sequence[str] = (), remove_specs: Sequence[str] = (),
                        neutered_specs: Sequence[str] = (), command_line: str = "",
                        conda_version: str = "", when: float | None = None) -> str:
        """One revision block, exactly as conda writes it."""
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(when))
        lines = [f"==> {stamp} <==", f"# cmd: {command_line}",
                 f"# conda version: {conda_version}"]
        lines += [f"-{d}" for d in sorted(unlinked)]
        lines += [f"+{d}" for d in sorted(linked)]
        if update_specs:
            lines.append(f"# update specs: {[str(s) for s in update_specs]}")
        if remove_specs:
            lines.append(f"# remove specs: {[str(s) for s in remove_specs]}")
        if neutered_specs:
            lines.append(f"# neutered specs: {[str(s) for s in neutered_specs]}")
        return "\n".join(lines) + "\n"

    def append(self, text: str) -> None:
        """Append a revision block (creating ``conda-meta`` and the file as needed)."""
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(text)
