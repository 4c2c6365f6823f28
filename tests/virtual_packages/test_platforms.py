"""Which virtual packages exist, and with what values, for each target subdir."""

from __future__ import annotations

import os
import platform
import re
import sys
from typing import Any

import pytest

from kernel import CONDA_VERSION
from kernel.config import host_subdir
from plugins.virtual_packages import archspec as archspec_plugin
from plugins.virtual_packages import glibc, linux, osx, win

from .conftest import Resolve

on_linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux host only")
OS_PACKAGES = {"__linux", "__glibc", "__unix", "__osx", "__win"}


@on_linux
def test_this_linux_host(resolve: Resolve) -> None:
    found = resolve()
    assert {"__linux", "__glibc", "__unix", "__archspec", "__conda"} <= set(found)
    assert not {"__osx", "__win"} & set(found)
    assert found["__linux"].version == linux.linux_version(platform.release())
    assert found["__glibc"].version == glibc.glibc_version()
    assert re.fullmatch(r"2\.\d+", found["__glibc"].version)
    assert found["__unix"].version == "0" and found["__unix"].build == "0"
    import archspec.cpu

    assert (found["__archspec"].version, found["__archspec"].build) == ("1",
                                                                        archspec.cpu.host().name)
    assert all(p.subdir == host_subdir() for p in found.values())


@pytest.mark.parametrize(("subdir", "present", "archspec"), [
    ("osx-arm64", {"__osx", "__unix"}, "aarch64"),
    ("osx-64", {"__osx", "__unix"}, "x86_64"),
    ("win-64", {"__win"}, "x86_64"),
    ("win-32", {"__win"}, "x86"),
    ("linux-ppc64le", {"__linux", "__glibc", "__unix"}, "ppc64le"),
    ("freebsd-64", {"__unix"}, "x86_64"),
    ("emscripten-wasm32", {"__unix"}, "wasm32"),
    ("zos-z", set(), "z"),
])
def test_cross_targets(resolve: Resolve, subdir: str, present: set[str],
                       archspec: str) -> None:
    found = resolve(subdir)
    assert set(found) & OS_PACKAGES == present
    assert found["__archspec"].build == archspec
    assert found["__conda"].version == CONDA_VERSION
    assert all(p.subdir == subdir for p in found.values())


@pytest.mark.skipif(sys.platform == "darwin", reason="needs a host that is not macOS")
def test_macos_target_elsewhere_is_version_zero(resolve: Resolve) -> None:
    assert resolve("osx-arm64")["__osx"].version == "0"


@pytest.mark.skipif(sys.platform == "win32", reason="needs a host that is not Windows")
def test_windows_target_elsewhere_is_version_zero(resolve: Resolve) -> None:
    assert resolve("win-64")["__win"].version == "0"


def test_linux_target_from_another_system_falls_back_to_zero(
        resolve: Resolve, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platform, "system", lambda: "Darwin")
    found = resolve("linux-64")
    assert (found["__linux"].version, found["__glibc"].version) == ("0", "0")
    assert found["__unix"].version == "0"


@on_linux
def test_other_linux_arch_keeps_host_versions_and_generic_archspec(resolve: Resolve) -> None:
    other = "linux-aarch64" if host_subdir() != "linux-aarch64" else "linux-64"
    found, here = resolve(other), resolve()
    assert found["__linux"].version == here["__linux"].version
    assert found["__glibc"].version == here["__glibc"].version
    assert found["__archspec"].build == archspec_plugin.generic_microarchitecture(other)


@pytest.mark.parametrize(("release", "version"), [
    ("6.8.0-45-generic", "6.8.0"), ("5.15.153.1-microsoft-standard-WSL2", "5.15.153.1"),
    ("4.18.0-513.el8.x86_64", "4.18.0"), ("6.10", "6.10"), ("6.11.0-rc3", "6.11.0"),
    ("6", None), ("abc", None), ("", None),
])
def test_linux_version_keeps_the_upstream_part(release: str, version: str | None) -> None:
    assert linux.linux_version(release) == version


@pytest.mark.parametrize(("confstr", "version"), [
    ("glibc 2.36", "2.36"), ("glibc 2.17", "2.17"), ("glibc 2.39.9000", "2.39"),
    ("musl 1.2", None), ("", None), (ValueError, None),
])
def test_glibc_version_parsing(monkeypatch: pytest.MonkeyPatch, confstr: object,
                               version: str | None) -> None:
    def fake(name: str) -> str:
        if confstr is ValueError:
            raise ValueError("unrecognized configuration name")
        return str(confstr)

    monkeypatch.setattr(os, "confstr", fake, raising=False)
    assert glibc.glibc_version() == version


@pytest.mark.parametrize(("mac_ver", "version"), [
    ("14.4.1", "14.4"), ("11.0", "11.0"), ("15", "15.0"), ("", None),
])
def test_macos_version_is_major_minor(monkeypatch: pytest.MonkeyPatch, mac_ver: str,
                                      version: str | None) -> None:
    monkeypatch.setattr(platform, "system", lambda: "Darwin")
    monkeypatch.setattr(platform, "mac_ver", lambda: (mac_ver, ("", "", ""), "arm64"))
    assert osx.macos_version() == version


def test_macos_compat_10_16_asks_sw_vers(monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    seen: dict[str, Any] = {}

    def fake_run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        seen["env"] = kwargs["env"]
        return subprocess.CompletedProcess(cmd, 0, stdout="13.6.7\n")

    monkeypatch.setattr(platform, "system", lambda: "Darwin")
    monkeypatch.setattr(platform, "mac_ver", lambda: ("10.16", ("", "", ""), "x86_64"))
    monkeypatch.setattr(subprocess, "run", fake_run)
    assert osx.macos_version() == "13.6"
    assert seen["env"]["SYSTEM_VERSION_COMPAT"] == "0"


def test_windows_version_has_three_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platform, "system", lambda: "Windows")
    monkeypatch.setattr(platform, "win32_ver", lambda: ("10", "10.0.22631", "SP0", "x"))
    assert win.windows_version() == "10.0.22631"
    monkeypatch.setattr(platform, "system", lambda: "Linux")
    assert win.windows_version() is None


@pytest.mark.parametrize(("subdir", "build"), [
    ("linux-64", "x86_64"), ("linux-32", "x86"), ("osx-arm64", "aarch64"),
    ("win-arm64", "aarch64"), ("linux-aarch64", "aarch64"), ("linux-s390x", "s390x"),
    ("linux-riscv64", "riscv64"), ("linux-armv7l", "armv7l"), ("zos-z", "z"),
])
def test_generic_microarchitecture(subdir: str, build: str) -> None:
    assert archspec_plugin.generic_microarchitecture(subdir) == build


def test_archspec_falls_back_when_detection_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    import archspec.cpu

    def broken() -> object:
        raise RuntimeError("no /proc/cpuinfo")

    monkeypatch.setattr(archspec.cpu, "host", broken)
    here = host_subdir()
    assert archspec_plugin.archspec_build(here) == archspec_plugin.generic_microarchitecture(here)


def test_conda_reports_the_compatible_conda_version(resolve: Resolve) -> None:
    found = resolve(CONDA_OVERRIDE_CONDA="1.0")
    assert (found["__conda"].version, found["__conda"].build) == (CONDA_VERSION, "0")
    assert int(CONDA_VERSION.split(".")[0]) >= 23
