"""``conda info``: conda's keys and text, environments, channels, and no secrets shown."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kernel import hookimpl, reporting
from kernel.cli import main
from kernel.config import Config, load_config, set_config
from kernel.manager import PluginManager, set_plugin_manager
from kernel.types import CondaVirtualPackage
from plugins.environment.known_envs import known_envs
from plugins.reporters import console as console_backend
from plugins.reporters import json as json_backend
from plugins.subcommands import info

CONDA_KEYS = {
    "active_prefix", "active_prefix_name", "av_data_dir", "channels", "conda_build_version",
    "conda_env_version", "conda_location", "conda_prefix", "conda_shlvl", "conda_version",
    "config_files", "default_prefix", "env_vars", "envs", "envs_details", "envs_dirs",
    "netrc_file", "offline",
    "pkgs_dirs", "platform", "python_version", "rc_path", "requests_version", "root_prefix",
    "root_writable", "site_dirs", "solver", "sys.executable", "sys.prefix", "sys.version",
    "sys_rc_path", "user_agent", "user_rc_path", "virtual_pkgs",
}


class FakeVirtualPackage:
    @hookimpl
    def conda_virtual_packages(self) -> Iterator[CondaVirtualPackage]:
        yield CondaVirtualPackage(name="fake", version="1.2", build="x")


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The root prefix (``CONDA_ROOT``), a fixed subdir and an absent ``CONDARC``."""
    monkeypatch.setenv("CONDA_ROOT", str(tmp_path / "root"))
    monkeypatch.setenv("CONDA_SUBDIR", "linux-64")
    monkeypatch.setenv("CONDARC", str(tmp_path / "condarc"))
    return tmp_path / "root"


@pytest.fixture
def manager(root: Path) -> PluginManager:
    pm = PluginManager()
    pm.register(console_backend, "reporter-console")
    pm.register(json_backend, "reporter-json")
    pm.register(info, "cmd-info")
    set_plugin_manager(pm)
    set_config(load_config(env=dict(os.environ), files=[]))
    reporting.reset()
    return pm


def config(**cmdline: Any) -> Config:
    return load_config(cmdline=cmdline, env=dict(os.environ), files=[])


def info_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["info", "--json", *args]) == 0
    return dict(json.loads(capsys.readouterr().out))


def make_env(path: Path) -> Path:
    (path / "conda-meta").mkdir(parents=True)
    return path


def conda_script() -> Path:
    script = Path(sys.executable).parent / "conda"
    if not script.is_file():
        pytest.skip(f"no conda console script next to {sys.executable} (pip install -e .)")
    return script


# -- --json ------------------------------------------------------------------------------------


