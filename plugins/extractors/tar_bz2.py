"""The ``.tar.bz2`` package format: one bzip2-compressed tar holding ``info/`` and the
payload.

The archive is decompressed as a stream and unpacked through the shared, checked loop in
:mod:`plugins.extractors.unpack`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kernel import hookimpl
from kernel.types import CondaPackageExtractor

if TYPE_CHECKING:
    from plugins.extractors.safety import Guard

EXTENSION = ".tar.bz2"


def extract(source_archive: str | os.PathLike[str],
            destination_dir: str | os.PathLike[str]) -> None:
    """Unpack the ``.tar.bz2`` file ``source_archive`` into ``destination_dir``, atomically.

    Raises :class:`~plugins.extractors.safety.PackageExtractionError` (a ``CondaError``)
    naming the archive and the member when the package is hostile, corrupt or over a limit;
    ``destination_dir`` is then as it was before the call.
    """
    from plugins.extractors import unpack

    unpack.extract_atomically(source_archive, destination_dir, _fill)


def _fill(archive: str, root: str, guard: Guard) -> None:
    import bz2

    from plugins.extractors import unpack

    with open(archive, "rb") as fh, bz2.BZ2File(fh) as stream:
        unpack.unpack_tar(stream, root, guard)


@hookimpl
def conda_package_extractors() -> Iterator[CondaPackageExtractor]:
    yield CondaPackageExtractor(name="tar-bz2", extensions=(EXTENSION,), extract=extract)
