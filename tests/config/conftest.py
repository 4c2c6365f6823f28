"""Fixtures: condarc files in the hermetic home, and ``conda config`` run end to end.

The suite-wide ``hermetic_env`` fixture already gives a temporary HOME, XDG dirs and
``CONDA_ROOT`` and drops every ``CONDA_*`` variable; here the machine-wide condarc locations
(``/etc/conda``, ``/var/lib/conda``) are taken out of the search path as well.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from kernel import hookimpl
from kernel.cli import main
from kernel.manager import PluginManager, set_plugin_manager
from kernel.parameters import MapParameter, PrimitiveParameter, SequenceParameter
from kernel.types import CondaReporterBackend, CondaSetting, ReporterRendererBase


@pytest.fixture(autouse=True)
def no_system_condarc(monkeypatch: pytest.MonkeyPatch) -> None:
    import kernel.condarc

    kept = tuple(e for e in kernel.condarc.SEARCH_PATH if not e.startswith(("/etc/", "/var/")))
    monkeypatch.setattr(kernel.condarc, "SEARCH_PATH", kept)


@pytest.fixture
def home(hermetic_env: Path) -> Path:
    return hermetic_env


Write = Callable[..., Path]


@pytest.fixture
def write(tmp_path: Path) -> Write:
    """``write(text, name="condarc")``: a file under the test's temp dir."""

    def make(text: str | bytes, name: str = "condarc") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return make


# -- plugins for the end-to-end runs ----------------------------------------------------------


class Settings:
    """A fake plugin declaring one setting of each kind, and one that holds a secret."""

    @hookimpl
    def conda_settings(self) -> Iterator[CondaSetting]:
        yield CondaSetting(name="greeting", description="What hello says.",
                           parameter=PrimitiveParameter("hello", str), aliases=("salute",))
        yield CondaSetting(name="retries", description="How often to knock.",
                           parameter=PrimitiveParameter(2, int))
        yield CondaSetting(name="mirrors", description="Mirror URLs, tried in order.",
                           parameter=SequenceParameter(str))
        yield CondaSetting(name="extras", description="Extra headers.",
                           parameter=MapParameter(str))
        yield CondaSetting(name="api_token", description="Token for the fake service.",
                           parameter=PrimitiveParameter("", str))


class _Plain(ReporterRendererBase):
    def render(self, data: Any, **kwargs: Any) -> str:
        return data if isinstance(data, str) and data.endswith("\n") else f"{data}\n"


class _Json(ReporterRendererBase):
    def render(self, data: Any, **kwargs: Any) -> str:
        return json.dumps(data, indent=2, sort_keys=True, default=str) + "\n"


class FakeReporters:
    @hookimpl
    def conda_reporter_backends(self) -> Iterator[CondaReporterBackend]:
        yield CondaReporterBackend(name="console", description="plain", renderer=_Plain)
        yield CondaReporterBackend(name="json", description="json", renderer=_Json)


def _reporters(manager: PluginManager) -> None:
    """The real reporter plugins when they are there, else the fakes above."""
    try:
        from plugins.reporters import console
        from plugins.reporters import json as json_backend
    except ImportError:
        manager.register(FakeReporters(), "reporters")
        return
    manager.register(console, "reporter-console")
    manager.register(json_backend, "reporter-json")


@attrs.frozen
class Result:
    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)


Run = Callable[..., Result]


@pytest.fixture
def manager() -> PluginManager:
    import plugins.subcommands.config as config_plugin

    pm = PluginManager()
    pm.register(config_plugin, "cmd-config")
    pm.register(Settings(), "fake-settings")
    _reporters(pm)
    return pm


@pytest.fixture
def run(manager: PluginManager, capsys: pytest.CaptureFixture[str]) -> Run:
    """``run("--show", "channels")``: ``conda config …`` through ``kernel.cli.main``."""
    import kernel.reporting

    def invoke(*argv: str) -> Result:
        kernel.config.set_config(None)
        kernel.reporting.reset()
        set_plugin_manager(manager)
        capsys.readouterr()
        code = main(["config", *argv])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def user_rc(home: Path) -> Path:
    return home / ".condarc"
