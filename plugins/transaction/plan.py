"""``plan_transaction``: what to unlink and link to turn the installed state into a final one.

Records are compared the way conda compares them — channel (canonical), subdir, name,
version, build number, build — so a package from another channel is relinked. When the
python minor version changes, every installed ``noarch: python`` package is relinked too
(its files live under ``lib/pythonX.Y``). Unlinks come in reverse dependency order, links in
dependency order. Planning reads the prefix and writes nothing (``--dry-run`` stops here).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from plugins.prefix.history import dist_str, spec_name
from plugins.prefix.prefix_data import PrefixData
from plugins.prefix.record_order import order_by_parents
from plugins.prefix.records import record_dict
from plugins.transaction.noarch import major_minor

_PREFIX_ONLY = ("files", "paths_data", "link", "extracted_package_dir",
                "package_tarball_full_path", "requested_spec", "requested_specs")


def record_key(record: Mapping[str, Any]) -> tuple[str, int]:
    """conda's identity of a record: ``channel/subdir::name-version-build`` and build number."""
    return dist_str(dict(record)), int(record.get("build_number") or 0)


def toposort(records: Sequence[Any]) -> list[Any]:
    """``records`` (one environment) in conda's dependency order (``PrefixGraph``, see
    :func:`plugins.prefix.record_order.order_by_parents`), a record's parents found by
    the names of its ``depends`` (one record per name in an environment)."""
    items = [record_dict(r) for r in records]
    index = {str(d["name"]): i for i, d in enumerate(items)}
    parents = [{index[n] for d in (item.get("depends") or ()) if (n := spec_name(str(d))) in index}
               - {i} for i, item in enumerate(items)]
    return [records[i] for i in order_by_parents(items, parents)]


@dataclass(frozen=True)
class TransactionPlan:
    """Records to unlink (installed ones) and to link, in execution order."""

    prefix: str
    unlink: tuple[Any, ...] = ()
    link: tuple[Any, ...] = ()

    @property
    def nothing_to_do(self) -> bool:
        return not self.unlink and not self.link


def plan_transaction(prefix: str, final_records: Iterable[Any], *,
                     installed: Iterable[Any] | None = None,
                     force_reinstall: Iterable[str] = ()) -> TransactionPlan:
    """The plan that turns ``prefix`` (or ``installed``) into ``final_records``.

    ``force_reinstall`` names packages to relink even when unchanged.
    """
    final = list(final_records)
    current = (list(PrefixData(prefix).raw_records().values()) if installed is None
               else list(installed))
    current_by_name = {record_dict(r)["name"]: r for r in current}
    final_by_name = {record_dict(r)["name"]: r for r in final}
    forced = set(force_reinstall)
    unlink_names = {n for n, r in current_by_name.items()
                    if n not in final_by_name or n in forced
                    or record_key(record_dict(r)) != record_key(record_dict(final_by_name[n]))}
    link_names = {n for n in final_by_name if n not in current_by_name or n in unlink_names}

    old_py = major_minor(str(record_dict(current_by_name["python"])["version"])) \
        if "python" in current_by_name else None
    new_py = major_minor(str(record_dict(final_by_name["python"])["version"])) \
        if "python" in final_by_name else None
    if old_py and new_py and old_py != new_py:
        for name, rec in current_by_name.items():
            if record_dict(rec).get("noarch") == "python" and name in final_by_name:
                unlink_names.add(name)
                link_names.add(name)

    unlink = [current_by_name[n] for n in unlink_names]
    link = []
    for name in link_names:
        rec = final_by_name[name]
        if name in current_by_name and rec is current_by_name[name]:
            rec = {k: v for k, v in record_dict(rec).items() if k not in _PREFIX_ONLY}
        link.append(rec)
    # conda orders both within the whole environment they belong to (before / after)
    before = {record_dict(r)["name"]: i for i, r in enumerate(toposort(current))}
    after = {record_dict(r)["name"]: i for i, r in enumerate(toposort(final))}
    unlink.sort(key=lambda r: before[record_dict(r)["name"]], reverse=True)
    link.sort(key=lambda r: after[record_dict(r)["name"]])
    return TransactionPlan(prefix, tuple(unlink), tuple(link))
