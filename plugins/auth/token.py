"""``auth: token``: a bearer token, or anaconda.org's ``/t/<token>/`` URL form.

A channel URL that already holds ``/t/<token>/`` is sent as it is. Otherwise the token is
read from the environment variable named by ``token_env`` (default ``MICROCONDA_TOKEN``),
else from the file named by ``token_file``; both are read from the channel's
``channel_settings`` entry, else from the ``auth_token_env`` / ``auth_token_file`` plugin
settings. It is sent as ``Authorization: Bearer <token>``, or put into the URL as
``/t/<token>/`` when the entry says ``token_in_url: true``. The token is registered with
:func:`kernel.session.register_secret`, so no message shows it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from kernel import hookimpl
from kernel.parameters import PrimitiveParameter
from kernel.types import CondaAuthHandler, CondaSetting

TOKEN_ENV = "MICROCONDA_TOKEN"  # noqa: S105 - a variable name, not a secret
_URL_TOKEN = re.compile(r"/t/([^/]+)/")


def read_token(channel_name: str) -> tuple[str | None, str]:
    """The token for ``channel_name`` and where it was looked for (never the token)."""
    import os

    from plugins.auth import setting

    env = str(setting(channel_name, "token_env", "auth_token_env", TOKEN_ENV))
    path = setting(channel_name, "token_file", "auth_token_file")
    where = f"${env}" + (f" or {path}" if path else "")
    if os.environ.get(env, "").strip():
        return os.environ[env].strip(), where
    if path:
        try:
            with open(os.path.expanduser(str(path)), encoding="utf-8") as f:
                return f.read().strip() or None, where
        except OSError as exc:
            return None, f"{where} (unreadable: {exc.strerror})"
    return None, where


@cache
def handler_class() -> type:
    from urllib.parse import urlsplit, urlunsplit

    from requests.auth import AuthBase

    from kernel.session import register_secret
    from plugins.auth import setting

    class TokenAuth(AuthBase):
        def __init__(self, channel_name: str):
            self.channel_name = channel_name
            self.token, self.where = read_token(channel_name)
            register_secret(self.token)
            self.in_url = bool(setting(channel_name, "token_in_url", "", False))
            self.problem: str | None = None

        def __call__(self, request: Any) -> Any:
            found = _URL_TOKEN.search(urlsplit(request.url).path)
            if found:
                register_secret(found.group(1))
                return request
            if not self.token:
                self.problem = f"found no token in {self.where}"
                return request
            self.problem = None
            if self.in_url:
                parts = urlsplit(request.url)
                request.url = urlunsplit(parts._replace(path=f"/t/{self.token}{parts.path}"))
            else:
                request.headers["Authorization"] = f"Bearer {self.token}"
            return request

    return TokenAuth


@hookimpl
def conda_auth_handlers() -> Iterator[CondaAuthHandler]:
    yield CondaAuthHandler(name="token", handler=handler_class())


@hookimpl
def conda_settings() -> Iterator[CondaSetting]:
    yield CondaSetting(name="auth_token_env", description="Environment variable holding the "
                       "channel token.", parameter=PrimitiveParameter(TOKEN_ENV, str))
    yield CondaSetting(name="auth_token_file", description="File holding the channel token.",
                       parameter=PrimitiveParameter(None, str))
