"""The ``json`` backend: one parseable document per call, never progress noise."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kernel import reporting
from kernel.manager import PluginManager
from plugins.reporters.json_renderer import JSONRenderer


def test_render_is_one_document_with_sorted_keys_and_two_space_indent() -> None:
    text = JSONRenderer().render({"b": 1, "a": [1, 2]})
    assert text == '{\n  "a": [\n    1,\n    2\n  ],\n  "b": 1\n}\n'


def test_render_converts_paths_and_sets() -> None:
    data = json.loads(JSONRenderer().render({"p": Path("/x/y"), "s": {"b", "a"}}))
    assert data == {"p": "/x/y", "s": ["a", "b"]}


def test_a_plain_string_is_rendered_as_a_json_string() -> None:
    assert json.loads(JSONRenderer().render("hello")) == "hello"


def test_table_becomes_a_list_of_objects_keyed_by_header() -> None:
    text = JSONRenderer().table([["numpy", "1.26"], ["python", "3.12"]], ["name", "version"])
    assert json.loads(text) == [{"name": "numpy", "version": "1.26"},
                                {"name": "python", "version": "3.12"}]


def test_envs_list_is_an_object_with_envs() -> None:
    assert json.loads(JSONRenderer().envs_list(["/a", "/b"])) == {"envs": ["/a", "/b"]}


def test_progress_bar_and_spinner_print_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    renderer = JSONRenderer()
    with renderer.progress_bar("Downloading", 10) as advance:
        advance(5)
    with renderer.spinner("Solving"):
        pass
    assert capsys.readouterr() == ("", "")


def test_prompt_answers_the_default_without_reading_stdin(
        monkeypatch: pytest.MonkeyPatch) -> None:
    class Unreadable:
        def readline(self, *args: object) -> str:
            raise AssertionError("the json backend must not read stdin")

    monkeypatch.setattr(sys, "stdin", Unreadable())
    assert JSONRenderer().prompt("Proceed", ("yes", "no"), "no") == "no"


def test_json_setting_selects_this_backend_through_the_kernel(
        manager: PluginManager, configure: Callable[..., None],
        capsys: pytest.CaptureFixture[str]) -> None:
    configure(json=True)
    reporting.render({"ok": True})
    assert json.loads(capsys.readouterr().out) == {"ok": True}
