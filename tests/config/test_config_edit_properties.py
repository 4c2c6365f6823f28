"""Property: any sequence of edits leaves a file the loader reads back as the edits say,
with the file's leading comment intact."""

from __future__ import annotations

import copy
import os
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kernel.config import load_config
from kernel.errors import ConfigurationError
from plugins.subcommands.config.edit import Editor
from plugins.subcommands.config.rcfile import RcFile

START = """\
# head comment
channels:  # mine
  - a
# between
offline: false  # eol
proxy_servers:
  http: http://p:1
"""

STARTS: dict[str, dict[str, Any]] = {
    START: {"channels": ["a"], "offline": False, "proxy_servers": {"http": "http://p:1"}},
    "# head comment\nchannels: [a]  # flow\noffline: false\n# tail\n": {
        "channels": ["a"], "offline": False},
    "# head comment\n# nothing set yet\n": {},
    "# head comment\nproxy_servers:  # proxies\n  http: http://p:1\n  # more later\n"
    "channels:\n- a\n- b  # b\n# trailing\n": {
        "channels": ["a", "b"], "proxy_servers": {"http": "http://p:1"}},
}
ITEMS = st.sampled_from(["a", "b", "c", "defaults"])
OPS = st.lists(st.one_of(
    st.tuples(st.just("add"), ITEMS, st.booleans()),
    st.tuples(st.just("remove"), ITEMS),
    st.tuples(st.just("set"), st.booleans()),
    st.tuples(st.just("verbosity"), st.integers(0, 3)),
    st.tuples(st.just("proxy"), st.sampled_from(["http", "https"]), st.sampled_from(["x", "y"])),
    st.tuples(st.just("drop"), st.sampled_from(["offline", "proxy_servers", "channels",
                                                 "verbosity"])),
), max_size=8)


def _refused(rc: RcFile, edit: Any, *args: str) -> None:
    """A refused edit raises and leaves the data as it was."""
    before = rc.render()
    try:
        edit(*args)
    except ConfigurationError:
        assert rc.render() == before
        return
    raise AssertionError(f"{edit.__name__}{args} should have been refused")


def _apply(editor: Editor, model: dict[str, Any], op: tuple[Any, ...]) -> None:
    kind = op[0]
    if kind == "add":
        _, item, prepend = op
        editor.add("channels", item, prepend=prepend)
        rest = [i for i in model.get("channels") or [] if i != item]
        model["channels"] = [item, *rest] if prepend else [*rest, item]
    elif kind == "remove":
        current = model.get("channels")
        items: list[str] = ["defaults"] if current is None else current
        if op[1] not in items:
            _refused(editor.rc, editor.remove, "channels", op[1])
            return
        editor.remove("channels", op[1])
        model["channels"] = [i for i in items if i != op[1]]
    elif kind == "set":
        editor.set("offline", "true" if op[1] else "false")
        model["offline"] = op[1]
    elif kind == "verbosity":
        editor.set("verbosity", str(op[1]))
        model["verbosity"] = op[1]
    elif kind == "proxy":
        editor.set(f"proxy_servers.{op[1]}", op[2])
        model.setdefault("proxy_servers", {})[op[1]] = op[2]
    elif op[1] in model:
        editor.remove_key(op[1])
        del model[op[1]]
    else:
        _refused(editor.rc, editor.remove_key, op[1])


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(STARTS)), OPS)
def test_edits_read_back_as_made(start: str, ops: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "condarc"
        path.write_text(start)
        model: dict[str, Any] = copy.deepcopy(STARTS[start])
        rc = RcFile(path)
        editor = Editor(rc, [], lambda line: None)
        for op in ops:
            _apply(editor, model, op)
        rc.write()
        text = path.read_text()
        assert text.startswith("# head comment\n")
        config = load_config({}, {**os.environ, "HOME": folder}, [path])
        assert config.channels == tuple(model.get("channels", ["defaults"]))
        assert config.offline is model.get("offline", False)
        assert config.proxy_servers == model.get("proxy_servers", {})
        assert config.verbosity == model.get("verbosity", 0)
        assert not config.warnings
