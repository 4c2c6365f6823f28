"""The three format plugins: real files from rattler and mamba, writing, and bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kernel.manager import get_plugin_manager
from plugins.env_files.environment_yml import export_json, export_yaml, parse_environment_yml
from plugins.env_files.explicit import export_explicit, parse_explicit
from plugins.env_files.model import Environment, EnvironmentFileError, record_from_url
from plugins.env_files.requirements import export_requirements, parse_requirements


def read(path: Path, spec_name: str | None = None) -> Any:
    """Read through the hooks, as the commands do."""
    from plugins.subcommands.env.files import read_environment

    return read_environment(str(path), spec_name)


def error_of(path: Path, text: str | bytes, spec: str | None = None) -> str:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    with pytest.raises(EnvironmentFileError) as info:
        read(path, spec)
    return str(info.value)


# -- the hooks ---------------------------------------------------------------------------------


def test_plugins_register_under_conda_names() -> None:
    manager = get_plugin_manager()
    specifiers = {r.name for r in manager.hook_results("conda_environment_specifiers")}
    assert {"environment.yml", "explicit", "requirements.txt"} <= specifiers
    exporters = {r.name: r for r in manager.hook_results("conda_environment_exporters")}
    assert exporters["environment-yaml"].aliases == ("yaml", "yml")
    assert exporters["environment-yaml"].default_filenames == ("environment.yaml",
                                                               "environment.yml")
    assert exporters["environment-json"].aliases == ("json",)
    assert exporters["explicit"].default_filenames == ("explicit.txt",)
    assert exporters["requirements"].aliases == ("reqs", "txt")
    assert exporters["requirements"].default_filenames == ("requirements.txt", "spec.txt")


# -- real files --------------------------------------------------------------------------------


def test_real_environment_yml_files(env_data: dict[str, Path],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    folder = env_data["environments"]
    vqgan = read(folder / "asymmetric_vqgan.environment.yaml")
    assert vqgan.name is None and vqgan.channels == ["pytorch", "defaults"]
    assert vqgan.requested_packages[:2] == ["python=3.8.5", "pip=20.3"]
    pip = vqgan.external_packages["pip"]
    assert len(pip) == 19 and pip[0] == "albumentations==0.4.3" and pip[-1] == "-e ."
    inversion = read(folder / "channel_inversion.environment.yaml")
    assert inversion.requested_packages == ["cudf", "conda-forge::cuda-python"]
    assert inversion.channels == ["rapidsai", "nvidia", "conda-forge"]
    capsys.readouterr()
    lock_dev = read(folder / "conda_lock_dev.environment.yaml")
    assert lock_dev.name == "conda-lock-dev" and "nodefaults" in lock_dev.channels
    assert "ignoring section(s)" in capsys.readouterr().err  # 'category' is not conda's
    assert lock_dev.external_packages == {"pip": ["types-click-default-group"]}
    assert len(read(folder / "mamba_dev_extra.environment.yaml").requested_packages) == 14
    variables = read(folder / "variables.environment.yaml")
    assert variables.variables == {"MY_ENV_VAR": "My Value"}


def test_real_mamba_files_selectors_and_pip(env_data: dict[str, Path],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    folder = env_data["mamba"]
    assert read(folder / "env_1.yaml").channels == ["conda-forge", "bioconda"]
    text = (folder / "env_2.yaml").read_text()
    linux = parse_environment_yml(text, "env_2.yaml", platform="linux-64")
    assert linux.requested_packages == ["test1-unix", "test1-linux", "test2-linux", "test4"]
    osx = parse_environment_yml(text, "env_2.yaml", platform="osx-arm64")
    assert osx.requested_packages == ["test1-unix", "test1-osx", "test4"]
    win = parse_environment_yml(text, "env_2.yaml", platform="win-64")
    assert win.requested_packages == ["test1-win", "test4"]
    capsys.readouterr()
    env3 = read(folder / "env_3.yaml")
    assert env3.external_packages == {"pip": ["pytest", "numpy"]}
    assert env3.requested_packages[0] == "pip"  # added first, as conda does, with a warning
    assert "does not list pip itself" in capsys.readouterr().err
    assert read(folder / "minrk_downgrade.yml").name == "xeus-cling"


def test_real_explicit_files(env_data: dict[str, Path]) -> None:
    xtensor = read(env_data["explicit"] / "xtensor_linux-64.txt")
    assert xtensor.platform == "linux-64" and len(xtensor.explicit_packages) == 7
    first = xtensor.explicit_packages[0]
    assert first["name"] == "_libgcc_mutex" and first["version"] == "0.1"
    assert first["build"] == "conda_forge" and first["subdir"] == "linux-64"
    assert first["md5"] == "d7c89558ba9fa0495403155b64376d81"
    assert first["channel"] == "https://conda.anaconda.org/conda-forge"
    vs = read(env_data["explicit"] / "vs2015_runtime_win-64.txt")
    assert vs.platform == "win-64" and [r["fn"] for r in vs.explicit_packages] == [
        "vc-14.1-h0510ff6_4.conda", "vs2015_runtime-14.16.27012-hf0eaf9b_3.conda"]
    ros = read(env_data["explicit"] / "ros-noetic_linux-64.txt")
    assert len(ros.explicit_packages) == 568
    lock = read(env_data["mamba"] / "minrk_environment.py-3.9-linux-64.lock")
    assert len(lock.explicit_packages) == 170 and lock.platform == "linux-64"


def test_real_requirement_files(env_data: dict[str, Path]) -> None:
    for name, count in (("apache_arrow_conda_env_sphinx.txt", 17),
                        ("issue_4274.env.txt", 58), ("omni.env.txt", 83)):
        env = read(env_data["mamba"] / name)
        assert len(env.requested_packages) == count, name
    assert "cython>3.1.1" in read(env_data["mamba"] /
                                  "apache_arrow_conda_env_sphinx.txt").requested_packages


def test_conda_lock_yaml_is_not_an_environment_file(env_data: dict[str, Path],
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    env = read(env_data["lockfiles"] / "test-env-lock.yaml")
    assert env.requested_packages == [] and env.explicit_packages == []
    assert "ignoring section(s)" in capsys.readouterr().err


# -- writing -----------------------------------------------------------------------------------


def _sample() -> Environment:
    url = "https://conda.anaconda.org/conda-forge/noarch/six-1.16.0-pyh6c4a22f_0.tar.bz2"
    record = record_from_url(url + "#" + "a" * 32)
    return Environment(name="demo", platform="linux-64", channels=["conda-forge"],
                       requested_packages=["six=1.16.0=pyh6c4a22f_0", "pip"],
                       explicit_packages=[record], variables={"A": "1"})


def test_yaml_and_json_exports_keep_conda_order_and_round_trip() -> None:
    env = _sample()
    env.external_packages = {"pip": ["requests==2.0"]}
    text = export_yaml(env)
    assert text.splitlines() == [
        "name: demo", "channels:", "  - conda-forge", "dependencies:",
        "  - six=1.16.0=pyh6c4a22f_0", "  - pip", "  - pip:", "      - requests==2.0", "variables:",
        "  A: '1'"]
    again = parse_environment_yml(text, "x.yml", platform="linux-64")
    assert again.requested_packages == env.requested_packages
    assert again.external_packages == env.external_packages
    assert again.variables == env.variables
    assert json.loads(export_json(env))["dependencies"][-1] == {"pip": ["requests==2.0"]}


def test_explicit_and_requirements_exports_round_trip(tmp_path: Path) -> None:
    env = _sample()
    text = export_explicit(env)
    assert text.splitlines()[:5] == [
        "# This file may be used to create an environment using:",
        "# $ conda create --name demo --file <this file>", "# platform: linux-64",
        text.splitlines()[3], "@EXPLICIT"]
    assert text.splitlines()[5].endswith("_0.tar.bz2#" + "a" * 32)
    assert parse_explicit(text, "e.txt").explicit_packages == env.explicit_packages
    reqs = export_requirements(env)
    assert reqs.splitlines()[-1] == "conda-forge::six==1.16.0=pyh6c4a22f_0"
    assert parse_requirements(reqs, "r.txt").requested_packages == [
        "conda-forge::six==1.16.0=pyh6c4a22f_0"]


def test_exports_that_cannot_be_written() -> None:
    from kernel.errors import CondaError

    with pytest.raises(CondaError, match="no installed packages with URLs"):
        export_explicit(Environment(requested_packages=["a"]))
    with pytest.raises(CondaError, match="environment contains external packages"):
        env = _sample()
        env.external_packages = {"pip": ["x"]}
        export_explicit(env)
    with pytest.raises(CondaError, match="no packages"):
        export_requirements(Environment())


def test_checksums_in_urls() -> None:
    sha = "b" * 64
    url = "file:///c/noarch/a-1-0.conda"
    assert record_from_url(f"{url}#sha256:{sha}")["sha256"] == sha
    assert record_from_url(f"{url}#{sha}")["sha256"] == sha
    for bad in (f"{url}#sha256:abc", f"{url}#xyz", "file:///c/noarch/a-1.conda",
                "no-scheme/noarch/a-1-0.conda", "https://x/noarch/a-1-0.zip"):
        with pytest.raises(ValueError):
            record_from_url(bad)


# -- bad input: one line naming the file (and line) --------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("", "the environment file is empty"),
    ("- a\n- b\n", ":1: must be a mapping"),
    ("name: x\ndependencies:\n  - a\n   - b: [\n", ":4: invalid YAML"),
    ("name: x\nname: y\n", ":2: invalid YAML"),
    ("name: [a]\n", ":1: 'name' must be a string"),
    ("channels: conda-forge\n", ":1: 'channels' must be a list"),
    ("channels:\n  - 3\n", "'channels' entries must be strings"),
    ("dependencies: numpy\n", ":1: 'dependencies' must be a list"),
    ("dependencies:\n  - ok\n  - 'bad >=1 <<2'\n", ":3: invalid dependency"),
    ("dependencies:\n  - pip:\n      - 3\n", ":3: 'pip' entries must be strings"),
    ("dependencies:\n  - {a: 1, b: 2}\n", "one-key mapping"),
    ("dependencies:\n  - sel(beos): x\n", ":2: unknown selector"),
    ("dependencies:\n  - sel(linux): [x]\n", ":2: selector 'sel(linux)' needs one spec"),
    ("variables: [A]\n", ":1: 'variables' must be a mapping"),
    ("variables:\n  A:\n    - 1\n", ":2: variable 'A' must be a single value"),
])
def test_bad_environment_yml(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "environment.yml"
    message = error_of(path, text)
    assert message.startswith(str(path)) and expected in message
    assert "\n" not in message


@pytest.mark.parametrize(("text", "expected"), [
    ("@EXPLICIT\n", "no package URLs after @EXPLICIT"),
    ("numpy\n@EXPLICIT\nhttps://c/noarch/a-1-0.conda\n", ":1: 'numpy' comes before"),
    ("@EXPLICIT\nhttps://c/noarch/a-1-0.conda\nnumpy\n", ":3: 'numpy' is not a package URL"),
    ("@EXPLICIT\n@EXPLICIT\n", ":2: @EXPLICIT appears twice"),
    ("@EXPLICIT\nhttps://c/noarch/a-1-0.conda#nothex\n", ":2: 'nothex' is neither"),
])
def test_bad_explicit_files(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "explicit.lock"
    message = error_of(path, text)
    assert message.startswith(str(path)) and expected in message


@pytest.mark.parametrize(("text", "expected"), [
    ("numpy\nbad >=1 <<2\n", ":2: Invalid"),
    ("# c\n@EXPLICT\n", ":2: '@EXPLICT' is not a match spec"),
    ("-r other.txt\n", ":1: '-r other.txt' is a pip option"),
])
def test_bad_requirement_files(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "requirements.txt"
    message = error_of(path, text)
    assert message.startswith(str(path)) and expected in message


def test_unreadable_files(tmp_path: Path) -> None:
    from kernel.errors import CondaError
    from plugins.subcommands.env.files import EnvironmentSpecPluginNotDetected

    with pytest.raises(CondaError, match=r"x\.yml: file not found"):
        read(tmp_path / "x.yml")
    folder = tmp_path / "dir.yml"
    folder.mkdir()
    with pytest.raises(CondaError, match="is a directory"):
        read(folder)
    assert "neither UTF-8 nor UTF-16" in error_of(tmp_path / "b.yml", b"\xff\xfe\x00\xd8")
    utf16 = tmp_path / "u.yml"
    utf16.write_text("name: wide\n", encoding="utf-16")
    assert read(utf16).name == "wide"
    (tmp_path / "env.toml").write_text("x = 1\n")
    with pytest.raises(EnvironmentSpecPluginNotDetected, match=r"env\.toml: no environment "
                                                                r"specifier can read"):
        read(tmp_path / "env.toml")
    with pytest.raises(CondaError, match="no environment specifier named 'nope'"):
        read(tmp_path / "env.toml", "nope")
    (tmp_path / "forced.cfg").write_text("numpy\n")
    assert read(tmp_path / "forced.cfg", "requirements.txt").requested_packages == ["numpy"]


def test_without_the_format_plugins_commands_say_so(tmp_path: Path) -> None:
    """Remove the format entry points: reading and exporting name the missing provider."""
    import kernel.manager
    from kernel.errors import NoProviderError
    from plugins.subcommands.env.files import pick_exporter

    manager = kernel.manager.PluginManager()
    manager.load_entrypoints(entry_points=[
        ep for ep in kernel.manager.discover("microconda.plugins")
        if not ep["name"].startswith("env-file-")])
    kernel.manager.set_plugin_manager(manager)
    (tmp_path / "environment.yml").write_text("name: x\n")
    with pytest.raises(NoProviderError, match="no environment specifier plugin is installed"):
        read(tmp_path / "environment.yml")
    with pytest.raises(Exception, match="no environment exporter named 'environment-yaml'"):
        pick_exporter(None, None, "environment-yaml")
