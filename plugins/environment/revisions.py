"""Revisions of ``conda-meta/history``: the state after each one, and conda's log of them.

Revision ``N`` is the ``N``-th ``==> date <==`` block (0 is the first). The state after it
replays the blocks up to it: ``-dist`` lines leave the set, ``+dist`` lines enter it (a
first block without diff lines is taken as a full listing). ``install --revision N`` makes
that state the final environment; :func:`revision_records` finds each dist's record in
the prefix, then the package caches, then the channels' index. :func:`object_log` and
:func:`text_log` are ``conda list --revisions`` with ``--json`` and without.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kernel.errors import CondaError, PackagesNotFoundError

_PREFIX_ONLY = ("files", "paths_data", "link", "extracted_package_dir",
                "package_tarball_full_path", "requested_spec", "requested_specs")


class RevisionError(CondaError):
    """``--revision N`` names a revision the history does not have."""


def dist_quad(dist: str) -> tuple[str, str, str, str]:
    """``(name, version, build, channel)`` of ``channel/subdir::name-version-build``."""
    for ext in (".conda", ".tar.bz2"):
        dist = dist.removesuffix(ext)
    channel, sep, rest = dist.rpartition("::")
    name, version, build = [*rest.rsplit("-", 2), "", ""][:3]
    return name, version, build, channel if sep else "<unknown>"


def states(prefix: str) -> list[set[str]]:
    """The set of dist strings installed after each revision, oldest first."""
    from plugins.prefix import History

    result: list[set[str]] = []
    current: set[str] = set()
    for rev in History(prefix).revisions():
        current = (current - set(rev.unlinked)) | set(rev.linked)
        result.append(set(current))
    return result


def state_at(prefix: str, revision: int) -> set[str]:
    every = states(prefix)
    if not 0 <= revision < len(every):
        last = len(every) - 1
        raise RevisionError(f"no such revision: {revision} (this environment has revisions "
                            f"0 to {last})" if every else f"no such revision: {revision} "
                            f"(this environment has no history)", revision=revision)
    return every[revision]


def _by_dist(records: Sequence[Any], found: dict[str, Any]) -> None:
    from plugins.prefix import dist_str, record_dict

    for record in records:
        data = record_dict(record)
        found.setdefault(dist_str(data), data)
        found.setdefault(f"{data['name']}-{data['version']}-{data['build']}", data)


def revision_records(prefix: str, wanted: set[str], channels: Sequence[str] = (),
                     override_channels: bool = False) -> list[Any]:
    """The record of each dist in ``wanted`` (prefix, then caches, then the channels)."""
    from plugins.package_cache.cache import caches
    from plugins.prefix import PrefixData

    found: dict[str, Any] = {}
    _by_dist(list(PrefixData(prefix).raw_records().values()), found)
    for cache in caches():
        _by_dist([entry.record for entry in cache.entries()], found)
    missing = sorted(d for d in wanted if d not in found)
    if missing:
        from plugins.index import load_index

        extra = [dist_quad(d)[3].rsplit("/", 1)[0] for d in missing if "::" in d]
        index = load_index(channels=list(dict.fromkeys([*channels, *extra])),
                           override_channels=override_channels, virtual=False)
        for name in {dist_quad(d)[0] for d in missing}:
            _by_dist(index.records(name), found)
        missing = sorted(d for d in wanted if d not in found)
    if missing:
        raise PackagesNotFoundError("the packages of that revision are in no package cache "
                                    "or channel: " + ", ".join(missing), packages=missing)
    return [{k: v for k, v in found[d].items() if k not in _PREFIX_ONLY}
            for d in sorted(wanted)]


# -- conda list --revisions -------------------------------------------------------------------


def _newer(new: tuple[str, str, str], old: tuple[str, str, str]) -> bool:
    from kernel.models import VersionOrder

    try:
        return (VersionOrder(new[0]), new[1]) > (VersionOrder(old[0]), old[1])
    except CondaError:
        return new > old


def _diff(rev: Any) -> tuple[dict[str, tuple[str, str, str]], dict[str, tuple[str, str, str]]]:
    added: dict[str, tuple[str, str, str]] = {}
    removed: dict[str, tuple[str, str, str]] = {}
    for dists, into in ((rev.linked, added), (rev.unlinked, removed)):
        for dist in dists:
            name, version, build, channel = dist_quad(dist)
            into[name.lower()] = (version, build, channel)
    return added, removed


def object_log(prefix: str) -> list[dict[str, Any]]:
    """conda's ``History.object_log()``: per revision, installs, removals, up/downgrades."""
    from plugins.prefix import History

    out = []
    for number, rev in enumerate(History(prefix).revisions()):
        event: dict[str, Any] = {"date": rev.date, "rev": number, "install": [],
                                 "remove": [], "upgrade": [], "downgrade": []}
        added, removed = _diff(rev)
        changed = set(added) & set(removed)
        for name in sorted(changed):
            details = {"old": "-".join((name, *removed[name])),
                       "new": "-".join((name, *added[name]))}
            kind = "upgrade" if _newer(added[name], removed[name]) else "downgrade"
            event[kind].append(details)
        event["remove"] = ["-".join((n, *removed[n])) for n in sorted(set(removed) - changed)]
        event["install"] = ["-".join((n, *added[n])) for n in sorted(set(added) - changed)]
        out.append(event)
    return out


def text_log(prefix: str) -> str:
    """conda's ``History.print_log()``: ``DATE  (rev N)`` then the indented diff."""
    from plugins.prefix import History

    lines: list[str] = []
    for number, rev in enumerate(History(prefix).revisions()):
        lines.append(f"{rev.date}  (rev {number})")
        added, removed = _diff(rev)

        def shown(entry: tuple[str, str, str]) -> str:
            version, _, channel = entry
            return version if channel == "defaults" else f"{version} ({channel})"

        changed = set(added) & set(removed)
        lines += [f"     {n}  {{{shown(removed[n])} -> {shown(added[n])}}}"
                  for n in sorted(changed)]
        lines += [f"    -{n}-{shown(removed[n])}" for n in sorted(set(removed) - changed)]
        lines += [f"    +{n}-{shown(added[n])}" for n in sorted(set(added) - changed)]
        lines.append("")
    return "\n".join(lines) + ("\n" if lines else "")
