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
        self._required: dict[int, dict[str, tuple[Dep, ...]]] = {}
        #: how many fixed literals :meth:`require_implied_names` has looked at
        self._implied_at = 0
        self._name_of_var: dict[int, str] = {}
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
            self._name_of_var[m] = name
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
        """Require what the fixed values make certain through dependencies alone: a
        name all of whose live candidates depend on another name installs that one too,
        and only the candidates of that name some live candidate's dependency matches
        can be the one installed (the others are fixed false). The unit clauses are
        implied, so no model changes, but propagation sees more, and a group's cheapest
        live candidate becomes a floor the optimisation passes no longer search for.
        Applied to a fixed point; returns how many unit clauses it added."""
        c = self.clauses
        c.propagate()
        fixed = c.fixed
        name_var = self.name_var
        var = self.var
        groups = self.groups
        group_of = self.group_of
        name_of = self._name_of_var
        match_set = self.pool.match_set
        if c.nfixed < self._implied_at:
            self._implied_at = 0  # a rollback: look at everything again
        added = 0
        while not c.unsat:
            # only names whose live candidates changed, or that became certain, since
            # the last look can imply anything new
            touched = set()
            for lit in c.fixed_since(self._implied_at):
                v = lit if lit > 0 else -lit
                name = group_of.get(v) if v in group_of else name_of.get(v)
                if name is not None:
                    touched.add(name)
            self._implied_at = c.nfixed
            names: list[str] = []
            dead: set[int] = set()
            for name in touched:
                if fixed(name_var[name]) <= 0:
                    continue
                live = [i for i in groups[name] if fixed(var[i]) >= 0]
                deps = [self._required_deps(i, name) for i in live]
                common = set(deps[0]) if deps else set()
                for found in deps[1:]:
                    common.intersection_update(found)
                    if not common:
                        break
                for n in common:
                    if not fixed(name_var[n]):
                        names.append(n)
                    allowed: set[int] = set()
                    for found in deps:
                        specs = found[n]
                        ok = match_set(specs[0])
                        for d in specs[1:]:
                            ok = ok & match_set(d)
                        allowed.update(ok)
                    dead.update(j for j in groups[n] if j not in allowed and not fixed(var[j]))
            if not names and not dead:
                break
            for n in names:
                c.require(name_var[n])
            for j in dead:
                c.require(-var[j])
            added += len(set(names)) + len(dead)
            c.propagate()
        return added

    def _required_deps(self, i: int, name: str) -> dict[str, tuple[Dep, ...]]:
        """Record ``i``'s plain dependencies on other names of this encoding, by name."""
        found = self._required.get(i)
        if found is None:
            by_name: dict[str, list[Dep]] = {}
            for d in self.pool.depends(i):
                if d.name and not d.optional and not d.feature and d.name != name \
                        and d.name in self.name_var:
                    by_name.setdefault(d.name, []).append(d)
            found = self._required[i] = {n: tuple(ds) for n, ds in by_name.items()}
        return found

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
