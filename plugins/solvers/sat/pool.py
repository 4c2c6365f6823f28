"""The solve's view of the index: records numbered once, grouped by name, sorted by conda's
version key, with parsed dependencies and memoised spec → candidate lists.

Records are fetched from the :class:`~kernel.types.RecordSource` lazily, one name at a
time, only for names a solve reaches. Everything downstream works on record numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from kernel.models import MatchSpec, PackageRecord
    from kernel.types import SolveRequest

#: conda's "invalid channel" priority; records of such channels sort last
MAX_CHANNEL_PRIORITY = 10000


class Dep(NamedTuple):
    """One dependency of a record: a spec (``depends``), an optional spec
    (``constrains``: absent or satisfied) or a feature (``features``: some record tracking
    that feature is installed)."""

    key: str
    name: str
    spec: Any
    optional: bool = False
    feature: str = ""


class Req(NamedTuple):
    """A top-level spec of the solve and where it came from.

    ``origin`` is one of ``requested``, ``history``, ``pinned``, ``installed``,
    ``virtual``, ``aggressive``; ``target`` is the installed record number the spec should
    preferably keep (conda's ``MatchSpec(target=…)``).
    """

    dep: Dep
    origin: str
    target: int | None = None


def spec_key(spec: Any, optional: bool = False) -> str:
    return str(spec) + ("?" if optional else "")


def strictness(spec: Any) -> int:
    """conda's MatchSpec strictness: 3 with a build (or any other field), 2 with a
    version, 1 for a bare name."""
    value = getattr(spec, "strictness", None)
    if isinstance(value, int):
        return value
    if getattr(spec, "version", None) is not None:
        return 2
    return 1 if str(spec) == getattr(spec, "name", None) else 3


class Pool:
    """Numbered records of every name the solve touches."""

    def __init__(self, request: SolveRequest) -> None:
        from kernel.models import MatchSpec, VersionOrder

        self._matchspec = MatchSpec
        self._version_order = VersionOrder
        self.source = request.source
        self.disabled = request.channel_priority == "disabled"
        self.add_pip = request.add_pip_as_python_dependency
        #: an unsatisfiable solve is retried by the caller: no explanation needed
        self.retry_follows = bool(getattr(request, "should_retry_solve", False))
        self.records: list[PackageRecord] = []
        self.names: list[str] = []
        self._groups: dict[str, list[int]] = {}
        #: per name, its group as runs of one version string: (version, start, end)
        self._runs: dict[str, list[tuple[str, int, int]]] = {}
        self._by_build: dict[str, dict[str, list[int]]] = {}
        self._deps: dict[int, tuple[Dep, ...]] = {}
        self._parsed: dict[str, Any] = {}
        self._deps_of_text: dict[str, Dep] = {}
        self._matches: dict[str, tuple[int, ...]] = {}
        self._sets: dict[str, frozenset[int]] = {}
        self._rank: dict[int, int] = {}
        self._version_keys: dict[int, tuple[Any, ...]] = {}
        self._strict: dict[str, int] = {}
        self._extra: dict[str, list[PackageRecord]] = {}
        self.virtual: set[int] = set()
        for rec in request.virtual_packages:
            self._extra.setdefault(rec.name, []).append(rec)
        self.installed: list[int] = []
        self._pending_installed = list(request.installed)

    # -- records ---------------------------------------------------------------------------

    def load_installed(self) -> list[int]:
        """Number the installed records, reusing the index's record of the same dist."""
        for rec in self._pending_installed:
            same = [i for i in self.group(rec.name)
                    if self.records[i].dist_str() == rec.dist_str()]
            if same:
                self.installed.append(same[0])
            else:
                self._groups.pop(rec.name, None)
                self._runs.pop(rec.name, None)
                self._by_build.pop(rec.name, None)
                self._extra.setdefault(rec.name, []).append(rec)
                group = self.group(rec.name)
                self.installed.append(next(i for i in group if self.records[i] is rec))
        self._pending_installed = []
        return self.installed

    def group(self, name: str) -> list[int]:
        """Record numbers of ``name``, best first (conda's version key, descending)."""
        group = self._groups.get(name)
        if group is not None:
            return group
        if name.startswith("__"):
            found: Sequence[PackageRecord] = self._extra.get(name, ())
        else:
            found = [*self.source.records(name), *self._extra.get(name, ())]
        start = len(self.records)
        numbers = list(range(start, start + len(found)))
        self.records.extend(found)
        self.names.extend([name] * len(found))
        if name.startswith("__"):
            self.virtual.update(numbers)
            self._rank.update(dict.fromkeys(numbers, 0))
        numbers.sort(key=self.version_key, reverse=True)
        self._groups[name] = numbers
        return numbers

    def rank(self, i: int) -> int:
        rank = self._rank.get(i)
        if rank is None:
            try:
                rank = self.source.channel_rank(self.records[i])
            except (KeyError, ValueError, LookupError):
                rank = 1
            self._rank[i] = rank
        return rank

    def version_key(self, i: int) -> tuple[Any, ...]:
        """conda's order of candidates (larger is better), memoised per record."""
        key = self._version_keys.get(i)
        if key is None:
            key = self._version_keys[i] = self._version_key(i)
        return key

    def _version_key(self, i: int) -> tuple[Any, ...]:
        rec = self.records[i]
        rank = self.rank(i)
        valid = 1 if rank < MAX_CHANNEL_PRIORITY else 0
        version = self._version_order(rec.version)
        noarch = -int(rec.subdir == "noarch")
        tail = (rec.build_number or 0, noarch, rec.timestamp or 0, rec.build)
        if self.disabled:
            return (valid, version, -rank, *tail)
        return (valid, -rank, version, *tail)

    def dist(self, i: int) -> str:
        return str(self.records[i].dist_str())

    # -- dependencies ----------------------------------------------------------------------

    def parse(self, text: str, optional: bool = False) -> Dep:
        key = ("?" if optional else "") + text
        dep = self._deps_of_text.get(key)
        if dep is None:
            dep = self._deps_of_text[key] = self._parse(text, optional)
        return dep

    def _parse(self, text: str, optional: bool) -> Dep:
        spec: Any = self._parsed.get(text)
        if spec is None:
            try:
                spec = self._matchspec(text)
            except ValueError:
                spec = False
            self._parsed[text] = spec
        if spec is False:
            return Dep("!invalid " + text, text.split()[0] if text.split() else "", None,
                       optional)
        return Dep(spec_key(spec, optional), spec.name, spec, optional)

    def dep_of_spec(self, spec: MatchSpec, optional: bool = False) -> Dep:
        return Dep(spec_key(spec, optional), spec.name, spec, optional)

    def feature_deps(self, spec: MatchSpec) -> list[Dep]:
        """``*[track_features=mkl]`` (``mkl@``): one feature dependency per feature it
        names; empty for any other spec."""
        if spec.name != "*":
            return []
        features = spec.get_exact_value("track_features") or ()
        return [Dep("@" + f, "", None, False, f) for f in sorted(features)]

    def strict(self, dep: Dep) -> int:
        """:func:`strictness` of ``dep``'s spec (1 without one), memoised per key."""
        value = self._strict.get(dep.key)
        if value is None:
            value = self._strict[dep.key] = 1 if dep.spec is None else strictness(dep.spec)
        return value

    def depends(self, i: int) -> tuple[Dep, ...]:
        deps = self._deps.get(i)
        if deps is None:
            rec = self.records[i]
            known = self._deps_of_text.get
            parse = self.parse
            found = [known(d) or parse(d) for d in rec.depends]
            if (self.add_pip and rec.name == "python" and rec.version.startswith(("2.", "3."))
                    and not any(d.name == "pip" for d in found)):
                found.append(parse("pip"))
            if rec.constrains:
                found.extend(parse(c, True) for c in rec.constrains)
            if rec.features:
                found.extend(Dep("@" + f, "", None, False, f) for f in rec.features)
            deps = self._deps[i] = tuple(found)
        return deps

    def trackers(self, feature: str) -> tuple[int, ...]:
        """Loaded records that track ``feature`` (the package named like the feature is
        loaded first: that is where conda channels put the tracker)."""
        found = self._matches.get("@" + feature)
        if found is None:
            self.group(feature)
            found = tuple(i for i, rec in enumerate(self.records)
                          if feature in (rec.track_features or ()))
            self._matches["@" + feature] = found
        return found

    def match_set(self, dep: Dep) -> frozenset[int]:
        key = "=" + (dep.key[:-1] if dep.optional else dep.key)
        found = self._sets.get(key)
        if found is None:
            found = self._sets[key] = frozenset(self.matches(dep))
        return found

    def matches(self, dep: Dep) -> tuple[int, ...]:
        """Records of the whole index matching ``dep`` (optional flag ignored), best first."""
        key = dep.key[:-1] if dep.optional else dep.key
        found = self._matches.get(key)
        if found is None:
            if dep.feature:
                return self.trackers(dep.feature)
            if dep.spec is None:
                found = ()
            elif dep.spec.is_simple() and dep.spec.name == dep.name:
                # a bare name matches every record of its group
                found = tuple(self.group(dep.name))
            else:
                found = self._scan(dep)
            self._matches[key] = found
        return found

    def _scan(self, dep: Dep) -> tuple[int, ...]:
        """``dep``'s candidates in its group. A group holds many builds of each version,
        side by side, so the version test runs once per run of one version string, and
        the whole record test only where it passes (for a name-and-version spec the
        version test is the whole test)."""
        from kernel.models import VersionSpec

        spec = dep.spec
        match = spec.match
        records = self.records
        group = self.group(dep.name)
        version = spec.version
        if type(version) is not VersionSpec:
            return tuple(i for i in group if match(records[i]))
        build = spec.get_exact_value("build")
        if type(build) is str:
            # an exact build (``numpy-base 1.15.0 py36h3dfced4_0``): a handful of records
            # have it, and only they need the whole test
            return tuple(i for i in self.by_build(dep.name).get(build, ()) if match(records[i]))
        vtest = version.match
        whole = self.strict(dep) != 2 or spec.name != dep.name
        seen: dict[str, bool] = {}
        out: list[int] = []
        for text, start, end in self.runs(dep.name):
            ok = seen.get(text)
            if ok is None:
                ok = seen[text] = vtest(text)
            if not ok:
                continue
            if whole:
                out.extend(i for i in group[start:end] if match(records[i]))
            else:
                out.extend(group[start:end])
        return tuple(out)

    def by_build(self, name: str) -> dict[str, list[int]]:
        """``name``'s group by build string, each list in group order."""
        found = self._by_build.get(name)
        if found is None:
            found = self._by_build[name] = {}
            records = self.records
            for i in self.group(name):
                found.setdefault(records[i].build, []).append(i)
        return found

    def runs(self, name: str) -> list[tuple[str, int, int]]:
        """``name``'s group cut where the version string changes: ``(version, start,
        end)`` slices, in group order (a version may come back under another channel)."""
        found = self._runs.get(name)
        if found is None:
            group = self.group(name)
            records = self.records
            found = []
            start = 0
            current = None
            for k, i in enumerate(group):
                text = records[i].version
                if text != current:
                    if current is not None:
                        found.append((current, start, k))
                    current, start = text, k
            if current is not None:
                found.append((current, start, len(group)))
            self._runs[name] = found
        return found
