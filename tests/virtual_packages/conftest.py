"""Fixtures: a fresh manager with the virtual-package plugins, configs per target subdir."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from kernel.config import Config, load_config
from kernel.manager import PluginManager
from kernel.virtual_packages import VirtualPackage, virtual_packages

MODULES = ("archspec", "conda", "cuda", "glibc", "linux", "osx", "unix", "win")

MakeConfig = Callable[..., Config]


@pytest.fixture(autouse=True)
def _no_cuda_seams(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MICROCONDA_LIBCUDA", "CUDA_VISIBLE_DEVICES", "FAKE_CUDA_INIT",
                 "FAKE_CUDA_VERSION"):
        monkeypatch.delenv(name, raising=False)


def fresh_manager(*extra: object) -> PluginManager:
    """A new manager (hook results are cached per manager) with our plugins and ``extra``."""
    pm = PluginManager()
    for name in MODULES:
        pm.register(importlib.import_module(f"plugins.virtual_packages.{name}"))
    for plugin in extra:
        pm.register(plugin)
    return pm


@pytest.fixture
def manager() -> PluginManager:
    return fresh_manager()


@pytest.fixture
def make_config(tmp_path: Path) -> MakeConfig:
    """``make_config(subdir=None, condarc=None, **env)``: a config read from a temp condarc."""

    def make(subdir: str | None = None, condarc: str | None = None,
             **env: str) -> Config:
        files = []
        if condarc is not None:
            path = tmp_path / f"condarc-{len(list(tmp_path.iterdir()))}.yml"
            path.write_text(condarc)
            files.append(path)
        return load_config(cmdline={"subdir": subdir}, env={**os.environ, **env},
                           files=files)

    return make


Resolve = Callable[..., dict[str, VirtualPackage]]


@pytest.fixture
def resolve(make_config: MakeConfig) -> Resolve:
    """``resolve(subdir=None, condarc=None, **env)`` -> ``{"__name": VirtualPackage}``."""

    def run(subdir: str | None = None, condarc: str | None = None,
            **env: str) -> dict[str, VirtualPackage]:
        config = make_config(subdir, condarc, **env)
        return {p.name: p for p in virtual_packages(fresh_manager(), config)}

    return run
