"""CEP 16 sharded repodata as bytes: the shard index, the shards, their URLs.

``<subdir>/repodata_shards.msgpack.zst`` is a zstd-compressed msgpack map
``{"version": 1, "info": {"base_url", "shards_base_url", "subdir", …}, "shards":
{name: sha256}}``; the shard of a name lives at ``<shards_base_url><sha256 hex>.msgpack.zst``
and holds ``{"packages": {fn: record}, "packages.conda": {fn: record}}`` (and ``removed``
when patched). The sha256 is that of the compressed shard file; records carry ``sha256`` and
``md5`` as raw bytes (conda-index's packing), turned back into hex here. Both ``base_url``
and ``shards_base_url`` may be relative to the index's URL, or absolute.

Every parse error is one :class:`ShardError` line naming the URL.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urljoin

from kernel.errors import ChannelError
from kernel.session import redact_url

SHARD_INDEX_FN = "repodata_shards.msgpack.zst"
SHARD_SUFFIX = ".msgpack.zst"
MAX_SHARD_BYTES = 256 << 20  # decompressed; far above any real shard
PACKAGE_KEYS = ("packages", "packages.conda")
_NAME_END = frozenset(" =<>!~[;,@(")


class ShardError(ChannelError):
    """A shard index or shard that cannot be used (corrupt, truncated, wrong hash, missing)."""


def _decompress(data: bytes, url: str, what: str) -> bytes:
    import zstandard

    try:
        reader = zstandard.ZstdDecompressor().decompressobj()
        out = reader.decompress(data)
    except zstandard.ZstdError as exc:
        raise ShardError(f"corrupt {what} {redact_url(url)}: not zstd data ({exc})",
                         url=redact_url(url)) from None
    if not reader.eof:
        raise ShardError(f"truncated {what} {redact_url(url)}: the zstd frame ends early "
                         f"({len(data)} bytes)", url=redact_url(url))
    if len(out) > MAX_SHARD_BYTES:
        raise ShardError(f"{what} {redact_url(url)} is larger than {MAX_SHARD_BYTES} bytes",
                         url=redact_url(url))
    return bytes(out)


def _unpack(data: bytes, url: str, what: str) -> dict[str, Any]:
    import msgpack

    try:
        value = msgpack.unpackb(data, raw=False, strict_map_key=False)
    except (ValueError, TypeError, msgpack.exceptions.FormatError,
            msgpack.exceptions.StackError) as exc:
        raise ShardError(f"corrupt {what} {redact_url(url)}: not msgpack "
                         f"({type(exc).__name__}: {exc})", url=redact_url(url)) from None
    if not isinstance(value, dict):
        raise ShardError(f"corrupt {what} {redact_url(url)}: not a msgpack map",
                         url=redact_url(url))
    return value


def _hex(value: Any) -> str | None:
    if isinstance(value, (bytes, bytearray)) and len(value) == 32:
        return bytes(value).hex()
    if isinstance(value, str) and len(value) == 64:
        try:
            bytes.fromhex(value)
        except ValueError:
            return None
        return value.lower()
    return None


def parse_index(data: bytes, url: str) -> tuple[dict[str, Any], dict[str, str]]:
    """``(info, {name: sha256 hex})`` of a shard index file's bytes."""
    index = _unpack(_decompress(data, url, "shard index"), url, "shard index")
    info, shards = index.get("info") or {}, index.get("shards")
    if not isinstance(info, dict) or not isinstance(shards, dict):
        raise ShardError(f"corrupt shard index {redact_url(url)}: no 'info' and 'shards' maps",
                         url=redact_url(url))
    found: dict[str, str] = {}
    for name, digest in shards.items():
        value = _hex(digest)
        if not isinstance(name, str) or value is None:
            raise ShardError(f"corrupt shard index {redact_url(url)}: the entry of "
                             f"{name!r} is not a sha256", url=redact_url(url))
        found[name] = value
    return info, found


