"""The http-basic and token auth handlers, chosen by channel_settings, on a real server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kernel.errors import ChannelError, NoProviderError
from kernel.session import get_session
from plugins.index.fetch import fetch
from tests.network.server import ChannelServer

USER, PASSWORD, TOKEN = "alice", "pa55-word-xyz", "tok-0123456789"
pytestmark = pytest.mark.security


def _serve(server: ChannelServer) -> str:
    path = server.root / "private" / "noarch" / "repodata.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"packages": {}}')
    return f"{server.url}/private/noarch"


def _fetch(url: str, config: Any, channel: str = "private") -> bytes | None:
    raw, _ = fetch(get_session(url, channel), url, {}, channel=channel, config=config)
    return raw


def _no_secret(text: str) -> None:
    for secret in (PASSWORD, TOKEN):
        assert secret not in text


def test_basic_from_url(server: ChannelServer, configure: Any) -> None:
    url = _serve(server)
    server.basic["/private/"] = (USER, PASSWORD)
    config = configure(channel_settings=[{"channel": "private", "auth": "http-basic"}])
    authed = url.replace("http://", f"http://{USER}:{PASSWORD}@")
    assert _fetch(authed, config) == b'{"packages": {}}'


def test_basic_from_env_named_in_settings(server: ChannelServer, configure: Any,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    url = _serve(server)
    server.basic["/private/"] = (USER, PASSWORD)
    monkeypatch.setenv("MY_USER", USER)
    monkeypatch.setenv("MY_PASS", PASSWORD)
    config = configure(channel_settings=[{"channel": f"{server.url}/private",
                                          "auth": "http-basic"}],
                       plugins={"auth_http_basic_username_env": "MY_USER",
                                "auth_http_basic_password_env": "MY_PASS"})
    assert _fetch(url, config, channel=f"{server.url}/private") == b'{"packages": {}}'


def test_basic_from_netrc(server: ChannelServer, configure: Any, tmp_path: Path,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    url = _serve(server)
    server.basic["/private/"] = (USER, PASSWORD)
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login {USER} password {PASSWORD}\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    config = configure(channel_settings=[{"channel": "priv*", "auth": "http-basic"}])
    assert _fetch(url, config) == b'{"packages": {}}'


def test_basic_wrong_or_missing_credentials(server: ChannelServer, configure: Any) -> None:
    url = _serve(server)
    server.basic["/private/"] = (USER, PASSWORD)
    config = configure(channel_settings=[{"channel": "private", "auth": "http-basic"}])
    with pytest.raises(ChannelError) as info:
        _fetch(url, config)
    message = str(info.value)
    assert "HTTP 401" in message and "channel private" in message
    assert "auth handler 'http-basic'" in message and "found no credentials" in message
    wrong = url.replace("http://", f"http://{USER}:{PASSWORD}x@")
    with pytest.raises(ChannelError) as info:
        _fetch(wrong, config)
    _no_secret(str(info.value))
    assert "***@" in str(info.value)


def test_401_without_a_handler_says_how_to_configure(server: ChannelServer,
                                                     configure: Any) -> None:
    url = _serve(server)
    server.basic["/private/"] = (USER, PASSWORD)
    config = configure()
    with pytest.raises(ChannelError, match="no auth handler is configured"):
        _fetch(url, config)


def test_bearer_token_from_env(server: ChannelServer, configure: Any,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    url = _serve(server)
    server.bearer["/private/"] = TOKEN
    monkeypatch.setenv("PRIVATE_TOKEN", TOKEN)
    config = configure(channel_settings=[{"channel": "private", "auth": "token",
                                          "token_env": "PRIVATE_TOKEN"}])
    assert _fetch(url, config) == b'{"packages": {}}'
    assert server.log[-1][1]["Authorization"] == f"Bearer {TOKEN}"


def test_bearer_token_from_file(server: ChannelServer, configure: Any, tmp_path: Path) -> None:
    url = _serve(server)
    server.bearer["/private/"] = TOKEN
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    config = configure(channel_settings=[{"channel": "private", "auth": "token"}],
                       plugins={"auth_token_file": str(token_file)})
    assert _fetch(url, config) == b'{"packages": {}}'


def test_token_missing_or_wrong(server: ChannelServer, configure: Any,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    url = _serve(server)
    server.bearer["/private/"] = TOKEN
    config = configure(channel_settings=[{"channel": "private", "auth": "token"}])
    with pytest.raises(ChannelError, match=r"HTTP 403.*auth handler 'token'.*no token in "
                                           r"\$MICROCONDA_TOKEN"):
        _fetch(url, config)
    monkeypatch.setenv("MICROCONDA_TOKEN", TOKEN + "-wrong")
    config = configure(channel_settings=[{"channel": "private", "auth": "token"}])
    with pytest.raises(ChannelError) as info:
        _fetch(url, config)
    _no_secret(str(info.value))


def test_token_in_url_form(server: ChannelServer, configure: Any) -> None:
    url = _serve(server)
    server.url_tokens.add(TOKEN)
    config = configure(channel_settings=[{"channel": "private", "auth": "token"}])
    with_token = url.replace(server.url, f"{server.url}/t/{TOKEN}")
    assert _fetch(with_token, config) == b'{"packages": {}}'
    bad = url.replace(server.url, f"{server.url}/t/{TOKEN}-bad")
    with pytest.raises(ChannelError) as info:
        _fetch(bad, config)
    assert "/t/<TOKEN>/private/noarch" in str(info.value)
    _no_secret(str(info.value))


def test_token_put_into_url(server: ChannelServer, configure: Any,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    url = _serve(server)
    server.url_tokens.add(TOKEN)
    monkeypatch.setenv("MICROCONDA_TOKEN", TOKEN)
    config = configure(channel_settings=[{"channel": "private", "auth": "token",
                                          "token_in_url": True}])
    assert _fetch(url, config) == b'{"packages": {}}'
    assert server.log[-1][0].startswith(f"/t/{TOKEN}/private/")


def test_unknown_handler(configure: Any) -> None:
    configure(channel_settings=[{"channel": "private", "auth": "kerberos"}])
    with pytest.raises(NoProviderError, match=r"no auth handler named 'kerberos'.*http-basic"):
        get_session("https://h.example/private/noarch", "private")
