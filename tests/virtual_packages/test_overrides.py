"""CONDA_OVERRIDE_<NAME>, the virtual_packages condarc map, empty and invalid values."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import kernel.config
from kernel import hookimpl
from kernel.errors import ConfigurationError, PluginError
from kernel.types import DROP, CondaVirtualPackage
from kernel.virtual_packages import (
    VirtualPackage,
    override_for,
    virtual_package_records,
    virtual_package_triples,
    virtual_packages,
)

from .conftest import MakeConfig, Resolve, fresh_manager

LINUX = "linux-64"


def test_env_var_overrides_the_version(resolve: Resolve) -> None:
    found = resolve(LINUX, CONDA_OVERRIDE_GLIBC="2.17", CONDA_OVERRIDE_LINUX="5.10.0")
    assert found["__glibc"].version == "2.17"
    assert found["__linux"].version == "5.10.0"


def test_env_var_overrides_the_archspec_build(resolve: Resolve) -> None:
    found = resolve(LINUX, CONDA_OVERRIDE_ARCHSPEC="x86_64_v3")
    assert (found["__archspec"].version, found["__archspec"].build) == ("1", "x86_64_v3")


def test_other_targets_take_their_own_overrides(resolve: Resolve) -> None:
    assert resolve("osx-arm64", CONDA_OVERRIDE_OSX="13.5")["__osx"].version == "13.5"
    assert resolve("win-64", CONDA_OVERRIDE_WIN="10.0.19045")["__win"].version == "10.0.19045"


def test_override_for_a_package_the_target_lacks_adds_nothing(resolve: Resolve) -> None:
    found = resolve(LINUX, CONDA_OVERRIDE_OSX="13.5", CONDA_OVERRIDE_WIN="10.0")
    assert "__osx" not in found and "__win" not in found
    assert "__glibc" not in resolve("osx-64", CONDA_OVERRIDE_GLIBC="2.28")


def test_packages_without_override_entity_ignore_overrides(resolve: Resolve) -> None:
    found = resolve(LINUX, CONDA_OVERRIDE_UNIX="7", CONDA_OVERRIDE_CONDA="1.0")
    assert found["__unix"].version == "0"
    assert found["__conda"].version != "1.0"


def test_condarc_map_overrides(resolve: Resolve) -> None:
    found = resolve(LINUX, condarc='virtual_packages:\n  glibc: "2.28"\n  archspec: haswell\n')
    assert found["__glibc"].version == "2.28"
    assert found["__archspec"].build == "haswell"


def test_env_var_wins_over_condarc(resolve: Resolve) -> None:
    found = resolve(LINUX, condarc='virtual_packages:\n  glibc: "2.28"\n',
                    CONDA_OVERRIDE_GLIBC="2.31")
    assert found["__glibc"].version == "2.31"


def test_condarc_unquoted_float_keeps_trailing_zero(resolve: Resolve) -> None:
    found = resolve("osx-64", condarc="virtual_packages:\n  osx: 10.10\n  unix: 1\n")
    assert found["__osx"].version == "10.10"


def test_condarc_accepts_double_underscore_names(resolve: Resolve) -> None:
    assert resolve(LINUX, condarc='virtual_packages:\n  __glibc: "2.26"\n')[
        "__glibc"].version == "2.26"


@pytest.mark.parametrize("value", ["true", "[2, 17]", "{a: 1}"])
def test_condarc_value_that_is_not_a_version_is_an_error(resolve: Resolve, value: str) -> None:
    with pytest.raises(ConfigurationError, match=r"virtual_packages\.glibc"):
        resolve(LINUX, condarc=f"virtual_packages:\n  glibc: {value}\n")


def test_condarc_null_means_not_set(resolve: Resolve) -> None:
    found = resolve(LINUX, condarc="virtual_packages:\n  glibc:\n")
    assert found["__glibc"].version == resolve(LINUX)["__glibc"].version


@pytest.mark.parametrize("empty", ["", "  "])
def test_empty_override_drops_the_package(resolve: Resolve, empty: str) -> None:
    found = resolve(LINUX, CONDA_OVERRIDE_GLIBC=empty, CONDA_OVERRIDE_ARCHSPEC=empty)
    assert "__glibc" not in found and "__archspec" not in found
    assert "__osx" not in resolve("osx-64", CONDA_OVERRIDE_OSX=empty)
    assert "__win" not in resolve("win-64", CONDA_OVERRIDE_WIN=empty)


def test_empty_condarc_value_drops_too(resolve: Resolve) -> None:
    assert "__glibc" not in resolve(LINUX, condarc='virtual_packages:\n  glibc: ""\n')


def test_empty_linux_override_keeps_linux_at_zero(resolve: Resolve) -> None:
    found = resolve(LINUX, CONDA_OVERRIDE_LINUX="")
    assert (found["__linux"].version, found["__linux"].build) == ("0", "0")


@pytest.mark.parametrize(("value", "version"), [
    ("abc", "0"), ("5", "0"), ("5.10.0-rc1", "5.10.0"), (" 6.1 ", "6.1"),
    ("4.19.1.2.3", "4.19.1.2"),
])
def test_linux_override_is_validated(resolve: Resolve, value: str, version: str) -> None:
    assert resolve(LINUX, CONDA_OVERRIDE_LINUX=value)["__linux"].version == version


@pytest.mark.parametrize(("var", "value"), [
    ("CONDA_OVERRIDE_GLIBC", "2 17"), ("CONDA_OVERRIDE_GLIBC", ">=2.17"),
    ("CONDA_OVERRIDE_CUDA", "12.4,13"), ("CONDA_OVERRIDE_ARCHSPEC", "x86_64=v3"),
    ("CONDA_OVERRIDE_ARCHSPEC", "zen 4"),
])
def test_invalid_override_is_an_error_naming_its_source(resolve: Resolve, var: str,
                                                        value: str) -> None:
    with pytest.raises(ConfigurationError, match=var):
        resolve(LINUX, **{var: value})


def test_invalid_condarc_override_names_the_file(resolve: Resolve) -> None:
    with pytest.raises(ConfigurationError, match=r"virtual_packages\.glibc \(.*condarc"):
        resolve(LINUX, condarc='virtual_packages:\n  glibc: "2 17"\n')


def test_override_for(make_config: MakeConfig) -> None:
    config = make_config(LINUX, condarc='virtual_packages:\n  cuda: "11.8"\n',
                         CONDA_OVERRIDE_GLIBC="")
    assert override_for("glibc", config) == ""
    assert override_for("cuda", config) == "11.8"
    assert override_for("osx", config) is None


# -- a third party's virtual packages through the same front end ----------------------------

class Vendor:
    """A plugin using conda's lazy values, DROP, a build override and a validation."""

    calls: list[str]

    def __init__(self) -> None:
        self.calls = []

    def _probe(self) -> str:
        self.calls.append("probe")
        return "acme"

    @hookimpl
    def conda_virtual_packages(self) -> Iterator[CondaVirtualPackage]:
        # conda's lazy values: kernel.types annotates only ``str | None`` so far
        yield CondaVirtualPackage(name="gpu_vendor", version="1",
                                  build=self._probe,
                                  override_entity="build")
        yield CondaVirtualPackage(name="gone", version=lambda: DROP,  # type: ignore[arg-type]
                                  build=None)
        yield CondaVirtualPackage(name="strict", version="nonsense", build=None,
                                  override_entity="version",
                                  version_validation=lambda v: v if v[0].isdigit() else None)
        yield CondaVirtualPackage(name="keep_empty", version="2", build=None,
                                  override_entity="version", empty_override=None)


