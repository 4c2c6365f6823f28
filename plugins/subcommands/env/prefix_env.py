"""An installed prefix as an environment object, for the exporters.

As conda's ``from_environment``: every installed package as ``name=version=build``
(``name=version`` with ``--no-builds``), sorted by name, or with ``--from-history`` only
the specs the user asked for (``conda-meta/history``). Channels are ``-c`` then the
configured ones (none unless configured, as conda's ``context.channels``), after the
installed packages' channels in name order unless ``--ignore-channels``.
``explicit_packages`` always holds every installed record (what the explicit and
requirements formats write); pip-installed packages found by ``conda_prefix_data_loaders``
become a ``pip:`` list (``name==version``, not with ``--from-history``), and are never
among the conda packages; variables come from ``conda-meta/state``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def env_name_for(prefix: str, config: Any, name: str | None) -> str:
    """``name`` when given, else conda's ``env_name``: ``base``, the folder name of an
    environment inside an ``envs_dirs`` entry, else the whole prefix path."""
    from plugins.environment.known_envs import env_name

    return name or env_name(prefix, config) or prefix


def configured_channels(config: Any) -> list[str]:
    """The channels the user configured (conda's ``context.channels``): none unless a
    condarc, variable or flag set them; microconda's built-in ``defaults`` fallback for
    solving is not one of them, so an export never gains a ``defaults`` entry conda
    would not write."""
    if config.origin("channels") == "default":
        return []
    return [str(c) for c in config.channels or ()]


def environment_from_prefix(prefix: str, **options: Any) -> Any:
    """The environment of ``prefix`` (see :func:`prefix_environment` for ``options``)."""
    return prefix_environment(prefix, **options)[0]


def prefix_environment(prefix: str, *, name: str | None = None,
                       from_history: bool = False, no_builds: bool = False,
                       ignore_channels: bool = False,
                       extra_channels: Sequence[str] = (),
                       override_channels: bool = False) -> tuple[Any, list[str]]:
    """``(environment, pip packages as name==version)``: the list is there even with
    ``--from-history``, which leaves them out of the environment (conda warns of them)."""
    from kernel.config import get_config
    from plugins.env_files.model import Environment
    from plugins.environment.plan_display import channel_parts
    from plugins.prefix import PrefixData
    from plugins.subcommands.env.state import env_vars

    config = get_config()
    data = PrefixData(prefix, interoperability=True)
    records = data.conda_records()
    channels = [*extra_channels, *(() if override_channels else configured_channels(config))]
    pip = [f"{r['name']}=={r['version']}" for r in data.python_records()]
    if from_history:
        requested = list(data.requested_specs_map().values())
    else:
        requested = [f"{r['name']}={r['version']}" if no_builds
                     else f"{r['name']}={r['version']}={r['build']}" for r in records]
        if not ignore_channels:
            found = (channel_parts(r)[0] for r in records)
            channels = [c for c in found if c != "<unknown>"] + channels
    channels = list(dict.fromkeys(channels))
    return Environment(name=env_name_for(prefix, config, name), prefix=prefix,
                       platform=str(config.subdir), channels=channels,
                       requested_packages=requested, explicit_packages=records,
                       external_packages={"pip": pip} if pip and not from_history else {},
                       variables=env_vars(prefix)), pip
