"""Targets and a seeded input generator shared by ``test_fuzz.py`` and ``benchmarks/fuzz.py``.

Each target parses one input and either returns or raises its documented error
(``InvalidVersionSpec``, ``InvalidMatchSpec``, ``InvalidPackageRecord``,
``ConfigurationError``); anything else is a bug.
"""

from __future__ import annotations

import json
import os
import random
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

SEEDS = {
    "version": ["1.0", "1.2.3a4.dev0", "2!1.0+local.3", "1.0_rc1", "0.9.8zh", "1.0.post1",
                "3.11.0*", "1.0-2", "1!2.3.4", "2024.1"],
    "version_spec": [">=1.0,<2", "1.2.*", "==1.0|>2.0", "~=1.4", "!=1.0", ">1.0a1",
                     "1.0.0|1.1.*,>=1.0.5", "(>=1|<0.5),!=0.7", "*", "^1\\.0$"],
    "match_spec": ["numpy >=1.20,<2 py39*", "conda-forge::python=3.11[build=*_cpython]",
                   "pkgs/main/linux-64::zlib 1.2.13 h5eee18b_0", "foo[version='>=1',md5=ab]",
                   "https://x/c/noarch/a-1.0-0.conda", "python[version=3.9,subdir=linux-64]",
                   "bar 1.0.*", "*[track_features=mkl]", "a==1.0=0", "b[license='MIT']"],
}
SPECIALS = [*"*=<>!~|,.[]()'\"@:/\\#$^+- _0123456789aAzZ\t\n\x00",
    "\u00e9", "\U0001f600", "==", ">=", "||", ",,", "::", "[[", "]]", "1.0", "*.*", "!",
    "version=", "build=", "channel=", "\ud800"]
RECORD_KEYS = ["name", "version", "build", "build_number", "depends", "constrains",
               "subdir", "md5", "sha256", "size", "timestamp", "license", "noarch",
               "track_features", "features", "url", "channel", "fn", "files", "paths_data",
               "link", "requested_spec", "platform", "arch", "python_site_packages_path"]


def mutate(rng: random.Random, text: str) -> str:
    """A few random edits (insert, delete, replace, duplicate) of ``text``."""
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        op = rng.random()
        pos = rng.randint(0, len(chars))
        if op < 0.4:
            chars[pos:pos] = list(rng.choice(SPECIALS))
        elif op < 0.6 and chars:
            del chars[min(pos, len(chars) - 1)]
        elif op < 0.8 and chars:
            chars[min(pos, len(chars) - 1)] = rng.choice(SPECIALS)
        else:
            chars = chars[:pos] + chars[pos // 2: pos] + chars[pos:]
    return "".join(chars)


def random_value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randint(0, 9 if depth < 3 else 6)
    makers: list[Callable[[], Any]] = [
        lambda: None, lambda: True, lambda: rng.randint(-2**70, 2**70),
        lambda: rng.random() * 1e6, lambda: mutate(rng, rng.choice(SEEDS["version"])),
        lambda: "", lambda: rng.choice(SPECIALS),
        lambda: [random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))],
        lambda: {rng.choice(RECORD_KEYS): random_value(rng, depth + 1) for _ in range(2)},
        lambda: [mutate(rng, rng.choice(SEEDS["match_spec"]))]]
    return makers[kind]()


def random_record(rng: random.Random) -> dict[str, Any]:
    base: dict[str, Any] = {"name": "pkg", "version": "1.0", "build": "0",
                            "build_number": 0, "depends": ["a >=1"], "subdir": "noarch"}
    for _ in range(rng.randint(1, 4)):
        key = rng.choice(RECORD_KEYS)
        if rng.random() < 0.2:
            base.pop(key, None)
        else:
            base[key] = random_value(rng)
    return base


def random_condarc(rng: random.Random) -> str:
    from kernel.settings import SETTINGS

    keys = [*SETTINGS, "plugins", "channels", "channel_settings", "custom_channels"]
    lines = []
    for _ in range(rng.randint(0, 5)):
        value = random_value(rng)
        lines.append(f"{rng.choice(keys)}: {json.dumps(value, default=str)}")
    text = "\n".join(lines)
    return mutate(rng, text) if rng.random() < 0.5 else text


# -- targets ------------------------------------------------------------------------------------


def parse_version(text: str) -> None:
    from kernel.models import VersionOrder

    VersionOrder(text)


def parse_version_spec(text: str) -> None:
    from kernel.models import VersionOrder, VersionSpec

    spec = VersionSpec(text)
    spec.match(VersionOrder("1.0"))
    str(spec)


def parse_match_spec(text: str) -> None:
    from kernel.models import MatchSpec

    spec = MatchSpec(text)
    MatchSpec(str(spec))  # what we print parses again
    spec.match({"name": "numpy", "version": "1.0", "build": "0", "build_number": 0})


def load_record(data: dict[str, Any]) -> None:
    from kernel.models import PackageRecord, PrefixRecord

    record = PackageRecord.from_json(data)
    PackageRecord.from_json(record.to_json())
    PrefixRecord.from_json(data)


_folder = tempfile.mkdtemp(prefix="microconda-fuzz-")


def load_condarc(text: str) -> None:
    from kernel.config import load_config

    path = Path(_folder) / "condarc"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    load_config({}, {"HOME": _folder, "PATH": os.environ.get("PATH", "")}, [path])


def expected_errors() -> dict[str, tuple[type[BaseException], ...]]:
    from kernel.errors import (
        ConfigurationError,
        InvalidMatchSpec,
        InvalidPackageRecord,
        InvalidVersionSpec,
    )

    return {"version": (InvalidVersionSpec,), "version_spec": (InvalidVersionSpec,),
            "match_spec": (InvalidMatchSpec, InvalidVersionSpec),
            "record": (InvalidPackageRecord,), "condarc": (ConfigurationError,)}


TARGETS: dict[str, tuple[Callable[[Any], None], Callable[[random.Random], Any]]] = {
    "version": (parse_version, lambda r: mutate(r, r.choice(SEEDS["version"]))),
    "version_spec": (parse_version_spec, lambda r: mutate(r, r.choice(SEEDS["version_spec"]))),
    "match_spec": (parse_match_spec, lambda r: mutate(r, r.choice(SEEDS["match_spec"]))),
    "record": (load_record, random_record),
    "condarc": (load_condarc, random_condarc),
}
