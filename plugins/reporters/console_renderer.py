"""The renderer behind the ``console`` backend.

At a terminal it uses rich for tables, progress bars and spinners. When stdout is not a
terminal (a pipe, a file, CI logs) every method returns plain text: no ANSI codes, no
progress bars, and a spinner becomes one ``message: ...working... done`` line, as in conda.
``quiet`` (``-q``) silences progress bars and spinners altogether. rich is imported inside
the methods that draw, never at import time.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any

from kernel.errors import CondaError
from kernel.types import ReporterRendererBase

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress


def stdout_is_terminal() -> bool:
    isatty = getattr(sys.stdout, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):
        return False


def _quiet() -> bool:
    from kernel.config import get_config

    return bool(get_config().quiet)


def _same_path(a: str, b: str) -> bool:
    return os.path.normcase(os.path.normpath(a)) == os.path.normcase(os.path.normpath(b))


def _lines(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [str(value)]


def _ignore(n: int) -> None:
    """``advance(n)`` of a progress bar nobody sees."""


class ConsoleRenderer(ReporterRendererBase):
    """Human output for a terminal, plain text for pipes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._progress: Progress | None = None
        self._open_bars = 0

    # -- helpers --------------------------------------------------------------------------

    @staticmethod
    def _console() -> Console:
        from rich.console import Console

        return Console(file=sys.stdout, highlight=False)

    def _fancy(self) -> bool:
        return stdout_is_terminal()

    # -- text -----------------------------------------------------------------------------

    def render(self, data: Any, **kwargs: Any) -> str:
        if isinstance(data, str):
            return data if not data or data.endswith("\n") else data + "\n"
        if isinstance(data, Mapping):
            return self.detail_view(dict(data), **kwargs)
        if isinstance(data, (list, tuple)):
            return "".join(f"{item}\n" for item in data)
        return f"{data}\n"

    def detail_view(self, data: dict[str, Any], **kwargs: Any) -> str:
        """conda's ``key : value`` block, keys right-aligned; list values one per line."""
        if not data:
            return ""
        width = max(len(str(k)) for k in data)
        indent = " " * (width + 4)
        out = [""]
        for key, value in data.items():
            lines = _lines(value) or [""]
            out.append(f" {key!s:>{width}} : {lines[0]}")
            out.extend(f"{indent}{line}" for line in lines[1:])
        return "\n".join(out) + "\n\n"

    def table(self, rows: Sequence[Sequence[Any]], header: Sequence[str], **kwargs: Any) -> str:
        if not self._fancy():
            return super().table(rows, header, **kwargs)
        from rich import box
        from rich.table import Table

        table = Table(*header, box=box.SIMPLE_HEAD, title=kwargs.get("title"))
        for row in rows:
            table.add_row(*(str(cell) for cell in row))
        console = self._console()
        with console.capture() as captured:
            console.print(table)
        return captured.get()

    def envs_list(self, prefixes: Sequence[str], **kwargs: Any) -> str:
        """conda's ``# conda environments:`` listing; ``*`` marks the active one, ``+`` a
        frozen one (CEP 22: ``conda-meta/frozen``)."""
        from kernel.config import get_config

        config = get_config()
        active = config.active_prefix
        out = ["", "# conda environments:", "#", "# * -> active", "# + -> frozen"]
        for prefix in prefixes:
            name = self._env_name(str(prefix), config.root_prefix, config.envs_dirs)
            mark = "*" if active and _same_path(str(prefix), active) else " "
            frozen = "+" if os.path.isfile(os.path.join(prefix, "conda-meta", "frozen")) else " "
            out.append(f"{name:<20} {mark} {frozen} {prefix}")
        return "\n".join(out) + "\n\n"

    @staticmethod
    def _env_name(prefix: str, root: str, envs_dirs: Sequence[str]) -> str:
        if _same_path(prefix, root):
            return "base"
        parent = os.path.dirname(os.path.normpath(prefix))
        if any(_same_path(parent, d) for d in envs_dirs):
            return os.path.basename(os.path.normpath(prefix))
        return ""

    # -- progress -------------------------------------------------------------------------

    def progress_bar(self, description: str, total: int | None = None,
                     **kwargs: Any) -> AbstractContextManager[Callable[[int], None]]:
        """One bar of a shared rich display; nothing when quiet. Not at a terminal, nothing
        either, or with ``plain_text`` conda's ``<plain_text>: ...working... done`` line."""
        return self._bar(description, total, kwargs.get("plain_text"))

    @contextmanager
    def _bar(self, description: str, total: int | None,
             plain_text: str | None = None) -> Iterator[Callable[[int], None]]:
        if _quiet():
            yield _ignore
            return
        if not self._fancy():
            if plain_text is None:
                yield _ignore
            else:
                with self._spin(plain_text, "failed"):
                    yield _ignore
            return
        progress = self._start_progress()
        task = progress.add_task(description, total=total)
        try:
            yield lambda n: progress.advance(task, n)
            done = total if total is not None else 1
            progress.update(task, total=done, completed=done)
        finally:
            progress.refresh()
            self._stop_progress()

    def _start_progress(self) -> Progress:
        with self._lock:
            if self._progress is None:
                from rich.progress import (
                    BarColumn,
                    Progress,
                    TaskProgressColumn,
                    TextColumn,
                )

                self._progress = Progress(
                    TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                    console=self._console(), redirect_stderr=False)
                self._progress.start()
            self._open_bars += 1
            return self._progress

    def _stop_progress(self) -> None:
        with self._lock:
            self._open_bars -= 1
            if self._open_bars == 0 and self._progress is not None:
                self._progress.stop()
                self._progress = None

    def spinner(self, message: str, **kwargs: Any) -> AbstractContextManager[None]:
        return self._spin(message, str(kwargs.get("fail_message", "failed")))

    @contextmanager
    def _spin(self, message: str, fail_message: str) -> Iterator[None]:
        if _quiet():
            yield
            return
        if not self._fancy():
            sys.stdout.write(f"{message}: ...working... ")
            sys.stdout.flush()
            try:
                yield
            except BaseException:
                sys.stdout.write(f"{fail_message}\n")
                sys.stdout.flush()
                raise
            sys.stdout.write("done\n")
            sys.stdout.flush()
            return
        console = self._console()
        try:
            with console.status(message):
                yield
        except BaseException:
            console.print(f"{message}: {fail_message}", markup=False)
            raise
        console.print(f"{message}: done", markup=False)

    # -- questions ------------------------------------------------------------------------

    def prompt(self, message: str = "Proceed", choices: Sequence[str] = ("yes", "no"),
               default: str = "yes") -> str:
        """Ask on stdout, read one line from stdin; an empty line takes ``default``.

        Answers match a choice or its first letter, case-insensitively. End of input is an
        error rather than a silent default, so a closed stdin never agrees to anything.
        """
        if default not in choices:
            raise ValueError(f"default {default!r} is not one of {list(choices)}")
        answers = {c.lower(): c for c in choices}
        initials = [c[0].lower() for c in choices if c]
        for choice in choices:
            if choice and initials.count(choice[0].lower()) == 1:
                answers.setdefault(choice[0].lower(), choice)
        shown = "/".join(f"[{c[0]}]" if c == default else c[0] for c in choices)
        question = f"{message} ({shown})? "
        while True:
            self._ask(question)
            try:
                line = sys.stdin.readline()
            except (OSError, ValueError) as exc:
                raise CondaError(f"cannot read an answer from stdin: {exc}") from None
            if not line:
                sys.stdout.write("\n")
                raise CondaError("no answer: stdin is closed (use --yes to proceed "
                                 "without asking)")
            answer = line.strip().lower()
            if not answer:
                sys.stdout.write("\n")
                return default
            if answer in answers:
                sys.stdout.write("\n")
                return answers[answer]
            sys.stdout.write(f"Invalid choice: {answer}\n")

    def _ask(self, question: str) -> None:
        if self._fancy():
            self._console().print(question, end="", style="bold", markup=False)
        else:
            sys.stdout.write(question)
        sys.stdout.flush()
