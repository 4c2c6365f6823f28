"""Prefix data: what is installed in an environment, what the user asked for, its pins.

Public API (commands import it inside their actions)::

    from plugins.prefix import PrefixData, History, read_pinned
    from plugins.prefix import register_env, unregister_env, registered_environments
"""

from __future__ import annotations

from plugins.prefix.environments import (
    environments_txt,
    register_env,
    registered_environments,
    unregister_env,
)
from plugins.prefix.history import History, Revision, dist_str, parse_history
from plugins.prefix.pinned import read_pinned
from plugins.prefix.prefix_data import PrefixData, is_external, is_python_package
from plugins.prefix.records import CorruptedEnvironmentError, record_dict, record_filename

__all__ = ["CorruptedEnvironmentError", "History", "PrefixData", "Revision", "dist_str",
           "environments_txt", "is_external", "is_python_package", "parse_history",
           "read_pinned", "record_dict", "record_filename", "register_env",
           "registered_environments", "unregister_env"]
