"""Properties of the loader: whatever a condarc holds, the answer is a Config or one
ConfigurationError, never another exception."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kernel.config import load_config
from kernel.errors import ConfigurationError
from kernel.settings import SETTINGS
from tests.config.test_loader import SETTINGS as PLUGIN_SETTINGS

YAMLISH = st.sampled_from([
    *"abc:-[]{}!&*?|>'\"#%@`,.0123\\\t\n ", "channels", "offline", "proxy_servers", "plugins",
    "greeting", "retries", "!!", "!!float", "!!binary", "!!python/name:os.system", "&a", "*a",
    "<<", "yes", "null", "~", ".nan", "#!final", "\x00", "\ufeff", "\u2028", "\U0001f600",
])
TEXTS = st.one_of(st.text(max_size=200), st.lists(YAMLISH, max_size=60).map("".join))

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**20), st.floats(),
                    st.text(max_size=20))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)
KEYS = st.one_of(st.sampled_from([*SETTINGS, "plugins", "auto_activate_base"]),
                 st.text(max_size=10))
DOCUMENTS = st.dictionaries(KEYS, VALUES, max_size=8)


def _dump(document: dict[str, Any]) -> str:
    from ruamel.yaml import YAML

    buffer = io.StringIO()
    YAML(typ="rt", pure=True).dump(document, buffer)
    return buffer.getvalue()


def _check(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "condarc"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        env = {**os.environ, "HOME": folder}
        try:
            config = load_config({}, env, [path])
            config.bind_plugin_settings(PLUGIN_SETTINGS)
        except ConfigurationError as exc:
            assert str(exc) and "\n" not in str(exc).split(": ", 1)[0]
            return
        values = config.as_dict()
        assert set(SETTINGS) <= set(values)
        assert all(isinstance(w, str) for w in config.warnings)
        lenient = load_config({}, env, [path], strict=False)
        assert not lenient.errors


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(TEXTS)
def test_any_text_gives_a_config_or_a_configuration_error(text: str) -> None:
    _check(text)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(DOCUMENTS)
def test_any_yaml_document_gives_a_config_or_a_configuration_error(
        document: dict[str, Any]) -> None:
    _check(_dump(document))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(SETTINGS)), st.text(max_size=30), max_size=6))
def test_any_env_strings_give_a_config_or_a_configuration_error(
        variables: dict[str, str]) -> None:
    env = {**os.environ, **{f"CONDA_{k.upper()}": v.replace("\x00", "") for k, v in
                            variables.items()}}
    try:
        config = load_config({}, env, [])
    except ConfigurationError as exc:
        assert "environment: invalid value for 'CONDA_" in str(exc)
        return
    assert set(SETTINGS) <= set(config.as_dict())
