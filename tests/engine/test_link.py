"""Linking and unlinking packages built in the test, through the whole Transaction."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from plugins.prefix import History, PrefixData, registered_environments
from plugins.transaction import (
    COPY,
    HARDLINK,
    PREFIX_PLACEHOLDER,
    LinkSettings,
    PaddingError,
    Transaction,
    plan_transaction,
)
from tests.engine.pkgbuild import FileSpec, snapshot


def install(prefix: Path, *records, specs=(), **kwargs) -> Transaction:  # type: ignore[no-untyped-def]
    txn = Transaction(str(prefix), (), records, specs, (), "conda install test", **kwargs)
    txn.execute()
    return txn


def test_link_then_unlink_leaves_an_empty_environment(prefix: Path, make_package) -> None:
    rec = make_package("demo", files={"bin/tool": FileSpec(b"#!/bin/sh\necho hi\n",
                                                           executable=True),
                                      "share/demo/data.txt": b"data\n"})
    install(prefix, rec, specs=["demo"])
    assert (prefix / "bin/tool").read_bytes() == b"#!/bin/sh\necho hi\n"
    assert os.stat(prefix / "bin/tool").st_mode & stat.S_IXUSR
    meta = json.loads((prefix / "conda-meta/demo-1.0-0.json").read_text())
    assert meta["files"] == ["bin/tool", "share/demo/data.txt"]
    assert meta["requested_spec"] == "demo"
    assert meta["link"]["type"] == HARDLINK
    assert meta["paths_data"]["paths_version"] == 1
    entry = meta["paths_data"]["paths"][0]
    assert entry["sha256"] == entry["sha256_in_prefix"] and entry["size_in_bytes"] == 18
    assert str(prefix) in registered_environments()
    history = History(str(prefix)).revisions()
    assert history[-1].linked == ["local-test/linux-64::demo-1.0-0"]
    assert history[-1].update_specs == ["demo"]

    Transaction(str(prefix), [rec], (), (), ["demo"], "conda remove demo").execute()
    assert not (prefix / "bin").exists() and not (prefix / "share").exists()
    assert PrefixData(str(prefix)).raw_records() == {}
    revs = History(str(prefix)).revisions()
    assert revs[-1].unlinked == ["local-test/linux-64::demo-1.0-0"]
    assert revs[-1].remove_specs == ["demo"]
    assert sorted(os.listdir(prefix / "conda-meta")) == [".lock", "history"]
    assert str(prefix) not in registered_environments()


def test_copy_and_hardlink_share_or_not_the_inode(prefix: Path, make_package,
                                                  pkgs_dir: Path, tmp_path: Path) -> None:
    rec = make_package("demo", files={"a.txt": b"a\n"})
    install(prefix, rec)
    source = pkgs_dir / "demo-1.0-0" / "a.txt"
    assert os.stat(prefix / "a.txt").st_ino == os.stat(source).st_ino
    other = tmp_path / "copied"
    install(other, rec, settings=LinkSettings(always_copy=True))
    assert os.stat(other / "a.txt").st_ino != os.stat(source).st_ino
    assert json.loads((other / "conda-meta/demo-1.0-0.json").read_text())["link"]["type"] == COPY


def test_text_and_binary_placeholders_are_replaced(prefix: Path, make_package) -> None:
    long_placeholder = "/build/" + "_placehold" * 20
    binary = b"\x7fELF\0" + long_placeholder.encode() + b"/lib\0more\0" + b"tail"
    rec = make_package("pfx", files={
        "bin/script": FileSpec(f"#!{PREFIX_PLACEHOLDER}/bin/python\nP={PREFIX_PLACEHOLDER}\n"
                               .encode(), PREFIX_PLACEHOLDER, executable=True),
        "lib/libx.so": FileSpec(binary, long_placeholder, "binary"),
    })
    install(prefix, rec)
    text = (prefix / "bin/script").read_text()
    assert text == f"#!{prefix}/bin/python\nP={prefix}\n"
    assert os.access(prefix / "bin/script", os.X_OK)
    data = (prefix / "lib/libx.so").read_bytes()
    assert len(data) == len(binary)
    assert f"{prefix}/lib\0".encode() in data and data.endswith(b"more\0tail")
    meta = json.loads((prefix / "conda-meta/pfx-1.0-0.json").read_text())
    by_path = {p["_path"]: p for p in meta["paths_data"]["paths"]}
    assert by_path["lib/libx.so"]["file_mode"] == "binary"
    assert by_path["bin/script"]["sha256_in_prefix"] != by_path["bin/script"]["sha256"]


def test_a_binary_placeholder_too_short_is_refused_and_nothing_changes(
        prefix: Path, make_package, tmp_path: Path) -> None:
    rec = make_package("short", files={"lib/x.so": FileSpec(b"\0/opt/x\0", "/opt/x", "binary"),
                                       "a.txt": b"a"})
    with pytest.raises(PaddingError, match="longer than the package's build prefix"):
        install(prefix, rec)
    assert not prefix.exists()


def test_clobbered_file_is_restored_when_the_transaction_fails(
        prefix: Path, make_package) -> None:
    good = make_package("good", files={"shared.txt": b"from good\n"})
    install(prefix, good)
    before = snapshot(str(prefix))
    bad = make_package("bad", files={"shared.txt": b"from bad\n",
                                     "lib/x.so": FileSpec(b"\0/o\0", "/o", "binary")})
    with pytest.raises(PaddingError):
        install(prefix, bad)
    assert snapshot(str(prefix)) == before


def test_noarch_python_and_entry_points(prefix: Path, make_package) -> None:
    python = make_package("python", "3.11.7", "0", files={})
    lib = make_package("tool", "2.0", "py_0", noarch="python",
                       files={"site-packages/tool/__init__.py": b"def main():\n    return 0\n",
                              "python-scripts/helper": b"#!/bin/sh\n"},
                       entry_points=["tool = tool:main"])
    install(prefix, python, lib)
    assert (prefix / "lib/python3.11/site-packages/tool/__init__.py").is_file()
    assert (prefix / "bin/helper").is_file()
    script = (prefix / "bin/tool").read_text()
    assert script.startswith(f"#!{prefix}/bin/python\n") and "from tool import main" in script
    meta = json.loads((prefix / "conda-meta/tool-2.0-py_0.json").read_text())
    assert "bin/tool" in meta["files"]
    assert {"_path": "bin/tool", "path_type": "unix_python_entry_point"} in \
        meta["paths_data"]["paths"]
    # no python binary in this environment: .pyc compilation was skipped gracefully
    assert not any(f.endswith(".pyc") for f in meta["files"])


def test_noarch_python_is_compiled_with_the_environment_python(
        prefix: Path, make_package) -> None:
    import sys

    version = ".".join(map(str, sys.version_info[:3]))
    launcher = f'#!/bin/sh\nexec "{sys.executable}" "$@"\n'.encode()
    python = make_package("python", version, "0",
                          files={"bin/python": FileSpec(launcher, executable=True)})
    lib = make_package("tool", "2.0", "py_0", noarch="python",
                       files={"site-packages/tool/__init__.py": b"X = 1\n"})
    install(prefix, python, lib)
    tag = f"cpython-{sys.version_info[0]}{sys.version_info[1]}"
    mm = f"{sys.version_info[0]}.{sys.version_info[1]}"
    pyc = f"lib/python{mm}/site-packages/tool/__pycache__/__init__.{tag}.pyc"
    assert (prefix / pyc).is_file()
    meta = json.loads((prefix / "conda-meta/tool-2.0-py_0.json").read_text())
    assert pyc in meta["files"]
    Transaction(str(prefix), [lib], (), (), (), "remove").execute()
    assert not (prefix / f"lib/python{mm}").exists()


def test_python_minor_change_relinks_noarch_packages(prefix: Path, make_package) -> None:
    py310 = make_package("python", "3.10.0", "0")
    py311 = make_package("python", "3.11.0", "0")
    lib = make_package("tool", "2.0", "py_0", noarch="python",
                       files={"site-packages/tool.py": b"X = 1\n"})
    install(prefix, py310, lib)
    assert (prefix / "lib/python3.10/site-packages/tool.py").is_file()
    plan = plan_transaction(str(prefix), [py311, lib])
    assert [r["name"] for r in plan.unlink] == ["tool", "python"]
    assert [r["name"] for r in plan.link] == ["python", "tool"]
    Transaction(str(prefix), plan.unlink, plan.link, (), (), "update").execute()
    assert (prefix / "lib/python3.11/site-packages/tool.py").is_file()
    assert not (prefix / "lib/python3.10").exists()


def test_softlinks_in_packages_are_recreated(prefix: Path, make_package) -> None:
    rec = make_package("lnk", files={"lib/libz.so.1.2": b"real"},
                       symlinks={"lib/libz.so": "libz.so.1.2"})
    install(prefix, rec)
    assert os.readlink(prefix / "lib/libz.so") == "libz.so.1.2"
    assert (prefix / "lib/libz.so").read_bytes() == b"real"


def test_model_records_in_and_out(prefix: Path, make_package) -> None:
    models = pytest.importorskip("kernel.models")
    try:
        PackageRecord, PrefixRecord = models.PackageRecord, models.PrefixRecord
    except AttributeError:
        pytest.skip("kernel.models has no records yet")
    raw = make_package("modeled", files={"bin/m": b"m\n"}, depends=[])
    record = PackageRecord.from_json(raw)
    Transaction(str(prefix), (), [record], ["modeled >=1"], (), "install").execute()
    (installed,) = PrefixData(str(prefix)).records()
    assert isinstance(installed, PrefixRecord)
    assert installed.name == "modeled" and list(installed.files) == ["bin/m"]
    path = prefix / "conda-meta/modeled-1.0-0.json"
    assert json.loads(path.read_text()) == installed.to_json()  # exact round trip
    Transaction(str(prefix), [installed], (), (), ["modeled"], "remove").execute()
    assert not (prefix / "bin/m").exists()


class _Actions:
    def __init__(self, fail_pre: bool = False, fail_post: bool = False):
        self.seen: list[tuple[str, bool]] = []
        self.fail_pre, self.fail_post = fail_pre, fail_post

    def pre(self, txn: Transaction) -> None:
        self.seen.append(("pre", os.path.exists(os.path.join(txn.prefix, "a.txt"))))
        if self.fail_pre:
            raise RuntimeError("refused by policy")

    def post(self, txn: Transaction) -> None:
        self.seen.append(("post", os.path.exists(os.path.join(txn.prefix, "a.txt"))))
        if self.fail_post:
            raise RuntimeError("notifier down")

    def plugin(self):  # type: ignore[no-untyped-def]
        from kernel import hookimpl
        from kernel.types import CondaPostTransactionAction, CondaPreTransactionAction

        actions = self

        class Plugin:
            @hookimpl
            def conda_pre_transaction_actions(self):  # type: ignore[no-untyped-def]
                yield CondaPreTransactionAction(name="test-pre", action=actions.pre)

            @hookimpl
            def conda_post_transaction_actions(self):  # type: ignore[no-untyped-def]
                yield CondaPostTransactionAction(name="test-post", action=actions.post)

        return Plugin()


def test_transaction_actions_are_called_around(prefix: Path, make_package) -> None:
    import kernel.manager

    actions = _Actions()
    kernel.manager.get_plugin_manager().register(actions.plugin(), "test-actions")
    install(prefix, make_package("a", files={"a.txt": b"a"}))
    assert actions.seen == [("pre", False), ("post", True)]


def test_a_failing_pre_action_aborts_and_a_failing_post_action_is_reported(
        prefix: Path, make_package) -> None:
    import kernel.manager

    actions = _Actions(fail_pre=True)
    kernel.manager.get_plugin_manager().register(actions.plugin(), "test-actions")
    rec = make_package("a", files={"a.txt": b"a"})
    with pytest.raises(RuntimeError, match="refused by policy"):
        install(prefix, rec)
    assert not (prefix / "a.txt").exists()
    actions.fail_pre, actions.fail_post = False, True
    notices: list[str] = []
    install(prefix, rec, notice=notices.append)
    assert (prefix / "a.txt").exists()
    assert any("notifier down" in n for n in notices)


def test_hostile_paths_are_refused(prefix: Path, make_package, tmp_path: Path) -> None:
    from kernel.errors import PrefixError

    rec = make_package("evil", files={"ok.txt": b"x"})
    install(prefix, rec)
    record_path = prefix / "conda-meta/evil-1.0-0.json"
    data = json.loads(record_path.read_text())
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    data["files"].append("../victim.txt")
    record_path.write_text(json.dumps(data))
    notices: list[str] = []
    Transaction(str(prefix), [rec], (), notice=notices.append).execute()
    assert victim.read_text() == "keep me"
    assert any("leaves the prefix" in n for n in notices)
    from plugins.transaction.journal import check_short_path

    for bad in ("/etc/passwd", "a/../../b", "..", ""):
        with pytest.raises(PrefixError):
            check_short_path(bad)


def test_an_empty_create_makes_a_registered_environment(prefix: Path) -> None:
    Transaction(str(prefix), (), (), (), (), "conda create -p x").execute()
    assert (prefix / "conda-meta/history").read_text().startswith("==> ")
    assert str(prefix) in registered_environments()
