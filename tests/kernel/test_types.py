from __future__ import annotations

import attrs
import pytest

from kernel.types import DROP, CondaPreCommand, CondaSubcommand, CondaVirtualPackage


def _noop(args):
    return 0


def test_names_are_stripped_and_lowercased():
    assert CondaSubcommand(name="  Hello ", summary="s", action=_noop).name == "hello"


@pytest.mark.parametrize("bad", ["", "   ", "two words", "semi;colon", "a/b"])
def test_bad_names_are_refused(bad):
    with pytest.raises(ValueError, match="invalid plugin name"):
        CondaSubcommand(name=bad, summary="s", action=_noop)


def test_non_string_name_is_refused():
    with pytest.raises(TypeError):
        CondaSubcommand(name=3, summary="s", action=_noop)  # type: ignore[arg-type]


def test_aliases_are_normalised_like_names():
    record = CondaSubcommand(name="remove", summary="s", action=_noop, aliases=["Uninstall"])
    assert record.aliases == ("uninstall",)


def test_records_are_frozen():
    record = CondaSubcommand(name="x", summary="s", action=_noop)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        record.name = "y"  # type: ignore[misc]


def test_run_for_becomes_a_frozenset_of_names():
    record = CondaPreCommand(name="p", action=print, run_for=["Install", "create"])
    assert record.run_for == frozenset({"install", "create"})


def test_virtual_package_defaults_drop_on_empty_override():
    record = CondaVirtualPackage(name="cuda", version="12.4", build=None)
    assert record.empty_override is DROP and record.override_entity is None


def test_records_of_occasional_hooks_load_on_first_use():
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys, kernel.types, kernel.hookspecs, kernel.manager; "
            "before = 'kernel.types_rare' in sys.modules; "
            "from kernel.types import CondaHealthCheck; import kernel.types_rare; "
            "print(before, CondaHealthCheck is kernel.types_rare.CondaHealthCheck)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.split() == ["False", "True"]


def test_every_public_record_is_reachable_from_kernel_types():
    import kernel.types

    for name in kernel.types.__all__:
        assert getattr(kernel.types, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        kernel.types.Nope  # noqa: B018
