"""kernel.session against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from kernel import hookimpl
from kernel.errors import ChannelError, PluginError
from kernel.session import get_session, redact_url, register_secret, strip_credentials
from kernel.types import CondaRequestHeader
from plugins.index.fetch import fetch
from tests.network.server import ChannelServer


def _serve(server: ChannelServer, rel: str = "ch/noarch/repodata.json",
           body: bytes = b'{"packages": {}}') -> str:
    path = server.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    return f"{server.url}/{rel}"


def test_user_agent_is_sent(server: ChannelServer, configure: Any) -> None:
    configure()
    url = _serve(server)
    assert get_session(url).get(url).status_code == 200
    agent = server.log[-1][1]["User-Agent"]
    from kernel import CONDA_VERSION, __version__

    # conda's first token with the conda release followed, then microconda's own version
    assert agent.startswith(f"conda/{CONDA_VERSION} microconda/{__version__} requests/")
    assert "CPython/" in agent


class Headers:
    def __init__(self, name: str = "X-Team"):
        self.name = name

    @hookimpl
    def conda_session_headers(self, host: str):
        yield CondaRequestHeader(name=self.name, value="data")

    @hookimpl
    def conda_request_headers(self, host: str, path: str):
        if path.endswith("repodata.json"):
            yield CondaRequestHeader(name="X-Repodata", value=host)


def test_plugin_headers(server: ChannelServer, configure: Any) -> None:
    from kernel.manager import get_plugin_manager

    configure()
    get_plugin_manager().register(Headers(), "headers")
    url = _serve(server)
    get_session(url).get(url)
    get_session(url).get(url.replace("repodata.json", "other"))
    first, second = server.log[-2][1], server.log[-1][1]
    assert first["X-Team"] == "data" and first["X-Repodata"] == "127.0.0.1"
    assert "X-Repodata" not in second


@pytest.mark.parametrize("name", ["Authorization", "cookie", "Host", "Content-Length"])
def test_forbidden_headers_name_the_plugin(server: ChannelServer, configure: Any,
                                           name: str) -> None:
    from kernel.manager import get_plugin_manager

    configure()
    get_plugin_manager().register(Headers(name), "evil-headers")
    with pytest.raises(PluginError, match=f"evil-headers.*'{name.lower()}'"):
        get_session(_serve(server))


def test_retries_500_twice_then_200(server: ChannelServer, configure: Any) -> None:
    config = configure()
    url = _serve(server)
    server.fail["/ch/noarch/repodata.json"] = [500, 503]
    raw, _state = fetch(get_session(url), url.rsplit("/", 1)[0], {}, channel="ch",
                       config=config)
    assert raw == b'{"packages": {}}'
    assert server.paths().count("/ch/noarch/repodata.json") == 3


def test_500_after_retries_is_one_line(server: ChannelServer, configure: Any) -> None:
    config = configure()
    url = _serve(server)
    server.fail["/ch/noarch/repodata.json"] = [500] * 5
    with pytest.raises(ChannelError) as info:
        fetch(get_session(url), url.rsplit("/", 1)[0], {}, channel="ch", config=config)
    assert "HTTP 500" in str(info.value) and "after 2 retries" in str(info.value)
    assert "\n" not in str(info.value)


def test_retry_after_is_honoured(server: ChannelServer, configure: Any) -> None:
    configure(remote_backoff_factor=0.0)
    url = _serve(server)
    server.fail["/ch/noarch/repodata.json"] = [503]
    server.retry_after = "1"
    start = time.monotonic()
    assert get_session(url).get(url).status_code == 200
    assert time.monotonic() - start >= 0.9


def test_read_timeout(server: ChannelServer, configure: Any) -> None:
    config = configure(remote_read_timeout_secs=0.2, remote_max_retries=1)
    url = _serve(server)
    server.slow["/ch/"] = 1.0
    start = time.monotonic()
    with pytest.raises(ChannelError, match=r"read timeout \(0.2 s\).*after 1 retries"):
        fetch(get_session(url), url.rsplit("/", 1)[0], {}, channel="ch", config=config)
    assert time.monotonic() - start < 2.5


def test_unreachable_host(configure: Any) -> None:
    import socket

    config = configure(remote_max_retries=1)
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://user:hunter22@127.0.0.1:{port}/t/tok-secret-1/ch/noarch"
    with pytest.raises(ChannelError) as info:
        fetch(get_session(url), url, {}, channel="ch", config=config)
    message = str(info.value)
    assert message.startswith("cannot reach http://***@127.0.0.1") and "refused" in message
    assert "hunter22" not in message and "tok-secret-1" not in message and "\n" not in message


def test_file_adapter(tmp_path: Path, configure: Any) -> None:
    configure()
    path = tmp_path / "repodata.json"
    path.write_text("{}")
    session = get_session(path.as_uri())
    ok = session.get(path.as_uri())
    assert ok.status_code == 200 and ok.content == b"{}"
    again = session.get(path.as_uri(), headers={"If-Modified-Since": ok.headers["Last-Modified"]})
    assert again.status_code == 304
    assert session.get((tmp_path / "missing").as_uri()).status_code == 404


def test_session_settings(configure: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ca = tmp_path / "ca.pem"
    configure(ssl_verify=str(ca), proxy_servers={"http": "http://proxy:3128"},
              client_ssl_cert="c.pem", client_ssl_cert_key="k.pem")
    session = get_session("https://example.invalid/x")
    assert session.verify == str(ca)
    assert session.proxies["http"] == "http://proxy:3128"
    assert session.cert == ("c.pem", "k.pem")
    adapter: Any = session.get_adapter("https://example.invalid/")
    assert adapter.max_retries.total == 2
    assert 500 in adapter.max_retries.status_forcelist
    assert adapter.default_timeout == (2.0, 5.0)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca))
    configure(ssl_verify=True)
    assert get_session("https://example.invalid/x").verify == str(ca)
    configure(ssl_verify=False)
    assert get_session("https://example.invalid/x").verify is False


def test_sessions_are_cached_per_host_and_auth(configure: Any) -> None:
    configure(channel_settings=[{"channel": "private", "auth": "token"}])
    a = get_session("https://a.example/x/noarch")
    assert get_session("https://a.example/y/noarch") is a
    assert get_session("https://b.example/x/noarch") is not a
    private = get_session("https://a.example/private/noarch", "private")
    assert private is not a and getattr(private, "conda_auth_name", None) == "token"


def test_offline_session_refuses_http(configure: Any) -> None:
    configure(offline=True)
    with pytest.raises(ChannelError, match="offline mode"):
        get_session("http://127.0.0.1:9/x").get("http://127.0.0.1:9/x")


def test_redact_url() -> None:
    assert redact_url("https://u:p4ss@host/t/abc-123/ch") == "https://***@host/t/<TOKEN>/ch"
    assert redact_url("see http://h/x?token=zzz&a=1 now") == "see http://h/x?token=***&a=1 now"
    register_secret("s3cr3t-value")
    assert redact_url("error: s3cr3t-value rejected") == "error: *** rejected"
    assert strip_credentials("https://u:p@h/t/tk/ch/noarch") == "https://h/ch/noarch"
