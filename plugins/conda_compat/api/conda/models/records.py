"""``conda.models.records``: microconda's records with the few members conda adds.

``channel_name`` (the channel's canonical name), ``get``/``dump`` and ``from_objects`` (a
record from others plus overrides, as conda's entities build one) are what plugins read
beyond the fields.
:func:`as_conda` gives a record of these classes for any record or record-shaped dict.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from kernel.models import prefix_record as _prefix
from kernel.models import records as _records
from plugins.conda_compat.missing import missing_attributes

__all__ = ["PackageRecord", "PrefixRecord", "as_conda"]


class _CondaMembers:
    channel: Any

    @property
    def channel_name(self) -> str | None:
        channel = self.channel
        return getattr(channel, "canonical_name", None) if channel is not None else None

    def get(self, key: str, default: Any = None) -> Any:
        """A field's value (conda's entities allow ``record.get("md5")``)."""
        return getattr(self, key, default)

    def dump(self) -> dict[str, Any]:
        return self.to_json()  # type: ignore[attr-defined, no-any-return]

    @classmethod
    def from_objects(cls, *objects: Any, **overrides: Any) -> Any:
        data: dict[str, Any] = {}
        for item in reversed(objects):
            data.update(item if isinstance(item, Mapping) else item.to_json())
        data.update({k: v for k, v in overrides.items() if v is not None})
        data.pop("channel", None) if "url" in overrides else None
        return cls.from_json(data)  # type: ignore[attr-defined]


@attrs.frozen(eq=False)
class PackageRecord(_CondaMembers, _records.PackageRecord):
    pass


@attrs.frozen(eq=False)
class PrefixRecord(_CondaMembers, _prefix.PrefixRecord):
    pass


def as_conda(record: Any) -> Any:
    """``record`` (a microconda record or a record's JSON dict) as conda's class."""
    if isinstance(record, _CondaMembers):
        return record
    data = record if isinstance(record, Mapping) else record.to_json()
    cls = PrefixRecord if isinstance(record, _prefix.PrefixRecord) else PackageRecord
    return cls.from_json(data)


__getattr__ = missing_attributes(__name__)
