from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.network.server import ChannelServer


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ChannelServer]:
    root = tmp_path / "srv"
    root.mkdir()
    srv = ChannelServer(root).start()
    yield srv
    srv.stop()


@pytest.fixture
def channel_dir(server: ChannelServer, shared_data: Path) -> Callable[[str, str], Path]:
    """Copy a channel from the shared data under the server root as ``name``."""

    def copy(relative: str, name: str) -> Path:
        target = server.root / name
        shutil.copytree(shared_data / relative, target)
        for path in target.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        return target

    return copy


@pytest.fixture
def configure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """Write a condarc with ``settings``, point CONDARC at it, load it as the run's config,
    and install a fresh plugin manager with the network plugins and test reporters."""
    from tests.network.helpers import configure_run

    def apply(**settings: Any) -> Any:
        return configure_run(tmp_path, monkeypatch, settings)

    return apply
