"""``conda-meta/*.json``: the records of what is installed in a prefix.

One JSON file per installed package, named ``<name>-<version>-<build>.json``, in conda's
exact shape (:class:`kernel.models.PrefixRecord` reads and writes it). Reading skips
macOS ``._*`` AppleDouble files and files whose name does not match the record inside
(conda ignores those too, with a warning); a file that is not JSON is a
:class:`CorruptedEnvironmentError` naming it. Writing is atomic: a temporary file in the
same filesystem, then ``rename``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from typing import Any

from kernel.errors import PrefixError

META = "conda-meta"


class CorruptedEnvironmentError(PrefixError):
    """A ``conda-meta`` record cannot be read."""

    def __init__(self, prefix: str, path: str, detail: str):
        super().__init__(
            f"the environment at {prefix} is corrupted: cannot read {path} ({detail}). "
            "This most often happens when a conda process was killed during a transaction; "
            "remove or restore that file, then reinstall the package.",
            environment_location=prefix, corrupted_file=path)


def record_filename(record: Mapping[str, Any]) -> str:
    """``name-version-build.json``, the file name conda gives a package's record."""
    return f"{record['name']}-{record['version']}-{record['build']}.json"


def read_record_file(prefix: str, path: str) -> dict[str, Any]:
    """One record file as a dict; corrupt content raises :class:`CorruptedEnvironmentError`."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CorruptedEnvironmentError(prefix, path, f"not UTF-8 at byte {exc.start}") from None
    except ValueError as exc:
        raise CorruptedEnvironmentError(prefix, path, f"invalid JSON: {exc}") from None
    except RecursionError:
        raise CorruptedEnvironmentError(prefix, path, "JSON nested too deeply") from None
    except OSError as exc:
        raise CorruptedEnvironmentError(prefix, path, exc.strerror or str(exc)) from None
    if not isinstance(data, dict):
        raise CorruptedEnvironmentError(prefix, path, "not a JSON object")
    return data


def iter_record_files(prefix: str) -> Iterator[str]:
    """Paths of the record files in ``prefix/conda-meta`` (sorted, AppleDouble skipped)."""
    meta = os.path.join(prefix, META)
    try:
        names = sorted(os.listdir(meta))
    except FileNotFoundError:
        return
    for name in names:
        if name.endswith(".json") and not name.startswith(("._", ".")):
            yield os.path.join(meta, name)


def load_records(prefix: str, warn: Any = None) -> dict[str, dict[str, Any]]:
    """Every record of ``prefix`` as ``{name: record dict}``."""
    records: dict[str, dict[str, Any]] = {}
    for path in iter_record_files(prefix):
        data = read_record_file(prefix, path)
        stem = os.path.basename(path)[:-5]
        try:
            matches = stem == f"{data['name']}-{data['version']}-{data['build']}"
        except KeyError:
            matches = False
        if not matches:
            if warn is not None:
                warn(f"ignoring malformed prefix record at {path}")
            continue
        records[str(data["name"])] = data
    return records


def dump_record(record: Mapping[str, Any]) -> str:
    """The text conda writes for a record (2-space indent, sorted keys)."""
    return json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_record(prefix: str, record: Mapping[str, Any], *, tmp_dir: str | None = None) -> str:
    """Write ``record`` atomically into ``prefix/conda-meta``; returns its path.

    Its ``url`` is written as conda writes it: a token as ``/t/<TOKEN>/``, no
    ``user:password@``.

    ``tmp_dir`` (same filesystem) holds the temporary file; a transaction passes its
    scratch folder so a crash leaves nothing behind in ``conda-meta``.
    """
    url = record.get("url")
    if isinstance(url, str) and url:
        from plugins.index.credentials import recorded_url

        record = {**record, "url": recorded_url(url)}  # conda's remove_auth(mask_token)
    meta = os.path.join(prefix, META)
    os.makedirs(meta, exist_ok=True)
    target = os.path.join(meta, record_filename(record))
    tmp = os.path.join(tmp_dir or meta, f".{os.path.basename(target)}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(dump_record(record))
    os.replace(tmp, target)
    return target


#: ``id(record)`` -> (record, its JSON dict): a plan asks for the same record's dict
#: several times (planning, display, JSON actions); records are frozen
_AS_DICT: dict[int, tuple[Any, dict[str, Any]]] = {}


def record_dict(record: Any) -> dict[str, Any]:
    """A record as conda's JSON dict: ``record.to_json()``, or a copy of a mapping. Each
    call returns a new dict (callers may change it)."""
    if isinstance(record, Mapping):
        return dict(record)
    known = _AS_DICT.get(id(record))
    if known is not None and known[0] is record:
        return _copy(known[1])
    to_json = getattr(record, "to_json", None)
    if callable(to_json):
        data = to_json()
        if isinstance(data, str):
            data = json.loads(data)
        data = dict(data)
        if len(_AS_DICT) > 20000:
            _AS_DICT.clear()
        _AS_DICT[id(record)] = (record, data)
        return _copy(data)
    raise TypeError(f"not a package record: {record!r}")


def _copy(data: dict[str, Any]) -> dict[str, Any]:
    """A copy whose list and dict values are copies too (``depends``, ``constrains``)."""
    return {k: (v.copy() if isinstance(v, (list, dict)) else v) for k, v in data.items()}
