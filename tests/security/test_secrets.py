"""Secrets never leak: a token channel and an HTTP Basic channel, every command, every file.

The channel is conda's test-recipes, served by a real HTTP server on 127.0.0.1 that refuses
the plain path: only ``/t/<token>/rec`` (or Basic credentials) gets anything. We run the
real ``conda`` through search, create, install, list, info and config (text, ``--json``
and ``-vvv``), make it fail with wrong credentials, then scan stdout, stderr and every file
under the prefix, the package cache (which holds the repodata cache) and HOME.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.security.conftest import (
    PASSWORD,
    SECRETS,
    TOKEN,
    USER,
    HostileServer,
    Result,
    World,
    leaks,
    one_clear_line,
)

pytestmark = pytest.mark.security


def _session(world: World, channel: str, env: dict[str, str]) -> list[Result]:
    """Every command a user runs against a private channel; each must succeed."""
    prefix = world.prefix()
    runs = [
        world.conda("search", "dependent", "-c", channel, "--override-channels", env=env),
        world.conda("search", "dependent", "-c", channel, "--override-channels", "--json",
                    env=env),
        world.conda("search", "dependent", "-c", channel, "--override-channels", "-i",
                    "-vvv", env=env),
        world.conda("create", "-p", prefix, "dependency=1.0", "-y", "-vvv", env=env),
        world.conda("install", "-p", prefix, "dependent", "-y", "--json", env=env),
        world.conda("install", "-p", prefix, "another_dependent", "-y", env=env),
        world.conda("list", "-p", prefix, env=env),
        world.conda("list", "-p", prefix, "--explicit", "--sha256", env=env),
        world.conda("list", "-p", prefix, "--json", env=env),
        world.conda("list", "-p", prefix, "--show-channel-urls", env=env),
        world.conda("list", "-p", prefix, "--canonical", env=env),
        world.conda("list", "-p", prefix, "--revisions", env=env),
        world.conda("info", env=env),
        world.conda("info", "--json", env=env),
        world.conda("info", "-a", env=env),
        world.conda("config", "--show", env=env),
        world.conda("config", "--show", "--json", env=env),
        world.conda("config", "--show-sources", env=env),
    ]
    for result in runs:
        assert result.code == 0, str(result)
    assert (prefix / "conda-meta").is_dir()
    assert any(p.name.startswith("another_dependent") for p in (prefix / "conda-meta").iterdir())
    return runs


def _scan_roots(world: World) -> tuple[Path, ...]:
    return (world.prefix(), world.pkgs, world.home, world.root / "root")


def test_token_channel_never_shows_its_token(world: World, server: HostileServer,
                                             recipes_on_server: Callable[[str], str]) -> None:
    plain = recipes_on_server("rec")
    server.token_only.add("/rec")
    server.url_tokens.add(TOKEN)
    channel = f"{server.url}/t/{TOKEN}/rec"
    world.write_condarc(channels=[channel], channel_settings=[
        {"channel": plain, "auth": "token", "token_in_url": True}])
    env = {"MICROCONDA_TOKEN": TOKEN}
    runs = _session(world, channel, env)
    # the server saw the token (the channel works) ...
    assert any(f"/t/{TOKEN}/rec/noarch/" in p and p.endswith(".conda") for p in server.paths())
    # ... and a wrong token fails with one clear line that does not echo it
    bad = "tk-WRONG-a7f3e91c"
    args = ("search", "dependent", "-c", f"{server.url}/t/{bad}/rec", "--override-channels")
    wrong = world.conda(*args, env={"MICROCONDA_TOKEN": bad})
    debug = world.conda(*args, "-vvv", env={"MICROCONDA_TOKEN": bad})
    line = one_clear_line(wrong)
    assert "401" in line and "<TOKEN>" in line, line
    assert debug.code == 1 and not leaks((bad,), wrong.text, debug.text)
    found = leaks(SECRETS, *(r.text for r in [*runs, wrong, debug]), roots=_scan_roots(world))
    assert not found, found


def test_basic_auth_channel_never_shows_its_password(
        world: World, server: HostileServer, recipes_on_server: Callable[[str], str]) -> None:
    plain = recipes_on_server("rec")
    server.basic["/rec"] = (USER, PASSWORD)
    channel = plain.replace("http://", f"http://{USER}:{PASSWORD}@")
    world.write_condarc(channels=[channel], channel_settings=[
        {"channel": plain, "auth": "http-basic"}])
    env = {"MICROCONDA_HTTP_USER": USER, "MICROCONDA_HTTP_PASSWORD": PASSWORD}
    runs = _session(world, channel, env)
    assert any(p.endswith(".conda") for p in server.paths())
    wrong_pw = "pw-WRONG-k2k9z"
    args = ("search", "dependent", "-c", plain.replace("http://", f"http://{USER}:{wrong_pw}@"),
            "--override-channels")
    bad_env = {"MICROCONDA_HTTP_USER": USER, "MICROCONDA_HTTP_PASSWORD": wrong_pw}
    wrong = world.conda(*args, env=bad_env)
    debug = world.conda(*args, "-vvv", env=bad_env)
    line = one_clear_line(wrong)
    assert "401" in line, line
    assert debug.code == 1 and not leaks((wrong_pw,), wrong.text, debug.text)
    found = leaks(SECRETS, *(r.text for r in [*runs, wrong, debug]), roots=_scan_roots(world))
    assert not found, found


def test_token_on_the_command_line_stays_out_of_the_prefix(
        world: World, server: HostileServer, recipes_on_server: Callable[[str], str]) -> None:
    """``-c .../t/<token>/...`` on the command line: history and records stay clean."""
    plain = recipes_on_server("rec")
    server.token_only.add("/rec")
    server.url_tokens.add(TOKEN)
    world.write_condarc(channel_settings=[
        {"channel": plain, "auth": "token", "token_in_url": True}])
    env = {"MICROCONDA_TOKEN": TOKEN}
    result = world.conda("create", "-p", world.prefix(), "dependency", "-y", "-c",
                         f"{server.url}/t/{TOKEN}/rec", "--override-channels", env=env)
    assert result.code == 0, str(result)
    history = world.prefix() / "conda-meta" / "history"
    found = leaks(SECRETS, result.text, roots=_scan_roots(world))
    assert found in ([], [str(history)]), found  # nothing but the history leaks
    assert not found, found


def test_missing_credentials_say_what_is_missing(
        world: World, server: HostileServer, recipes_on_server: Callable[[str], str]) -> None:
    plain = recipes_on_server("rec")
    server.basic["/rec"] = (USER, PASSWORD)
    world.write_condarc(channel_settings=[{"channel": plain, "auth": "http-basic"}])
    result = world.conda("search", "dependent", "-c", plain, "--override-channels")
    line = one_clear_line(result)
    assert "401" in line and "http-basic" in result.err, str(result)


def test_token_channel_installs_with_nothing_but_its_url(
        world: World, server: HostileServer, recipes_on_server: Callable[[str], str]) -> None:
    """anaconda.org private channels: the token is in the channel URL and the server wants it
    on every path (repodata, ``.zst``, packages); no ``channel_settings`` at all."""
    plain = recipes_on_server("rec")
    server.token_only.add("/rec")
    server.url_tokens.add(TOKEN)
    channel = f"{server.url}/t/{TOKEN}/rec"
    world.write_condarc(channels=[channel])
    prefix = world.prefix()
    created = world.conda("create", "-p", prefix, "dependent=2.0", "-y", "-vvv")
    assert created.code == 0, str(created)
    explicit = world.conda("list", "-p", prefix, "--explicit")
    assert explicit.code == 0, str(explicit)
    paths = server.paths()
    assert f"/t/{TOKEN}/rec/noarch/repodata.json.zst" in paths
    assert f"/t/{TOKEN}/rec/noarch/dependent-2.0-0.conda" in paths
    assert not [p for p in paths if not p.startswith("/t/")]  # nothing went without it
    # conda-meta holds the URL as conda writes it; list --explicit drops the token part
    meta = (prefix / "conda-meta" / "dependent-2.0-0.json").read_text()
    assert f'"url": "{server.url}/t/<TOKEN>/rec/noarch/dependent-2.0-0.conda"' in meta
    assert f'"channel": "{plain}/noarch"' in meta
    assert f"{plain}/noarch/dependent-2.0-0.conda" in explicit.out.splitlines()
    found = leaks(SECRETS, created.text, explicit.text, roots=(prefix,))
    assert not found, found


def test_password_channel_installs_with_nothing_but_its_url(
        world: World, server: HostileServer, recipes_on_server: Callable[[str], str]) -> None:
    plain = recipes_on_server("rec")
    server.basic["/rec"] = (USER, PASSWORD)
    world.write_condarc(channels=[plain.replace("http://", f"http://{USER}:{PASSWORD}@")])
    prefix = world.prefix()
    created = world.conda("create", "-p", prefix, "dependency=1.0", "-y")
    assert created.code == 0, str(created)
    assert "/rec/noarch/dependency-1.0-0.conda" in server.paths()
    meta = (prefix / "conda-meta" / "dependency-1.0-0.json").read_text()
    assert f'"url": "{plain}/noarch/dependency-1.0-0.conda"' in meta  # conda's remove_auth
    found = leaks(SECRETS, created.text, roots=(prefix, world.pkgs))
    assert not found, found


def test_token_url_in_an_explicit_file_stays_out_of_prefix_and_cache(
        world: World, server: HostileServer, recipes_on_server: Callable[[str], str]) -> None:
    plain = recipes_on_server("rec")
    server.token_only.add("/rec")
    server.url_tokens.add(TOKEN)
    spec = world.root / "explicit.txt"
    spec.write_text(f"@EXPLICIT\n{server.url}/t/{TOKEN}/rec/noarch/dependency-1.0-0.conda\n")
    prefix = world.prefix()
    created = world.conda("create", "-p", prefix, "--file", spec, "-y")
    assert created.code == 0, str(created)
    assert f"/t/{TOKEN}/rec/noarch/dependency-1.0-0.conda" in server.paths()
    meta = (prefix / "conda-meta" / "dependency-1.0-0.json").read_text()
    assert f'"url": "{server.url}/t/<TOKEN>/rec/noarch/dependency-1.0-0.conda"' in meta
    assert plain in meta
    found = leaks(SECRETS, created.text, roots=(prefix, world.pkgs))
    assert not found, found
