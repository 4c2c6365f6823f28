"""Why a solve is impossible, in terms a person can act on.

1. The smallest set of top-level specs that conflict: deletion-based minimal
   unsatisfiable subset over *selector* variables, one per spec, on a single encoding of
   everything the specs can reach (one cheap SAT call per spec; less important specs —
   installed, history, pins — are tried for deletion first, so the core keeps what the
   user asked for).
2. Where they clash, found on the dependency graph without more SAT calls: from each spec
   of the core, follow the dependencies every candidate shares, narrowing the candidates
   of each name reached; a name where the specs' candidate sets no longer meet is the
   clash, and the path to it is the chain (``pandas 0.22 → numpy >=1.13.3 →
   python >=3.7,<3.8``). A dependency nothing provides is a dead end of its own chain;
   a virtual package names what the system has.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import Any

from plugins.solvers.sat.encode import Encoding
from plugins.solvers.sat.pool import Dep, Pool, Req

#: the order in which specs are offered for deletion: least important first
_DELETE_FIRST = {"installed": 0, "aggressive": 0, "history": 1, "pinned": 2, "requested": 3}


def reachable(pool: Pool, reqs: Sequence[Req]) -> set[int]:
    seen: set[int] = set()
    todo = deque(i for r in reqs for i in pool.matches(r.dep))
    while todo:
        i = todo.popleft()
        if i in seen:
            continue
        seen.add(i)
        for d in pool.depends(i):
            todo.extend(j for j in pool.matches(d) if j not in seen)
    return seen


def minimal_conflict(pool: Pool, reqs: Sequence[Req], budget_s: float = 10.0) -> list[Req]:
    """A minimal unsatisfiable subset of ``reqs`` (virtual packages always kept).

    ``reqs`` must be unsatisfiable. After ``budget_s`` seconds the deletion stops and the
    core found so far (unsatisfiable, perhaps not minimal) is returned."""
    import time

    deadline = time.monotonic() + budget_s
    enc = Encoding(pool, reachable(pool, reqs))
    c = enc.clauses
    selectors = []
    for r in reqs:
        s = c.new_var()
        c.add([-s, enc.lit(r.dep)])
        selectors.append(s)
    fixed = [k for k, r in enumerate(reqs) if r.origin == "virtual"]
    core = [k for k in range(len(reqs)) if reqs[k].origin != "virtual"]
    core.sort(key=lambda k: _DELETE_FIRST.get(reqs[k].origin, 1))

    def sat(keep: Sequence[int]) -> bool:
        return c.sat([[selectors[k]] for k in (*fixed, *keep)]) is not None

    closures: dict[int, Closure] = {}

    def implied(k: int, others: Sequence[int]) -> bool:
        """Whether the specs ``others`` force ``reqs[k]`` through the dependencies all
        their candidates share: then dropping it changes nothing, no SAT call needed."""
        dep = reqs[k].dep
        if dep.feature or not dep.name:
            return False
        ok = pool.match_set(dep)
        for x in others:
            cl = closures.get(x)
            if cl is None:
                cl = closures[x] = Closure(pool, reqs[x])
            allowed = cl.allowed.get(dep.name)
            if allowed is not None and allowed <= ok:
                return True
        return False

    kept = list(core)
    for k in core:
        if time.monotonic() > deadline:
            break
        trial = [x for x in kept if x != k]
        if implied(k, [*fixed, *trial]) or not sat(trial):
            kept = trial
    return [reqs[k] for k in sorted(kept)]


class Closure:
    """What one spec forces: for each name it certainly needs, the allowed candidates and
    the chain of specs that led there; for each name it constrains (``run_constrained``)
    without needing it, the candidates allowed should that name be installed."""

    def __init__(self, pool: Pool, req: Req) -> None:
        self.req = req
        name = req.dep.name
        self.allowed: dict[str, set[int]] = {name: set(pool.matches(req.dep))}
        self.chain: dict[str, list[str]] = {name: [str(req.dep.spec)]}
        self.dead: list[tuple[str, list[str]]] = []
        self.limits: dict[str, tuple[set[int], list[str]]] = {}
        todo = deque([name])
        while todo:
            current = todo.popleft()
            members = self.allowed[current]
            if not members or len(self.chain[current]) > 12:
                continue
            shared: dict[str, dict[str, Dep]] = {}
            bounds: dict[str, dict[str, Dep]] = {}
            for n, i in enumerate(members):
                names: dict[str, dict[str, Dep]] = {}
                limits: dict[str, dict[str, Dep]] = {}
                for d in pool.depends(i):
                    if d.spec is not None:
                        (limits if d.optional else names).setdefault(d.name, {})[d.key] = d
                if n == 0:
                    shared, bounds = names, limits
                else:
                    shared = {k: {**v, **names[k]} for k, v in shared.items() if k in names}
                    bounds = {k: {**v, **limits[k]} for k, v in bounds.items() if k in limits}
            for dname, deps in sorted(bounds.items()):
                if dname not in self.limits:
                    cand = set().union(*(pool.matches(d) for d in deps.values()))
                    text = " | ".join(sorted(str(d.spec) for d in deps.values()))
                    self.limits[dname] = cand, [*self.chain[current], f"constrains {text}"]
            for dname, deps in sorted(shared.items()):
                cand = set().union(*(pool.matches(d) for d in deps.values()))
                text = " | ".join(sorted(str(d.spec) for d in deps.values()))
                if dname in self.allowed:
                    narrowed = self.allowed[dname] & cand
                    if narrowed != self.allowed[dname]:
                        self.allowed[dname] = narrowed
                        if not narrowed:
                            self.dead.append((dname, [*self.chain[current], text]))
                    continue
                self.allowed[dname] = cand
                self.chain[dname] = [*self.chain[current], text]
                if cand:
                    todo.append(dname)
                else:
                    self.dead.append((dname, self.chain[dname]))


    def reach(self) -> dict[str, tuple[set[int], list[str]]]:
        """Every name this spec needs or constrains: its allowed candidates and chain."""
        found = dict(self.limits)
        found.update((n, (self.allowed[n], self.chain[n])) for n in self.allowed)
        return found


def _system(pool: Pool, name: str) -> str:
    found = pool.group(name)
    if not found:
        return f"the system has no {name}"
    rec = pool.records[found[0]]
    return f"the system has {name} {rec.version}"


def describe(pool: Pool, core: Sequence[Req]) -> tuple[str, dict[str, Any]]:
    """The message and JSON fields of an unsatisfiable core."""
    closures = [Closure(pool, r) for r in core]
    conflicts: list[dict[str, Any]] = []
    lines: list[str] = []
    hints: list[str] = []
    for cl in closures:
        for dname, chain in cl.dead[:1]:
            if dname.startswith("__"):
                reason = _system(pool, dname)
                hints.append(f"{chain[-1]} is a virtual package: {reason}; a "
                             f"CONDA_OVERRIDE_{dname[2:].upper()} setting can change it.")
            else:
                reason = f"nothing provides {chain[-1]}"
            lines.append(f"  - {' → '.join(chain)}: {reason}")
            conflicts.append({"package": dname, "chains": [chain], "reason": reason})
    if not conflicts and len(closures) > 1:
        reaches = [cl.reach() for cl in closures]
        needed = set().union(*(cl.allowed for cl in closures))
        best: tuple[int, str] | None = None
        for name in set.intersection(*(set(r) for r in reaches)) & needed:
            if not set.intersection(*(r[name][0] for r in reaches)):
                size = sum(len(r[name][1]) for r in reaches)
                if best is None or (size, name) < best:
                    best = (size, name)
        if best is None:
            best = _pairwise(closures, reaches, needed)
        if best is not None:
            name = best[1]
            chains = [r[name][1] for r in reaches if name in r]
            lines.extend(f"  - {' → '.join(ch)}" for ch in chains)
            conflicts.append({"package": name, "chains": chains,
                              "reason": f"no {name} satisfies all of these"})
            hints.append(f"{name}: no candidate satisfies every chain above; relax one of "
                         f"the specs at the start of a chain.")
    if not lines:
        lines = [f"  - {r.dep.spec}" for r in core]
        hints.append("these specs cannot all be satisfied together through their "
                     "dependencies; remove or relax one of them.")
    specs = [_label(r) for r in core]
    message = ("The following specifications conflict:\n" + "\n".join(lines)
               + "\nSpecs involved: " + ", ".join(specs)
               + "".join(f"\nHint: {h}" for h in hints))
    return message, {"specs": specs, "conflicts": conflicts, "hints": hints}


def _pairwise(closures: Sequence[Closure], reaches: Sequence[dict[str, Any]],
              needed: set[str]) -> tuple[int, str] | None:
    best: tuple[int, str] | None = None
    for a in range(len(closures)):
        for b in range(a + 1, len(closures)):
            ra, rb = reaches[a], reaches[b]
            both = closures[a].allowed.keys() | closures[b].allowed.keys()
            for name in ra.keys() & rb.keys() & needed & both:
                if not ra[name][0] & rb[name][0]:
                    size = len(ra[name][1]) + len(rb[name][1])
                    if best is None or (size, name) < best:
                        best = (size, name)
    return best


def _label(req: Req) -> str:
    text = str(req.dep.spec)
    return text if req.origin == "requested" else f"{text} ({req.origin})"
