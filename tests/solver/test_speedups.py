"""The shortcuts that make the solver fast must not change a single answer: unit
propagation in the clause store, the exact rewritings and extra probes of the optimiser
(checked against brute force on random instances), the binary-clause encoding of specs
that exclude few candidates, and the conflict search that skips implied specs."""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Sequence
from typing import Any

import pytest

from plugins.solvers.sat.cardinality import at_most_one
from plugins.solvers.sat.clauses import Clauses
from plugins.solvers.sat.optimize import Optimizer
from tests.solver.conftest import request_for


def test_units_propagate_and_leave_the_clause_list() -> None:
    c = Clauses()
    a, b, x, y = (c.new_var() for _ in range(4))
    c.add([-a, b])
    c.add([-b, x, y])
    c.add([x, -y])
    c.add([-x, -a])
    c.require(a)
    # a, then b and ¬x by propagation; [¬b, x, y] shrinks to y, which is fixed in turn
    assert c.clauses == []
    assert [c.fixed(v) for v in (a, b, x, y)] == [1, 1, -1, 1]
    assert c.sat() is None  # [x, ¬y] is violated
    c2 = Clauses()
    a, b, x, y = (c2.new_var() for _ in range(4))
    c2.add([-a, b])
    c2.add([-b, x, y])
    c2.require(a)
    assert c2.clauses == [[x, y]]
    model = c2.sat()
    assert model is not None and model[a] and model[b] and (model[x] or model[y])


def test_a_propagated_conflict_is_unsatisfiable() -> None:
    c = Clauses()
    a, b = c.new_var(), c.new_var()
    c.add([-a, b])
    c.add([-a, -b])
    assert c.sat() is not None
    c.require(a)
    assert c.sat() is None


def test_scratch_clauses_vanish_and_never_fix_anything() -> None:
    c = Clauses()
    a, b = c.new_var(), c.new_var()
    c.add([a, b])
    c.begin_scratch()
    c.add([-a])
    c.add([-b])
    assert c.sat() is None
    c.end_scratch()
    assert c.fixed(a) == c.fixed(b) == 0
    assert c.sat() is not None


def _brute_lexmin(n: int, clauses: list[list[int]], objectives: list[dict[int, int]]
                  ) -> list[int] | None:
    found = _brute_optima(n, clauses, objectives)
    return None if found is None else found[0]


def _brute_optima(n: int, clauses: list[list[int]], objectives: list[dict[int, int]]
                  ) -> tuple[list[int], list[tuple], list[tuple]] | None:
    """conda's passes by enumeration: per objective the smallest peak (when some
    coefficient exceeds 1), then the smallest sum under that peak; each fixed in turn.
    The optima, every model and the models left at the end."""
    models = []
    for bits in itertools.product((False, True), repeat=n):
        val = (None, *bits)
        if all(any(val[lit] if lit > 0 else not val[-lit] for lit in cl) for cl in clauses):
            models.append(val)
    if not models:
        return None
    sums = []
    every = models
    for obj in objectives:
        def true(m, lit):
            return m[lit] if lit > 0 else not m[-lit]
        if obj and max(obj.values()) > 1:
            peak = min(max((w for lit, w in obj.items() if true(m, lit)), default=0)
                       for m in models)
            models = [m for m in models
                      if all(w <= peak for lit, w in obj.items() if true(m, lit))]
        best = min(sum(w for lit, w in obj.items() if true(m, lit)) for m in models)
        models = [m for m in models if sum(w for lit, w in obj.items() if true(m, lit)) == best]
        sums.append(best)
    return sums, every, models


