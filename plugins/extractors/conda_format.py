"""The ``.conda`` package format: a zip holding ``pkg-<name>.tar.zst`` and
``info-<name>.tar.zst`` (and a ``metadata.json`` that real packages sometimes leave empty).

Each component is decompressed as a stream with the zstd module conda-package-streaming
uses and unpacked through the shared, checked loop in :mod:`plugins.extractors.unpack`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kernel import hookimpl
from kernel.types import CondaPackageExtractor

if TYPE_CHECKING:
    import zipfile

    from plugins.extractors.safety import Guard

EXTENSION = ".conda"
#: Extracted in this order, like conda-package-streaming.
COMPONENTS = ("pkg", "info")


def extract(source_archive: str | os.PathLike[str],
            destination_dir: str | os.PathLike[str]) -> None:
    """Unpack the ``.conda`` file ``source_archive`` into ``destination_dir``, atomically.

    Raises :class:`~plugins.extractors.safety.PackageExtractionError` (a ``CondaError``)
    naming the archive and the member when the package is hostile, corrupt or over a limit;
    ``destination_dir`` is then as it was before the call.
    """
    from plugins.extractors import unpack

    unpack.extract_atomically(source_archive, destination_dir, _fill)


def _fill(archive: str, root: str, guard: Guard) -> None:
    import zipfile

    from conda_package_streaming import package_streaming

    from plugins.extractors import safety, unpack

    zstd = package_streaming.zstd
    if zstd is None:
        raise guard.invalid("no zstd module is installed to read .conda packages")
    with open(archive, "rb") as fh:
        try:
            zf = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
            raise guard.invalid("not a valid .conda package: it is not a readable zip", exc)
        with zf:
            for info in _components(archive, zf, guard):
                limit = safety.MAX_TOTAL_BYTES + safety.MAX_METADATA_BYTES
                if info.file_size > limit:
                    raise guard.invalid(f"its component {info.filename!r} declares "
                                        f"{info.file_size} bytes, over the limit of {limit}")
                raw = unpack.guarded(guard, zf.open, info)
                with raw, zstd.open(raw, "rb") as stream:
                    unpack.unpack_tar(stream, root, guard)


def _components(archive: str, zf: zipfile.ZipFile, guard: Guard) -> Iterator[zipfile.ZipInfo]:
    """The zip entry of each component, preferring ``<kind>-<archive stem>.tar.zst``."""
    name = os.path.basename(archive)
    stem = name[: -len(EXTENSION)] if name.endswith(EXTENSION) else name
    entries = zf.infolist()
    for kind in COMPONENTS:
        exact = [e for e in entries if e.filename == f"{kind}-{stem}.tar.zst"]
        top = [e for e in entries if "/" not in e.filename
               and e.filename.startswith(f"{kind}-") and e.filename.endswith(".tar.zst")]
        chosen = exact or top
        if len(chosen) == 1:
            yield chosen[0]
            continue
        if chosen:
            raise guard.invalid(f"not a valid .conda package: it has {len(chosen)} "
                                f"{kind}-*.tar.zst components, not one")
        nested = [e.filename for e in entries
                  if e.filename.rpartition("/")[2].startswith(f"{kind}-")
                  and e.filename.endswith(".tar.zst")]
        hint = f" (found {nested[0]!r} inside a folder: was it re-zipped?)" if nested else ""
        raise guard.invalid(f"not a valid .conda package: it has no top-level "
                            f"{kind}-*.tar.zst component{hint}")


@hookimpl
def conda_package_extractors() -> Iterator[CondaPackageExtractor]:
    yield CondaPackageExtractor(name="conda", extensions=(EXTENSION,), extract=extract)
