"""A health check written the way conda's are: it prints marked lines."""

import os

from kernel import hookimpl
from kernel.types import CondaHealthCheck


def check(prefix, verbose):
    if os.path.exists(os.path.join(prefix, "DO-NOT-TOUCH")):
        print("❌ The prefix holds a DO-NOT-TOUCH file.")
    else:
        print("✅ No DO-NOT-TOUCH file.")


def fix(prefix, args):
    os.unlink(os.path.join(prefix, "DO-NOT-TOUCH"))
    return 0


@hookimpl
def conda_health_checks():
    yield CondaHealthCheck(name="do-not-touch", action=check, fixer=fix,
                           summary="No DO-NOT-TOUCH file in the prefix.",
                           fix="Delete the DO-NOT-TOUCH file.")