def parse_shard(data: bytes, url: str, sha256: str) -> dict[str, Any]:
    """The shard map of a shard file's bytes, checked against the ``sha256`` it is named by."""
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ShardError(f"shard {redact_url(url)} does not match its sha256 "
                         f"(got {hashlib.sha256(data).hexdigest()})", url=redact_url(url))
    shard = _unpack(_decompress(data, url, "shard"), url, "shard")
    for key in PACKAGE_KEYS:
        table = shard.setdefault(key, {})
        if not isinstance(table, dict) or not all(isinstance(r, dict) for r in table.values()):
            raise ShardError(f"corrupt shard {redact_url(url)}: '{key}' is not a map of "
                             f"records", url=redact_url(url))
    return shard


def shard_records(shard: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """``[(fn, record), …]``: ``packages`` then ``packages.conda`` (repodata.json's order),
    hashes as hex, files named in ``removed`` left out."""
    removed = shard.get("removed") or ()
    removed = set(removed) if isinstance(removed, (list, tuple)) else set()
    out = []
    for key in PACKAGE_KEYS:
        for fn, record in shard[key].items():
            if fn in removed:
                continue
            for field in ("sha256", "md5"):
                value = record.get(field)
                if isinstance(value, (bytes, bytearray)):
                    record[field] = bytes(value).hex()
            out.append((fn, record))
    return out


def dependency_name(spec: str) -> str:
    """The package name a dependency spec names (``channel::``/``channel/subdir::`` cut)."""
    end = len(spec)
    for i, char in enumerate(spec):
        if char in _NAME_END:
            end = i
            break
    name = spec[:end]
    if "::" in name:
        name = name.rsplit("::", 1)[1]
    return name.lower()


def dependency_names(shard: dict[str, Any]) -> set[str]:
    """Every name the records of a shard depend on."""
    specs: set[str] = set()
    for key in PACKAGE_KEYS:
        for record in shard[key].values():
            depends = record.get("depends")
            if depends:
                specs.update(s for s in depends if isinstance(s, str))
    return {dependency_name(spec) for spec in specs} - {""}


def join_url(index_url: str, relative: str, *, folder: bool = False) -> str:
    """``relative`` (``""``, relative or absolute) resolved against the URL of the file that
    named it, ending in ``/``, as conda joins them; ``folder`` reads ``relative`` as a folder
    even without its trailing ``/`` (conda does so for ``shards_base_url``)."""
    if folder and relative and not relative.endswith("/"):
        relative += "/"
    if "://" in relative:
        joined = relative
    else:
        joined = urljoin(urljoin(index_url, relative), ".")
    return joined if joined.endswith("/") else joined + "/"


def pack_shard(shard: dict[str, Any]) -> tuple[bytes, str]:
    """``(compressed shard bytes, sha256 hex)`` with hashes packed as bytes, as conda-index
    writes them."""
    import msgpack
    import zstandard

    packed: dict[str, Any] = {}
    for key, value in shard.items():
        if key in PACKAGE_KEYS:
            value = {fn: _bytes_hashes(record) for fn, record in value.items()}
        packed[key] = value
    data = zstandard.ZstdCompressor(level=3).compress(msgpack.packb(packed, use_bin_type=True))
    return data, hashlib.sha256(data).hexdigest()


def _bytes_hashes(record: dict[str, Any]) -> dict[str, Any]:
    out = dict(record)
    for field in ("sha256", "md5"):
        value = out.get(field)
        if isinstance(value, str):
            try:
                out[field] = bytes.fromhex(value)
            except ValueError:
                pass
    return out


def pack_index(info: dict[str, Any], shards: dict[str, str]) -> bytes:
    import msgpack
    import zstandard

    index = {"version": 1, "info": info,
             "shards": {name: bytes.fromhex(digest) for name, digest in shards.items()}}
    return zstandard.ZstdCompressor(level=3).compress(msgpack.packb(index, use_bin_type=True))
