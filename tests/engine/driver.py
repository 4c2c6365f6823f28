"""Run one engine operation in a fresh process (crash and lock tests drive it).

``python -m tests.engine.driver transact SPEC.json``: recover the prefix, then execute the
transaction described by the JSON file (``prefix``, ``unlink``, ``link`` records,
``lock_timeout``). ``python -m tests.engine.driver hold PREFIX SECONDS``: hold the prefix
lock, print ``locked``, sleep. Exit codes: 0 done, 3 a CondaError (message on stderr).
"""

from __future__ import annotations

import json
import sys
import time


def main(argv: list[str]) -> int:
    from kernel.errors import CondaError
    from plugins.transaction import PrefixLock, Transaction, recover

    if argv[0] == "hold":
        with PrefixLock(argv[1]):
            print("locked", flush=True)
            time.sleep(float(argv[2]))
        return 0
    with open(argv[1]) as f:
        spec = json.load(f)
    try:
        recover(spec["prefix"])
        Transaction(spec["prefix"], spec.get("unlink", ()), spec.get("link", ()),
                    spec.get("specs", ()), (), spec.get("cmd", "driver"),
                    lock_timeout=spec.get("lock_timeout"), progress=False).execute()
    except CondaError as exc:
        print(f"CondaError: {exc}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
