"""``conda.reporters``: ``get_spinner`` and ``confirm_yn`` through microconda's reporter."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from plugins.conda_compat.missing import missing_attributes

__all__ = ["confirm_yn", "get_spinner"]


def get_spinner(message: str, fail_message: str = "failed\n") -> AbstractContextManager[Any]:
    from kernel import reporting

    return reporting.spinner(message)


def confirm_yn(message: str = "Proceed", default: str = "yes", dry_run: Any = None) -> bool:
    from kernel import reporting

    reporting.confirm(message, dry_run=dry_run)
    return True


__getattr__ = missing_attributes(__name__)
