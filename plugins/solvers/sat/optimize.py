"""Lexicographic minimisation the way conda's ``Clauses.minimize`` defines each pass.

A pass minimises an objective ``{literal: coefficient}``: first the largest coefficient
among the true literals (the *peak*, only when some coefficient exceeds 1), then the sum
with the peak held. Each optimum is fixed in the base clauses before the next pass, so
later passes never trade an earlier one away.

Unlike conda, the base clauses are never rebuilt: a probe is a handful of unit clauses
(peak) or one unit clause on a memoised BDD node (sum); a pass whose current value already
equals its lower bound is fixed without calling the SAT solver at all.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence

from plugins.solvers.sat.cardinality import CountBound, UpperBound
from plugins.solvers.sat.clauses import Clauses


class Optimizer:
    """Holds the current model and tightens it pass by pass."""

    def __init__(self, clauses: Clauses, model: list[bool], group_of: Mapping[int, Hashable]):
        self.clauses = clauses
        self.model = model
        #: literals of one group are mutually exclusive (candidates of one package name)
        self.group_of = group_of

    def value(self, lit: int) -> bool:
        return self.model[lit] if lit > 0 else not self.model[-lit]

    def minimize(self, objective: Mapping[int, int], *, trymax: bool = False,
                 fix: bool = True) -> int:
        """Minimise peak then sum of ``objective``, fix the optimum, return the sum.

        ``trymax`` probes downwards from the current value (conda starts there too for
        the package count, whose optimum sits next to any first model); ``fix=False`` skips
        fixing the optimum (the last pass)."""
        terms = [(lit, c) for lit, c in objective.items() if c > 0]
        if not terms:
            return 0
        if max(abs(lit) for lit, _ in terms) >= len(self.model):
            model = self.clauses.sat()  # the objective defined new variables
            assert model is not None, "fixed optima can always be met"
            self.model = model
        lo = 0
        if max(c for _, c in terms) > 1:
            peak = self._search(0, self._peak(terms), lambda mid: self._peak_probe(terms, mid),
                                lambda: self._peak(terms))
            for lit, c in terms:
                if c > peak:
                    self.clauses.require(-lit)
            if peak == 0:
                return 0
            terms = [(lit, c) for lit, c in terms if c <= peak]
            lo = peak
        current = self._sum(terms)
        if current > lo:
            self.clauses.begin_scratch()
            bound = self._bound(terms)
            current = self._search(lo, current, lambda mid: [[bound.at_most(mid)]],
                                   lambda: self._sum(terms), descend=trymax)
            # drop the nodes only the probes needed; keep the bound at the optimum
            self.clauses.end_scratch()
        if not fix:
            return current
        if current == 0:
            for lit, _ in terms:
                self.clauses.require(-lit)
        else:
            self.clauses.require(self._bound(terms).at_most(current))
        return current

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

        Probes gallop up from ``lo`` (small bounds make small encodings, and optima sit
        near the lower bound far more often than near an arbitrary first model), then
        bisect once a probe succeeds. With ``descend`` they step down from ``hi``."""
        if descend:
            while lo < hi:
                model = self.clauses.sat(probe(hi - 1))
                if model is None:
                    return hi
                self.model = model
                hi = evaluate()
            return hi
        step = 1
        mid = lo
        while lo < hi:
            model = self.clauses.sat(probe(mid))
            if model is None:
                lo = mid + 1
                mid = min(lo + step, (lo + hi) // 2) if step else (lo + hi) // 2
                step *= 2
            else:
                self.model = model
                hi = evaluate()
                step = 0
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
        chosen = [-lit for lit in lits if self.value(lit)]
        return not chosen or self.clauses.sat([chosen]) is None
