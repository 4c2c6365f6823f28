"""The CNF building blocks, checked exhaustively against brute force on small inputs."""

from __future__ import annotations

import itertools

import pytest

from plugins.solvers.sat.cardinality import CountBound, UpperBound, any_of, at_most_one
from plugins.solvers.sat.clauses import Clauses
from plugins.solvers.sat.optimize import Optimizer
from plugins.solvers.sat.order import toposort


def _models(c: Clauses, lits: list[int]) -> set[tuple[bool, ...]]:
    """Projections on ``lits`` of every model of ``c``."""
    found = set()
    for values in itertools.product((False, True), repeat=len(lits)):
        units = [[v if on else -v] for v, on in zip(lits, values, strict=True)]
        if c.sat(units) is not None:
            found.add(values)
    return found


@pytest.mark.parametrize("n", [2, 5, 6, 8])
def test_at_most_one_allows_exactly_the_assignments_with_one_or_none(n: int) -> None:
    c = Clauses()
    lits = [c.new_var() for _ in range(n)]
    at_most_one(c, lits)
    assert _models(c, lits) == {v for v in itertools.product((False, True), repeat=n)
                                if sum(v) <= 1}


@pytest.mark.parametrize("n", [7, 40])
def test_at_most_one_lets_propagation_rule_out_the_others(n: int) -> None:
    # the floor probe relies on it: one candidate fixed true fixes every other one false
    for chosen in (0, n // 2, n - 1):
        c = Clauses()
        lits = [c.new_var() for _ in range(n)]
        at_most_one(c, lits)
        c.require(lits[chosen])
        c.propagate()
        assert [c.fixed(x) for x in lits] == [1 if k == chosen else -1 for k in range(n)]
    c = Clauses()
    lits = [c.new_var() for _ in range(n)]
    at_most_one(c, lits)
    assert c.sat([[lits[1]], [lits[n - 2]]]) is None


def test_any_of_is_equivalent_to_the_disjunction() -> None:
    c = Clauses()
    lits = [c.new_var() for _ in range(3)]
    m = any_of(c, lits)
    assert _models(c, [*lits, m]) == {(*v, any(v)) for v in
                                      itertools.product((False, True), repeat=3)}


@pytest.mark.parametrize("bound", [0, 1, 3, 4, 7])
def test_upper_bound_allows_exactly_the_sums_within_the_bound(bound: int) -> None:
    c = Clauses()
    groups = [[(c.new_var(), 1), (c.new_var(), 3)], [(c.new_var(), 2)], [(c.new_var(), 1)]]
    lits = [lit for g in groups for lit, _ in g]
    coeff = {lit: w for g in groups for lit, w in g}
    at_most_one(c, [lit for lit, _ in groups[0]])
    c.require(UpperBound(c, groups).at_most(bound))
    expected = {v for v in itertools.product((False, True), repeat=len(lits))
                if not (v[0] and v[1])
                and sum(coeff[x] for x, on in zip(lits, v, strict=True) if on) <= bound}
    assert _models(c, lits) == expected


@pytest.mark.parametrize("bound", [0, 2, 5])
def test_count_bound_allows_exactly_the_counts_within_the_bound(bound: int) -> None:
    c = Clauses()
    lits = [c.new_var() for _ in range(6)]
    c.require(CountBound(c, [[(x, 1)] for x in lits]).at_most(bound))
    assert _models(c, lits) == {v for v in itertools.product((False, True), repeat=6)
                                if sum(v) <= bound}


def test_minimize_takes_the_smaller_peak_before_the_smaller_sum() -> None:
    c = Clauses()
    a, b1, b2, b3 = (c.new_var() for _ in range(4))
    c.add([a, b1])
    c.add([a, b2])
    c.add([a, b3])
    opt = Optimizer(c, c.sat() or [], {})
    opt.minimize({a: 2, b1: 1, b2: 1, b3: 1})
    assert [opt.value(x) for x in (a, b1, b2, b3)] == [False, True, True, True]


def test_minimize_fixes_the_optimum_for_later_passes() -> None:
    c = Clauses()
    x, y = c.new_var(), c.new_var()
    c.add([x, y])
    opt = Optimizer(c, c.sat() or [], {})
    opt.minimize({x: 1})
    opt.minimize({y: 1})
    assert (opt.value(x), opt.value(y)) == (False, True)


def test_toposort_puts_dependencies_first_and_sorts_each_level() -> None:
    order = toposort({"numpy": ["python"], "python": ["zlib", "pip"], "zlib": [],
                      "pip": ["python"], "abc": []})
    assert order == ["abc", "zlib", "python", "numpy", "pip"]


def test_toposort_breaks_other_cycles_deterministically() -> None:
    assert toposort({"a": ["b"], "b": ["a"], "c": ["a"]}) == ["a", "b", "c"]
