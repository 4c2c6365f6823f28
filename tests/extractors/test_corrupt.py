"""Corrupt and malformed archives of each format: one clear error, nothing left behind."""

from __future__ import annotations

import bz2
import io
import tarfile
import zipfile

import pytest

from tests.extractors.archives import (
    INDEX,
    Entry,
    info_entries,
    tar_bytes,
    write_conda,
    write_tar_bz2,
    zst,
)

CORRUPT = "the archive is corrupt or truncated"


def _three_files() -> bytes:
    return tar_bytes([*info_entries(), Entry("a", data=b"1" * 600), Entry("b", data=b"2"),
                      Entry("c", data=b"3")])


def _bad_second_header(tar: bytes) -> bytes:
    """Break the checksum of the header after the first file member."""
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        offsets = [m.offset for m in archive.getmembers()]
    data = bytearray(tar)
    data[offsets[-2] + 148: offsets[-2] + 156] = b"0000000\0"
    return bytes(data)


# -- .tar.bz2 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("content,match", [
    (b"", CORRUPT),
    (b"not_a_valid_bz2\n", CORRUPT),
    (tar_bytes([Entry("a", data=b"x")]), CORRUPT),  # an uncompressed tar
    (bz2.compress(b"plain text, not a tar"), CORRUPT),
])
def test_tar_bz2_that_is_not_one(content, match, extractors, sandbox):
    archive = sandbox.archives / "pkg-1.0-0.tar.bz2"
    archive.write_bytes(content)
    sandbox.refused(extractors[".tar.bz2"], archive, match)


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, -20])
def test_truncated_tar_bz2(keep, extractors, sandbox):
    whole = bz2.compress(_three_files() + b"\0" * 20000)
    cut = int(len(whole) * keep) if keep > 0 else len(whole) + int(keep)
    archive = sandbox.archives / "pkg-1.0-0.tar.bz2"
    archive.write_bytes(whole[:cut])
    sandbox.refused(extractors[".tar.bz2"], archive, CORRUPT)


