"""``auth: http-basic``: HTTP Basic credentials for a channel.

Credentials come from, in order: the channel URL (``https://user:pass@host/channel``), the
environment variables named by ``username_env`` / ``password_env`` (in the channel's
``channel_settings`` entry, else the ``auth_http_basic_username_env`` /
``auth_http_basic_password_env`` plugin settings), then ``~/.netrc`` (or ``$NETRC``).
The password is registered with :func:`kernel.session.register_secret` so no message
shows it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from kernel import hookimpl
from kernel.parameters import PrimitiveParameter
from kernel.types import CondaAuthHandler, CondaSetting

USER_ENV, PASSWORD_ENV = "MICROCONDA_HTTP_USER", "MICROCONDA_HTTP_PASSWORD"


@cache
def handler_class() -> type:
    import os

    from requests.auth import AuthBase, _basic_auth_str
    from requests.utils import get_auth_from_url, get_netrc_auth

    from kernel.session import register_secret
    from plugins.auth import setting

    class HTTPBasicAuth(AuthBase):
        def __init__(self, channel_name: str):
            self.channel_name = channel_name
            self.problem: str | None = None
            user_env = setting(channel_name, "username_env",
                               "auth_http_basic_username_env", USER_ENV)
            password_env = setting(channel_name, "password_env",
                                   "auth_http_basic_password_env", PASSWORD_ENV)
            self.sources = f"the URL, ${user_env}/${password_env} or ~/.netrc"
            self.env_auth = (os.environ.get(user_env), os.environ.get(password_env))

        def __call__(self, request: Any) -> Any:
            auth: Any = get_auth_from_url(request.url)
            if not any(auth):
                auth = self.env_auth if all(self.env_auth) else get_netrc_auth(request.url)
            if not auth or not all(auth):
                self.problem = f"found no credentials in {self.sources}"
                return request
            self.problem = None
            register_secret(auth[1])
            request.headers["Authorization"] = _basic_auth_str(auth[0], auth[1])
            return request

    return HTTPBasicAuth


@hookimpl
def conda_auth_handlers() -> Iterator[CondaAuthHandler]:
    yield CondaAuthHandler(name="http-basic", handler=handler_class())


@hookimpl
def conda_settings() -> Iterator[CondaSetting]:
    yield CondaSetting(name="auth_http_basic_username_env",
                       description="Environment variable holding the http-basic user name.",
                       parameter=PrimitiveParameter(USER_ENV, str))
    yield CondaSetting(name="auth_http_basic_password_env",
                       description="Environment variable holding the http-basic password.",
                       parameter=PrimitiveParameter(PASSWORD_ENV, str))