def test_json_has_every_key_conda_prints(manager: PluginManager,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert CONDA_KEYS <= set(info_json(capsys))


def test_json_names_this_install_and_interpreter(manager: PluginManager,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    data = info_json(capsys)
    assert (data["sys.executable"], data["platform"]) == (sys.executable, "linux-64")


def test_versions_tell_one_story(manager: PluginManager, capsys: pytest.CaptureFixture[str],
                                 root: Path) -> None:
    """conda's keys, ``__conda``, the User-Agent and ``conda --version`` all report the
    conda release followed; microconda's own version has its own key and UA token."""
    from kernel import CONDA_VERSION, __version__
    from plugins.virtual_packages import conda as conda_vp

    manager.register(conda_vp, "vp-conda")
    data = info_json(capsys)
    assert (data["conda_version"], data["conda_env_version"]) == (CONDA_VERSION, CONDA_VERSION)
    assert data["microconda_version"] == __version__ != CONDA_VERSION
    assert ["__conda", CONDA_VERSION, "0"] in data["virtual_pkgs"]
    assert data["user_agent"].startswith(f"conda/{CONDA_VERSION} microconda/{__version__} ")
    set_config(config())
    reporting.reset()
    assert main(["info"]) == 0
    lines = [line.strip() for line in capsys.readouterr().out.splitlines()]
    assert f"conda version : {CONDA_VERSION}" in lines
    assert f"microconda version : {__version__}" in lines
    script = conda_script()
    shown = subprocess.run([str(script), "--version"], capture_output=True, text=True,
                           check=True).stdout
    assert shown == f"conda {CONDA_VERSION}\n"
    own = subprocess.run([str(script.with_name("microconda")), "--version"],
                         capture_output=True, text=True, check=True).stdout
    assert own == f"microconda {__version__}\n"


def test_virtual_pkgs_are_name_version_build_triples(manager: PluginManager,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    manager.register(FakeVirtualPackage(), "fake-vp")
    assert info_json(capsys)["virtual_pkgs"] == [["__fake", "1.2", "x"]]


def test_shell_level_comes_from_conda_shlvl(manager: PluginManager,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CONDA_SHLVL", "2")
    assert info_json(capsys)["conda_shlvl"] == 2


def test_config_files_lists_the_condarc_that_was_read(
        manager: PluginManager, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = Path(os.environ["CONDARC"])
    rc.write_text("channels: [conda-forge]\n")
    assert info_json(capsys)["config_files"] == [str(rc)]


def test_json_does_not_import_requests(root: Path) -> None:
    code = ("import sys; from kernel.cli import main; main(['info', '--json']); "
            "print('requests' in sys.modules, file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stderr.strip().splitlines()[-1] == "False"


# -- channels ---------------------------------------------------------------------------------


def test_defaults_expand_to_each_default_channel_per_subdir(manager: PluginManager) -> None:
    assert info.channel_urls(config())[:4] == [
        "https://repo.anaconda.com/pkgs/main/linux-64", "https://repo.anaconda.com/pkgs/main/noarch",
        "https://repo.anaconda.com/pkgs/r/linux-64", "https://repo.anaconda.com/pkgs/r/noarch"]


def test_a_channel_name_is_joined_to_the_channel_alias(manager: PluginManager) -> None:
    urls = info.channel_urls(config(channels=["conda-forge"],
                                    channel_alias="https://mirror.example/conda"))
    assert urls == ["https://mirror.example/conda/conda-forge/linux-64",
                    "https://mirror.example/conda/conda-forge/noarch"]


def test_channel_tokens_and_passwords_are_not_shown(manager: PluginManager) -> None:
    urls = info.channel_urls(config(channels=["https://ann:hunter22@h.example/t/tk-9876/ch"]))
    assert not any("hunter22" in u or "tk-9876" in u for u in urls)


def test_a_local_folder_channel_becomes_a_file_url(manager: PluginManager,
                                                  tmp_path: Path) -> None:
    urls = info.channel_urls(config(channels=[str(tmp_path / "local")]))
    assert urls == [(tmp_path / "local" / "linux-64").as_uri(),
                    (tmp_path / "local" / "noarch").as_uri()]


def test_offline_marks_remote_channel_urls_in_the_text_view(
        manager: PluginManager, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CONDA_OFFLINE", "true")
    assert main(["info"]) == 0
    assert "https://repo.anaconda.com/pkgs/main/linux-64  (offline)" in capsys.readouterr().out


# -- environments -----------------------------------------------------------------------------


def test_active_prefix_name_is_base_for_the_root_prefix(
        manager: PluginManager, root: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CONDA_PREFIX", str(root))
    assert info_json(capsys)["active_prefix_name"] == "base"


def test_active_prefix_name_is_the_folder_name_inside_envs_dirs(
        manager: PluginManager, root: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CONDA_PREFIX", str(root / "envs" / "web"))
    data = info_json(capsys)
    assert (data["active_prefix_name"], data["default_prefix"]) == (
        "web", str(root / "envs" / "web"))


def test_envs_come_from_environments_txt_and_envs_dirs(
        manager: PluginManager, root: Path, tmp_path: Path) -> None:
    base = make_env(root)
    named = make_env(root / "envs" / "web")
    (root / "envs" / "not-an-env").mkdir()
    elsewhere = make_env(tmp_path / "projects" / "x")
    txt = Path(os.environ["HOME"]) / ".conda" / "environments.txt"
    txt.parent.mkdir(parents=True)
    txt.write_text(f"{elsewhere}\n{tmp_path / 'gone'}\n{named}\n")
    # conda sorts them all by path
    assert known_envs(config()) == [str(elsewhere), str(base), str(named)]


def test_envs_flag_prints_conda_environments_listing(
        manager: PluginManager, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_env(root / "envs" / "web")
    assert main(["info", "--envs"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "", "# conda environments:", "#", "# * -> active", "# + -> frozen",
        f"{'base':<20}     {root}", f"{'web':<20}     {root / 'envs' / 'web'}", ""]


def test_base_is_listed_before_it_exists_on_disk(
        manager: PluginManager, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", "--envs", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "envs": [str(root)],
        "envs_details": {str(root): {
            "name": "base", "created": None, "last_modified": None, "active": False,
            "base": True, "frozen": False, "writable": None}}}
    assert info_json(capsys)["envs"] == [str(root)]
    assert not root.exists()


def test_frozen_environment_is_marked(manager: PluginManager, root: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    web = make_env(root / "envs" / "web")
    (web / "conda-meta" / "frozen").write_text("{}")
    assert main(["info", "--envs"]) == 0
    assert f"{'web':<20}   + {web}" in capsys.readouterr().out.splitlines()
    reporting.reset()
    assert info_json(capsys)["envs_details"][str(web)]["frozen"] is True


# -- text views -------------------------------------------------------------------------------


def test_plain_info_prints_the_summary_block(manager: PluginManager,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info"]) == 0
    lines = [line.strip() for line in capsys.readouterr().out.splitlines()]
    assert "active environment : None" in lines
    assert "platform : linux-64" in lines


def test_base_prints_the_root_prefix(manager: PluginManager, root: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", "--base"]) == 0
    assert capsys.readouterr().out == f"{root}\n"


def test_system_shows_conda_variables_but_not_secrets_or_proxies(
        manager: PluginManager, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CONDA_ENVS_PATH", "/srv/envs")
    monkeypatch.setenv("CONDA_UPLOAD_TOKEN", "tok-12345")
    monkeypatch.setenv("HTTPS_PROXY", "http://ann:pw-777@proxy:3128")
    assert main(["info", "--system"]) == 0
    out = capsys.readouterr().out
    assert "CONDA_ENVS_PATH: /srv/envs" in out
    assert "CONDA_UPLOAD_TOKEN: <set>" in out and "HTTPS_PROXY: <set>" in out
    assert "tok-12345" not in out and "pw-777" not in out


@pytest.mark.parametrize("args", [["--json"], ["-a"], [], ["--system"]])
def test_no_view_shows_a_token_or_password_held_in_a_variable(
        manager: PluginManager, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    monkeypatch.setenv("CONDA_CHANNELS", "http://host.example/t/tk-9a8b7c/chan")
    monkeypatch.setenv("MIRROR_PATH", "https://bob:pw-5x5x5@mirror.example/x")
    set_config(load_config(env=dict(os.environ), files=[]))
    assert main(["info", *args]) == 0
    out = capsys.readouterr().out
    assert "tk-9a8b7c" not in out and "pw-5x5x5" not in out
    if args != []:  # the summary block lists no variables
        assert "http://host.example/t/<TOKEN>/chan" in out
        assert "https://***:***@mirror.example/x" in out


def test_user_agent_names_microconda_requests_and_python(manager: PluginManager) -> None:
    agent = info.info_dict(config())["user_agent"]
    assert " microconda/0.1.0 requests/" in agent
    assert f"/{sys.version_info[0]}.{sys.version_info[1]}" in agent


# -- whole process ----------------------------------------------------------------------------


def test_console_script_info_json_parses(root: Path) -> None:
    out = subprocess.run([str(conda_script()), "info", "--json"], capture_output=True,
                         text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["root_prefix"] == str(root)
