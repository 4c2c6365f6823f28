"""Cardinality and linear-bound encodings over integer literals.

Everything here appends clauses to a :class:`~plugins.solvers.sat.encode.Clauses`-like
object (``new_var()``, ``add(clause)``, ``true``). Literals are non-zero integers in the
DIMACS convention.

* :func:`at_most_one`: pairwise for a handful of literals, the product encoding above
  that (2n clauses and about 2√n auxiliary variables).
* :class:`UpperBound`: "Σ cᵢ·xᵢ ≤ r" as a memoised BDD over *groups* of literals of which
  at most one is true (the candidates of one package name). Node ``(g, r)`` reads "the
  groups from ``g`` on contribute at most ``r``". Nodes are one-directional (node ⇒ bound),
  so their defining clauses never restrict anything until a node is asserted: they stay in
  the base clause list, and a probe adds a single unit clause.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

PAIRWISE_LIMIT = 5


class ClauseSink(Protocol):
    true: int

    def new_var(self) -> int: ...

    def add(self, clause: list[int]) -> None: ...


def at_most_one(sink: ClauseSink, lits: Sequence[int]) -> None:
    """At most one of ``lits`` is true."""
    n = len(lits)
    if n <= 1:
        return
    if n <= PAIRWISE_LIMIT:
        for i in range(n):
            a = -lits[i]
            for j in range(i + 1, n):
                sink.add([a, -lits[j]])
        return
    # the product encoding: the literals on a grid, each implies its row and its column,
    # and at most one row and one column may be taken (2n clauses and ~2√n variables
    # above the rows' and columns' own; unit propagation still rules out every other
    # literal once one is true)
    width = math.isqrt(n - 1) + 1
    rows = [sink.new_var() for _ in range((n + width - 1) // width)]
    cols = [sink.new_var() for _ in range(width)]
    add = sink.add
    for k, x in enumerate(lits):
        add([-x, rows[k // width]])
        add([-x, cols[k % width]])
    at_most_one(sink, rows)
    at_most_one(sink, cols)


def any_of(sink: ClauseSink, lits: Sequence[int]) -> int:
    """A literal equivalent to ``OR(lits)`` (``-true`` when empty)."""
    if not lits:
        return -sink.true
    if len(lits) == 1:
        return lits[0]
    v = sink.new_var()
    sink.add([-v, *lits])
    for x in lits:
        sink.add([-x, v])
    return v


def all_of(sink: ClauseSink, a: int, b: int) -> int:
    """A literal equivalent to ``a AND b``."""
    v = sink.new_var()
    sink.add([-v, a])
    sink.add([-v, b])
    sink.add([v, -a, -b])
    return v


class UpperBound:
    """Σ coeff·lit ≤ r for any r, over groups where at most one literal is true.

    ``groups`` is a list of ``[(lit, coeff), …]`` with positive coefficients. A literal may
    stand alone in its group. Nodes are created on demand and memoised, so asking for
    several bounds (bisection probes) shares everything already built.
    """

    def __init__(self, sink: ClauseSink, groups: Sequence[Sequence[tuple[int, int]]]):
        self.sink = sink
        # largest coefficients first: the budget runs out early and the BDD stays narrow
        self.groups = sorted(
            (sorted(g, key=lambda t: -t[1]) for g in groups if g), key=lambda g: -g[0][1]
        )
        suffix = [0] * (len(self.groups) + 1)
        for i in range(len(self.groups) - 1, -1, -1):
            suffix[i] = suffix[i + 1] + self.groups[i][0][1]
        self.suffix = suffix
        self.memo: dict[tuple[int, int], int] = {}

    def at_most(self, bound: int) -> int:
        """A literal that, when true, forces the sum to be at most ``bound``."""
        return self._node(0, bound)

    def _node(self, g: int, r: int) -> int:
        sink = self.sink
        if r < 0:
            return -sink.true
        if r >= self.suffix[g]:
            return sink.true
        key = (g, r)
        node = self.memo.get(key)
        if node is not None:
            return node
        node = sink.new_var()
        self.memo[key] = node
        rest = self._node(g + 1, r)
        if rest != sink.true:
            sink.add([-node, rest])
        for lit, coeff in self.groups[g]:
            below = self._node(g + 1, r - coeff)
            if below == sink.true:
                continue
            if below == -sink.true:
                sink.add([-node, -lit])
            else:
                sink.add([-node, -lit, below])
        return node


class CountBound:
    """Σ yᵢ ≤ r for unit coefficients, as Batcher's odd-even merge sorting network.

    Each group (literals of which at most one is true) feeds one wire ``yᵢ``. The network
    costs O(n log² n) clauses whatever the bound, which beats the BDD when the bound is
    large (the package count, whose optimum is most of the names). Comparators are
    one-directional, like the BDD nodes: a sorted output is forced true when enough
    inputs are, which is all an upper bound needs.
    """

    def __init__(self, sink: ClauseSink, groups: Sequence[Sequence[tuple[int, int]]]):
        self.sink = sink
        false = -sink.true
        wires = []
        for group in groups:
            if len(group) == 1:
                wires.append(group[0][0])
            else:
                y = sink.new_var()
                for lit, _ in group:
                    sink.add([-lit, y])
                wires.append(y)
        self.n = len(wires)
        size = 1
        while size < self.n:
            size *= 2
        wires.extend([false] * (size - self.n))
        for i, j in _merge_sort_pairs(size):
            a, b = wires[i], wires[j]
            if a == false or b == false:
                wires[i], wires[j] = false, (b if a == false else a)
                continue
            hi, lo = sink.new_var(), sink.new_var()
            sink.add([-a, hi])
            sink.add([-b, hi])
            sink.add([-a, -b, lo])
            wires[i], wires[j] = lo, hi
        self.sorted = wires  # ascending: the last wire is true when any input is

    def at_most(self, bound: int) -> int:
        if bound >= self.n:
            return self.sink.true
        if bound < 0:
            return -self.sink.true
        return -self.sorted[len(self.sorted) - bound - 1]


def _merge_sort_pairs(n: int) -> list[tuple[int, int]]:
    """Comparators of Batcher's odd-even merge sort for ``n`` (a power of two) wires."""
    pairs = []
    p = 1
    while p < n:
        k = p
        while k >= 1:
            for j in range(k % p, n - k, 2 * k):
                for i in range(min(k, n - j - k)):
                    if (i + j) // (2 * p) == (i + j + k) // (2 * p):
                        pairs.append((i + j, i + j + k))
            k //= 2
        p *= 2
    return pairs
