"""``conda info``: what this installation is, where it looks, and which environments exist.

``--json`` prints conda's ``info --json`` document (same keys) so tools written for conda
keep working. Everything is read from the configuration and the file system; nothing
imports requests or touches the network, so the command stays fast. Every value printed
(plain, ``-a``, ``-s``, ``--json``) has its channel tokens and URL passwords masked, the
environment variables included (conda prints those verbatim).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kernel import hookimpl
from kernel.types import CondaSubcommand

if TYPE_CHECKING:
    import argparse

    from kernel.config import Config

SUMMARY = "Display information about current conda install."
#: Environment variables shown by ``--system``/``--json`` besides ``CONDA*``, ``PYTHON*``,
#: ``*PATH`` and ``SUDO*`` (the same selection as conda).
ENV_VAR_KEYS = ("CIO_TEST", "CURL_CA_BUNDLE", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE")
_SECRET_WORDS = ("TOKEN", "PASSWORD", "PASSWD", "SECRET", "API_KEY", "CREDENTIAL", "AUTH")


def configure_parser(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-a", "--all", action="store_true",
                       help="Show all information: the summary, environments and system.")
    group.add_argument("--base", action="store_true", help="Display the base environment path.")
    group.add_argument("-e", "--envs", action="store_true",
                       help="List all known conda environments.")
    group.add_argument("-s", "--system", action="store_true",
                       help="List environment variables and where Python and conda live.")


# -- facts ------------------------------------------------------------------------------------


def env_name(prefix: str | None, config: Config) -> str | None:
    """``base``, the folder name of an environment in ``envs_dirs``, else the path."""
    if not prefix:
        return None
    norm = os.path.normcase(os.path.normpath(prefix))
    if norm == os.path.normcase(os.path.normpath(config.root_prefix)):
        return "base"
    parent = os.path.dirname(norm)
    if any(parent == os.path.normcase(os.path.normpath(d)) for d in config.envs_dirs):
        return os.path.basename(norm)
    return prefix


def _home(config: Config) -> str:
    return config.env.get("HOME") or os.path.expanduser("~")


def channel_urls(config: Config) -> list[str]:
    """Every channel URL searched, one per subdir, without credentials (conda's order)."""
    from kernel.models.channel import Channel

    context = config.channel_context()
    urls = [url for name in config.channels
            for url in Channel.from_value(name, context).urls(subdirs=config.subdirs)]
    return list(dict.fromkeys(urls))


def _dist_version(module: str, dist: str) -> str:
    """A distribution's version without importing it (``not installed`` when absent)."""
    import importlib.util
    import re

    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.origin:
        return "not installed"
    version_file = Path(spec.origin).parent / "__version__.py"
    try:
        found = re.search(r"""__version__\s*=\s*['"]([^'"]+)['"]""", version_file.read_text())
    except OSError:
        found = None
    if found:
        return found.group(1)
    import importlib.metadata

    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def virtual_packages(config: Config) -> list[list[str]]:
    """``[name, version, build]`` of each virtual package, overrides applied."""
    from kernel.virtual_packages import virtual_package_triples

    return virtual_package_triples(config=config)


def env_vars(env: Mapping[str, str]) -> dict[str, str]:
    """The variables that change conda's behaviour; proxies and secrets show ``<set>``."""
    keys = {k for k in env if k.upper().startswith(("CONDA", "PYTHON", "SUDO"))
            or k.upper().endswith("PATH")}
    shown = {k: env.get(k, "<not set>") for k in (*ENV_VAR_KEYS, *keys)}
    for key in shown:
        if key in env and any(word in key.upper() for word in _SECRET_WORDS):
            shown[key] = "<set>"
    shown.update({k: "<set>" for k in env if k.upper().endswith("PROXY")})
    return dict(sorted(shown.items()))


def masked(value: Any) -> Any:
    """``value`` (the info document or a part) with every string's channel tokens and URL
    passwords masked as ``config --show`` masks them: ``/t/<TOKEN>/``, ``***:***@``."""
    from plugins.subcommands.config.masking import mask_text

    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, Mapping):
        return {k: masked(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [masked(v) for v in value]
    return value


def _site_dirs(home: str) -> list[str]:
    if sys.platform == "win32":
        appdata = os.environ.get("APPDATA")
        base = Path(appdata, "Python") if appdata else None
        return sorted(str(p) for p in base.iterdir()) if base and base.is_dir() else []
    lib = Path(home, ".local", "lib")
    try:
        return sorted(f"~/.local/lib/{p.name}" for p in lib.iterdir()
                      if p.name.startswith("python") and p.name[6:7].isdigit())
    except OSError:
        return []


def _netrc_file(config: Config) -> str | None:
    if config.env.get("NETRC"):
        return config.env["NETRC"]
    user_netrc = os.path.join(_home(config), ".netrc")
    return user_netrc if os.path.isfile(user_netrc) else None


def _writable(path: str) -> bool:
    history = os.path.join(path, "conda-meta", "history")
    target = history if os.path.isfile(history) else path
    while not os.path.exists(target):
        parent = os.path.dirname(target)
        if parent == target:
            return False
        target = parent
    return os.access(target, os.W_OK)


def info_dict(config: Config) -> dict[str, Any]:
    """conda's ``info --json`` document for this run."""
    from kernel import CONDA_VERSION, __version__
    from kernel.settings import SETTINGS
    from plugins.environment.known_envs import envs_details, known_envs
    from plugins.headers.agent import build_user_agent

    envs = known_envs(config)
    requests_version = _dist_version("requests", "requests")
    active = config.active_prefix
    user_rc = os.path.join(_home(config), ".condarc")
    data: dict[str, Any] = {
        "active_prefix": active,
        "active_prefix_name": env_name(active, config),
        "av_data_dir": os.path.join(sys.prefix, "etc", "conda"),
        "channels": channel_urls(config),
        "conda_build_version": _dist_version("conda_build", "conda-build"),
        "conda_env_version": CONDA_VERSION,
        "conda_location": os.path.dirname(os.path.abspath(sys.modules["kernel"].__file__ or "")),
        "conda_prefix": sys.prefix,
        "conda_shlvl": int(config.env.get("CONDA_SHLVL") or -1),
        "conda_version": CONDA_VERSION,
        "config_files": [name for name, _ in config.sources
                         if name not in ("envvars", "cmd_line")],
        "default_prefix": active or config.root_prefix,
        "env_vars": env_vars(config.env),
        "envs": envs,
        "envs_details": envs_details(envs, config),
        "envs_dirs": list(config.envs_dirs),
        "microconda_version": __version__,
        "netrc_file": _netrc_file(config),
        "offline": bool(config.offline),
        "pkgs_dirs": list(config.pkgs_dirs),
        "platform": config.subdir,
        "python_version": ".".join(map(str, sys.version_info)),
        "rc_path": user_rc,
        "requests_version": requests_version,
        "root_prefix": config.root_prefix,
        "root_writable": _writable(config.root_prefix),
        "site_dirs": _site_dirs(_home(config)),
        "solver": {"name": config.solver, "user_agent": f"solver/{config.solver}",
                   "default": config.solver == SETTINGS["solver"][0].default},
        "sys.executable": sys.executable,
        "sys.prefix": sys.prefix,
        "sys.version": sys.version,
        "sys_rc_path": os.path.join(sys.prefix, ".condarc"),
        "user_agent": build_user_agent(requests_version),
        "user_rc_path": user_rc,
        "virtual_pkgs": virtual_packages(config),
    }
    if sys.platform == "win32":
        import ctypes

        data["is_windows_admin"] = bool(ctypes.windll.shell32.IsUserAnAdmin())  # type: ignore[attr-defined]
    else:
        data["UID"] = os.geteuid()
        data["GID"] = os.getegid()
    return data


# -- views ------------------------------------------------------------------------------------


def summary_view(info: Mapping[str, Any]) -> dict[str, Any]:
    """The ``key : value`` block plain ``conda info`` prints."""
    view: dict[str, Any] = {}
    if info["active_prefix_name"] and info["active_prefix_name"] != info["active_prefix"]:
        view["active environment"] = info["active_prefix_name"]
        view["active env location"] = info["active_prefix"]
    else:
        view["active environment"] = info["active_prefix"]
    if info["conda_shlvl"] >= 0:
        view["shell level"] = info["conda_shlvl"]
    offline = info["offline"]
    solver = info["solver"]
    view.update({
        "user config file": info["user_rc_path"],
        "populated config files": info["config_files"],
        "conda version": info["conda_version"],
        "microconda version": info["microconda_version"],
        "conda-build version": info["conda_build_version"],
        "python version": info["python_version"],
        "solver": f"{solver['name']}{' (default)' if solver['default'] else ''}",
        "virtual packages": ["=".join(p) for p in info["virtual_pkgs"]],
        "base environment": f"{info['root_prefix']}  "
                            f"({'writable' if info['root_writable'] else 'read only'})",
        "conda av data dir": info["av_data_dir"],
        "channel URLs": [u if not offline or u.startswith("file:") else f"{u}  (offline)"
                         for u in info["channels"]],
        "package cache": info["pkgs_dirs"],
        "envs directories": info["envs_dirs"],
        "platform": info["platform"],
        "user-agent": info["user_agent"],
    })
    if "UID" in info:
        view["UID:GID"] = f"{info['UID']}:{info['GID']}"
    else:
        view["administrator"] = info.get("is_windows_admin")
    view["netrc file"] = info["netrc_file"]
    view["offline mode"] = offline
    return view


def system_text(info: Mapping[str, Any]) -> str:
    sites = info["site_dirs"] or [""]
    lines = [f"sys.version: {info['sys.version'][:40]}...",
             f"sys.prefix: {info['sys.prefix']}",
             f"sys.executable: {info['sys.executable']}",
             f"conda location: {info['conda_location']}",
             f"user site dirs: {sites[0]}",
             *(f"                {s}" for s in sites[1:]),
             "",
             *(f"{k}: {v}" for k, v in info["env_vars"].items()),
             ""]
    return "\n".join(lines) + "\n"


def execute(args: argparse.Namespace) -> int:
    from kernel import reporting
    from kernel.config import get_config

    config = get_config()
    if args.base:
        reporting.render({"root_prefix": config.root_prefix} if config.json
                         else config.root_prefix)
        return 0
    if config.json and args.envs:  # conda: only the environments
        from plugins.environment.known_envs import envs_details, known_envs

        envs = known_envs(config)
        reporting.envs_list(envs, details=envs_details(envs, config))
        return 0
    info = masked(info_dict(config))  # CONDA_CHANNELS=.../t/<token>/... stays private
    if config.json:
        reporting.render(info)
        return 0
    show_all = args.all
    if show_all or not (args.envs or args.system):
        reporting.detail_view(summary_view(info))
    if show_all or args.envs:
        reporting.envs_list(info["envs"])
    if show_all or args.system:
        reporting.render(system_text(info))
    return 0


@hookimpl
def conda_subcommands() -> Iterator[CondaSubcommand]:
    yield CondaSubcommand(name="info", summary=SUMMARY, action=execute,
                          configure_parser=configure_parser)
