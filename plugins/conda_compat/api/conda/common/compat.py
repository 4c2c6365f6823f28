"""``conda.common.compat``: platform flags."""

from __future__ import annotations

import sys

from plugins.conda_compat.missing import missing_attributes

on_win = sys.platform == "win32"
on_mac = sys.platform == "darwin"
on_linux = sys.platform.startswith("linux")
encode_for_env_var = str

__getattr__ = missing_attributes(__name__)
