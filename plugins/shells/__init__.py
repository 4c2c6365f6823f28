"""Shell integration: activation scripts, ``conda init`` blocks and ``conda run``.

:mod:`plugins.shells.activator` decides *what* changes (variables, ``PATH``, scripts); one
module per shell dialect says *how* to write it (quoting, templates, the hook that defines
the ``conda`` shell function). Nothing here is imported at plugin registration: the
``shell.*``, ``init``, ``run`` and ``activate`` commands import it when they run, and it
imports neither rich nor requests, so ``conda shell.bash activate`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from plugins.shells.dialect import Dialect

#: shell name -> module (under ``plugins.shells``) holding its ``DIALECT``
SHELLS = {
    "posix": "posix", "bash": "posix", "zsh": "posix", "dash": "posix", "ash": "posix",
    "csh": "csh", "tcsh": "csh",
    "fish": "fish",
    "xonsh": "xonsh",
    "powershell": "powershell", "pwsh": "powershell",
}


def get_dialect(shell: str) -> Dialect:
    """The dialect that writes scripts for ``shell`` (``bash``, ``fish``, ``tcsh``…)."""
    from kernel.errors import ArgumentError

    module = SHELLS.get(shell)
    if module is None:
        raise ArgumentError(f"{shell} is not a supported shell "
                            f"(supported: {', '.join(sorted(SHELLS))})")
    dialect: Dialect = importlib.import_module(f"plugins.shells.{module}").DIALECT
    return dialect.for_shell(shell)
