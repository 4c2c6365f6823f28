"""``conda`` as microconda serves it to plugins written for conda (see :mod:`plugins.conda_compat`).

Only what plugins use is here, each name an adapter over microconda. ``__version__`` is the
conda release whose behaviour microconda follows. Any other attribute is an unsupported
conda API: asking for it raises a :class:`conda.exceptions.CondaError` naming the plugin.
"""

from __future__ import annotations

from kernel import CONDA_VERSION as __version__
from plugins.conda_compat.missing import missing_attributes

__all__ = ["CondaError", "CondaExitZero", "CondaMultiError", "__version__"]

_FROM_EXCEPTIONS = {"CondaError", "CondaExitZero", "CondaMultiError"}


def __getattr__(name: str) -> object:
    if name in _FROM_EXCEPTIONS:
        from conda import exceptions

        return getattr(exceptions, name)
    return _missing(name)


_missing = missing_attributes(__name__)