@pytest.mark.parametrize("first", ["reach", "settle", "settle-all"])
@pytest.mark.parametrize("seed", range(60))
def test_optimizer_matches_brute_force_on_random_grouped_problems(seed: int, first: str
                                                                  ) -> None:
    rng = random.Random(seed)
    c = Clauses()
    groups: dict[str, tuple[int, list[int]]] = {}
    group_of: dict[int, str] = {}
    for g in range(rng.randint(2, 4)):
        members = [c.new_var() for _ in range(rng.randint(1, 3))]
        on = c.new_var()
        at_most_one(c, members)
        c.add([-on, *members])
        for m in members:
            c.add([-m, on])
            group_of[m] = f"g{g}"
        groups[f"g{g}"] = (on, members)
    n = c.nvars
    base = [list(cl) for cl in c.clauses]
    extra = []
    for _ in range(rng.randint(1, 5)):
        cl = [rng.choice((1, -1)) * rng.randint(2, n) for _ in range(rng.randint(1, 3))]
        extra.append(cl)
    for on, _ in rng.sample(list(groups.values()), rng.randint(0, len(groups))):
        extra.append([on])
    members = [m for _, ms in groups.values() for m in ms]
    objectives = []
    for _ in range(3):
        objectives.append({m: rng.randint(0, 3) for m in members if rng.random() < 0.8})
    names = {on: 1 for on, _ in groups.values()}
    brute = _brute_optima(n, [[1], *base, *extra], [*objectives, names])
    expected = None if brute is None else brute[0]
    for cl in extra:
        c.add(cl)
    model = c.sat()
    if expected is None:
        assert model is None
        return
    assert model is not None
    opt = Optimizer(c, [], group_of, groups)
    if first == "reach":
        opt.reach_floors(objectives)
    else:
        # the sequential floor probe keeps its fixes only when it succeeds; a failed
        # one leaves the store as it was
        before = ([c.fixed(v) for v in range(1, n + 1)], sorted(map(sorted, c.clauses)))
        probe = [*objectives, names] if first == "settle-all" else objectives
        if not opt.settle_floors(probe):
            assert ([c.fixed(v) for v in range(1, n + 1)],
                    sorted(map(sorted, c.clauses))) == before
    if not opt.model:
        opt.model = model
    got = [opt.minimize(obj) for obj in objectives]
    got.append(opt.minimize(names, trymax=True))
    assert got == expected
    final = c.sat()
    assert final is not None
    # the fixed optima (bounds, units, implied units) keep exactly the optimal models
    assert brute is not None
    optimal = set(brute[2])
    for m in brute[1]:
        kept = c.sat([[v if m[v] else -v] for v in range(1, n + 1)]) is not None
        assert kept == (m in optimal)


def test_specs_excluding_few_candidates_keep_their_meaning(backend) -> None:
    from tests.solver.channels import MemorySource

    def rec(name: str, version: str, depends=(), constrains=()):
        return {"name": name, "version": version, "build": "0", "build_number": 0,
                "depends": list(depends), "constrains": list(constrains),
                "subdir": "linux-64"}

    raw = {f"b-{v}-0.tar.bz2": rec("b", v) for v in ("1", "2", "3", "4")}
    raw["a-1-0.tar.bz2"] = rec("a", "1", ["b !=4"])
    raw["c-1-0.tar.bz2"] = rec("c", "1", constrains=["b !=3,!=4"])
    source = MemorySource([("local", {"linux-64": raw})])
    result = backend(request_for(source, ["a"]))
    assert {(r.name, r.version) for r in result.records} == {("a", "1"), ("b", "3")}
    result = backend(request_for(source, ["a", "c"]))
    assert {(r.name, r.version) for r in result.records} == {("a", "1"), ("b", "2"),
                                                             ("c", "1")}
    result = backend(request_for(source, ["c", "b"]))
    assert {(r.name, r.version) for r in result.records} == {("b", "2"), ("c", "1")}


@pytest.mark.needs_models
def test_sudoku_conflict_is_found_quickly(backend, sudoku) -> None:
    from kernel.errors import UnsatisfiableError

    start = time.process_time()
    with pytest.raises(UnsatisfiableError) as info:
        backend(request_for(sudoku, ["sudoku_0_0", "sudoku_0_1 1"]))
    # about 1 s on a laptop core; the old search needed 5–10 s
    assert time.process_time() - start < 6
    assert info.value.fields["specs"] == ["sudoku_0_1==1"]


def _tiny_encoding(raw: dict[str, dict], wanted: str) -> Any:
    from plugins.solvers.sat.encode import Encoding
    from plugins.solvers.sat.pool import Pool
    from tests.solver.channels import MemorySource

    pool = Pool(request_for(MemorySource([("local", {"linux-64": raw})])))
    for name in {r["name"] for r in raw.values()}:
        pool.group(name)
    enc = Encoding(pool, range(len(pool.records)))
    enc.clauses.require(enc.name_var[wanted])
    return enc


def _rec(name: str, version: str, depends: Sequence[str] = ()) -> dict[str, Any]:
    return {"name": name, "version": version, "build": "0", "build_number": 0,
            "depends": list(depends), "subdir": "linux-64"}


