"""Installed records in conda's dependency order (``PrefixData.iter_records_sorted``)."""

from __future__ import annotations

from typing import Any

from plugins.prefix.record_order import dependency_order


def _record(name: str, *depends: str) -> dict[str, Any]:
    return {"name": name, "version": "1.0", "build": "0", "build_number": 0,
            "channel": "conda-forge", "subdir": "noarch", "depends": list(depends)}


def test_cycles_python_pip_and_menuinst_as_conda_orders_them() -> None:
    """The same records given to the real conda 26.7's PrefixGraph gave this order."""
    records = [_record("zeta", "alpha"), _record("alpha", "zeta"), _record("child", "alpha"),
               _record("lone"), _record("menuinst", "python"), _record("python", "pip"),
               _record("pip", "python"), _record("tool", "python >=3"),
               _record("beta", "gamma"), _record("gamma", "beta", "missing")]
    assert [r["name"] for r in dependency_order(records)] == [
        "lone", "tool", "python", "menuinst", "pip", "alpha", "child", "zeta", "beta",
        "gamma"]


def test_a_dependency_is_an_edge_only_when_the_installed_version_matches() -> None:
    records = [_record("app", "lib >=2"), _record("lib"), _record("user", "lib 1.*")]
    assert [r["name"] for r in dependency_order(records)] == ["app", "lib", "user"]
