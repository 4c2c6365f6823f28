"""An installed prefix as an environment object, for the exporters.

As conda's ``from_environment``: every installed package as ``name=version=build``
(``name=version`` with ``--no-builds``), sorted by name, or with ``--from-history`` only
the specs the user asked for (``conda-meta/history``). Channels are ``-c`` then the
configured ones, with each package's channel put first unless ``--ignore-channels``.
``explicit_packages`` always holds every installed record (what the explicit and
requirements formats write); pip-installed packages found by ``conda_prefix_data_loaders``
become a ``pip:`` list; variables come from ``conda-meta/state``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any


def env_name_for(prefix: str, config: Any, name: str | None) -> str:
    if name:
        return name
    norm = os.path.normcase(os.path.normpath(prefix))
    if norm == os.path.normcase(os.path.normpath(config.root_prefix)):
        return "base"
    return os.path.basename(os.path.normpath(prefix))


def _pip_entries(prefix: str, installed: dict[str, Any]) -> list[str]:
    from kernel.manager import get_plugin_manager

    found: dict[str, Any] = {}
    for loader in get_plugin_manager().hook_results("conda_prefix_data_loaders"):
        found.update(loader.loader(prefix, dict(installed)) or {})
    entries = []
    for name in sorted(found):
        record = found[name]
        data = record if isinstance(record, dict) else getattr(record, "__dict__", {})
        if name in installed:
            continue
        version = data.get("version") if isinstance(data, dict) else None
        entries.append(f"{name}=={version}" if version else str(name))
    return entries


def environment_from_prefix(prefix: str, *, name: str | None = None,
                            from_history: bool = False, no_builds: bool = False,
                            ignore_channels: bool = False,
                            extra_channels: Sequence[str] = (),
                            override_channels: bool = False) -> Any:
    from kernel.config import get_config
    from plugins.env_files.model import Environment
    from plugins.environment.plan_display import channel_parts
    from plugins.prefix import PrefixData
    from plugins.subcommands.env.state import env_vars

    config = get_config()
    data = PrefixData(prefix)
    raw = data.raw_records()
    records = [raw[n] for n in sorted(raw)]
    channels = list(dict.fromkeys([*extra_channels,
                                   *(() if override_channels else config.channels)]))
    if from_history:
        requested = list(data.requested_specs_map().values())
    else:
        requested = [f"{r['name']}={r['version']}" if no_builds
                     else f"{r['name']}={r['version']}={r['build']}" for r in records]
        if not ignore_channels:
            for record in records:
                canonical = channel_parts(record)[0]
                if canonical not in channels and canonical != "<unknown>":
                    channels.insert(0, canonical)
    pip = [] if from_history else _pip_entries(prefix, raw)
    return Environment(name=env_name_for(prefix, config, name), prefix=prefix,
                       platform=str(config.subdir), channels=channels,
                       requested_packages=requested, explicit_packages=records,
                       external_packages={"pip": pip} if pip else {},
                       variables=env_vars(prefix))
