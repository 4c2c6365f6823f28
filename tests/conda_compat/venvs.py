"""Throwaway virtual environments that see microconda and pip-install plugins."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def plugin_venv(root: Path) -> Path:
    """A fresh venv whose ``sys.path`` also holds microconda's environment; its python."""
    target = root / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path("
                              "'purelib'))"], capture_output=True, text=True, check=True)
    parents = [*site.getsitepackages(), str(REPO)]
    Path(purelib.stdout.strip(), "parent-env.pth").write_text("\n".join(parents) + "\n")
    return python


def pip_install(python: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                           "-q", "--disable-pip-version-check", *args],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PIP_NO_INPUT": "1"})


def conda(python: Path, *args: str, env: dict[str, str] | None = None,
          cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([python, "-m", "kernel", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120, cwd=cwd,
                          stdin=subprocess.DEVNULL)
