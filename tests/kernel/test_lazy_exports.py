"""kernel.lazy_exports: package attributes imported from their modules on first use."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator

import pytest


@pytest.fixture
def package(tmp_path, monkeypatch) -> Iterator[types.ModuleType]:
    root = tmp_path / "lazypkg"
    root.mkdir()
    (root / "__init__.py").write_text(
        "from kernel.lazy_exports import lazy_attributes\n"
        "__getattr__ = lazy_attributes(__name__, {'VALUE': '.home', 'dumps': 'json'})\n")
    (root / "home.py").write_text("VALUE = 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import lazypkg  # type: ignore[import-not-found]

    yield lazypkg
    for name in [n for n in sys.modules if n == "lazypkg" or n.startswith("lazypkg.")]:
        del sys.modules[name]


def test_a_name_imports_its_module_only_when_first_read(package: types.ModuleType) -> None:
    assert "lazypkg.home" not in sys.modules
    assert package.VALUE == 42
    assert "lazypkg.home" in sys.modules
    assert package.__dict__["VALUE"] == 42  # kept: the next read is a plain lookup


def test_an_absolute_home_is_imported_as_named(package: types.ModuleType) -> None:
    import json

    assert package.dumps is json.dumps


def test_an_unknown_name_is_an_attribute_error(package: types.ModuleType) -> None:
    with pytest.raises(AttributeError, match=r"lazypkg.*missing"):
        _ = package.missing
