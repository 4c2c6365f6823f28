"""The ``json`` reporter backend: one JSON document per call, chosen by ``--json``."""

from __future__ import annotations

from collections.abc import Iterator

from kernel import hookimpl
from kernel.types import CondaReporterBackend


@hookimpl(tryfirst=True)
def conda_reporter_backends() -> Iterator[CondaReporterBackend]:
    from plugins.reporters.json_renderer import JSONRenderer

    yield CondaReporterBackend(
        name="json",
        description="Machine-readable output: one JSON document per call, no progress.",
        renderer=JSONRenderer,
    )