def test_a_name_every_live_candidate_needs_is_required() -> None:
    raw = {f"{n}-{v}-0.tar.bz2": _rec(n, v, d) for n, v, d in [
        ("a", "1", ["b >=1"]), ("a", "2", ["b", "d"]), ("b", "1", []), ("b", "2", ["c"]),
        ("b", "3", ["c >=1"]), ("c", "1", []), ("d", "1", [])]}
    enc = _tiny_encoding(raw, "a")
    c = enc.clauses
    assert enc.require_implied_names() == 1  # b (d only for a-2)
    assert c.fixed(enc.name_var["b"]) == 1
    assert c.fixed(enc.name_var["c"]) == c.fixed(enc.name_var["d"]) == 0
    b1 = next(v for i, v in enc.var.items() if enc.pool.records[i].fn == "b-1-0.tar.bz2")
    c.require(-b1)  # b-2 and b-3 are left, and both need c
    assert enc.require_implied_names() == 1
    assert c.fixed(enc.name_var["c"]) == 1
    model = c.sat()
    assert model is not None and model[enc.name_var["c"]]


def test_models_survive_the_dense_renumbering_of_scratch_and_probe_clauses() -> None:
    c = Clauses()
    xs = [c.new_var() for _ in range(6)]
    c.add([xs[0], xs[1]])
    c.require(xs[2])  # fixed: not sent to picosat, patched back into the model
    c.begin_scratch()
    late = c.new_var()  # a variable newer than the base list's numbering
    c.add([-late, -xs[0]])
    c.add([late])
    model = c.sat([[xs[5]], [-xs[4]]])
    assert model is not None
    assert model[xs[1]] and not model[xs[0]] and model[late] and model[xs[2]]
    assert model[xs[5]] and not model[xs[4]]
    c.add([-xs[1]])  # the scratch list grows: its numbering is extended
    assert c.sat() is None
    c.end_scratch()
    assert c.sat([[-xs[1]]]) is not None


def test_the_optimal_peak_bounds_the_sum_so_no_probe_below_it_is_made() -> None:
    # a or b must take its costly candidate (3): the peak is 3, and so the sum is at
    # least 3; a model at 3 is then optimal without a sum probe
    c = Clauses()
    a0, a1, b0, b1 = (c.new_var() for _ in range(4))
    for x, y in ((a0, a1), (b0, b1)):
        c.add([-x, -y])
    c.add([a1, b1])
    c.add([-a1, -b1])
    groups = {"a": (c.true, [a0, a1]), "b": (c.true, [b0, b1])}
    group_of = {a0: "a", a1: "a", b0: "b", b1: "b"}
    model = c.sat()
    assert model is not None
    opt = Optimizer(c, model, group_of, groups)
    before = c.calls
    assert opt.minimize({a1: 3, b1: 3}) == 3
    # the floor probe and the peak search (probes at 0, 1 and 2); none for the sum,
    # which without the bound took two more
    assert c.calls - before == 4


def test_models_show_the_fixed_values_after_a_rollback() -> None:
    c = Clauses()
    a, b, x = c.new_var(), c.new_var(), c.new_var()
    c.add([a, b])
    c.add([-x, a])
    state = c.checkpoint()
    c.require(a)
    c.require(x)
    model = c.sat()
    assert model is not None and model[a] and model[x]
    c.rollback(state)
    c.require(-a)  # as many fixed literals as before, with other values
    c.require(-x)
    model = c.sat()
    assert model is not None and not model[a] and not model[x] and model[b]


def test_candidates_no_live_dependency_matches_are_fixed_false() -> None:
    raw = {f"{n}-{v}-0.tar.bz2": _rec(n, v, d) for n, v, d in [
        ("a", "1", ["b <2"]), ("a", "2", ["b <3", "b >=2"]),
        ("b", "1", []), ("b", "2", []), ("b", "3", [])]}
    enc = _tiny_encoding(raw, "a")
    c = enc.clauses
    by_fn = {enc.pool.records[i].fn: v for i, v in enc.var.items()}
    assert enc.require_implied_names() == 2  # b is installed, and b-3 is not it
    assert c.fixed(enc.name_var["b"]) == 1
    assert c.fixed(by_fn["b-3-0.tar.bz2"]) == -1
    assert c.fixed(by_fn["b-1-0.tar.bz2"]) == c.fixed(by_fn["b-2-0.tar.bz2"]) == 0
    c.require(-by_fn["a-1-0.tar.bz2"])  # a-2 is left: only b-2 meets both its specs
    enc.require_implied_names()
    assert c.fixed(by_fn["b-2-0.tar.bz2"]) == 1
