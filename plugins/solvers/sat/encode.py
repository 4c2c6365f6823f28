"""CNF for the reduced index, in conda's model.

One variable per record, one per package name (true when some record of the name is
installed, then exactly one is); for each record and dependency, ``¬record ∨ spec``, where
a spec's literal is the disjunction of its candidates (plus ``¬name`` for an optional
spec: absent or satisfied). Spec literals are memoised, so a spec shared by a hundred
records costs one auxiliary variable.
"""

from __future__ import annotations

from collections.abc import Iterable

from plugins.solvers.sat.cardinality import all_of, any_of, at_most_one
from plugins.solvers.sat.clauses import Clauses
from plugins.solvers.sat.pool import Dep, Pool


class Encoding:
    """Variables and base clauses of one reduced index."""

    def __init__(self, pool: Pool, reduced: Iterable[int],
                 features: Iterable[str] = ()) -> None:
        self.pool = pool
        #: features the request itself turns on (``*[track_features=mkl]``): conda
        #: satisfies them with a pseudo record, so they are active whatever is installed
        self.features = frozenset(features)
        self.clauses = c = Clauses()
        # while the base clauses are built every variable is new (none is fixed), so they
        # collect in a plain list and enter the store in one go
        fresh = _Fresh(c)
        self.sink: Clauses | _Fresh = fresh
        kept = set(reduced)
        self.groups: dict[str, list[int]] = {}
        for i in kept:
            self.groups.setdefault(pool.names[i], [])
        for name, members in self.groups.items():
            members.extend(i for i in pool.group(name) if i in kept)
        self.var: dict[int, int] = {}
        self.record_of: dict[int, int] = {}
        self.name_var: dict[str, int] = {}
        self.group_of: dict[int, str] = {}
        self.trackers: dict[str, list[int]] = {}
        self._lits: dict[str, int] = {}
        self._required: dict[int, frozenset[str]] = {}
        self._implied_at = -1  # fixed literals when names were last implied
        for name, members in self.groups.items():
            lits = []
            for i in members:
                v = c.new_var()
                self.var[i] = v
                self.record_of[v] = i
                self.group_of[v] = name
                lits.append(v)
                for feat in pool.records[i].track_features or ():
                    self.trackers.setdefault(feat, []).append(i)
            m = self.name_var[name] = c.new_var()
            at_most_one(fresh, lits)
            add = fresh.add
            add([-m, *lits])
            for v in lits:
                add([-v, m])
        true = c.true
        lit_of = self._lits.get
        add = fresh.add
        for i, v in self.var.items():
            for dep in pool.depends(i):
                lit = lit_of(dep.key) or self.lit(dep)
                if lit == true:
                    continue
                add([-v] if lit == -true else [-v, lit])
        c.add_unchecked(fresh.clauses)
        self.sink = c

    def lit(self, dep: Dep) -> int:
        """The literal that is true exactly when ``dep`` is satisfied."""
        found = self._lits.get(dep.key)
        if found is not None:
            return found
        c = self.sink
        if dep.feature in self.features:
            found = c.true
        elif dep.feature:
            found = any_of(c, [self.var[i] for i in self.trackers.get(dep.feature, ())])
        else:
            group = self.groups.get(dep.name, [])
            ok = self.pool.match_set(dep)
            libs = [i for i in group if i in ok]
            if not group:
                found = c.true if dep.optional else -c.true
            elif len(libs) == len(group):
                found = c.true if dep.optional else self.name_var[dep.name]
            elif 2 * (len(group) - len(libs)) <= len(libs):
                found = self._all_but(dep, [self.var[i] for i in group if i not in ok])
            else:
                lits = [self.var[i] for i in libs]
                if dep.optional:
                    lits.append(-self.name_var[dep.name])
                found = any_of(c, lits)
                if not dep.optional and len(lits) > 1:
                    # implied (every candidate implies its name), but it lets unit
                    # propagation see that a required spec installs the name
                    c.add([-found, self.name_var[dep.name]])
        self._lits[dep.key] = found
        return found

    def _all_but(self, dep: Dep, excluded: list[int]) -> int:
        """A spec that rules out a few candidates of its name (``!=``, ``>=`` near the
        top): since exactly one candidate is installed when the name is, "one of the
        matching candidates" is "the name, and none of the excluded ones" (for an
        optional spec: "none of the excluded ones"). Same meaning, but binary clauses
        (record ⇒ spec ⇒ ¬excluded) that unit propagation follows at once."""
        c = self.sink
        v = c.new_var()
        for x in excluded:
            c.add([-v, -x])
        if dep.optional:
            c.add([v, *excluded])
        else:
            m = self.name_var[dep.name]
            c.add([-v, m])
            c.add([v, -m, *excluded])
        return v

    def require_implied_names(self) -> int:
        """Require every name that the fixed values install in every model: a name all
        of whose live candidates depend on another name (on any of its candidates)
        installs that one too. The unit clauses are implied, so no model changes, but
        propagation sees more, and each such group's cheapest live candidate becomes a
        floor the optimisation passes no longer search for. Returns how many."""
        c = self.clauses
        c.propagate()
        if c.nfixed == self._implied_at:
            return 0  # nothing was fixed since the last call
        fixed = c.fixed
        name_var = self.name_var
        var = self.var
        required = self._required
        added = 0
        while not c.unsat:
            todo = [n for n, m in name_var.items() if fixed(m) > 0]
            seen = set(todo)
            new = []
            while todo:
                name = todo.pop()
                common: set[str] | None = None
                for i in self.groups[name]:
                    if fixed(var[i]) < 0:
                        continue
                    names = required.get(i)
                    if names is None:
                        names = required[i] = frozenset(
                            d.name for d in self.pool.depends(i)
                            if d.name and not d.optional and not d.feature
                            and d.name != name and d.name in name_var)
                    common = set(names) if common is None else common & names
                    if not common:
                        break
                for n in common or ():
                    if n not in seen:
                        seen.add(n)
                        todo.append(n)
                        if not fixed(name_var[n]):
                            new.append(n)
            if not new:
                break
            for n in new:
                c.require(name_var[n])
            added += len(new)
            c.propagate()
        self._implied_at = c.nfixed
        return added

    def feature_lit(self, feature: str) -> int:
        return self.lit(Dep("@" + feature, "", None, False, feature))

    def both(self, a: int, b: int) -> int:
        key = f"&{a}&{b}"
        found = self._lits.get(key)
        if found is None:
            found = self._lits[key] = all_of(self.clauses, a, b)
        return found

    def chosen(self, model: list[bool]) -> list[int]:
        """Record numbers true in ``model``."""
        return [i for i, v in self.var.items() if model[v]]


class _Fresh:
    """A clause sink for clauses over variables none of which is fixed yet."""

    def __init__(self, clauses: Clauses) -> None:
        self.true = clauses.true
        self.new_var = clauses.new_var
        self.clauses: list[list[int]] = []
        self.add = self.clauses.append
