"""The version of the ``conda`` metadata distribution: microconda's conda-compatible version,
read from the one place it is defined (``plugins/virtual_packages/conda.py``)."""

import re
from pathlib import Path

from setuptools import setup

SOURCE = Path(__file__).resolve().parent.parent / "plugins" / "virtual_packages" / "conda.py"
VERSION = re.search(r'^CONDA_COMPAT_VERSION = "([^"]+)"', SOURCE.read_text(), re.M)

setup(version=VERSION.group(1) if VERSION else "0")
