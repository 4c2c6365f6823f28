"""Which installed records conflict with a request: conda's ``get_conflicting_specs`` as
its ``FREEZE_INSTALLED`` mode uses it.

conda offers each installed record's exact spec, one after the other, to a working set
that starts as the requested specs; a record that cannot join (the working set and it
have no solution) is a *conflict*, the others join. Under ``freeze_installed`` the
records that join are frozen, the conflicting ones may change (optional specs aiming at
the installed record). One SAT encoding serves every test: the accepted records become
unit clauses, records already true in the last model join without a call, a record
that unit propagation rules out is a conflict without one, and records are offered in
chunks (see :func:`conflicting_records`).
"""

from __future__ import annotations

from collections.abc import Sequence

from plugins.solvers.sat.encode import Encoding
from plugins.solvers.sat.explain import reachable
from plugins.solvers.sat.pool import Pool, Req


def conflicting_records(pool: Pool, explicit: Sequence[Req], installed: Sequence[int],
                        budget: int = 40) -> set[int]:
    """The installed records (numbers) that conflict with ``explicit`` in conda's greedy
    order; all of them when ``explicit`` is unsatisfiable on its own.

    The greedy runs on chunks: a run of records that can all join the working set
    together joins at once, and each would have joined one by one too (a subset of a
    consistent set is consistent), so the answer is the one-by-one answer with far fewer
    calls; a chunk that cannot join is split in halves. After ``budget`` SAT calls the
    records still undecided count as conflicts (they may then change, with their
    installed record as the target)."""
    enc = Encoding(pool, reachable(pool, [*explicit, *(Req(pool.parse(_exact(pool, i)),
                                                          "installed") for i in installed)]),
                   {r.dep.feature for r in explicit if r.dep.feature})
    c = enc.clauses
    for r in explicit:
        c.require(enc.lit(r.dep))
    conflicts: set[int] = set()
    state = {"model": c.sat(), "calls": 1}
    if state["model"] is None:
        return set(installed)

    def join(chunk: list[int]) -> None:
        c.propagate()
        live = []
        for i in chunk:
            v = enc.var.get(i)
            if v is None or c.fixed(v) < 0:
                conflicts.add(i)
            elif c.fixed(v) == 0:
                live.append(i)
        if not live:
            return
        model = state["model"]
        if not all(model[enc.var[i]] for i in live):
            if state["calls"] >= budget:
                conflicts.update(live)
                return
            state["calls"] += 1
            model = c.sat([[enc.var[i]] for i in live])
            if model is None:
                if len(live) == 1:
                    conflicts.add(live[0])
                    return
                half = len(live) // 2
                join(live[:half])
                join(live[half:])
                return
            state["model"] = model
        for i in live:
            c.require(enc.var[i])

    # a record whose own name, or one of whose dependencies, names a requested package
    # and meets none of the requested records conflicts for sure: no call needed
    wanted = {r.dep.name: pool.match_set(r.dep) for r in explicit
              if r.dep.name and not r.dep.optional}
    offered = []
    for i in installed:
        if pool.names[i] in wanted and i not in wanted[pool.names[i]]:
            conflicts.add(i)
        elif any(d.name in wanted and not d.optional and d.spec is not None
                 and not wanted[d.name] & pool.match_set(d) for d in pool.depends(i)):
            conflicts.add(i)
        else:
            offered.append(i)
    join(offered)
    return conflicts


def _exact(pool: Pool, i: int) -> str:
    rec = pool.records[i]
    return f"{rec.name} {rec.version} {rec.build}"
