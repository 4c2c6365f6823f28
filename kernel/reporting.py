"""The reporting front end: commands say *what* to show, the backend plugin says *how*.

``--json`` selects the ``json`` backend, otherwise the ``console`` setting (``--console``)
picks one of the ``conda_reporter_backends``. Commands call :func:`render`,
:func:`table`, :func:`progress_bar`, :func:`confirm`; nothing here imports rich.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any

from kernel.errors import CondaSystemExit, DryRunExit
from kernel.types import ReporterRendererBase

_renderer: ReporterRendererBase | None = None


def backend_name() -> str:
    from kernel.config import get_config

    config = get_config()
    return "json" if config.json else str(config.console)


def get_renderer() -> ReporterRendererBase:
    """The renderer of the configured backend (created once per run)."""
    global _renderer
    if _renderer is None:
        from kernel.manager import get_plugin_manager

        record = get_plugin_manager().find("conda_reporter_backends", backend_name(),
                                           what="reporter backend")
        _renderer = record.renderer()
    return _renderer


def reset() -> None:
    """Forget the renderer (after the configuration changed, or between tests)."""
    global _renderer
    _renderer = None


def write(text: str) -> None:
    if text:
        sys.stdout.write(text)
        sys.stdout.flush()


def render(data: Any, **kwargs: Any) -> None:
    """Show ``data`` (a string, or JSON-able data) through the backend."""
    write(get_renderer().render(data, **kwargs))


def detail_view(data: dict[str, Any], **kwargs: Any) -> None:
    write(get_renderer().detail_view(data, **kwargs))


def table(rows: Sequence[Sequence[Any]], header: Sequence[str], **kwargs: Any) -> None:
    write(get_renderer().table(rows, header, **kwargs))


def envs_list(prefixes: Sequence[str], **kwargs: Any) -> None:
    write(get_renderer().envs_list(prefixes, **kwargs))


def progress_bar(description: str, total: int | None = None,
                 **kwargs: Any) -> AbstractContextManager[Callable[[int], None]]:
    return get_renderer().progress_bar(description, total, **kwargs)


def spinner(message: str, **kwargs: Any) -> AbstractContextManager[None]:
    return get_renderer().spinner(message, **kwargs)


def warn(message: str) -> None:
    """One warning line on stderr (never on stdout, so ``--json`` stays parseable)."""
    print(f"warning: {message}", file=sys.stderr)


def confirm(message: str = "Proceed", *, dry_run: bool | None = None) -> None:
    """Ask yes/no; raises :class:`DryRunExit` under dry-run, :class:`CondaSystemExit` on no.

    ``always_yes`` (``-y``) and ``--json`` answer yes without asking.
    """
    from kernel.config import get_config

    config = get_config()
    if config.dry_run if dry_run is None else dry_run:
        raise DryRunExit("Dry run. Exiting.")
    if config.always_yes or config.json:
        return
    answer = get_renderer().prompt(message, ("yes", "no"), "yes")
    if answer.lower() not in ("y", "yes"):
        raise CondaSystemExit("Exiting.")
