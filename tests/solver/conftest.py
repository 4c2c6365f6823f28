"""Fixtures for solver tests: the plugin fetched through a fresh plugin manager, and the
real channels of ``../shared/data`` as in-memory record sources."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

import pytest

from tests.solver.channels import DATA, MemorySource, load_repodata, split_flat_index


def _models_ready() -> bool:
    try:
        from kernel.models import MatchSpec, PackageRecord  # noqa: F401
    except ImportError:
        return False
    return True


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if _models_ready():
        return
    skip = pytest.mark.skip(reason="kernel.models (MatchSpec, PackageRecord) not available yet")
    for item in items:
        if "needs_models" in item.keywords:
            item.add_marker(skip)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "needs_models: the test builds records and specs")


@pytest.fixture(scope="session")
def backend() -> Callable[[Any], Any]:
    """The ``sat`` backend, found through the ``conda_solvers`` hook."""
    import pluggy

    from kernel.hookspecs import CondaSpecs
    from plugins.solvers import sat

    pm = pluggy.PluginManager("conda")
    pm.add_hookspecs(CondaSpecs)
    pm.register(sat)
    solvers = [s for found in pm.hook.conda_solvers() for s in found]
    (solver,) = [s for s in solvers if s.name == "sat"]
    return solver.backend


@cache
def _flat(path: str) -> dict[str, dict[str, dict[str, Any]]]:
    return split_flat_index(json.loads((DATA / path).read_text()))


def flat_source(path: str) -> MemorySource:
    """conda's test index ``path`` laid out as one channel (fresh records every call)."""
    if not (DATA / path).exists():
        pytest.skip(f"real data {DATA / path} is absent")
    return MemorySource([("channel-1", _flat(path))])


@pytest.fixture
def index1() -> MemorySource:
    return flat_source("conda/tests/data/index.json")


@pytest.fixture
def index2() -> MemorySource:
    folder = DATA / "derived/conda-index2-channel"
    if not folder.exists():
        pytest.skip(f"real data {folder} is absent")
    return MemorySource.from_dirs(("channel-2", folder))


@pytest.fixture
def index4() -> MemorySource:
    return flat_source("conda/tests/data/index4.json")


@pytest.fixture
def sudoku() -> MemorySource:
    path = DATA / "mamba/libmamba/tests/data/repodata/sudoku.json"
    if not path.exists():
        pytest.skip(f"real data {path} is absent")
    return MemorySource([("sudoku", {"noarch": load_repodata(path)})])


def specs(*texts: str) -> tuple[Any, ...]:
    from kernel.models import MatchSpec

    return tuple(MatchSpec(t) for t in texts)


def request_for(source: MemorySource, add: Iterable[str] = (), **kw: Any) -> Any:
    from kernel.types import SolveRequest

    kw.setdefault("add_pip_as_python_dependency", False)
    for key in ("specs_to_remove", "history_specs", "pinned"):
        if key in kw:
            kw[key] = specs(*kw[key])
    return SolveRequest(source=source, specs_to_add=specs(*add), **kw)


def dists(records: Iterable[Any]) -> list[str]:
    return [f"{r.name}-{r.version}-{r.build}" for r in records]
