"""Test-suite wide fixtures: every test runs hermetic, with fresh kernel singletons."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = (REPO / ".." / "shared" / "data").resolve()


@pytest.fixture(autouse=True)
def hermetic_env(tmp_path_factory: pytest.TempPathFactory,
                 monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temporary HOME, XDG dirs and root prefix; no CONDA_* variable leaks in."""
    home = tmp_path_factory.mktemp("home")
    for name in list(os.environ):
        if name.startswith(("CONDA_", "CONDARC", "MAMBA_")) or name in ("REQUESTS_CA_BUNDLE",):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("CONDA_ROOT", str(home / "root"))
    import kernel.config
    import kernel.manager
    import kernel.reporting

    kernel.config.set_config(None)
    kernel.manager.set_plugin_manager(None)
    kernel.reporting.reset()
    yield home
    kernel.config.set_config(None)
    kernel.manager.set_plugin_manager(None)
    kernel.reporting.reset()


@pytest.fixture
def shared_data() -> Path:
    """The read-only real conda data beside the repository, or a skip saying why."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real conda data not found at {SHARED_DATA} (outside this workplace)")
    return SHARED_DATA
