"""The ``console`` backend: rich at a terminal, plain text in pipes, silence when quiet."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kernel import reporting
from kernel.errors import CondaError
from kernel.manager import PluginManager
from plugins.reporters.console_renderer import ConsoleRenderer
from tests.reporters.conftest import FakeTerminal

REPO = Path(__file__).resolve().parents[2]


def feed_stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


# -- text -------------------------------------------------------------------------------------


def test_render_ends_a_string_with_one_newline() -> None:
    assert ConsoleRenderer().render("done") == "done\n"


def test_render_of_a_list_prints_one_item_per_line() -> None:
    assert ConsoleRenderer().render(["a", "b"]) == "a\nb\n"


def test_detail_view_right_aligns_keys_and_stacks_list_values() -> None:
    text = ConsoleRenderer().detail_view({"platform": "linux-64", "channel URLs": ["u1", "u2"]})
    assert text.splitlines() == ["", "     platform : linux-64", " channel URLs : u1",
                                 "                u2", ""]


def test_table_in_a_pipe_is_plain_text_without_ansi(configure: Callable[..., None],
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    text = ConsoleRenderer().table([["numpy", "1.26"]], ["name", "version"])
    assert text.splitlines() == ["name   version", "numpy  1.26"]


def test_table_at_a_terminal_is_drawn_by_rich(terminal: Callable[[], FakeTerminal],
                                              configure: Callable[..., None]) -> None:
    terminal()
    text = ConsoleRenderer().table([["numpy", "1.26"]], ["name", "version"])
    assert "numpy" in text and "version" in text
    assert "─" in text  # rich's rule under the header


def test_envs_list_names_base_and_marks_the_active_environment(
        configure: Callable[..., None], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    root = tmp_path / "root"
    env = root / "envs" / "web"
    monkeypatch.setenv("CONDA_ROOT", str(root))
    monkeypatch.setenv("CONDA_PREFIX", str(env))
    configure()
    lines = ConsoleRenderer().envs_list([str(root), str(env)]).splitlines()
    assert lines[1] == "# conda environments:"
    assert f"{'base':<20}     {root}" in lines
    assert f"{'web':<20} *   {env}" in lines


# -- progress ---------------------------------------------------------------------------------


def test_progress_bar_prints_nothing_when_stdout_is_not_a_terminal(
        configure: Callable[..., None], capsys: pytest.CaptureFixture[str]) -> None:
    with ConsoleRenderer().progress_bar("Downloading numpy", 100) as advance:
        advance(100)
    assert capsys.readouterr().out == ""


def test_progress_bar_prints_nothing_when_quiet_even_at_a_terminal(
        terminal: Callable[[], FakeTerminal], configure: Callable[..., None]) -> None:
    configure(quiet=True)
    out = terminal()
    with ConsoleRenderer().progress_bar("Downloading numpy", 100) as advance:
        advance(100)
    assert out.getvalue() == ""


def test_progress_bar_at_a_terminal_shows_the_description_and_completion(
        terminal: Callable[[], FakeTerminal], configure: Callable[..., None]) -> None:
    fake = terminal()
    with ConsoleRenderer().progress_bar("Downloading numpy", 4) as advance:
        advance(1)
    out = fake.getvalue()
    assert "Downloading numpy" in out and "100%" in out


def test_a_bar_without_a_total_ends_full(terminal: Callable[[], FakeTerminal],
                                        configure: Callable[..., None]) -> None:
    fake = terminal()
    with ConsoleRenderer().progress_bar("Extracting", None) as advance:
        advance(3)
    assert "100%" in fake.getvalue()


def test_two_bars_open_at_once_share_one_display(terminal: Callable[[], FakeTerminal],
                                                  configure: Callable[..., None]) -> None:
    fake = terminal()
    renderer = ConsoleRenderer()
    with renderer.progress_bar("first", 2) as one, renderer.progress_bar("second", 2) as two:
        one(2)
        two(2)
    out = fake.getvalue()
    assert "first" in out and "second" in out


def test_spinner_in_a_pipe_prints_one_plain_line(configure: Callable[..., None],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    with ConsoleRenderer().spinner("Solving environment"):
        pass
    assert capsys.readouterr().out == "Solving environment: ...working... done\n"


def test_spinner_reports_failure_and_lets_the_error_through(
        configure: Callable[..., None], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(RuntimeError), ConsoleRenderer().spinner("Solving environment"):
        raise RuntimeError("boom")
    assert capsys.readouterr().out.endswith("...working... failed\n")


def test_spinner_prints_nothing_when_quiet(configure: Callable[..., None],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    configure(quiet=True)
    with ConsoleRenderer().spinner("Solving environment"):
        pass
    assert capsys.readouterr().out == ""


def test_spinner_at_a_terminal_ends_with_done(terminal: Callable[[], FakeTerminal],
                                             configure: Callable[..., None]) -> None:
    fake = terminal()
    with ConsoleRenderer().spinner("Solving environment"):
        pass
    assert "Solving environment: done" in fake.getvalue()


# -- prompts ----------------------------------------------------------------------------------


def test_prompt_shows_the_default_in_brackets(monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    feed_stdin(monkeypatch, "y\n")
    ConsoleRenderer().prompt("Proceed", ("yes", "no"), "yes")
    assert capsys.readouterr().out.startswith("Proceed ([y]/n)? ")


def test_prompt_accepts_the_first_letter(monkeypatch: pytest.MonkeyPatch) -> None:
    feed_stdin(monkeypatch, "N\n")
    assert ConsoleRenderer().prompt("Proceed", ("yes", "no"), "yes") == "no"


def test_prompt_takes_the_default_on_an_empty_line(monkeypatch: pytest.MonkeyPatch) -> None:
    feed_stdin(monkeypatch, "\n")
    assert ConsoleRenderer().prompt("Proceed", ("yes", "no"), "no") == "no"


def test_prompt_asks_again_after_an_invalid_answer(monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    feed_stdin(monkeypatch, "maybe\nyes\n")
    assert ConsoleRenderer().prompt("Proceed", ("yes", "no"), "no") == "yes"
    assert "Invalid choice: maybe" in capsys.readouterr().out


def test_prompt_refuses_to_guess_when_stdin_is_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    feed_stdin(monkeypatch, "")
    with pytest.raises(CondaError, match="stdin is closed"):
        ConsoleRenderer().prompt("Proceed", ("yes", "no"), "yes")


def test_prompt_rejects_a_default_outside_the_choices() -> None:
    with pytest.raises(ValueError, match="default"):
        ConsoleRenderer().prompt("Proceed", ("yes", "no"), "maybe")


def test_kernel_confirm_declined_through_this_backend_exits(
        manager: PluginManager, monkeypatch: pytest.MonkeyPatch) -> None:
    feed_stdin(monkeypatch, "n\n")
    with pytest.raises(CondaError, match="Exiting"):
        reporting.confirm()


# -- wiring -----------------------------------------------------------------------------------


def test_console_is_the_default_backend(manager: PluginManager) -> None:
    assert isinstance(reporting.get_renderer(), ConsoleRenderer)


def test_importing_the_backends_does_not_import_rich() -> None:
    code = ("import sys, plugins.reporters.console, plugins.reporters.json, "
            "plugins.reporters.console_renderer, plugins.reporters.json_renderer; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'rich'))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                         text=True, check=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert out.stdout.strip() == "[]"
