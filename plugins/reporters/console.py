"""The ``console`` reporter backend: what a person at a terminal sees.

Only the record lives here; the renderer (and rich with it) is imported when the kernel
first asks for a backend, so registering this plugin costs nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Iterator

from kernel import hookimpl
from kernel.types import CondaReporterBackend


@hookimpl(tryfirst=True)
def conda_reporter_backends() -> Iterator[CondaReporterBackend]:
    from plugins.reporters.console_renderer import ConsoleRenderer

    yield CondaReporterBackend(
        name="console",
        description="Tables, progress bars and prompts for a terminal; plain text otherwise.",
        renderer=ConsoleRenderer,
    )