def test_truncated_real_tar_bz2(shared_data, extractors, sandbox):
    data = (shared_data / "conda-package-handling/tests/data/mock-2.0.0-py37_1000.tar.bz2"
            ).read_bytes()
    archive = sandbox.archives / "mock-2.0.0-py37_1000.tar.bz2"
    archive.write_bytes(data[: len(data) * 2 // 3])
    sandbox.refused(extractors[".tar.bz2"], archive, CORRUPT)


def test_tar_cut_in_the_middle_of_a_member(fmt, extract, sandbox):
    tar = tar_bytes([Entry("a", data=b"1" * 600), Entry("b", data=b"2" * 3000)])
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        cut = archive.getmember("b").offset_data + 1000
    path = sandbox.archives / f"pkg-1.0-0{fmt}"
    if fmt == ".conda":
        write_conda(path, tar[:cut])
    else:
        write_tar_bz2(path, tar_bytes(info_entries())[:1536] + tar[:cut])
    sandbox.refused(extract, path, "unexpected end of data")


def test_bad_header_in_the_middle_is_not_taken_for_the_end(fmt, extract, sandbox):
    tar = _bad_second_header(tar_bytes([Entry("a", data=b"1"), Entry("b", data=b"2"),
                                        Entry("c", data=b"3")]))
    path = sandbox.archives / f"pkg-1.0-0{fmt}"
    if fmt == ".conda":
        write_conda(path, tar)
    else:
        write_tar_bz2(path, tar_bytes(info_entries())[:1536] + tar)
    sandbox.refused(extract, path, "bad tar header")


# -- .conda -----------------------------------------------------------------------------------


def _pkg() -> bytes:
    return tar_bytes([Entry("lib", "dir"), Entry("lib/a.txt", data=b"a")])


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 broken", b"garbage" * 100])
def test_conda_that_is_not_a_zip(content, extractors, sandbox):
    archive = sandbox.archives / "pkg-1.0-0.conda"
    archive.write_bytes(content)
    sandbox.refused(extractors[".conda"], archive, "not a valid .conda package: it is not a "
                                                   "readable zip")


def test_truncated_real_conda(shared_data, extractors, sandbox):
    data = (shared_data / "rattler/test-data/andes-1.8.3-pyhd8ed1ab_0.conda").read_bytes()
    archive = sandbox.archives / "andes-1.8.3-pyhd8ed1ab_0.conda"
    archive.write_bytes(data[: len(data) // 2])
    sandbox.refused(extractors[".conda"], archive, "not a readable zip")


@pytest.mark.parametrize("missing", ["pkg", "info"])
def test_conda_without_a_component(missing, extractors, sandbox):
    archive = sandbox.archives / "pkg-1.0-0.conda"
    write_conda(archive, None if missing == "pkg" else zst(_pkg()),
                None if missing == "info" else zst(tar_bytes(info_entries())), raw=True)
    sandbox.refused(extractors[".conda"], archive,
                    f"no top-level {missing}-*.tar.zst component")


def test_conda_with_nothing_but_metadata(extractors, sandbox):
    archive = write_conda(sandbox.archives / "pkg-1.0-0.conda", None, None, raw=True)
    sandbox.refused(extractors[".conda"], archive, "no top-level pkg-*.tar.zst component")


def test_conda_rezipped_inside_a_folder(extractors, sandbox):
    archive = sandbox.archives / "pkg-1.0-0.conda"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("pkg-1.0-0/metadata.json", b"{}")
        zf.writestr("pkg-1.0-0/info-pkg-1.0-0.tar.zst", zst(tar_bytes(info_entries())))
        zf.writestr("pkg-1.0-0/pkg-pkg-1.0-0.tar.zst", zst(_pkg()))
    sandbox.refused(extractors[".conda"], archive,
                    "(found 'pkg-1.0-0/pkg-pkg-1.0-0.tar.zst' inside a folder: was it re-zipped?)")


def test_conda_with_two_unmatched_pkg_components(extractors, sandbox):
    archive = write_conda(sandbox.archives / "renamed.conda", _pkg(), stem="pkg-1.0-0",
                          extra=[("pkg-other-2.0-0.tar.zst", zst(_pkg()))])
    sandbox.refused(extractors[".conda"], archive, "it has 2 pkg-*.tar.zst components, not one")


def test_conda_with_duplicate_component_entries(extractors, sandbox):
    archive = sandbox.archives / "pkg-1.0-0.conda"
    write_conda(archive, _pkg())
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(archive, "a") as zf:
        zf.writestr("pkg-pkg-1.0-0.tar.zst", zst(_pkg()))
    sandbox.refused(extractors[".conda"], archive, "it has 2 pkg-*.tar.zst components")


@pytest.mark.parametrize("component", [
    b"not zstd at all",
    zst(b"zstd, but not a tar inside" * 40),
    zst(_pkg())[:-7],  # a cut zstd frame
])
def test_conda_with_a_broken_component(component, extractors, sandbox):
    archive = write_conda(sandbox.archives / "pkg-1.0-0.conda", component,
                          zst(tar_bytes(info_entries())), raw=True)
    sandbox.refused(extractors[".conda"], archive, CORRUPT)


def test_conda_with_a_flipped_byte_in_a_stored_component(extractors, sandbox):
    archive = write_conda(sandbox.archives / "pkg-1.0-0.conda",
                          tar_bytes([Entry("f", data=bytes(range(256)) * 64)]))
    with zipfile.ZipFile(archive) as zf:
        entry = zf.getinfo("pkg-pkg-1.0-0.tar.zst")
    data = bytearray(archive.read_bytes())
    start = entry.header_offset + 30 + len(entry.filename) + len(entry.extra)
    data[start + entry.compress_size // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    sandbox.refused(extractors[".conda"], archive, CORRUPT)


# -- what is tolerated --------------------------------------------------------------------------


@pytest.mark.parametrize("metadata", [None, b"", b"{not json"])
def test_conda_metadata_json_is_not_required(metadata, extractors, sandbox):
    archive = write_conda(sandbox.archives / "pkg-1.0-0.conda", _pkg(), metadata=metadata)
    extractors[".conda"](str(archive), str(sandbox.dest))
    assert (sandbox.dest / "lib" / "a.txt").read_bytes() == b"a"


def test_renamed_conda_finds_its_only_components(extractors, sandbox):
    archive = write_conda(sandbox.archives / "download.conda", _pkg(), stem="pkg-1.0-0")
    extractors[".conda"](str(archive), str(sandbox.dest))
    assert (sandbox.dest / "info" / "index.json").read_bytes() == INDEX


def test_exact_component_name_wins_over_a_stray_one(extractors, sandbox):
    archive = write_conda(sandbox.archives / "pkg-1.0-0.conda", _pkg(),
                          extra=[("pkg-stray.tar.zst", b"ignored")])
    extractors[".conda"](str(archive), str(sandbox.dest))
    assert (sandbox.dest / "lib" / "a.txt").exists()


def test_tar_without_end_of_archive_blocks_is_accepted(extractors, sandbox):
    tar = _three_files()
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        last = archive.getmembers()[-1]
    end = last.offset_data + 512  # the last member's single data block, no end marker
    path = write_tar_bz2(sandbox.archives / "pkg-1.0-0.tar.bz2", tar[:end])
    extractors[".tar.bz2"](str(path), str(sandbox.dest))
    assert (sandbox.dest / "c").read_bytes() == b"3"


def test_missing_archive(fmt, extract, sandbox):
    sandbox.refused(extract, sandbox.archives / f"absent{fmt}", "no such file")
