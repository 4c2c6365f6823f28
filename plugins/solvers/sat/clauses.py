"""The clause store and the pycosat calls.

pycosat is not incremental: every call converts the whole clause list again, and that
conversion, not the search, is most of a call's cost on these problems. So the store
keeps the list short:

* **Fixed variables leave the list.** A unit clause (a requested spec, a pass's optimum
  fixed at zero, a peak) assigns its variable for good; unit propagation (occurrence
  lists, built lazily and only over clauses added since the last propagation) then drops
  every satisfied clause and every false literal, and assigns what becomes unit in turn.
  Clauses added later are simplified on the way in. Models get the fixed values patched
  back in.
* **Scratch clauses** (bound encodings made only for one pass's probes) live in a separate
  list between :meth:`Clauses.begin_scratch` and :meth:`Clauses.end_scratch`; they are
  simplified against the fixed values but never propagate, and vanish with the pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain


class Clauses:
    """Integer variables, a growing clause list, and satisfiability checks."""

    def __init__(self) -> None:
        self.nvars = 0
        #: base clauses; ``None`` marks one satisfied by the fixed values
        self._store: list[list[int] | None] = []
        self._scratch: list[list[int]] | None = None
        self._scratch_unsat = False
        #: ``val[v]``: 1 true, -1 false, 0 free (index 0 unused)
        self.val: list[int] = [0]
        self._fixed: list[int] = []  # fixed literals, in order
        self._queue: list[int] = []  # fixed literals not yet propagated
        #: clause indexes per literal: ``occ[lit]``, a negative literal counting from the
        #: end (length ``2 * cap + 1``, grown with the variables)
        self._occ: list[list[int]] = [[]]
        self._occ_cap = 0
        self._occ_upto = 0
        #: occurrence lists propagation consumed since :meth:`checkpoint` (to put back)
        self._occ_log: list[tuple[int, list[int]]] | None = None
        self._sent: list[list[int]] | None = None  # cached compacted base list
        #: the compacted base list renumbered for picosat: (list, table, back, clauses)
        self._numbered: tuple[list[list[int]], list[int], list[int],
                              list[list[int]]] | None = None
        #: the scratch list's numbering on top of the base list's: (list, extra, back,
        #: clauses so far)
        self._scratch_numbered: tuple[list[list[int]], dict[int, int], list[int],
                                      list[list[int]]] | None = None
        #: the fixed values as a model, and how many fixed literals it holds
        self._template: list[bool] = []
        self._template_upto = 0
        self.unsat = False
        self.calls = 0
        self.true = self.new_var()
        self._assign(self.true)

    # -- building ---------------------------------------------------------------------------

    def new_var(self) -> int:
        self.nvars += 1
        self.val.append(0)
        return self.nvars

    @property
    def clauses(self) -> list[list[int]]:
        """The base clauses still in play (after propagation)."""
        self.propagate()
        sent = self._sent
        if sent is None:
            sent = self._sent = [cl for cl in self._store if cl is not None]
        return sent

    @property
    def nfixed(self) -> int:
        """How many literals are fixed (it only grows, until a rollback)."""
        return len(self._fixed)

    def fixed_since(self, count: int) -> list[int]:
        """The literals fixed after the first ``count`` (see :attr:`nfixed`)."""
        return self._fixed[count:]

    def fixed(self, lit: int) -> int:
        """1 when ``lit`` is fixed true, -1 when fixed false, 0 when free."""
        return self.val[lit] if lit > 0 else -self.val[-lit]

    def _simplify(self, clause: Sequence[int]) -> list[int] | None:
        """``clause`` without its false literals; ``None`` when it is satisfied."""
        val = self.val
        out = []
        for lit in clause:
            v = val[lit] if lit > 0 else -val[-lit]
            if v > 0:
                return None
            if v == 0:
                out.append(lit)
        return out

    def add(self, clause: list[int]) -> None:
        val = self.val
        for lit in clause:
            if val[lit if lit > 0 else -lit]:
                break
        else:  # the usual case: no fixed variable in it
            if len(clause) > 1:
                if self._scratch is None:
                    self._store.append(clause)
                    self._sent = None
                else:
                    self._scratch.append(clause)
                return
        cl = self._simplify(clause)
        if cl is None:
            return
        if self._scratch is not None:
            if cl:
                self._scratch.append(cl)
            else:
                self._scratch_unsat = True
            return
        if not cl:
            self.unsat = True
        elif len(cl) == 1:
            self._assign(cl[0])
        else:
            self._store.append(cl)
            self._sent = None

    def add_unchecked(self, clauses: list[list[int]]) -> None:
        """Add ``clauses``, none of which holds a fixed variable (``true`` aside) or is
        empty; unit clauses are assigned."""
        store = self._store
        self._sent = None
        if self._occ_upto != len(store) or self._occ_log is not None:
            for clause in clauses:
                if len(clause) > 1:
                    store.append(clause)
                else:
                    self._assign(clause[0])
            return
        # the occurrence lists are up to date: index the clauses on the way in, saving
        # propagation a second pass over them
        if self.nvars > self._occ_cap:
            self._grow_occ()
        occ = self._occ
        idx = len(store)
        for clause in clauses:
            if len(clause) > 1:
                store.append(clause)
                for lit in clause:
                    occ[lit].append(idx)
                idx += 1
            else:
                self._assign(clause[0])
        self._occ_upto = idx

    def require(self, lit: int) -> None:
        self.add([lit])

    def _assign(self, lit: int) -> None:
        v = self.val[abs(lit)]
        if v:
            if (v > 0) != (lit > 0):
                self.unsat = True
            return
        self.val[abs(lit)] = 1 if lit > 0 else -1
        self._fixed.append(lit)
        self._queue.append(lit)

    def propagate(self) -> None:
        """Unit propagation of the fixed literals through the base clauses."""
        queue = self._queue
        if not queue or self.unsat:
            return
        store = self._store
        if self.nvars > self._occ_cap:
            self._grow_occ()
        occ = self._occ
        for idx in range(self._occ_upto, len(store)):
            cl = store[idx]
            if cl is not None:
                for lit in cl:
                    occ[lit].append(idx)
        self._occ_upto = len(store)
        val = self.val
        fixed = self._fixed
        self._sent = None
        log = self._occ_log
        while queue:
            lit = queue.pop()
            sat_occ = occ[lit]
            neg_occ = occ[-lit]
            occ[lit] = []
            occ[-lit] = []
            if log is not None:
                if sat_occ:
                    log.append((lit, sat_occ))
                if neg_occ:
                    log.append((-lit, neg_occ))
            for idx in sat_occ:
                store[idx] = None
            for idx in neg_occ:
                cl = store[idx]
                if cl is None:
                    continue
                out: list[int] = []
                for x in cl:
                    v = val[x] if x > 0 else -val[-x]
                    if v > 0:
                        break
                    if v == 0:
                        out.append(x)
                else:
                    v = 0
                if v > 0:  # satisfied
                    store[idx] = None
                elif len(out) > 1:
                    store[idx] = out
                else:
                    store[idx] = None
                    if not out:
                        self.unsat = True
                        queue.clear()
                        return
                    unit = out[0]  # inlined _assign: ``unit`` is free here
                    val[unit if unit > 0 else -unit] = 1 if unit > 0 else -1
                    fixed.append(unit)
                    queue.append(unit)

    def _grow_occ(self) -> None:
        cap, new = self._occ_cap, self.nvars + max(256, self.nvars // 4)
        occ = self._occ
        fresh = [[] for _ in range(2 * (new - cap))]
        self._occ = occ[:cap + 1] + fresh + occ[cap + 1:]
        self._occ_cap = new

    def begin_scratch(self) -> None:
        """Clauses added from now on serve probes only (see :meth:`end_scratch`)."""
        self.propagate()
        self._scratch = []
        self._scratch_unsat = False

    def end_scratch(self) -> None:
        """Forget the clauses added since :meth:`begin_scratch`."""
        self._scratch = None
        self._scratch_unsat = False

    def checkpoint(self) -> tuple:
        """The state to return to with :meth:`rollback` (unit clauses added and propagated
        in between are undone; no variables or other clauses may be added meanwhile).
        Checkpoints nest: a later one may be rolled back alone."""
        self.propagate()
        if self._occ_log is None:
            self._occ_log = []
        log = self._occ_log
        return (self._store[:], len(self._fixed), self.unsat, self.nvars, log, len(log),
                self._occ_upto)

    def rollback(self, state: tuple) -> None:
        store, nfixed, unsat, nvars, log, mark, upto = state
        assert nvars == self.nvars and self._scratch is None
        val = self.val
        for lit in self._fixed[nfixed:]:
            val[lit if lit > 0 else -lit] = 0
        del self._fixed[nfixed:]
        self._template = []  # it holds values rolled back: made afresh when next needed
        self._queue.clear()
        self._store = store
        self._sent = None
        self.unsat = unsat
        if log is self._occ_log and upto == self._occ_upto == len(store):
            # no clause came in since: put back the occurrence lists propagation consumed
            # (they index the restored clauses; entries for clauses since shortened or
            # satisfied are harmless, propagation rereads each clause)
            occ = self._occ
            for lit, found in reversed(log[mark:]):
                occ[lit] = found
            del log[mark:]
        else:  # rebuild them on the next propagation
            self._occ = [[]]
            self._occ_cap = 0
            self._occ_upto = 0
            self._occ_log = None

    # -- solving ----------------------------------------------------------------------------

    def sat(self, extra: Sequence[Sequence[int]] = ()) -> list[bool] | None:
        """A model (``model[v]`` is True when variable ``v`` is true) or ``None``."""
        import pycosat

        base = self.clauses
        if self.unsat or self._scratch_unsat:
            return None
        more: list[Sequence[int]] = []
        for clause in extra:
            cl = self._simplify(clause)
            if cl is None:
                continue
            if not cl:
                return None
            more.append(cl)
        # picosat decides every variable it is told of, a cost per variable even when no
        # clause mentions it; after propagation the clauses mention a fraction of the
        # variables (fixed ones, and those only dead clauses held, are gone), so they are
        # always renumbered densely. The base list's numbering is kept while the list is
        # unchanged (probes only add a few clauses to it), and the scratch list's is
        # extended as it grows (a pass's bound encodings only ever add clauses).
        cached = self._numbered
        if cached is None or cached[0] is not base:
            cached = self._numbered = (base, *_number_base(base, self.nvars))
            self._scratch_numbered = None
        _, table, back, mapped = cached
        extra: dict[int, int] = {}
        scratch = self._scratch
        if scratch:
            sn = self._scratch_numbered
            if sn is None or sn[0] is not scratch:
                sn = self._scratch_numbered = (scratch, {}, back[:], [])
            _, extra, back, smapped = sn
            if len(smapped) < len(scratch):
                smapped.extend(_number_more(scratch[len(smapped):], table, extra, back))
            mapped = [*mapped, *smapped]
        if more:
            extra = dict(extra)
            back = back[:]
            mapped = [*mapped, *_number_more(more, table, extra, back)]
        self.calls += 1
        result = pycosat.solve(mapped, vars=len(back) - 1)
        if isinstance(result, str):
            return None
        return self._model(result, back)

    def _model(self, result: list[int], back: list[int]) -> list[bool]:
        """picosat's answer (renumbered by ``back``) with the fixed values put in; a
        variable no clause mentions is false. The fixed values come from a template
        kept across calls (fixed literals only accumulate between rollbacks)."""
        fixed = self._fixed
        template = self._template
        if len(template) != self.nvars + 1:
            template = self._template = [False] * (self.nvars + 1)
            self._template_upto = 0
        for lit in fixed[self._template_upto:]:
            template[lit if lit > 0 else -lit] = lit > 0
        self._template_upto = len(fixed)
        model = template[:]
        for lit in result:
            if lit > 0:
                model[back[lit]] = True
        return model

    @staticmethod
    def value(model: Sequence[bool], lit: int) -> bool:
        return model[lit] if lit > 0 else not model[-lit]


def _number_base(clauses: Sequence[Sequence[int]], nvars: int
                 ) -> tuple[list[int], list[int], list[list[int]]]:
    """``clauses`` over dense variable numbers: ``(table, back, clauses)``, where
    ``table[lit]`` is a literal's new number (a negative literal indexes from the end;
    0 for a variable the clauses do not mention) and ``back[k]`` the variable numbered
    ``k``. Variables keep their order: picosat breaks ties between variables by their
    number, and numbering them by first occurrence made its search about twice as slow."""
    used = sorted(set(map(abs, chain.from_iterable(clauses))))
    table = [0] * (2 * nvars + 1)
    for k, v in enumerate(used, 1):
        table[v] = k
        table[-v] = -k
    get = table.__getitem__
    return table, [0, *used], [list(map(get, clause)) for clause in clauses]


def _number_more(clauses: Sequence[Sequence[int]], table: list[int], extra: dict[int, int],
                 back: list[int]) -> list[list[int]]:
    """``clauses`` numbered on top of :func:`_number_base`'s ``table``: variables it
    lacks are numbered in ``extra`` (in their order) and appended to ``back``."""
    cap = len(table) // 2
    new = {v for clause in clauses for lit in clause
           if not ((v := abs(lit)) <= cap and table[v]) and v not in extra}
    for v in sorted(new):
        extra[v] = len(back)
        back.append(v)
    out = []
    for clause in clauses:
        row = []
        for lit in clause:
            v = lit if lit > 0 else -lit
            k = table[v] if v <= cap else 0
            if not k:
                k = extra[v]
            row.append(k if lit > 0 else -k)
        out.append(row)
    return out
