"""Real packages from the shared data: extracted byte for byte; its hostile ones refused."""

from __future__ import annotations

import bz2
import io
import json
import os
import stat
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from plugins.extractors.safety import file_mode
from tests.extractors.archives import tree, wrap
from tests.extractors.conftest import Extract, Sandbox

#: (archive, package name, files and links outside info/ when known)
PACKAGES = [
    ("rattler/test-data/andes-1.8.3-pyhd8ed1ab_0.conda", "andes", 328),
    ("conda/tests/data/legacy_repodata/noarch/moto-1.3.7-py_0.tar.bz2", "moto", None),
    ("conda-package-handling/tests/data/mock-2.0.0-py37_1000.conda", "mock", None),
    ("conda-package-handling/tests/data/mock-2.0.0-py37_1000.tar.bz2", "mock", None),
    ("conda-adapter/src/test/resources-binary/CondaSliceITCase/snappy-1.1.3-0.tar.bz2",
     "snappy", 16),
    ("conda-adapter/src/test/resources-binary/7zip-19.00-h59b6b97_2.conda", "7zip", None),
    # the zlib builds of conda_format_repo whose .tar.bz2 (all) and .conda (windows) are sound
    ("conda/tests/data/conda_format_repo/linux-64/zlib-1.2.11-h7b6447c_3.tar.bz2", "zlib", None),
    ("conda/tests/data/conda_format_repo/osx-64/zlib-1.2.11-h1de35cc_3.tar.bz2", "zlib", None),
    ("conda/tests/data/conda_format_repo/win-64/zlib-1.2.11-h62dcd97_3.tar.bz2", "zlib", None),
    ("conda/tests/data/conda_format_repo/win-64/zlib-1.2.11-h62dcd97_3.conda", "zlib", None),
    ("conda/tests/data/conda_format_repo/win-32/zlib-1.2.11-h62dcd97_3.conda", "zlib", None),
]


def _ext(path: str) -> str:
    return ".conda" if path.endswith(".conda") else ".tar.bz2"


def _members(archive: Path) -> Iterator[tuple[tarfile.TarInfo, bytes | None]]:
    """The oracle: every member as plain tarfile reads it (no checks)."""
    from conda_package_streaming.package_streaming import zstd

    if archive.name.endswith(".tar.bz2"):
        tars = [bz2.decompress(archive.read_bytes())]
    else:
        with zipfile.ZipFile(archive) as zf:
            tars = [zstd.decompress(zf.read(n)) for n in zf.namelist() if n.endswith(".tar.zst")]
    for data in tars:
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            for info in tar:
                content = tar.extractfile(info).read() if info.isreg() else None  # type: ignore[union-attr]
                yield info, content


@pytest.mark.parametrize("path,name,payload", PACKAGES,
                         ids=[p[0].rsplit("/", 1)[1] for p in PACKAGES])
def test_real_package_is_extracted_exactly(path, name, payload, shared_data: Path,
                                           extractors: dict[str, Extract], sandbox: Sandbox):
    archive = shared_data / path
    extractors[_ext(path)](str(archive), str(sandbox.dest))
    umask = os.umask(0)
    os.umask(umask)
    files = 0
    for info, content in _members(archive):
        target = sandbox.dest / info.name
        st = os.lstat(target)
        if info.issym():
            assert os.readlink(target) == info.linkname
        elif info.isdir():
            assert stat.S_ISDIR(st.st_mode)
        else:
            assert stat.S_ISREG(st.st_mode)
            assert target.read_bytes() == content, info.name
            assert stat.S_IMODE(st.st_mode) == file_mode(info.mode) & ~umask, info.name
            assert int(st.st_mtime) == int(info.mtime)
        files += not info.isdir() and not info.name.startswith("info/")
    if payload is not None:
        assert files == payload
    index = json.loads((sandbox.dest / "info" / "index.json").read_text())
    assert index["name"] == name
    assert os.listdir(sandbox.cache) == [sandbox.dest.name]


def test_both_formats_of_mock_give_the_same_tree(shared_data, extractors, tmp_path):
    base = shared_data / "conda-package-handling/tests/data/mock-2.0.0-py37_1000"
    extractors[".conda"](f"{base}.conda", str(tmp_path / "a"))
    extractors[".tar.bz2"](f"{base}.tar.bz2", str(tmp_path / "b"))
    first, second = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert first == second and len(first) > 40


def test_snappy_keeps_its_library_symlinks_and_exec_bits(shared_data, extractors, tmp_path):
    archive = shared_data / PACKAGES[4][0]
    extractors[".tar.bz2"](str(archive), str(tmp_path / "snappy"))
    lib = tmp_path / "snappy" / "lib"
    assert os.readlink(lib / "libsnappy.so") == "libsnappy.so.1.3.0"
    assert (lib / "libsnappy.so").resolve() == (lib / "libsnappy.so.1.3.0")
    assert os.stat(lib / "libsnappy.so.1.3.0").st_mode & 0o100


@pytest.mark.security
@pytest.mark.parametrize("name,match", [
    ("absolute1", "is an absolute path"),
    ("absolute2", "is an absolute path"),
    ("dirsymlink", "member 'tmp' is a symlink to the absolute path '/tmp'"),
    ("dirsymlink2a", "member 'par' is a symlink to 'cur/..', outside the package"),
    ("dirsymlink2b", "member 'cur/par' would be written through the symlink 'cur'"),
    ("relative0", "member '../moo' has a '..' component"),
    ("relative2", "member 'tmp/../../moo' has a '..' component"),
    ("symlink", "member 'moo' is a symlink to the absolute path '/tmp/moo'"),
])
def test_conda_tar_traversal_suite_is_refused(name, match, fmt, extract, shared_data, sandbox):
    tar = (shared_data / "conda/tests/data/tar_traversal" / f"{name}.tar").read_bytes()
    archive = wrap(fmt, sandbox.archives, tar)
    moo = Path("/tmp/moo")
    before = os.lstat(moo) if os.path.lexists(moo) else None
    sandbox.refused(extract, archive, match)
    assert (os.lstat(moo) if os.path.lexists(moo) else None) == before


@pytest.mark.security
@pytest.mark.parametrize("path,match", [
    ("conda/tests/data/conda_format_repo/linux-64/zlib-1.2.11-h7b6447c_3.conda",
     "member 'lib/libz.so.1' is a symlink with an empty target"),
    ("conda/tests/data/conda_format_repo/osx-64/zlib-1.2.11-h1de35cc_3.conda",
     "member 'lib/libz.1.dylib' is a symlink with an empty target"),
    ("conda-index/tests/index_data/corrupt/noarch/another_bad_package.conda",
     "not a valid .conda package: it is not a readable zip"),
    ("conda-index/tests/index_data/corrupt/noarch/bad_package.tar.bz2",
     "the archive is corrupt or truncated"),
    ("rattler/crates/rattler_package_streaming/tests/resources/"
     "ca-certificates-2024.7.4-hbcca054_0.conda",
     "no top-level pkg-*.tar.zst component (found 'Users/"),
])
def test_broken_shared_packages_are_refused(path, match, shared_data, extractors, sandbox):
    sandbox.refused(extractors[_ext(path)], shared_data / path, match)
