"""Fixtures: the extractors as the kernel sees them, and a sandbox to check refusals in."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from kernel.errors import CondaError
from kernel.manager import PluginManager
from plugins.extractors import conda_format, tar_bz2
from plugins.extractors.safety import PackageExtractionError
from tests.extractors.archives import snapshot

Extract = Callable[[str, str], None]


@pytest.fixture
def manager() -> PluginManager:
    """A fresh manager with only the two extractor plugins registered."""
    pm = PluginManager()
    pm.register(conda_format, "extract-conda")
    pm.register(tar_bz2, "extract-tar-bz2")
    return pm


@pytest.fixture
def extractors(manager: PluginManager) -> dict[str, Extract]:
    """Extension -> extract function, as the hook hands them out."""
    found: dict[str, Extract] = {}
    for record in manager.hook_results("conda_package_extractors"):
        for extension in record.extensions:
            found[extension] = record.extract
    return found


@dataclass
class Sandbox:
    """``root`` holds everything a test touches: the archives, a package cache with the
    destination in it, and ``outside``, a folder of sentinels hostile archives aim at."""

    root: Path
    archives: Path
    outside: Path
    cache: Path

    @property
    def dest(self) -> Path:
        return self.cache / "pkg-1.0-0"

    def refused(self, extract: Extract, archive: Path, match: str = "") -> str:
        """Assert ``extract`` refuses ``archive`` with one line naming it, changing nothing."""
        before = snapshot(self.root)
        with pytest.raises(CondaError) as caught:
            extract(str(archive), str(self.dest))
        assert isinstance(caught.value, PackageExtractionError)
        message = str(caught.value)
        assert "\n" not in message and str(archive) in message, message
        assert match in message, message
        assert not os.path.lexists(self.dest)
        assert snapshot(self.root) == before, "something was written or removed"
        return message


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("sentinel\n")
    (outside / "sub").mkdir()
    cache = tmp_path / "cache"
    cache.mkdir()
    archives = tmp_path / "archives"
    archives.mkdir()
    return Sandbox(tmp_path, archives, outside, cache)


@pytest.fixture(params=[".conda", ".tar.bz2"], ids=["conda", "tar.bz2"])
def fmt(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def extract(fmt: str, extractors: dict[str, Extract]) -> Extract:
    return extractors[fmt]
