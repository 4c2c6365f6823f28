from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kernel import hookimpl
from kernel.cli import main, scan_global_flags
from kernel.errors import CondaError
from kernel.types import (
    CondaErrorHint,
    CondaExceptionObserver,
    CondaPostCommand,
    CondaPreCommand,
    CondaSubcommand,
)


def test_version_answers_without_loading_plugins():
    code = ("import sys; from kernel.cli import main; main(['--version']); "
            "print(sorted(m for m in ('pluggy', 'kernel.manager', 'attrs') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    from kernel import CONDA_VERSION

    assert out.stdout.splitlines() == [f"conda {CONDA_VERSION}", "[]"]


def test_global_flags_are_found_anywhere_before_double_dash():
    overrides, command = scan_global_flags(["install", "--json", "-vv", "numpy", "--",
                                            "--no-plugins"])
    assert overrides == {"json": True, "verbosity": 2} and command == "install"


def test_console_flag_takes_a_value():
    overrides, command = scan_global_flags(["--console", "json", "info"])
    assert overrides == {"console": "json"} and command == "info"


def test_subcommand_receives_parsed_arguments(echo, capsys):
    assert main(["echo", "a", "b"]) == 0
    assert echo.seen[0].words == ["a", "b"]
    assert capsys.readouterr().out == "{'words': ['a', 'b']}\n"


def test_alias_runs_the_same_command(echo):
    assert main(["say", "hi"]) == 0
    assert echo.seen[0].words == ["hi"]


def test_command_without_parser_gets_raw_arguments_and_its_exit_code(echo):
    assert main(["raw", "--fail", "-x"]) == 3
    assert echo.seen == [["--fail", "-x"]]


def test_json_flag_selects_the_json_backend(echo, capsys):
    main(["echo", "x", "--json"])
    assert json.loads(capsys.readouterr().out) == {"words": ["x"]}


def test_unknown_command_suggests_the_closest(echo, capsys):
    assert main(["eco"]) == 2
    err = capsys.readouterr().err
    assert err == "CommandNotFoundError: No command 'conda eco'. Did you mean 'conda echo'?\n"


def test_unknown_command_with_json_is_a_json_error(echo, capsys):
    assert main(["nothing-like-it", "--json"]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data["exception_name"] == "CommandNotFoundError"
    assert data["error"].startswith("CommandNotFoundError: No command")
    assert {"caused_by", "exception_type", "message"} <= set(data)


def test_bad_flag_is_one_line_exit_2(echo, capsys):
    assert main(["echo", "--bogus"]) == 2
    err = capsys.readouterr().err
    assert "unrecognized arguments: --bogus" in err and "Traceback" not in err


def _command_plugin(action):
    class Plugin:
        @hookimpl
        def conda_subcommands(self):
            yield CondaSubcommand(name="act", summary="Act.", action=action)

    return Plugin()


def test_conda_error_is_one_line_with_its_exit_code(manager, capsys):
    class Refused(CondaError):
        return_code = 4

    def action(args):
        raise Refused("cannot do that to /some/file")

    manager.register(_command_plugin(action), "act")
    assert main(["act"]) == 4
    assert capsys.readouterr().err == "Refused: cannot do that to /some/file\n"


def test_unexpected_exception_hides_the_traceback_unless_debug(manager, capsys):
    def action(args):
        raise ZeroDivisionError("division by zero")

    manager.register(_command_plugin(action), "act")
    assert main(["act"]) == 1
    err = capsys.readouterr().err
    assert "ZeroDivisionError: division by zero" in err and "Traceback" not in err
    assert main(["act", "--debug"]) == 1
    assert "Traceback" in capsys.readouterr().err


def test_pre_and_post_commands_run_around_the_named_command(echo, manager):
    calls = []

    class Around:
        @hookimpl
        def conda_pre_commands(self):
            yield CondaPreCommand(name="pre", action=lambda c: calls.append(("pre", c)),
                                  run_for={"echo"})

        @hookimpl
        def conda_post_commands(self):
            yield CondaPostCommand(name="post", action=lambda c: calls.append(("post", c)),
                                   run_for={"echo", "raw"})

    manager.register(Around(), "around")
    main(["say", "x"])
    main(["raw", "--fail"])
    assert calls == [("pre", "echo"), ("post", "echo")]


def test_observers_and_hints_see_the_error(manager, capsys):
    seen = []

    class Watch:
        @hookimpl
        def conda_exception_observers(self):
            yield CondaExceptionObserver(name="watch", action=seen.append)

        @hookimpl
        def conda_error_hints(self):
            yield CondaErrorHint(name="hint", hint=lambda e: f"try again ({type(e).__name__})")

    def action(args):
        raise CondaError("nope")

    manager.register(_command_plugin(action), "act")
    manager.register(Watch(), "watch")
    assert main(["act"]) == 1
    assert [str(e) for e in seen] == ["nope"]
    assert "hint: try again (CondaError)" in capsys.readouterr().err


def test_malformed_condarc_names_file_and_line(echo, tmp_path, monkeypatch, capsys):
    rc = tmp_path / "condarc"
    rc.write_text("channels:\n  - conda-forge\n bad: [\n")
    monkeypatch.setenv("CONDARC", str(rc))
    assert main(["echo"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"ConfigurationError: {rc}: line 3") and err.count("\n") == 1


def test_malformed_condarc_with_json_is_a_json_error(echo, tmp_path, monkeypatch, capsys):
    rc = tmp_path / "condarc"
    rc.write_text("- just\n- a list\n")
    monkeypatch.setenv("CONDARC", str(rc))
    assert main(["echo", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["exception_name"] == "ConfigurationError" and str(rc) in data["message"]


def test_unknown_console_backend_is_named(echo, capsys):
    assert main(["echo", "--console", "fancy"]) == 1
    err = capsys.readouterr().err
    assert "no reporter backend named 'fancy'" in err


def test_wrong_setting_type_names_the_variable(echo, monkeypatch, capsys):
    monkeypatch.setenv("CONDA_REMOTE_MAX_RETRIES", "many")
    assert main(["echo"]) == 1
    assert "invalid value for 'CONDA_REMOTE_MAX_RETRIES'" in capsys.readouterr().err


def test_no_command_prints_help(echo, capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "usage: conda" in out and "echo" in out and "Echo words." in out


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_lists_commands(echo, capsys, flag):
    assert main([flag]) == 0
    assert "raw" in capsys.readouterr().out
