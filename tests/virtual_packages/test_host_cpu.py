"""The host microarchitecture is remembered per CPU and archspec installation."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from plugins.virtual_packages import host_cpu

on_linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux host only")


def _broken() -> object:
    raise RuntimeError("archspec must not be asked")


@pytest.fixture
def cpuinfo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cpuinfo"
    path.write_text("processor\t: 0\nflags\t\t: fpu sse2\n\nprocessor\t: 1\nflags\t\t: fpu\n")
    monkeypatch.setattr(host_cpu, "CPUINFO", str(path))
    return path


@on_linux
def test_second_run_answers_from_the_cache(cpuinfo: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import archspec.cpu

    first = host_cpu.host_microarchitecture()
    assert first == archspec.cpu.host().name
    monkeypatch.setattr(archspec.cpu, "host", _broken)
    assert host_cpu.host_microarchitecture() == first


@on_linux
def test_another_cpu_is_asked_again(cpuinfo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import archspec.cpu

    host_cpu.host_microarchitecture()
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx2\n\n")
    monkeypatch.setattr(archspec.cpu, "host", _broken)
    with pytest.raises(RuntimeError, match="must not be asked"):
        host_cpu.host_microarchitecture()


@on_linux
def test_only_the_first_cpu_entry_counts(cpuinfo: Path) -> None:
    key = host_cpu.host_key()
    cpuinfo.write_text(cpuinfo.read_text().replace("flags\t\t: fpu\n", "flags\t\t: none\n"))
    assert host_cpu.host_key() == key is not None


@on_linux
def test_a_failed_detection_is_not_remembered(cpuinfo: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import archspec.cpu

    with monkeypatch.context() as patch:
        patch.setattr(archspec.cpu, "host", _broken)
        with pytest.raises(RuntimeError):
            host_cpu.host_microarchitecture()
    assert host_cpu.host_microarchitecture() == archspec.cpu.host().name


def test_not_remembered_with_archspec_variables_or_off_linux(
        cpuinfo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCHSPEC_CPU_DIR", "/elsewhere")
    assert host_cpu.host_key() is None
    monkeypatch.delenv("ARCHSPEC_CPU_DIR")
    monkeypatch.setattr(sys, "platform", "darwin")
    assert host_cpu.host_key() is None


@on_linux
def test_an_unreadable_cache_is_asked_again(cpuinfo: Path) -> None:
    path = Path(host_cpu._cache_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("not json")
    import archspec.cpu

    assert host_cpu.host_microarchitecture() == archspec.cpu.host().name
