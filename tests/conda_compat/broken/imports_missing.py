"""A conda plugin that imports a conda module microconda does not provide."""

from conda.core.solve import Solver  # noqa: F401
from conda.plugins import hookimpl


@hookimpl
def conda_subcommands():
    return []
