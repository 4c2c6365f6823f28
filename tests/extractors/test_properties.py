"""Random archives of awkward names and links: whatever is extracted stays inside the
destination, and a refusal changes nothing at all."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from plugins.extractors import conda_format, tar_bz2
from plugins.extractors.safety import PackageExtractionError
from tests.extractors.archives import Entry, build, snapshot

pytestmark = pytest.mark.security

OUT = "{OUT}"  # replaced by the sentinel folder's absolute path
EXTRACT = {".conda": conda_format.extract, ".tar.bz2": tar_bz2.extract}

part = st.sampled_from(["a", "b", "lib", "..", ".", "", "c.txt"])
path = st.builds(lambda lead, parts: lead + "/".join(parts),
                 st.sampled_from(["", "", "", "./", "/", OUT + "/"]),
                 st.lists(part, min_size=1, max_size=4))
entry = st.builds(
    lambda name, kind, target, mode: Entry(name, kind, data=name.encode(), target=target,
                                           mode=mode),
    path, st.sampled_from(["file", "file", "dir", "symlink", "symlink", "hardlink"]), path,
    st.sampled_from([0o644, 0o755, 0o4755, 0o777]))


def _inside(path: str, root: str) -> bool:
    real = os.path.realpath(path)
    return real == root or real.startswith(root + os.sep)


@settings(max_examples=150, deadline=None, database=None)
@given(entries=st.lists(entry, min_size=1, max_size=6), fmt=st.sampled_from(sorted(EXTRACT)))
def test_random_archive_is_contained_or_refused(entries, fmt):
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        outside = base / "outside"
        outside.mkdir()
        (outside / "a").write_text("sentinel")
        for e in entries:
            e.name = e.name.replace(OUT, str(outside))
            e.target = e.target.replace(OUT, str(outside))
        archive = build(fmt, base / "archives", entries)
        (base / "cache").mkdir()
        dest = base / "cache" / "pkg-1.0-0"
        before = snapshot(base)
        try:
            EXTRACT[fmt](str(archive), str(dest))
        except PackageExtractionError as exc:
            event("refused")
            assert "\n" not in str(exc)
            assert snapshot(base) == before
            return
        event("extracted")
        root = os.path.realpath(dest)
        for here, dirs, files in os.walk(dest):
            for name in dirs + files:
                full = os.path.join(here, name)
                assert _inside(full, root), full
                mode = os.lstat(full).st_mode
                if not stat.S_ISLNK(mode):
                    assert not mode & (stat.S_ISUID | stat.S_ISGID | stat.S_IWOTH)
        after = snapshot(base)
        assert {k: v for k, v in after.items() if not k.startswith("cache")} == {
            k: v for k, v in before.items() if not k.startswith("cache")}
        assert os.listdir(base / "cache") == ["pkg-1.0-0"]
