"""Fixtures for the engine tests: temp prefix and package cache, extractors, packages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import kernel.config
import kernel.manager
from kernel import hookimpl
from tests.engine.pkgbuild import build_package


def _fake_extract(archive: str, dest: str) -> None:
    from conda_package_streaming.extract import extract

    extract(archive, dest)


class _FakeExtractors:
    """Registered only when the extractor plugins are not installed."""

    @hookimpl
    def conda_package_extractors(self) -> Iterator[object]:
        from kernel.types import CondaPackageExtractor

        yield CondaPackageExtractor(name="fake-conda", extensions=(".conda",),
                                    extract=_fake_extract)
        yield CondaPackageExtractor(name="fake-tar-bz2", extensions=(".tar.bz2",),
                                    extract=_fake_extract)


@pytest.fixture(autouse=True)
def engine_env(hermetic_env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Hermetic config with a temp pkgs dir; extractors guaranteed."""
    pkgs = hermetic_env / "pkgs"
    monkeypatch.setenv("CONDA_PKGS_DIRS", str(pkgs))
    monkeypatch.setenv("CONDA_REGISTER_ENVS", "true")
    monkeypatch.delenv("MICROCONDA_TEST_KILL_AT", raising=False)
    kernel.config.set_config(None)
    manager = kernel.manager.get_plugin_manager()
    have = {e for x in manager.hook_results("conda_package_extractors") for e in x.extensions}
    if not {".conda", ".tar.bz2"} <= have:
        manager.register(_FakeExtractors(), "fake-extractors")
    yield pkgs


@pytest.fixture
def pkgs_dir(engine_env: Path) -> Path:
    return engine_env


@pytest.fixture
def prefix(tmp_path: Path) -> Path:
    return tmp_path / "env"


@pytest.fixture
def channel(tmp_path: Path) -> Path:
    folder = tmp_path / "channel"
    folder.mkdir()
    return folder


@pytest.fixture
def make_package(channel: Path):  # type: ignore[no-untyped-def]
    def make(name: str, version: str = "1.0", build: str = "0", **kwargs):  # type: ignore[no-untyped-def]
        return build_package(str(channel), name, version, build, **kwargs)[1]

    return make

