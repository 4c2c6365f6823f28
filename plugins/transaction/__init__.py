"""The transaction engine: plan, link and unlink packages in a prefix, crash-safely.

Public API (commands import it inside their actions)::

    from plugins.transaction import Transaction, plan_transaction, recover, PrefixLock

    recover(prefix)                                   # first, in every mutating command
    plan = plan_transaction(prefix, solve_result.records)
    txn = Transaction(prefix, plan.unlink, plan.link, requested_specs=specs,
                      command_line=sys.argv)
    txn.execute()                                     # never under --dry-run

Each name is imported from its module on first use, so ``--dry-run``, which only plans,
does not load the linking, journal and verification machinery.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.lazy_exports import lazy_attributes

if TYPE_CHECKING:
    from plugins.transaction.linking import COPY, HARDLINK, SOFTLINK
    from plugins.transaction.lock import PrefixLock
    from plugins.transaction.placeholders import (
        PREFIX_PLACEHOLDER,
        PaddingError,
        replace_prefix,
    )
    from plugins.transaction.plan import TransactionPlan, plan_transaction, toposort
    from plugins.transaction.recovery import needs_recovery, recover
    from plugins.transaction.scripts import LinkScriptError
    from plugins.transaction.transaction import LinkSettings, Transaction, TransactionResult
    from plugins.transaction.verify import ClobberError, SafetyError

#: public name -> the module (under this package) that defines it
_HOME = {"COPY": "linking", "HARDLINK": "linking", "SOFTLINK": "linking",
         "PrefixLock": "lock", "PREFIX_PLACEHOLDER": "placeholders",
         "PaddingError": "placeholders", "replace_prefix": "placeholders",
         "TransactionPlan": "plan", "plan_transaction": "plan", "toposort": "plan",
         "needs_recovery": "recovery", "recover": "recovery", "LinkScriptError": "scripts",
         "LinkSettings": "transaction", "Transaction": "transaction",
         "TransactionResult": "transaction", "ClobberError": "verify",
         "SafetyError": "verify"}

__all__ = ["COPY", "HARDLINK", "PREFIX_PLACEHOLDER", "SOFTLINK", "ClobberError",
           "LinkScriptError", "LinkSettings", "PaddingError", "PrefixLock", "SafetyError",
           "Transaction", "TransactionPlan",
           "TransactionResult", "needs_recovery", "plan_transaction", "recover",
           "replace_prefix", "toposort"]


__getattr__ = lazy_attributes(__name__, {name: "." + home for name, home in _HOME.items()})
