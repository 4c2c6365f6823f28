"""``conda.models.environment``: conda's experimental ``Environment`` and its config.

The same fields and checks as conda 26.x (a known platform, no duplicate packages, every
requested package among the explicit ones); :mod:`plugins.conda_compat.environments`
converts between this and microconda's environment model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plugins.conda_compat.missing import missing_attributes

__all__ = ["Environment", "EnvironmentConfig"]


@dataclass
class EnvironmentConfig:
    aggressive_update_packages: tuple[str, ...] = field(default_factory=tuple)
    channel_priority: Any = None
    channels: tuple[str, ...] = field(default_factory=tuple)
    channel_settings: tuple[dict[str, str], ...] = field(default_factory=tuple)
    deps_modifier: Any = None
    disallowed_packages: tuple[str, ...] = field(default_factory=tuple)
    pinned_packages: tuple[str, ...] = field(default_factory=tuple)
    repodata_fns: tuple[str, ...] = field(default_factory=tuple)
    sat_solver: Any = None
    solver: str | None = None
    track_features: tuple[str, ...] = field(default_factory=tuple)
    update_modifier: Any = None
    use_only_tar_bz2: bool | None = None

    @classmethod
    def from_context(cls) -> EnvironmentConfig:
        from conda.base.context import context

        return cls(channels=tuple(context.channels))


@dataclass
class Environment:
    platform: str
    config: EnvironmentConfig = field(default_factory=EnvironmentConfig)
    external_packages: dict[str, list[str]] = field(default_factory=dict)
    explicit_packages: list[Any] = field(default_factory=list)
    name: str | None = None
    prefix: str | None = None
    requested_packages: list[Any] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    virtual_packages: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        from conda.base.constants import PLATFORMS
        from conda.exceptions import CondaValueError

        if not self.platform:
            raise CondaValueError("'Environment' needs a 'platform'.")
        if self.platform not in PLATFORMS:
            raise CondaValueError(f"Invalid platform '{self.platform}'. Valid platforms are "
                                  f"{PLATFORMS}.")
        names = [p.name for p in self.explicit_packages]
        if len(set(names)) != len(names):
            raise CondaValueError("Duplicate packages found in 'explicit_packages'.")

    @classmethod
    def merge(cls, *environments: Environment) -> Environment:
        first = environments[0]
        packages: dict[str, Any] = {}
        requested: list[Any] = []
        for env in environments:
            packages.update((p.name, p) for p in env.explicit_packages)
            requested += [s for s in env.requested_packages if s not in requested]
        return cls(platform=first.platform, config=first.config, name=first.name,
                   prefix=first.prefix, explicit_packages=list(packages.values()),
                   requested_packages=requested)


__getattr__ = missing_attributes(__name__)
