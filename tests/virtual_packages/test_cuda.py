"""__cuda: driver detection in a child process, its time limit, and its overrides.

A fake ``libcuda`` is compiled from a few lines of C when a C compiler is present, so the
whole path (load, ``cuInit``, ``cuDriverGetVersion``, the pipe) runs without a GPU.
"""

from __future__ import annotations

import ctypes.util
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from plugins.virtual_packages import cuda_detect
from plugins.virtual_packages.cuda_detect import (
    detect_cuda_version,
    format_driver_version,
    library_candidates,
)

from .conftest import Resolve

FAKE_LIBCUDA = r"""
#include <stdlib.h>
int cuInit(unsigned int flags) {
    const char *visible = getenv("CUDA_VISIBLE_DEVICES");
    const char *result = getenv("FAKE_CUDA_INIT");
    if (visible && !*visible) return 100;  /* CUDA_ERROR_NO_DEVICE */
    return result ? atoi(result) : (int)flags;
}
int cuDriverGetVersion(int *version) {
    const char *value = getenv("FAKE_CUDA_VERSION");
    *version = value ? atoi(value) : 12040;
    return 0;
}
"""

BOTH_PATHS = pytest.mark.parametrize("forked", [True, False], ids=["fork", "subprocess"])


@pytest.fixture(scope="session")
def fake_libcuda(tmp_path_factory: pytest.TempPathFactory) -> Path:
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None or not sys.platform.startswith("linux"):
        pytest.skip("needs a C compiler on Linux to build a fake libcuda")
    folder = tmp_path_factory.mktemp("fake-cuda")
    (folder / "fake.c").write_text(FAKE_LIBCUDA)
    library = folder / "libcuda.so.1"
    subprocess.run([compiler, "-shared", "-fPIC", "-o", str(library), str(folder / "fake.c")],
                   check=True)
    return library


ChoosePath = Callable[[bool], None]


@pytest.fixture
def choose_path(monkeypatch: pytest.MonkeyPatch) -> ChoosePath:
    """``choose_path(True)`` forces the fork child, ``False`` the ``sys.executable`` one."""

    def choose(forked: bool) -> None:
        monkeypatch.setattr(cuda_detect, "_fork_is_safe", lambda: forked)

    return choose


@pytest.mark.parametrize(("value", "text"), [(12040, "12.4"), (11080, "11.8"),
                                             (12000, "12.0"), (13010, "13.1")])
def test_format_driver_version(value: int, text: str) -> None:
    assert format_driver_version(value) == text


def test_library_candidates_per_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    assert library_candidates("linux")[:2] == ["libcuda.so.1", "libcuda.so"]
    assert "/usr/lib/wsl/lib/libcuda.so.1" in library_candidates("linux")
    assert library_candidates("win32") == ["nvcuda.dll"]
    assert library_candidates("darwin")[0] == "libcuda.1.dylib"
    assert library_candidates("sunos5") == []
    monkeypatch.setenv("MICROCONDA_LIBCUDA", os.pathsep.join(["/a/libcuda.so", "/b/x.so"]))
    assert library_candidates("win32") == ["/a/libcuda.so", "/b/x.so"]


@pytest.mark.skipif(bool(ctypes.util.find_library("cuda")), reason="this machine has libcuda")
def test_no_driver_here_means_no_cuda(resolve: Resolve) -> None:
    assert detect_cuda_version(timeout=30) is None
    assert "__cuda" not in resolve()
    assert "__cuda" not in resolve("osx-arm64")


@BOTH_PATHS
def test_missing_library_is_none(choose_path: ChoosePath, forked: bool, tmp_path: Path) -> None:
    choose_path(forked)
    assert detect_cuda_version(5, [str(tmp_path / "libcuda.so.1")]) is None


@BOTH_PATHS
def test_fake_driver_is_detected(choose_path: ChoosePath, fake_libcuda: Path,
                                 forked: bool) -> None:
    choose_path(forked)
    assert detect_cuda_version(30, ["/nonexistent/libcuda.so.1", str(fake_libcuda)]) == "12.4"


@BOTH_PATHS
def test_failed_cuinit_is_none(choose_path: ChoosePath, fake_libcuda: Path, forked: bool,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    choose_path(forked)
    monkeypatch.setenv("FAKE_CUDA_INIT", "3")  # CUDA_ERROR_NOT_INITIALIZED
    assert detect_cuda_version(30, [str(fake_libcuda)]) is None


def test_empty_cuda_visible_devices_does_not_hide_the_driver(
        fake_libcuda: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    assert detect_cuda_version(30, [str(fake_libcuda)]) == "12.4"
    assert os.environ["CUDA_VISIBLE_DEVICES"] == ""  # the parent's environment is untouched


def test_library_without_the_driver_symbols_is_skipped(fake_libcuda: Path) -> None:
    libm = ctypes.util.find_library("m") or "libm.so.6"
    assert detect_cuda_version(30, [libm, str(fake_libcuda)]) == "12.4"


def test_garbage_answer_is_none(fake_libcuda: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_CUDA_VERSION", "-5")
    assert detect_cuda_version(30, [str(fake_libcuda)]) is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@BOTH_PATHS
def test_a_hanging_driver_is_killed_after_the_timeout(
        choose_path: ChoosePath, forked: bool, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    # Opening a FIFO blocks until a writer comes: dlopen() on it hangs like a bad driver.
    fifo = tmp_path / "libcuda.so.1"
    os.mkfifo(fifo)
    choose_path(forked)
    start = time.monotonic()
    with caplog.at_level(logging.WARNING, logger=cuda_detect.__name__):
        assert detect_cuda_version(timeout=0.5, candidates=[str(fifo)]) is None
    assert time.monotonic() - start < 10
    assert "no answer in 0.5 s" in caplog.text


def test_fork_only_where_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert cuda_detect._fork_is_safe() is False
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert cuda_detect._fork_is_safe() is False


def test_the_module_runs_as_a_script(fake_libcuda: Path) -> None:
    done = subprocess.run([sys.executable, "-I", cuda_detect.__file__, str(fake_libcuda)],
                          capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == "12.4"


# -- through the hook and the kernel's front end ---------------------------------------------

def test_hook_reports_the_fake_driver(resolve: Resolve, fake_libcuda: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCONDA_LIBCUDA", str(fake_libcuda))
    monkeypatch.setenv("FAKE_CUDA_VERSION", "11020")
    found = resolve()
    assert (found["__cuda"].version, found["__cuda"].build) == ("11.2", "0")
    assert resolve("win-64")["__cuda"].version == "11.2"  # the driver is the machine's


def test_override_states_cuda_without_probing(resolve: Resolve,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    def probe(*args: object, **kwargs: object) -> str:
        raise AssertionError("the driver was probed although an override is set")

    monkeypatch.setattr(cuda_detect, "detect_cuda_version", probe)
    assert resolve(CONDA_OVERRIDE_CUDA="12.8")["__cuda"].version == "12.8"
    assert resolve(condarc='virtual_packages:\n  cuda: "11.8"\n')["__cuda"].version == "11.8"
    assert "__cuda" not in resolve(CONDA_OVERRIDE_CUDA="")


def test_override_replaces_a_detected_driver(resolve: Resolve, fake_libcuda: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROCONDA_LIBCUDA", str(fake_libcuda))
    assert resolve(CONDA_OVERRIDE_CUDA="11.0")["__cuda"].version == "11.0"
    assert "__cuda" not in resolve(CONDA_OVERRIDE_CUDA=" ")
