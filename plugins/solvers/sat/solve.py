"""The ``sat`` backend: request → top-level specs → reduced index → CNF → conda's passes.

Pass order (conda's ``Resolve.solve``): requested channel, version; track-feature count;
feature metric; requested build, noarch; optional installs; updates of targets; all other
names' channel, version, build, noarch; package count; timestamps only when the answer is
not yet unique.
"""

from __future__ import annotations

import gc
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING

import attrs

from plugins.solvers.sat import explain, modifiers, objectives
from plugins.solvers.sat.encode import Encoding
from plugins.solvers.sat.optimize import Optimizer
from plugins.solvers.sat.order import toposort
from plugins.solvers.sat.pool import Pool, Req
from plugins.solvers.sat.reduce import Reducer

if TYPE_CHECKING:
    from kernel.types import SolveRequest, SolveResult


def backend(request: SolveRequest) -> SolveResult:
    """Solve ``request`` the way conda's classic solver does.

    The cyclic garbage collector is paused meanwhile: a solve allocates hundreds of
    thousands of small objects (records, clauses) and no cycles worth collecting, and
    each collection would also walk the index already in memory (5–8 % of a solve)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _backend(request)
    finally:
        if was_enabled:
            gc.enable()


def _backend(request: SolveRequest) -> SolveResult:
    from kernel.errors import PackagesNotFoundError
    from kernel.models import MatchSpec
    from kernel.types import SolveResult

    # conda merges the specs of one name into one (``numpy 1.5*`` and ``numpy 1.6*``
    # match nothing together); fields that cannot merge raise IncompatibleMatchSpecs
    request = attrs.evolve(request, specs_to_add=tuple(MatchSpec.merge(request.specs_to_add)))
    pool = Pool(request)
    installed = pool.load_installed()
    gone, unmatched = modifiers.removed_records(request, pool)
    if unmatched:
        raise PackagesNotFoundError(
            "The following packages are missing from the target environment: "
            + ", ".join(unmatched), packages=unmatched)
    if _satisfied(request, pool):
        chosen = list(installed)
    elif request.specs_to_remove and request.force_remove:
        chosen = [i for i in installed if i not in gone]
    elif request.update_modifier == "update_deps" and request.specs_to_add:
        chosen = _solve_update_deps(request, pool, gone)
    else:
        chosen = solve_reqs(pool, modifiers.build(request, pool, gone), request.channel_priority)
    chosen = _post(request, pool, chosen)
    ordered = _order(pool, chosen)
    final = {pool.dist(i) for i in ordered}
    before = {pool.dist(i) for i in installed}
    reinstall = set()
    if request.force_reinstall:
        reinstall = {pool.dist(i) for i in ordered if i in set(installed)
                     and any(s.match(pool.records[i]) for s in request.specs_to_add)}
    unlink = [i for i in reversed(_order(pool, installed))
              if pool.dist(i) not in final or pool.dist(i) in reinstall]
    link = [i for i in ordered if pool.dist(i) not in before or pool.dist(i) in reinstall]
    records = pool.records
    return SolveResult(records=tuple(records[i] for i in ordered),
                       unlink=tuple(records[i] for i in unlink),
                       link=tuple(records[i] for i in link))


def _satisfied(request: SolveRequest, pool: Pool) -> bool:
    """``-S``/``--satisfied-skip-solve``: every requested spec matches an installed
    record, so conda keeps the environment as it is (no aggressive updates either)."""
    if (request.update_modifier != "specs_satisfied_skip_solve" or request.specs_to_remove
            or request.prune or not request.specs_to_add):
        return False
    records = [pool.records[i] for i in pool.installed]
    return all(any(s.match(r) for r in records) for s in request.specs_to_add)


def solve_reqs(pool: Pool, reqs: Sequence[Req], priority: str) -> list[int]:
    """Record numbers of the optimal solution for ``reqs`` (virtual packages left out)."""
    _check_found(pool, reqs)
    reqs = list(reqs)
    while True:
        # requested features take no part in the reduction (conda's verify_specs)
        explicit = [r.dep for r in reqs if not r.dep.feature]
        features = {r.dep.feature for r in reqs if r.dep.feature}
        reduced = Reducer(pool, priority == "strict").run(explicit)
        enc = Encoding(pool, reduced, features)
        for r in reqs:
            enc.clauses.require(enc.lit(r.dep))
        # the objectives define their auxiliary variables before the first model, so
        # no pass needs another SAT call just to extend it
        passes, timestamps = _passes(enc, reqs)
        groups: dict[Hashable, tuple[int, Sequence[int]]] = {
            name: (enc.name_var[name], [enc.var[i] for i in members])
            for name, members in enc.groups.items()}
        opt = Optimizer(enc.clauses, [], enc.group_of, groups)
        # first probe: every pass at its lower bound, each floor taken after the earlier
        # passes' floors are fixed and propagated (then no pass needs a call), the
        # package count and the timestamps too, up to the first pass whose floors unit
        # propagation refutes; an unsatisfiable request costs one failed call here
        # (their failed calls are the slow ones)
        settled = opt.settle_floors([objective for objective, _ in passes] + [timestamps])
        if settled:
            break
        model = enc.clauses.sat() if settled is None else None
        if model is not None:
            opt.model = model
            break
        if pool.retry_follows:
            from kernel.errors import UnsatisfiableError

            raise UnsatisfiableError("unsatisfiable; a less constrained solve follows")
        _check_dependencies_found(pool, reqs)
        core = explain.minimal_conflict(pool, reqs)
        neutered = _neuter(pool, reqs, core)
        if neutered is None:
            raise _unsat(pool, core or reqs, reqs)
        reqs = neutered
    for objective, trymax in passes:
        if opt.above_floors(objective):
            # names every model installs raise floors: the search starts higher
            enc.require_implied_names()
        opt.minimize(objective, trymax=trymax)
    # timestamps count only when the answer is not yet unique; a model at their lower
    # bound is the answer either way, and is often one probe away
    if opt.above_floors(timestamps):
        enc.require_implied_names()
    if not opt.reach_floors([timestamps]) and not opt.is_unique(list(enc.var.values())):
        opt.minimize(timestamps, fix=False, floor_tried=True)
    return [i for i in enc.chosen(opt.model) if i not in pool.virtual]


def _passes(enc: Encoding, reqs: Sequence[Req]
            ) -> tuple[list[tuple[objectives.Objective, bool]], objectives.Objective]:
    """conda's passes in order, as (objective, trymax), and the timestamp objective
    (only minimised when the answer is not yet unique)."""
    requested = [r.dep.name for r in reqs
                 if not r.dep.optional and r.target is None and r.dep.name]
    optional = [r.dep.name for r in reqs
                if r.dep.optional and any(i in enc.var for i in enc.pool.matches(r.dep))]
    # conda's update count takes every spec with a target, optional ones too (records
    # that conflict under freeze_installed)
    targets = [r.target for r in reqs if r.target is not None]
    named = {r.dep.name for r in reqs if r.dep.name}
    missing = [n for n in enc.groups if n not in named]
    others = [r.dep.name for r in reqs if r.target is not None or
              (r.dep.optional and r.dep.name in optional)] + missing
    req_c, req_v, req_b, req_a, req_t = objectives.version_metrics(enc, requested)
    eq_c, eq_v, eq_b, eq_a, eq_t = objectives.version_metrics(enc, others)
    passes = [req_c, req_v, objectives.feature_count(enc), objectives.feature_metric(enc),
              req_b, req_a, objectives.name_count(enc, optional),
              objectives.update_count(enc, [t for t in targets if t is not None]),
              eq_c, eq_v, eq_b, eq_a]
    out = [(objective, False) for objective in passes]
    out.append((objectives.name_count(enc, missing), True))
    return out, {**eq_t, **req_t}


def _check_found(pool: Pool, reqs: Sequence[Req]) -> None:
    from kernel.errors import PackagesNotFoundError

    missing = [r for r in reqs if not r.dep.optional and r.origin != "virtual"
               and not r.dep.feature and not pool.matches(r.dep)]
    if missing:
        names = [str(r.dep.spec) for r in missing]
        channels = sorted({str(pool.records[i].channel) for r in missing
                           for i in pool.group(r.dep.name)})
        raise PackagesNotFoundError(
            "The following packages are not available from current channels: "
            + ", ".join(names), packages=names, channels=channels)


def _check_dependencies_found(pool: Pool, reqs: Sequence[Req]) -> None:
    """A requested spec none of whose candidates can be installed because a dependency
    (directly or further down) is in no channel at all raises PackagesNotFoundError
    naming those dependencies, e.g. ``requests -> chardet[version='>=3.0.2,<3.1.0']``
    (the lead's call for microconda; conda 26.7's classic solver reports an empty
    UnsatisfiableError here)."""
    from kernel.errors import PackagesNotFoundError

    dead: dict[int, list[tuple[str, ...]]] = {}

    def missing(i: int, depth: int) -> list[tuple[str, ...]]:
        """Chains to dependencies nothing provides, when ``i`` cannot be installed for
        that reason alone (empty: it can, as far as this check sees)."""
        if i in dead:
            return dead[i]
        dead[i] = []  # a cycle counts as installable
        if depth > 25:
            return []
        for d in pool.depends(i):
            if d.optional or d.feature or not d.name or d.name.startswith("__"):
                continue
            found = pool.matches(d)
            if not found:
                dead[i] = [(str(d.spec),)]
                return dead[i]
            chains = [missing(j, depth + 1) for j in found]
            if all(chains):
                dead[i] = [(str(d.spec), *c) for c in chains[0][:1]]
                return dead[i]
        return []

    chains: list[tuple[str, ...]] = []
    for r in reqs:
        if r.origin not in ("requested", "history") or r.dep.optional or r.dep.feature:
            continue
        found = pool.matches(r.dep)
        below = [missing(i, 0) for i in found]
        if found and all(below):
            chains.extend((str(r.dep.spec), *c) for b in below for c in b)
    if chains:
        unique = list(dict.fromkeys(chains))
        shown = [" -> ".join(c) for c in unique]  # conda lists the chains themselves
        raise PackagesNotFoundError(
            "The following packages are not available from current channels: "
            + ", ".join(shown), packages=shown,
            channels=sorted(str(c) for c in getattr(pool.source, "channel_names", ())))


def _neuter(pool: Pool, reqs: list[Req], core: Sequence[Req]) -> list[Req] | None:
    """conda's retry for update_specs: a conflicting spec that only keeps an installed
    record loses its target and build; ``None`` when nothing can be loosened."""
    loosen = {id(r) for r in core if r.target is not None and not r.dep.optional}
    if not loosen:
        return None
    out = []
    for r in reqs:
        if id(r) in loosen:
            version = getattr(r.dep.spec, "version", None)
            text = f"{r.dep.name} {version}" if version is not None else r.dep.name
            r = Req(pool.parse(text), r.origin)
        out.append(r)
    return out


def _unsat(pool: Pool, core: Sequence[Req], reqs: Sequence[Req]) -> Exception:
    """The error for an unsatisfiable ``core`` of ``reqs``: conda's
    SpecsConfigurationConflictError when a pin is part of it, else UnsatisfiableError;
    either way with the conflict explained."""
    from kernel.errors import SpecsConfigurationConflictError, UnsatisfiableError

    message, fields = explain.describe(pool, core)
    pinned = sorted({str(r.dep.spec) for r in core if r.origin == "pinned"})
    if not pinned:
        return UnsatisfiableError(message, **fields)
    requested = sorted({str(r.dep.spec) for r in (*core, *reqs)
                        if r.origin != "pinned" and (r in core or r.origin == "requested")})
    header = ("Requested specs conflict with configured specs.\n  requested specs:\n"
              + "".join(f"    - {s}\n" for s in requested) + "  pinned specs:\n"
              + "".join(f"    - {s}\n" for s in pinned)
              + "Pins come from the pinned_packages setting ('conda config --show-sources')"
                " and the environment's conda-meta/pinned file.\n")
    return SpecsConfigurationConflictError(header + message, requested_specs=requested,
                                           pinned_specs=pinned, **fields)


def _solve_update_deps(request: SolveRequest, pool: Pool, gone: set[int]) -> list[int]:
    """conda's update_deps: solve, then solve again asking for the latest of every
    dependency of the requested packages (python kept on its minor version)."""
    first = solve_reqs(pool, modifiers.build(request, pool, gone), request.channel_priority)
    by_name = {pool.names[i]: i for i in first}
    wanted = {s.name for s in request.specs_to_add}
    todo = list(wanted)
    seen = set(todo)
    while todo:
        i = by_name.get(todo.pop())
        if i is None:
            continue
        for d in pool.depends(i):
            if d.name in by_name and d.name not in seen and not d.optional:
                seen.add(d.name)
                todo.append(d.name)
    pinned = {p.name for p in request.pinned}
    extra = [pool._matchspec(n) for n in sorted(seen - wanted - pinned - {"python"})]
    # conda's rule holds here too: python stays on the environment's minor version
    python = next((i for i in pool.installed if pool.names[i] == "python"), None)
    if "python" in seen - wanted - pinned and python is not None:
        minor = ".".join(pool.records[python].version.split(".")[:2])
        extra.append(pool._matchspec(f"python {minor}.*"))

    again = attrs.evolve(request, specs_to_add=(*extra, *request.specs_to_add),
                         update_modifier="update_specs")
    return solve_reqs(pool, modifiers.build(again, pool, gone), request.channel_priority)


def _post(request: SolveRequest, pool: Pool, chosen: list[int]) -> list[int]:
    """The deps modifiers: ``no_deps`` changes only the requested names, ``only_deps``
    leaves the requested packages out."""
    if request.deps_modifier == "no_deps":
        wanted = {s.name for s in request.specs_to_add}
        removed = {i for i in pool.installed for s in request.specs_to_remove
                   if s.match(pool.records[i])}
        keep = [i for i in pool.installed if i not in removed and pool.names[i] not in wanted]
        return keep + [i for i in chosen if pool.names[i] in wanted]
    if request.deps_modifier == "only_deps" and request.update_modifier != "update_deps":
        # conda drops the requested packages that nothing else in the solution depends
        # on, and puts back what the environment already had of those names
        needed = {d.name for j in chosen for d in pool.depends(j)
                  if not d.optional and d.name and d.name != pool.names[j]}
        dropped = {i for i in chosen if pool.names[i] not in needed
                   and any(s.match(pool.records[i]) for s in request.specs_to_add)}
        removing = {s.name for s in request.specs_to_remove}
        names = {pool.names[i] for i in dropped} - removing
        back = [i for i in pool.installed if pool.names[i] in names]
        return [i for i in chosen if i not in dropped] + back
    return chosen


def _order(pool: Pool, chosen: Sequence[int]) -> list[int]:
    by_name = {pool.names[i]: i for i in chosen}
    graph = {name: [d.name for d in pool.depends(i) if d.name and not d.optional]
             for name, i in by_name.items()}
    return [by_name[name] for name in toposort(graph)]
