"""Fixtures for environment files: the environment commands' channel and CLI fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.environment.conftest import (  # noqa: F401  (fixtures used by name)
    Result,
    conda,
    env_setup,
    recipes,
    solver_available,
)


@pytest.fixture
def env_data(shared_data: Path) -> dict[str, Path]:
    """The folders of real environment files from rattler and mamba."""
    return {"environments": shared_data / "rattler" / "test-data" / "environments",
            "explicit": shared_data / "rattler" / "test-data" / "explicit-envs",
            "mamba": shared_data / "mamba" / "libmamba" / "tests" / "data" / "env_file",
            "lockfiles": shared_data / "mamba" / "micromamba" / "tests" / "env_lockfiles"}


def fake_python(prefix: Path, *, fail: bool = False) -> Path:
    """A ``bin/python`` that records how pip was run (args, cwd, requirements) to
    ``<prefix>/pip-log.txt``; with ``fail`` it exits 1 the way pip does."""
    log = prefix / "pip-log.txt"
    body = ("echo \"ERROR: No matching distribution found for nothere\" >&2\nexit 1\n"
            if fail else "echo \"Successfully installed fake-1.0\"\n")
    script = prefix / "bin" / "python"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text("#!/bin/sh\n"
                      f"echo \"args: $*\" > '{log}'\n"
                      f"echo \"cwd: $(pwd)\" >> '{log}'\n"
                      "while [ $# -gt 0 ]; do\n"
                      f"  if [ \"$1\" = \"-r\" ]; then cat \"$2\" >> '{log}'; fi\n"
                      "  shift\ndone\n" + body)
    script.chmod(0o755)
    return log
