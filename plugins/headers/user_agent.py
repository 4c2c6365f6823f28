"""The ``User-Agent`` header, built like conda's and naming microconda.

``conda/26.7.1 microconda/0.1.0 requests/2.32.3 CPython/3.12.4 Linux/6.8.0 ubuntu/24.04
glibc/2.39``: the conda release followed (``kernel.CONDA_VERSION``, what servers read), the
program, the HTTP library, the interpreter, the kernel and, where known, the distribution
and C library. Computed once per run, when the first session is built.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from kernel import hookimpl
from kernel.types import CondaRequestHeader


@cache
def user_agent() -> str:
    """The header value; every token is ``name/version``."""
    import requests

    from plugins.headers.agent import build_user_agent

    return build_user_agent(requests.__version__)


@hookimpl
def conda_session_headers(host: str) -> Iterator[CondaRequestHeader]:
    yield CondaRequestHeader(name="User-Agent", value=user_agent())
