"""``conda env export`` / ``conda export`` / ``conda compare`` with pip packages, as conda 26.7."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.pip_interop.conftest import Prefix, Result

Conda = Callable[..., Result]

PIP = ["attrs==23.2.0", "foo-bar==1.0", "my-tool==0.3.1", "protobuf==4.25.1",
       "requests==2.31.0", "zope-interface==5.4.0"]
#: the real conda's `conda env export -p PREFIX` after its `name:` line
BODY = ("channels:\n  - conda-forge\ndependencies:\n  - python=3.11.5=h955ad1f_0\n"
        "  - six=1.16.0=pyhd3eb1b0_1\n  - pip:\n"
        + "".join(f"      - {spec}\n" for spec in PIP))


def _body(text: str) -> str:
    """The export without its ``name:`` and ``prefix:`` lines."""
    return "".join(line + "\n" for line in text.splitlines()
                   if not line.startswith(("name:", "prefix:")))


def test_env_export_writes_the_pip_section(conda: Conda, pip_prefix: Prefix) -> None:
    result = conda("env", "export", "-p", pip_prefix)
    assert result.code == 0, result.err
    assert _body(result.out) == BODY
    assert result.out.endswith(f"prefix: {pip_prefix}\n")


def test_no_defaults_channel_when_none_is_configured(conda: Conda,
                                                    pip_prefix: Prefix) -> None:
    channels = conda("export", "-p", pip_prefix, "--format", "environment-json").json()
    assert channels["channels"] == ["conda-forge"]


def test_configured_channels_follow_the_packages_channels(
        conda: Conda, pip_prefix: Prefix, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONDA_CHANNELS", "bioconda")
    data = conda("export", "-p", pip_prefix, "--format", "environment-json").json()
    assert data["channels"] == ["conda-forge", "bioconda"]


def test_json_format_nests_pip_in_dependencies(conda: Conda, pip_prefix: Prefix) -> None:
    data = conda("export", "-p", pip_prefix, "--format", "environment-json").json()
    assert data["dependencies"] == ["python=3.11.5=h955ad1f_0", "six=1.16.0=pyhd3eb1b0_1",
                                    {"pip": PIP}]


def test_from_history_has_no_pip_section_and_no_channels(conda: Conda,
                                                         pip_prefix: Prefix) -> None:
    history = Path(str(pip_prefix)) / "conda-meta" / "history"
    history.write_text("==> 2024-01-01 00:00:00 <==\n# cmd: conda create -p x python\n"
                       "+conda-forge/linux-64::python-3.11.5-h955ad1f_0\n"
                       "# update specs: ['python']\n")
    result = conda("env", "export", "-p", pip_prefix, "--from-history")
    assert _body(result.out) == "dependencies:\n  - python\n"
    assert "Your environment contains 6 packages installed via pip" in result.err


def test_export_warns_of_pip_packages_on_stderr(conda: Conda, pip_prefix: Prefix) -> None:
    result = conda("env", "export", "-p", pip_prefix)
    assert "The exported environment contains 3rd party Python packages." in result.err
    assert "\n  - zope-interface==5.4.0\n" in result.err


def test_explicit_format_refuses_pip_packages(conda: Conda, pip_prefix: Prefix) -> None:
    result = conda("--json", "export", "-p", pip_prefix, "--format", "explicit")
    assert result.code == 1
    assert result.json()["exception_name"] == "CondaValueError"
    assert result.json()["message"].startswith(
        "Cannot export explicit format: environment contains external packages")


def test_requirements_format_leaves_pip_packages_out(conda: Conda, pip_prefix: Prefix) -> None:
    out = conda("export", "-p", pip_prefix, "--format", "requirements").out
    specs = [line for line in out.splitlines() if line and not line.startswith("#")]
    assert [s.split("::")[-1].split("=")[0] for s in specs] == ["python", "six"]


def test_compare_matches_pip_entries(conda: Conda, pip_prefix: Prefix,
                                    tmp_path: Path) -> None:
    spec = tmp_path / "environment.yml"
    spec.write_text("dependencies:\n  - pip\n  - python=3.11\n  - pip:\n"
                    "    - attrs==23.2.0\n    - requests==2.30.0\n    - zope.interface\n")
    result = conda("compare", "-p", pip_prefix, spec)
    assert result.code == 1
    assert result.out.splitlines() == [  # the real conda's lines for this file
        "pip not found",
        "requests found but mismatch. Specification pkg: requests==2.30.0, Running pkg: "
        "requests=2.31.0=pypi_0",
        "zope.interface not found"]
    good = tmp_path / "good.yml"
    good.write_text("dependencies:\n  - six\n  - pip:\n    - attrs==23.2.0\n"
                    "    - my-tool>=0.3\n")
    assert conda("compare", "-p", pip_prefix, good).code == 1  # pip itself is added
    good.write_text("dependencies:\n  - six\n  - pip:\n    - attrs==23.2.0\n")
    pip_prefix.conda_record("pip", "24.0", "pyhd8ed1ab_0", subdir="noarch")
    result = conda("compare", "-p", pip_prefix, good)
    assert result.code == 0, result.out
    assert json.loads(conda("--json", "compare", "-p", pip_prefix, good).out)[0].startswith(
        "Success.")
