"""Lexicographic minimisation the way conda's ``Clauses.minimize`` defines each pass.

A pass minimises an objective ``{literal: coefficient}``: first the largest coefficient
among the true literals (the *peak*, only when some coefficient exceeds 1), then the sum
with the peak held. Each optimum is fixed before the next pass, so later passes never
trade an earlier one away.

Every SAT call re-sends the whole clause list (pycosat is not incremental), so the work
is to make few, small calls without changing any optimum:

* literals the fixed values (unit propagation of every earlier optimum, see
  :mod:`~plugins.solvers.sat.clauses`) already decide leave the objective, a true one
  as a constant;
* a group (the candidates of one name) that must be installed contributes at least its
  cheapest live candidate (its *floor*): a constant, and only the excess is encoded.
  Both are exact rewritings, so each optimum and the set of models reaching it are
  conda's;
* the lower bound is then "every group at its floor" (the peak: the largest floor), and
  one probe of unit clauses tests it; :meth:`Optimizer.reach_floors` tests it for all
  passes at once, which usually settles every pass with that single call;
* otherwise the peak and the sum are bisected from the lower bound up to the model's
  value; sum probes are one unit clause on a memoised BDD node (or sorting-network
  output) made in scratch clauses that vanish with the pass; only the optimum's bound
  stays, or unit clauses when the optimum is the floor;
* the package count (``trymax``) first asks whether any package of the model can be
  dropped at all; when none can, the count is optimal and fixed by unit clauses.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence

from plugins.solvers.sat.cardinality import CountBound, UpperBound
from plugins.solvers.sat.clauses import Clauses

#: group key → (literal "some member is true", member literals)
Groups = Mapping[Hashable, tuple[int, Sequence[int]]]


class Optimizer:
    """Holds the current model and tightens it pass by pass."""

    def __init__(self, clauses: Clauses, model: list[bool], group_of: Mapping[int, Hashable],
                 groups: Groups | None = None):
        self.clauses = clauses
        self.model = model
        #: literals of one group are mutually exclusive (candidates of one package name)
        self.group_of = group_of
        self.groups = groups or {}

    def value(self, lit: int) -> bool:
        return self.model[lit] if lit > 0 else not self.model[-lit]

    def _open(self, objective: Mapping[int, int]) -> tuple[list[tuple[int, int]], int, int]:
        """Terms the fixed values leave open, the constant sum and the constant peak of
        the rest."""
        c = self.clauses
        c.propagate()
        val = c.val
        terms = []
        const = peak = 0
        for lit, coeff in objective.items():
            if coeff <= 0:
                continue
            f = val[lit] if lit > 0 else -val[-lit]
            if f == 0:
                terms.append((lit, coeff))
            elif f > 0:
                const += coeff
                peak = max(peak, coeff)
        return terms, const, peak

    def above_floors(self, objective: Mapping[int, int]) -> bool:
        """Whether the model leaves ``objective`` above its lower bound (every group at
        its floor), so that its pass will search."""
        terms, _, _ = self._open(objective)
        return bool(terms) and self._sum(self._residual(terms, self._floors(terms))) > 0

    def _floors(self, terms: Sequence[tuple[int, int]]) -> dict[Hashable, int]:
        """For each group that must be installed: its cheapest live candidate's cost."""
        c = self.clauses
        coeff: dict[Hashable, dict[int, int]] = {}
        for lit, w in terms:
            key = self.group_of.get(lit)
            if key is not None and key in self.groups:
                coeff.setdefault(key, {})[lit] = w
        floors = {}
        for key, costs in coeff.items():
            on, members = self.groups[key]
            if c.fixed(on) <= 0:
                continue
            low = min((costs.get(m, 0) for m in members if c.fixed(m) >= 0), default=0)
            if low:
                floors[key] = low
        return floors

    def minimize(self, objective: Mapping[int, int], *, trymax: bool = False,
                 fix: bool = True, floor_tried: bool = False) -> int:
        """Minimise peak then sum of ``objective``, fix the optimum, return the sum.

        ``trymax`` probes downwards from the current value (conda starts there too for
        the package count, whose optimum sits next to any first model); ``fix=False`` skips
        fixing the optimum (the last pass); ``floor_tried`` says that :meth:`reach_floors`
        just found the lower bound out of reach."""
        terms, const, peak_lo = self._open(objective)
        if not terms:
            return const
        c = self.clauses
        if max(abs(lit) for lit, _ in terms) >= len(self.model):
            model = c.sat()  # the objective defined new variables
            assert model is not None, "fixed optima can always be met"
            self.model = model
        floors = self._floors(terms)
        zero_open = True  # whether "every group at its floor" may still be possible
        if floor_tried:
            zero_open = False
        elif not trymax and self._sum(self._residual(terms, floors)) > 0:
            # one probe of unit clauses settles peak and sum at once when every group
            # can sit at its cheapest live candidate (the usual case)
            model = c.sat([[-lit] for lit, _ in self._residual(terms, floors)])
            if model is not None:
                self.model = model
            else:
                zero_open = False
        sum_lo = 0  # a lower bound of the sum above the floors
        peak_terms: set[int] = set()  # open terms at the peak (one of them is true)
        if max(w for _, w in terms) > max(1, peak_lo):
            lo = max([peak_lo, *floors.values()])

            def peak_now() -> int:
                return max(peak_lo, self._peak(terms))

            peak = self._search(lo, peak_now(), lambda mid: self._peak_probe(terms, mid),
                                peak_now)
            for lit, w in terms:
                if w > peak:
                    c.require(-lit)
            before = const, floors
            terms, const, peak_lo = self._open(objective)
            if not terms:
                return const
            floors = self._floors(terms)
            # the probe above stays impossible unless fixing the peak turned a term true
            # or raised a floor (it only fixed terms false otherwise)
            if (const, floors) != before:
                zero_open = True
            if peak > peak_lo:
                # no model has a smaller peak, and no constant term reaches it: every
                # model has an open term of coefficient ``peak`` true, which costs at
                # least its excess over its group's floor
                group_of = self.group_of
                peak_terms = {lit for lit, w in terms if w == peak}
                sum_lo = min((peak - floors.get(group_of.get(lit), 0)
                              for lit in peak_terms), default=0)
        const += sum(floors.values())
        terms = self._residual(terms, floors)
        current = self._sum(terms)
        lo = max(0 if zero_open else 1, sum_lo)
        if trymax and current > lo and self._backbone(terms, fix):
            return const + current
        if current > lo:
            c.begin_scratch()
            bounds: list[UpperBound | CountBound] = []

            def probe(mid: int) -> list[list[int]]:
                if mid == 0:
                    return [[-lit] for lit, _ in terms]
                if not bounds:
                    bounds.append(self._bound(terms))
                return [[bounds[0].at_most(mid)]]

            current = self._search(lo, current, probe, lambda: self._sum(terms), descend=trymax)
            c.end_scratch()
        if fix:
            if current == 0:
                for lit, _ in terms:
                    c.require(-lit)
            else:
                c.require(self._bound(terms).at_most(current))
                # a term that would take the sum past the optimum on its own is false;
                # outside the peak's terms, one of which is true in every model (in
                # another group: one candidate per name), with that one's cost too
                for lit, w in terms:
                    if w + (0 if lit in peak_terms else sum_lo) > current:
                        c.require(-lit)
        return const + current

    def _backbone(self, terms: Sequence[tuple[int, int]], fix: bool) -> bool:
        """One probe for a count objective: can any term true now be false? When not,
        those terms are true in every model, so the current count is the optimum and
        it is fixed with unit clauses (which propagate) instead of a counting network.
        Otherwise the probe's model becomes the incumbent when it counts less."""
        c = self.clauses
        true = [lit for lit, _ in terms if self.value(lit)]
        model = c.sat([[-lit for lit in true]])
        if model is None:
            if fix:
                for lit, _ in terms:
                    c.require(lit if self.value(lit) else -lit)
            return True
        before, self.model = self.model, model
        if self._sum(terms) >= self._sum_in(before, terms):
            self.model = before
        return False

    @staticmethod
    def _sum_in(model: Sequence[bool], terms: Sequence[tuple[int, int]]) -> int:
        return sum(w for lit, w in terms if (model[lit] if lit > 0 else not model[-lit]))

    def reach_floors(self, objectives: Sequence[Mapping[int, int]]) -> bool:
        """One probe: put every objective at its lower bound at once (each group at its
        cheapest live candidate). When that is possible the model is optimal for all of
        them in turn, so their passes fix it without a SAT call. Without a model yet,
        this is the first probe."""
        units: list[list[int]] = []
        unsettled = not self.model  # no model yet: probe anyway
        for objective in objectives:
            terms, _, _ = self._open(objective)
            residual = self._residual(terms, self._floors(terms))
            unsettled = unsettled or self._sum(residual) > 0
            units.extend([-lit] for lit, _ in residual)
        if not unsettled:
            return True
        model = self.clauses.sat(units)
        if model is None:
            return False
        self.model = model
        return True

    def settle_floors(self, objectives: Sequence[Mapping[int, int]]) -> bool | None:
        """One probe for the passes in order: each objective at its lower bound once the
        earlier ones are fixed at theirs (their floors after unit propagation of those
        fixes, which are the passes' own floors). The first objective whose floors unit
        propagation refutes is left out, with all after it (their passes run as usual).
        When the probe is satisfiable the fixes stay, since they are each pass's optimum,
        and ``True`` is returned; otherwise everything is undone and ``None`` returned
        (``False`` when no floor was fixed: the clauses alone are unsatisfiable)."""
        c = self.clauses
        start = c.checkpoint()
        fixed_any = False
        for objective in objectives:
            state = c.checkpoint()
            terms, _, _ = self._open(objective)
            for lit, _ in self._residual(terms, self._floors(terms)):
                c.require(-lit)
                fixed_any = True
            c.propagate()
            if c.unsat:
                c.rollback(state)
                break
        model = c.sat()
        if model is None:
            c.rollback(start)
            return None if fixed_any else False
        self.model = model
        return True

    def _residual(self, terms: Sequence[tuple[int, int]],
                  floors: Mapping[Hashable, int]) -> list[tuple[int, int]]:
        """``terms`` less each forced group's floor, without the terms left at zero."""
        if not floors:
            return list(terms)
        group_of = self.group_of
        out = []
        for lit, w in terms:
            w -= floors.get(group_of.get(lit), 0)
            if w > 0:
                out.append((lit, w))
        return out

    def _bound(self, terms: Sequence[tuple[int, int]]) -> UpperBound | CountBound:
        groups = self._grouped(terms)
        if all(c == 1 for _, c in terms) and len(groups) > 64:
            return CountBound(self.clauses, groups)
        return UpperBound(self.clauses, groups)

    def _peak(self, terms: Sequence[tuple[int, int]]) -> int:
        return max((c for lit, c in terms if self.value(lit)), default=0)

    def _sum(self, terms: Sequence[tuple[int, int]]) -> int:
        return sum(c for lit, c in terms if self.value(lit))

    @staticmethod
    def _peak_probe(terms: Sequence[tuple[int, int]], mid: int) -> list[list[int]]:
        return [[-lit] for lit, c in terms if c > mid]

    def _search(self, lo: int, hi: int, probe: Callable[[int], list[list[int]]],
                evaluate: Callable[[], int], descend: bool = False) -> int:
        """Smallest feasible value in ``[lo, hi]``; ``hi`` is the current model's value.

        The first probe is ``lo`` itself (the lower bound, often the optimum, and for a
        sum a probe of unit clauses); then plain bisection, each satisfiable probe
        lowering ``hi`` to its model's value. With ``descend`` they step down from
        ``hi`` (conda's ``trymax``)."""
        if descend:
            while lo < hi:
                model = self.clauses.sat(probe(hi - 1))
                if model is None:
                    return hi
                self.model = model
                hi = evaluate()
            return hi
        # galloping up from the lower bound until a probe succeeds, then bisection: the
        # optimum usually sits near the bound, and probes near it are the tightly
        # constrained, cheap ones (a loose probe far above makes picosat search)
        mid = lo
        step = 1
        galloping = True
        while lo < hi:
            model = self.clauses.sat(probe(mid))
            if model is None:
                lo = mid + 1
                if galloping:
                    mid = min(lo + step - 1, hi)
                    step *= 2
                    if mid < hi:
                        continue
            else:
                self.model = model
                hi = evaluate()
                galloping = False
            mid = (lo + hi) // 2
        return hi

    def _grouped(self, terms: Sequence[tuple[int, int]]) -> list[list[tuple[int, int]]]:
        groups: dict[Hashable, list[tuple[int, int]]] = {}
        for lit, c in terms:
            key = self.group_of.get(lit, ("lit", lit))
            groups.setdefault(key, []).append((lit, c))
        return list(groups.values())

    def is_unique(self, lits: Sequence[int]) -> bool:
        """True when no other model exists that drops one of the true ``lits``."""
        c = self.clauses
        c.propagate()
        chosen = [-lit for lit in lits if self.value(lit) and not c.fixed(lit)]
        return not chosen or c.sat([chosen]) is None
