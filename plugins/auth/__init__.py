"""Built-in channel authentication handlers (``http-basic``, ``token``).

Each handler is its own plugin module with its own entry point; this package holds only
:func:`setting`, how a handler reads one of its knobs: the channel's ``channel_settings``
entry first (``{channel: NAME, auth: token, token_env: MY_TOKEN}``), then the plugin
setting under ``plugins:`` in condarc / ``CONDA_PLUGINS_<NAME>``, then the default.
"""

from __future__ import annotations

from typing import Any


def setting(channel_name: str, key: str, plugin_key: str, default: Any = None) -> Any:
    from kernel.config import get_config
    from kernel.session import channel_settings_for

    entry = channel_settings_for(channel_name)
    if entry.get(key) not in (None, ""):
        return entry[key]
    value = getattr(get_config().plugins, plugin_key, None) if _bound(plugin_key) else None
    return default if value in (None, "") else value


def _bound(plugin_key: str) -> bool:
    from kernel.config import get_config

    try:
        return plugin_key in get_config().plugins.as_dict()
    except AttributeError:
        return False
