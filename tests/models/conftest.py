"""Fixtures for the models tests: a fixed channel context and the real conda data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kernel.models import ChannelContext, clear_caches, set_channel_context

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"

#: repodata files whose records the tests load, as (path under DATA, subdir if unknown)
REPODATA_FILES = (
    "conda/tests/data/index.json",
    "conda/tests/data/index2.json",
    "conda/tests/data/index4.json",
    "conda/tests/data/repodata/r_linux-64.json",
    "mamba/libmamba/tests/data/repodata/conda-forge-numpy-linux-64.json",
)


@pytest.fixture(autouse=True)
def linux_context() -> Iterator[ChannelContext]:
    """Every test resolves channels for linux-64 with conda's default settings."""
    context = ChannelContext(subdir="linux-64")
    set_channel_context(context)
    yield context
    set_channel_context(None)


def require_data(relative: str) -> Path:
    path = DATA / relative
    if not path.exists():
        pytest.skip(f"real conda data not found at {path.resolve()} (outside this workplace)")
    return path


def repodata_records(relative: str) -> list[tuple[str, dict[str, Any]]]:
    """``(filename, record)`` pairs of a repodata.json or a flat index file."""
    data = json.loads(require_data(relative).read_text())
    if "packages" in data or "packages.conda" in data:
        return [*data.get("packages", {}).items(), *data.get("packages.conda", {}).items()]
    return list(data.items())


@pytest.fixture(scope="session")
def real_versions() -> list[str]:
    return require_data("rattler/test-data/versions.txt").read_text().split()


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    clear_caches()
    yield
    clear_caches()
