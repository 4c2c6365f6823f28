"""``conda.base.constants``: the constants conda plugins read, with conda's values."""

from __future__ import annotations

import sys

from kernel.models.channel_url import KNOWN_SUBDIRS
from plugins.conda_compat.missing import missing_attributes

APP_NAME = "conda"
ROOT_ENV_NAME = "base"
RESERVED_ENV_NAMES = ("base", "root")
DEFAULTS_CHANNEL_NAME = "defaults"
UNKNOWN_CHANNEL = "<unknown>"
PREFIX_MAGIC_FILE = "conda-meta/history"
PREFIX_STATE_FILE = "conda-meta/state"
PACKAGE_ENV_VARS_DIR = "etc/conda/env_vars.d"
CONDA_PACKAGE_EXTENSION_V1 = ".tar.bz2"
CONDA_PACKAGE_EXTENSION_V2 = ".conda"
CONDA_PACKAGE_EXTENSIONS = (CONDA_PACKAGE_EXTENSION_V2, CONDA_PACKAGE_EXTENSION_V1)
REPODATA_FN = "repodata.json"
PLATFORMS = tuple(s for s in KNOWN_SUBDIRS if s != "noarch")
PLATFORM_DIRECTORIES = KNOWN_SUBDIRS
COMPATIBLE_SHELLS: tuple[str, ...] = (
    ("bash", "cmd.exe", "fish", "tcsh", "xonsh", "zsh", "powershell")
    if sys.platform == "win32" else ("bash", "dash", "fish", "tcsh", "xonsh", "zsh",
                                     "powershell"))

__getattr__ = missing_attributes(__name__)
