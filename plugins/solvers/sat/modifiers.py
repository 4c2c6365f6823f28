"""From a :class:`~kernel.types.SolveRequest` to the top-level specs of one SAT solve.

This is conda's ``Solver._collect_all_metadata`` / ``_remove_specs`` / ``_add_specs`` in
short: history specs and virtual packages are kept; installed packages get their record as
*target* (keep it unless something better is needed) or are frozen; aggressive updates
float; pins constrain; python stays on its minor version unless asked for; the request
itself overrides anything of the same name. Removals drop the removed records and, unless
``force_remove``, everything installed that depends on them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from plugins.solvers.sat.pool import Pool, Req

if TYPE_CHECKING:
    from kernel.types import SolveRequest


def exact_spec(pool: Pool, i: int) -> Any:
    rec = pool.records[i]
    return pool._matchspec(f"{rec.name} {rec.version} {rec.build}")


def removed_records(request: SolveRequest, pool: Pool) -> tuple[set[int], list[str]]:
    """Installed records the removal takes away, and the remove specs that match none."""
    installed = pool.installed
    gone = {i for i in installed for s in request.specs_to_remove if s.match(pool.records[i])}
    unmatched = [str(s) for s in request.specs_to_remove
                 if not any(s.match(pool.records[i]) for i in installed)]
    if not request.force_remove:
        changed = True
        while changed:
            changed = False
            gone_names = {pool.names[i] for i in gone}
            for i in installed:
                if i not in gone and any(d.name in gone_names and not d.optional
                                         for d in pool.depends(i)):
                    gone.add(i)
                    changed = True
    return gone, unmatched


def _freeze_inputs(request: SolveRequest, pool: Pool, installed: dict[str, int]
                   ) -> tuple[set[str], dict[str, set[int]]]:
    """Names of installed records that conflict with the request, and the request's
    reduced index by name (conda's ``conflict_specs`` and ``explicit_pool``)."""
    from plugins.solvers.sat.freeze import conflicting_records

    explicit = [Req(d, "requested") for s in request.specs_to_add
                for d in (pool.feature_deps(s) or [pool.dep_of_spec(s)])]
    explicit += [Req(pool.dep_of_spec(pool._matchspec(r.name)), "virtual")
                 for r in request.virtual_packages]
    if not request.specs_to_add:
        return set(), {}
    found = conflicting_records(pool, explicit, list(installed.values()))
    return {pool.names[i] for i in found}, _explicit_pool(request, pool)


def _explicit_pool(request: SolveRequest, pool: Pool) -> dict[str, set[int]]:
    """The reduced index of the requested specs alone, by name (conda's
    ``_get_package_pool(specs_to_add)``)."""
    from plugins.solvers.sat.reduce import Reducer

    deps = [pool.dep_of_spec(s) for s in request.specs_to_add if s.name != "*"]
    reduced = Reducer(pool, request.channel_priority == "strict").run(deps)
    by_name: dict[str, set[int]] = {}
    for i in reduced:
        by_name.setdefault(pool.names[i], set()).add(i)
    return by_name


def build(request: SolveRequest, pool: Pool, gone: set[int]) -> list[Req]:
    """The top-level specs, one per name (pins may add optional ones).

    Under ``prune`` (conda's ``env update --prune``) neither the installed records nor
    the history count: the specs are solved as if the environment were empty."""
    dep = pool.dep_of_spec
    ms = pool._matchspec
    installed = {} if request.prune else {
        pool.names[i]: i for i in pool.installed if i not in gone}
    gone_names = {pool.names[i] for i in gone} - installed.keys()
    history = {} if request.prune else {s.name: s for s in request.history_specs}
    aggressive = set(request.aggressive_update_packages)
    modifier = request.update_modifier
    added = {s.name for s in request.specs_to_add}
    reqs: dict[str, Req] = {}
    conflicts: set[str] = set()
    for name, spec in history.items():
        for feature in pool.feature_deps(spec):
            reqs[feature.key] = Req(feature, "history")
        if name != "*":
            reqs[name] = Req(dep(spec), "history")
    for rec in request.virtual_packages:
        reqs.setdefault(rec.name, Req(dep(ms(rec.name)), "virtual"))
    for name in installed:
        if not history or name in aggressive:
            reqs[name] = Req(dep(ms(name)), "installed")
    for name in gone_names:
        reqs.pop(name, None)

    if modifier == "update_all":
        if history:
            reqs = {n: Req(dep(ms(n)), "history") if n in history else r for n, r in reqs.items()}
        else:
            reqs = {n: r for n, r in reqs.items() if r.origin == "virtual"}
            reqs.update((n, Req(dep(ms(n)), "installed")) for n in installed)
    else:
        # conda's FREEZE_INSTALLED: what can stay as it is alongside the request stays
        # exactly; what conflicts with it may change (an optional spec aiming at the
        # installed record), and a history spec whose name the request's reduced index
        # holds without the installed record keeps only its target
        freeze = modifier == "freeze_installed"
        explicit_pool: dict[str, set[int]] = {}
        if freeze and installed:
            conflicts, explicit_pool = _freeze_inputs(request, pool, installed)
        for name, req in list(reqs.items()):
            i = installed.get(name)
            if i is None or req.dep.spec is None or not req.dep.spec.match(pool.records[i]):
                continue
            if name in aggressive:
                reqs[name] = Req(dep(ms(name)), "aggressive")
            elif (freeze and history and name not in added and name not in conflicts
                  and (name not in explicit_pool or i in explicit_pool[name])):
                reqs[name] = Req(dep(exact_spec(pool, i)), req.origin)
            else:
                reqs[name] = Req(req.dep, req.origin, i)
        if freeze:
            for name, i in installed.items():
                if name in reqs or name in added:
                    continue
                if name in conflicts:
                    reqs[name] = Req(dep(ms(name), optional=True), "installed", i)
                else:
                    reqs[name] = Req(dep(exact_spec(pool, i)), "installed")

    python = installed.get("python")
    # conda's business rule, update_all included: python stays on its minor version
    # unless the request names python
    if (python is not None and "python" not in added and modifier == "freeze_installed"
            and "python" not in conflicts):
        reqs["python"] = Req(dep(exact_spec(pool, python)), "installed")
    elif python is not None and "python" not in added:
        current = reqs.get("python")
        if current is None or getattr(current.dep.spec, "version", None) is None:
            minor = ".".join(pool.records[python].version.split(".")[:2])
            target = current.target if current else None
            reqs["python"] = Req(dep(ms(f"python {minor}.*")), "installed", target)

    for name in aggressive:
        if name in reqs and reqs[name].target is not None:
            reqs[name] = Req(dep(ms(name)), "aggressive")
    for spec in request.specs_to_add:
        # ``*[track_features=mkl]`` turns the feature on (conda's ``mkl@``)
        for feature in pool.feature_deps(spec):
            reqs[feature.key] = Req(feature, "requested")
        if spec.name != "*":
            reqs[spec.name] = Req(dep(spec), "requested")

    if request.pinned and not request.ignore_pinned:
        # conda: a pin on a name the request's reduced index holds becomes a hard spec
        # (replacing what the history or the request said of that name), unless the
        # request names it and no record meets both, when the request overrides it; a
        # pin out of the request's reach stays optional here (conda leaves it out and
        # relies on the installed record's target)
        explicit_pool = _explicit_pool(request, pool) if request.specs_to_add else {}
        for pin in request.pinned:
            if pin.name not in explicit_pool:
                reqs[f"?{pin.name}"] = Req(dep(pin, optional=True), "pinned")
            elif pin.name not in added or explicit_pool[pin.name] & set(
                    pool.matches(dep(pin))):
                reqs[pin.name] = Req(dep(pin), "pinned")
    if request.conda_prefix and "conda" in installed and "conda" in reqs:
        _keep_conda_up(request, pool, reqs, installed["conda"], "conda" in added)
    return list(reqs.values())


def _keep_conda_up(request: SolveRequest, pool: Pool, reqs: dict[str, Req], i: int,
                   requested: bool) -> None:
    """conda's business rule in its own prefix: ``conda`` never goes below the installed
    version unless the spec in force names a version; with ``auto_update_conda`` and no
    request naming conda, it becomes ``conda >=installed`` with no target (free to
    update, as conda updates itself on any install into base)."""
    floor = f">={pool.records[i].version}"
    current = reqs["conda"]
    spec = current.dep.spec
    if request.auto_update_conda and not requested:
        reqs["conda"] = Req(pool.dep_of_spec(pool._matchspec("conda", version=floor)),
                            current.origin)
    elif spec is not None and spec.version is None:
        reqs["conda"] = Req(pool.dep_of_spec(pool._matchspec(spec, version=floor)),
                            current.origin, current.target)