def _vendor(make_config: MakeConfig, **env: str) -> tuple[Vendor, dict[str, VirtualPackage]]:
    plugin = Vendor()
    packages = virtual_packages(fresh_manager(plugin), make_config(LINUX, **env))
    return plugin, {p.name: p for p in packages}


def test_third_party_lazy_values_and_drop(make_config: MakeConfig) -> None:
    plugin, found = _vendor(make_config)
    assert found["__gpu_vendor"].build == "acme" and plugin.calls == ["probe"]
    assert "__gone" not in found
    assert found["__strict"].version == "0"  # validation said None: conda's "0"
    assert found["__keep_empty"].version == "2"


def test_third_party_override_skips_the_probe(make_config: MakeConfig) -> None:
    plugin, found = _vendor(make_config, CONDA_OVERRIDE_GPU_VENDOR="other",
                            CONDA_OVERRIDE_STRICT="3.1", CONDA_OVERRIDE_KEEP_EMPTY="")
    assert found["__gpu_vendor"].build == "other" and plugin.calls == []
    assert found["__strict"].version == "3.1"
    assert found["__keep_empty"].version == "0"


def test_a_plugin_that_raises_is_named(make_config: MakeConfig) -> None:
    class Broken:
        @hookimpl
        def conda_virtual_packages(self) -> Iterator[CondaVirtualPackage]:
            raise OSError("sysfs unreadable")
            yield  # pragma: no cover

    with pytest.raises(PluginError, match="sysfs unreadable"):
        virtual_packages(fresh_manager(Broken()), make_config(LINUX))


def test_records_and_triples_have_conda_shape(make_config: MakeConfig) -> None:
    config = make_config(LINUX, CONDA_OVERRIDE_GLIBC="2.17")
    triples = virtual_package_triples(fresh_manager(), config)
    assert ["__glibc", "2.17", "0"] in triples
    assert triples == sorted(triples)
    records: list[Any] = virtual_package_records(fresh_manager(), config)
    glibc = next(r for r in records if r.name == "__glibc")
    assert glibc.to_json()["channel"] == "@"
    assert (glibc.subdir, glibc.build_number, glibc.fn) == (LINUX, 0, "__glibc")
    assert str(glibc.package_type).endswith("virtual_system")
    assert tuple(glibc.depends) == ()


def test_the_given_config_is_current_only_while_plugins_run(make_config: MakeConfig) -> None:
    outer = make_config("win-64")
    kernel.config.set_config(outer)
    names = {p.name for p in virtual_packages(fresh_manager(), make_config("osx-64"))}
    assert "__osx" in names and "__win" not in names
    assert kernel.config.get_config() is outer


def test_default_config_and_manager(monkeypatch: pytest.MonkeyPatch) -> None:
    import kernel.manager

    monkeypatch.setenv("CONDA_SUBDIR", "osx-arm64")
    kernel.manager.set_plugin_manager(fresh_manager())
    names = [p[0] for p in virtual_package_triples()]
    assert "__osx" in names
    assert kernel.config.get_config().subdir == "osx-arm64"
