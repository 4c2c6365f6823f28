"""The clause store and the pycosat calls.

Base clauses are built once and only ever grow (definitions of auxiliary variables and the
fixed optimum of each finished pass); a probe passes a few extra clauses for one call.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


class Clauses:
    """Integer variables, a growing clause list, and satisfiability checks."""

    def __init__(self) -> None:
        self.nvars = 0
        self.clauses: list[list[int]] = []
        self.true = self.new_var()
        self.add([self.true])
        self.calls = 0

    def new_var(self) -> int:
        self.nvars += 1
        return self.nvars

    def add(self, clause: list[int]) -> None:
        self.clauses.append(clause)

    def require(self, lit: int) -> None:
        if lit != self.true:
            self.clauses.append([lit])

    def sat(self, extra: Sequence[Sequence[int]] = ()) -> list[bool] | None:
        """A model (``model[v]`` is True when variable ``v`` is true) or ``None``."""
        import pycosat

        self.calls += 1
        clauses: Iterable[Sequence[int]] = self.clauses
        if extra:
            clauses = [*self.clauses, *extra]
        result = pycosat.solve(clauses, vars=self.nvars)
        if isinstance(result, str):
            return None
        model = [False] * (self.nvars + 1)
        for lit in result:
            if lit > 0:
                model[lit] = True
        return model

    @staticmethod
    def value(model: Sequence[bool], lit: int) -> bool:
        return model[lit] if lit > 0 else not model[-lit]
