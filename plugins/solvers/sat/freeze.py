"""Which installed records conflict with a request: conda's ``get_conflicting_specs`` as
its ``FREEZE_INSTALLED`` mode uses it.

conda offers each installed record's exact spec, one after the other, to a working set
that starts as the requested specs; a record that cannot join (the working set and it
have no solution) is a *conflict*, the others join. Under ``freeze_installed`` the
records that join are frozen, the conflicting ones may change (optional specs aiming at
the installed record). One SAT encoding serves every test: the accepted records become
unit clauses, a record already true in the last model joins without a call, a record
that unit propagation rules out is a conflict without one.
"""

from __future__ import annotations

from collections.abc import Sequence

from plugins.solvers.sat.encode import Encoding
from plugins.solvers.sat.explain import reachable
from plugins.solvers.sat.pool import Pool, Req


def conflicting_records(pool: Pool, explicit: Sequence[Req], installed: Sequence[int]
                        ) -> set[int]:
    """The installed records (numbers) that conflict with ``explicit`` in conda's greedy
    order; all of them when ``explicit`` is unsatisfiable on its own."""
    enc = Encoding(pool, reachable(pool, [*explicit, *(Req(pool.parse(_exact(pool, i)),
                                                          "installed") for i in installed)]),
                   {r.dep.feature for r in explicit if r.dep.feature})
    c = enc.clauses
    for r in explicit:
        c.require(enc.lit(r.dep))
    model = c.sat()
    if model is None:
        return set(installed)
    conflicts: set[int] = set()
    for i in installed:
        v = enc.var.get(i)
        if v is None:
            conflicts.add(i)
            continue
        c.propagate()
        fixed = c.fixed(v)
        if fixed < 0:
            conflicts.add(i)
            continue
        if not model[v] and fixed == 0:
            found = c.sat([[v]])
            if found is None:
                conflicts.add(i)
                continue
            model = found
        c.require(v)
    return conflicts


def _exact(pool: Pool, i: int) -> str:
    rec = pool.records[i]
    return f"{rec.name} {rec.version} {rec.build}"
