"""Shrink the problem to the records the specs can reach, the way conda does.

conda's answers depend on this step, not only its speed: the version metrics rank the
candidates *that survive it*. So we keep conda's rules (``Resolve.get_reduced_index``):

1. *Filter* (twice over): a name's candidates must match the top-level specs of that name
   and every one of its parents' specs; a candidate whose non-optional dependency has no
   surviving match is dropped; under strict channel priority only the best channel of a
   name survives. The filter follows the dependencies that *all* surviving candidates of
   a name share, since only those are certain to be needed.
2. *Walk*: from each top-level spec's valid candidates, add the candidates of their
   dependencies recursively, skipping a dependency that is broader than a spec already
   known for its name, and skipping features (a feature is a soft dependency: it must be
   present but does not pull anything in), except directly under a top-level candidate.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from plugins.solvers.sat.pool import Dep, Pool


class Reducer:
    def __init__(self, pool: Pool, strict: bool) -> None:
        self.pool = pool
        self.strict = strict
        #: record → False (kept) or the reason it was filtered out
        self.filter_out: dict[int, str | bool] = {}
        self._strict_rank: dict[str, int] = {}
        self._cp_applied: set[str] = set()
        self._snames: set[str] = set()
        self._explicit_pool: dict[str, set[int]] = {}
        #: per dependency key, the position of its first candidate still alive
        self._first_alive: dict[str, int] = {}
        #: per record, its non-optional dependencies as (key, candidates)
        self._hard_deps: dict[int, list[tuple[str, tuple[int, ...]]]] = {}
        #: dependency keys whose candidates the walk has been through (all kept or
        #: rejected for good, so a second visit adds nothing)
        self._walked: set[str] = set()
        #: records filtered out so far, and per record that count when its dependencies
        #: were last all found alive (nothing died since: still alive)
        self._deaths = 0
        self._checked: dict[int, int] = {}
        #: candidates of several specs of one name together, per tuple of their keys
        self._unions: dict[tuple[str, ...], frozenset[int]] = {}
        #: per name, the survivor count and the dependencies they all share
        self._shared_deps: dict[str, tuple[int, list[list[Dep]]]] = {}

    def strict_rank(self, name: str) -> int:
        rank = self._strict_rank.get(name)
        if rank is None:
            ranks = [self.pool.rank(i) for i in self.pool.group(name)]
            rank = self._strict_rank[name] = min(ranks) if ranks else 0
        return rank

    def run(self, explicit: Sequence[Dep]) -> set[int]:
        explicit = sorted(explicit, key=lambda d: (self._exactness(d), d.key), reverse=True)
        for dep in explicit:
            self._explicit_pool.setdefault(dep.name, set()).update(self.pool.matches(dep))
        for _ in range(2):
            self._snames.clear()
            queue = deque(explicit)
            while queue:
                dep = queue.popleft()
                if self._filter_group([dep]):
                    queue.append(dep)
        return self._walk(explicit)

    def _exactness(self, dep: Dep) -> int:
        pool = self.pool
        value = pool.strict(dep)
        if value == 3:
            found = pool.matches(dep)
            if found:
                value += sum(pool.strict(d) for d in pool.depends(found[0])
                             if d.spec is not None and not d.optional)
        return value

    def _filter_group(self, specs: Sequence[Dep]) -> bool | None:
        pool = self.pool
        name = specs[0].name
        group = pool.group(name)
        filter_out = self.filter_out
        if group and self.strict and name not in self._cp_applied:
            best = self.strict_rank(name)
            for i in group:
                if pool.rank(i) != best:
                    filter_out[i] = "removed by strict channel priority"
                    self._deaths += 1
            self._cp_applied.add(name)
        # a candidate must match one of the specs
        allowed = self._allowed(specs)
        explicit = self._explicit_pool.get(name)
        hard_deps = self._hard_deps
        first_alive = self._first_alive
        checked = self._checked
        deaths = self._deaths
        get_out = filter_out.get
        old = new = 0
        for i in group:
            if filter_out.setdefault(i, False):
                continue
            old += 1
            if i not in allowed or (explicit and i not in explicit):
                filter_out[i] = "incompatible with the required specs"
                deaths += 1
                continue
            if checked.get(i) == deaths:
                new += 1  # nothing died since its dependencies were last found alive
                continue
            hard = hard_deps.get(i)
            if hard is None:
                hard = self._hard(i)
            for key, found in hard:
                # records only die while filtering: the first alive candidate only moves on
                k = first_alive.get(key, 0)
                n = len(found)
                while k < n and get_out(found[k], False):
                    k += 1
                first_alive[key] = k
                if k == n:
                    break
            else:
                new += 1
                checked[i] = deaths
                continue
            filter_out[i] = "unsatisfiable dependencies"
            deaths += 1
        self._deaths = deaths
        reduced = new < old
        if any(d.optional for d in specs):
            return reduced
        if new == 0:
            return None
        if reduced or name not in self._snames:
            self._snames.add(name)
            for unique in self._shared(name, group, new):
                res = self._filter_group(unique)
                if res:
                    reduced = True
                elif res is None:
                    return None
        return reduced

    def _shared(self, name: str, group: Sequence[int], alive: int) -> list[list[Dep]]:
        """The dependencies (by name, each spec once) that all ``alive`` surviving
        candidates of ``name`` have. Candidates only die, so the same count means the
        same survivors, and the answer is kept for it."""
        cached = self._shared_deps.get(name)
        if cached is not None and cached[0] == alive:
            return cached[1]
        pool = self.pool
        filter_out = self.filter_out
        shared: dict[str, list[Dep]] = {}
        for i in group:
            if not filter_out.get(i, False):
                for d in pool.depends(i):
                    if not d.optional and not d.feature and d.name:
                        shared.setdefault(d.name, []).append(d)
        found = [list({d.key: d for d in deps}.values())
                 for deps in shared.values() if len(deps) >= alive]
        self._shared_deps[name] = (alive, found)
        return found

    def _allowed(self, specs: Sequence[Dep]) -> frozenset[int]:
        if len(specs) == 1:
            return self.pool.match_set(specs[0])
        key = tuple(d.key for d in specs)
        found = self._unions.get(key)
        if found is None:
            found = self._unions[key] = frozenset().union(
                *(self.pool.match_set(d) for d in specs))
        return found

    def _valid(self, i: int) -> bool:
        """conda's ``valid2``: every non-optional dependency has a valid candidate
        (cycles count as valid: a record is taken as valid while its own dependencies
        are checked). Dependencies and candidates are tried in order and the first
        failure or success decides, as conda does, since what is recorded on the way
        depends on it."""
        known = self.filter_out.get(i)
        if known is not None:
            return not known
        return self._valid_rec(i, {})

    def _valid_rec(self, j: int, memo: dict[str, bool]) -> bool:
        filter_out = self.filter_out
        get = filter_out.get
        filter_out[j] = False
        for key, found in self._hard(j):
            ok = memo.get(key)
            if ok is None:
                ok = False
                for k in found:
                    val = get(k)
                    if val is None:
                        val = not self._valid_rec(k, memo)
                    if not val:
                        ok = True
                        break
                memo[key] = ok
            if not ok:
                filter_out[j] = "invalid dependencies"
                return False
        return True

    def _hard(self, i: int) -> list[tuple[str, tuple[int, ...]]]:
        """``i``'s non-optional dependencies as (key, candidates)."""
        hard = self._hard_deps.get(i)
        if hard is None:
            pool = self.pool
            hard = self._hard_deps[i] = [(d.key, pool.matches(d)) for d in pool.depends(i)
                                         if not d.optional]
        return hard

    def _walk(self, explicit: Sequence[Dep]) -> set[int]:
        pool = self.pool
        reduced: set[int] = set()
        seed: dict[str, list[Dep]] = {}
        for dep in explicit:
            seed.setdefault(dep.name, []).append(dep)
        for top in explicit:
            add = [i for i in pool.matches(top) if i not in reduced and self._valid(i)]
            if self.strict and add:
                best = self.strict_rank(top.name)
                add = [i for i in add if pool.rank(i) == best]
            reduced.update(add)
            for pkg in add:
                self._walk_from(pkg, seed, reduced)
        return reduced

    def _walk_from(self, pkg: int, seed: dict[str, list[Dep]], reduced: set[int]) -> None:
        pool = self.pool
        walked = self._walked
        deps = pool.depends(pkg)
        for d in deps:
            if d.key not in walked:
                break
        else:  # the usual case after the first few candidates: nothing left to add
            return
        strict_of = pool.strict
        by_name = {name: list(specs) for name, specs in seed.items()}
        todo: dict[str, Dep] = {d.key: d for d in deps}
        for dep in todo.values():
            specs = by_name.setdefault(dep.name, [])
            if dep not in specs and (not specs or strict_of(dep) >= strict_of(specs[0])):
                specs.insert(0, dep)
        # a dependency is "broader" than its name's first spec when it is less strict
        first = {name: strict_of(specs[0]) for name, specs in by_name.items() if specs}
        seen: set[str] = set()
        valid = self._valid
        strict = self.strict
        names = pool.names
        rank = pool.rank
        strict_rank = self.strict_rank
        matches = pool.matches
        depends = pool.depends
        while todo:
            _, ms = todo.popitem()
            seen.add(ms.key)
            if ms.key in walked:
                # every candidate is in already or rejected for good: nothing to add
                continue
            walked.add(ms.key)
            for j in matches(ms):
                if j in reduced or not valid(j):
                    continue
                if strict and rank(j) != strict_rank(names[j]):
                    continue
                reduced.add(j)
                for new in depends(j):
                    key = new.key
                    if key in seen:
                        continue
                    if not new.feature:
                        bound = first.get(new.name)
                        if bound is None or strict_of(new) >= bound:
                            todo[key] = new
                            continue
                    seen.add(key)
