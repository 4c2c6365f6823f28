"""Hostile metadata: repodata, conda-meta records, environment.yml, @EXPLICIT files and
.condarc that are truncated, wrongly typed, enormous, deeply nested or not UTF-8. Each is
a clear error naming the file (or URL), never a traceback, and the bad file is untouched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.engine.pkgbuild import build_package
from tests.security.conftest import HostileServer, World, one_clear_line

pytestmark = pytest.mark.security

DEEP = 100_000
BAD: dict[str, bytes] = {
    "truncated": b'{"info": {"subdir": "noarch"}, "packages": {"a-1-0.tar.bz2": {"na',
    "wrong-type": b'{"info": {"subdir": "noarch"}, "packages": [1, 2, 3]}',
    "wrong-record-type": b'{"info": {}, "packages": {"a-1-0.tar.bz2": {"name": 5, '
                         b'"version": [], "build": null, "depends": "x"}}}',
    "deeply-nested": b"[" * DEEP + b"]" * DEEP,
    "not-utf8": b'{"info": {"subdir": "noarch\xff\xfe"}, "packages": {}}',
    "not-an-object": b'"just a string"',
    "empty": b"",
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_hostile_repodata(world: World, server: HostileServer, kind: str) -> None:
    noarch = server.root / "bad" / "noarch"
    noarch.mkdir(parents=True)
    (noarch / "repodata.json").write_bytes(BAD[kind])
    world.write_condarc(repodata_use_zst=False)
    result = world.conda("search", "a", "-c", f"{server.url}/bad", "--override-channels")
    if result.code == 1 and "PackagesNotFoundError" in result.err:
        return  # a record that cannot be read is left out, as conda does
    line = one_clear_line(result)
    assert "repodata.json" in line or "bad/noarch" in line, line


def test_enormous_repodata_is_handled_in_bounded_time(world: World,
                                                      server: HostileServer) -> None:
    noarch = server.root / "big" / "noarch"
    noarch.mkdir(parents=True)
    filler = {f"p{i}-1.0-0.tar.bz2": {"name": f"p{i}", "version": "1.0", "build": "0",
                                      "build_number": 0, "depends": ["x " * 20],
                                      "subdir": "noarch"} for i in range(60_000)}
    (noarch / "repodata.json").write_text(json.dumps({"info": {"subdir": "noarch"},
                                                      "packages": filler}))
    world.write_condarc(repodata_use_zst=False)
    result = world.conda("search", "p59999", "-c", f"{server.url}/big",
                         "--override-channels", "--json", timeout=60)
    assert result.code == 0, str(result)
    assert list(result.json()) == ["p59999"]


RECORD_BAD: dict[str, bytes] = {
    "truncated": b'{"name": "honest", "version": "1.0", "bui',
    "wrong-type": b'["honest", "1.0", "0"]',
    "field-types": b'{"name": 1, "version": {"a": 1}, "build": [], "files": 7}',
    "deeply-nested": b"{\"a\": " * 50_000 + b"1" + b"}" * 50_000,
    "not-utf8": b'{"name": "hon\xffest", "version": "1.0", "build": "0"}',
}


@pytest.fixture
def honest_prefix(world: World, tmp_path: Path) -> Path:
    noarch = tmp_path / "chan" / "noarch"
    noarch.mkdir(parents=True)
    build_package(str(noarch), "honest", files={"share/h.txt": b"h\n"}, subdir="noarch")
    assert world.conda("index", tmp_path / "chan").code == 0
    world.write_condarc(channels=[(tmp_path / "chan").as_uri()])
    created = world.conda("create", "-p", world.prefix(), "honest", "-y")
    assert created.code == 0, str(created)
    return world.prefix()




@pytest.mark.parametrize("kind", sorted(RECORD_BAD))
def test_hostile_conda_meta_record(world: World, honest_prefix: Path, kind: str) -> None:
    record = honest_prefix / "conda-meta" / "honest-1.0-0.json"
    record.write_bytes(RECORD_BAD[kind])
    for args in (("list", "-p", honest_prefix), ("list", "-p", honest_prefix, "--json"),
                 ("list", "-p", honest_prefix, "--explicit")):
        result = world.conda(*args)
        if result.code == 0:
            continue  # a record that cannot be read may be skipped with a warning
        line = one_clear_line(result)
        assert "honest-1.0-0.json" in result.text, (kind, line)
    assert record.read_bytes() == RECORD_BAD[kind]  # never rewritten or deleted
    assert (honest_prefix / "share" / "h.txt").read_text() == "h\n"


SPEC_FILES: dict[str, bytes] = {
    "explicit-garbage": b"@EXPLICIT\nnot a url at all\n",
    "explicit-not-utf8": b"@EXPLICIT\nhttp://x/\xff\xfe/a-1-0.conda\n",
    "explicit-bad-url": b"@EXPLICIT\nfile:///nonexistent/noarch/a-1-0.conda\n",
    "specs-bad": b"honest >>>= 1\n",
    "specs-enormous-line": b"a" * 5_000_000 + b"\n",
    "specs-nested-brackets": b"honest[" * 20_000 + b"\n",
}


@pytest.mark.parametrize("kind", sorted(SPEC_FILES))
def test_hostile_spec_file(world: World, honest_prefix: Path, kind: str) -> None:
    path = world.root / f"{kind}.txt"
    path.write_bytes(SPEC_FILES[kind])
    before = sorted(p.name for p in (honest_prefix / "conda-meta").iterdir())
    result = world.conda("install", "-p", honest_prefix, "--file", path, "-y")
    one_clear_line(result)
    assert sorted(p.name for p in (honest_prefix / "conda-meta").iterdir()) == before


ENV_FILES: dict[str, bytes] = {
    "truncated": b"name: x\ndependencies:\n  - honest\n  - [unclosed",
    "wrong-type": b"name: [1, 2]\ndependencies: 5\n",
    "not-utf8": b"name: x\ndependencies:\n  - hon\xffest\n",
    "deeply-nested": b"dependencies: " + b"[" * 5000 + b"]" * 5000 + b"\n",
    "not-a-mapping": b"- just\n- a\n- list\n",
    "alias-bomb": b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a]\n"
                  b"c: &c [*b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c]\n"
                  b"e: &e [*d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e]\n"
                  b"dependencies: [*f]\n",
}


@pytest.mark.parametrize("kind", sorted(ENV_FILES))
def test_hostile_environment_yml(world: World, honest_prefix: Path, kind: str) -> None:
    path = world.root / "environment.yml"
    path.write_bytes(ENV_FILES[kind])
    result = world.conda("env", "create", "-p", world.prefix("new"), "-f", path, "-y",
                         timeout=60)
    line = one_clear_line(result)
    assert "environment.yml" in result.err or "environment" in line, line
    assert not world.prefix("new").exists()
    assert path.read_bytes() == ENV_FILES[kind]


CONDARC: dict[str, bytes] = {
    "truncated": b"channels:\n  - a\n  - [b",
    "wrong-type": b"channels: 5\nremote_max_retries: many\n",
    "not-utf8": b"channels:\n  - \xff\xfe\n",
    "deeply-nested": b"channels: " + b"[" * 5000 + b"]" * 5000 + b"\n",
    "enormous": b"channels:\n" + b"".join(b"  - c%d\n" % i for i in range(20_000)),
    "not-a-mapping": b"- a\n- b\n",
    "tab-indent": b"channels:\n\t- a\n",
}


@pytest.mark.parametrize("kind", sorted(CONDARC))
@pytest.mark.parametrize("command", [("config", "--show"), ("info",), ("list", "-p", "x")])
def test_hostile_condarc(world: World, kind: str, command: tuple[str, ...]) -> None:
    world.condarc.write_bytes(CONDARC[kind])
    args = tuple(str(world.prefix()) if a == "x" else a for a in command)
    result = world.conda(*args, timeout=60)
    assert "Traceback" not in result.text, str(result)
    if result.code != 0:
        line = one_clear_line(result)
        assert str(world.condarc) in result.err or "condarc" in line, line
    assert world.condarc.read_bytes() == CONDARC[kind]


