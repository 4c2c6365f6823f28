"""Between microconda's environment model and conda's ``Environment``.

An exporter written for conda gets conda's ``Environment`` built from microconda's
(:mod:`plugins.env_files.model`): package records as ``conda.models.records`` objects,
requested packages as ``MatchSpec``. An environment specifier's ``env`` goes the other
way: its records become conda-meta-shaped dicts and its specs strings.
"""

from __future__ import annotations

from typing import Any

import attrs

from kernel.types import CondaEnvironmentSpecifier


@attrs.frozen
class NamedSpecifier(CondaEnvironmentSpecifier):  # type: ignore[misc]
    """microconda's record plus conda's ``default_filenames``, read first when detecting."""

    default_filenames: tuple[str, ...] = ()


def to_conda(environment: Any) -> Any:
    """conda's ``Environment`` for microconda's ``environment``."""
    from conda.models.environment import Environment, EnvironmentConfig
    from conda.models.match_spec import MatchSpec
    from conda.models.records import as_conda

    from kernel.config import get_config

    records = [as_conda(r) for r in environment.explicit_packages]
    return Environment(
        platform=environment.platform or str(get_config().subdir),
        config=EnvironmentConfig(channels=tuple(environment.channels)),
        external_packages={k: list(v) for k, v in environment.external_packages.items()},
        explicit_packages=records, name=environment.name, prefix=environment.prefix,
        requested_packages=[MatchSpec(s) for s in environment.requested_packages],
        variables=dict(environment.variables))


def from_conda(env: Any, filename: str | None = None) -> Any:
    """microconda's environment model for conda's ``env``."""
    from plugins.env_files.model import Environment

    return Environment(
        name=env.name, prefix=env.prefix, platform=env.platform,
        channels=[str(c) for c in getattr(env.config, "channels", ())],
        requested_packages=[str(s) for s in env.requested_packages],
        explicit_packages=[r.to_json() if hasattr(r, "to_json") else dict(r)
                           for r in env.explicit_packages],
        external_packages={k: list(v) for k, v in env.external_packages.items()},
        variables=dict(env.variables), filename=filename)


def export_function(record: Any) -> Any:
    """``export(environment) -> str`` for a conda ``CondaEnvironmentExporter``."""
    def export(environment: Any) -> str:
        env = to_conda(environment)
        if record.export is not None:
            return str(record.export(env))
        return str(record.multiplatform_export([env]))
    return export


class _Spec:
    """microconda's view of a conda ``EnvironmentSpecBase`` for one file."""

    def __init__(self, spec_class: type, filename: str, detect: bool):
        self._spec = spec_class(filename)
        self._filename = filename
        self._detect = detect

    def can_handle(self) -> bool:
        if not self._detect:
            return False
        try:
            return bool(self._spec.can_handle())
        except Exception:
            return False

    @property
    def env(self) -> Any:
        return from_conda(self._spec.env, self._filename)


def spec_function(record: Any) -> Any:
    """``environment_spec(filename)`` for a conda ``CondaEnvironmentSpecifier``."""
    detect = bool(getattr(record.environment_spec, "detection_supported", True))

    def make(filename: str) -> _Spec:
        return _Spec(record.environment_spec, filename, detect)
    return make
