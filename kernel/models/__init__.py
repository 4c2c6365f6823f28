"""The shared vocabulary: versions, version specs, match specs, package records, channels.

Importing this package is free; each name loads its module on first use::

    from kernel.models import MatchSpec, PackageRecord, VersionOrder
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.lazy_exports import lazy_attributes

if TYPE_CHECKING:
    from kernel.models.cache_record import PackageCacheRecord
    from kernel.models.channel import Channel, MultiChannel
    from kernel.models.channel_context import (
        ChannelContext,
        get_channel_context,
        set_channel_context,
    )
    from kernel.models.matchspec import MatchSpec
    from kernel.models.prefix_record import Link, PathEntry, PathsData, PrefixRecord
    from kernel.models.records import PackageRecord
    from kernel.models.version import (
        BuildNumberMatch,
        VersionOrder,
        VersionSpec,
        normalized_version,
    )

_WHERE = {
    "VersionOrder": "version",
    "VersionSpec": "version",
    "BuildNumberMatch": "version",
    "normalized_version": "version",
    "MatchSpec": "matchspec",
    "PackageRecord": "records",
    "PackageCacheRecord": "cache_record",
    "PrefixRecord": "prefix_record",
    "PathsData": "prefix_record",
    "PathEntry": "prefix_record",
    "Link": "prefix_record",
    "Channel": "channel",
    "MultiChannel": "channel",
    "ChannelContext": "channel_context",
    "get_channel_context": "channel_context",
    "set_channel_context": "channel_context",
}

__all__ = [
    "BuildNumberMatch",
    "Channel",
    "ChannelContext",
    "Link",
    "MatchSpec",
    "MultiChannel",
    "PackageCacheRecord",
    "PackageRecord",
    "PathEntry",
    "PathsData",
    "PrefixRecord",
    "VersionOrder",
    "VersionSpec",
    "get_channel_context",
    "normalized_version",
    "set_channel_context",
]


__getattr__ = lazy_attributes(__name__, {name: "." + home for name, home in _WHERE.items()})


def __dir__() -> list[str]:
    return [*__all__, "clear_caches"]


def clear_caches() -> None:
    """Forget every parsed version, spec and channel (tests and benchmarks use this)."""
    import sys

    version_order = sys.modules.get("kernel.models.version_order")
    if version_order is not None:
        version_order.VersionOrder._cache.clear()
        version_order._SEGMENTS.clear()
        version_order._SEGMENTS["0"] = version_order._EPOCH_ZERO
        version_order._DETAILS.clear()
        version_order._PREFIX_TESTS.clear()
    version_spec = sys.modules.get("kernel.models.version_spec")
    if version_spec is not None:
        version_spec.VersionSpec._cache.clear()
    build_number = sys.modules.get("kernel.models.build_number")
    if build_number is not None:
        build_number.BuildNumberMatch._cache.clear()
    channel_context = sys.modules.get("kernel.models.channel_context")
    if channel_context is not None:  # drops match-spec, matcher and channel caches too
        channel_context.set_channel_context(channel_context._current)
