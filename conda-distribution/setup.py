"""The version of the ``conda`` metadata distribution: the conda release microconda follows,
read from the one place it is defined (``CONDA_VERSION`` in ``kernel/__init__.py``)."""

import re
from pathlib import Path

from setuptools import setup

SOURCE = Path(__file__).resolve().parent.parent / "kernel" / "__init__.py"
VERSION = re.search(r'^CONDA_VERSION = "([^"]+)"', SOURCE.read_text(), re.M)

setup(version=VERSION.group(1) if VERSION else "0")
