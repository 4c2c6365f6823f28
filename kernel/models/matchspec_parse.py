"""Reading a match-spec string into its fields, following conda's grammar step by step.

``[channel[/subdir]:[namespace]:]name[ version[ build]][[key=value, ...]]``, where version and
build may also be joined with ``=`` (``numpy=1.7=py27_0``) and the name may be followed
directly by an operator (``numpy>=1.7``). A package URL or file path (``.conda``,
``.tar.bz2``) is a spec too. ``foo@`` is the legacy form of ``*[track_features=foo]``.
"""

from __future__ import annotations

import os
import re
import warnings
from typing import Any
from urllib.parse import unquote

from kernel.errors import InvalidMatchSpec
from kernel.models.channel import Channel
from kernel.models.channel_resolve import is_non_alias_url_channel
from kernel.models.channel_url import is_package_file, path_to_url, strip_pkg_extension

# the last "[...]" (a "[" that a "]" follows, up to the last "]"); the same for "(...)"
_BRACKETS = re.compile(r".*(\[.*\])")
_PARENS = re.compile(r".*(\(.*\))")
_KEY_VALUE = re.compile(r"""([a-zA-Z0-9_-]+?)=(["']?)([^'"]*?)\2(?:[, ]|$)""")
_NAME_AND_REST = re.compile(r"([^ =<>!~]+)?([><!=~ ].+)?")
_URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://")
# the shortest version (so the longest build) such that the separator does not follow an
# operator character and the build has none of "-=,|<>~"
_VERSION_BUILD = re.compile(r"(.+?)(?<![=!|,<>~])[ =]([^-=,|<>~\n]+)", re.DOTALL)


# CEP 26 names: lower-case letters, digits and single "._-" separators, starting with a
# letter, a digit or one "_" (virtual packages: "__" then the same); globs are not checked
_NAME_CHARS = re.compile(r"[^a-z0-9._-]")
_PACKAGE_NAME = re.compile(r"(?:[a-z0-9]|_(?!_))[._-]?(?:[a-z0-9]+(?:[._-]|$))*")
_VIRTUAL_NAME = re.compile(r"__[a-z0-9][._-]?(?:[a-z0-9]+(?:[._-]|$))*")


def check_package_name(name: str, original: str) -> None:
    """Raise :class:`~kernel.errors.InvalidMatchSpec` unless ``name`` is a valid package name
    (or a glob); case is ignored, as conda lower-cases names."""
    if "*" in name:
        return
    lowered = name.lower()
    bad = _NAME_CHARS.findall(lowered)
    if bad:
        shown = "".join(dict.fromkeys(bad))
        raise InvalidMatchSpec(original, f"package name contains invalid characters ({shown})")
    if not (_PACKAGE_NAME.fullmatch(lowered) or _VIRTUAL_NAME.fullmatch(lowered)):
        raise InvalidMatchSpec(original, "invalid package name")


def split_version_and_build(text: str) -> tuple[str, str | None]:
    """``('>=1.0,<2.0', 'py34_0')`` from ``>=1.0 , < 2.0 py34_0``; the build is the longest
    tail after a space or ``=`` that has none of ``-=,|<>~`` and does not follow an operator."""
    found = _VERSION_BUILD.fullmatch(text)
    if found is None:
        return text.replace(" ", ""), None
    return found.group(1).replace(" ", ""), found.group(2).strip()


def sanitize_version(version: str, build: str | None) -> str:
    """``=1.7`` means ``1.7*`` (unless a build is given); ``==1.7`` means ``1.7``."""
    if version in ("=", "==") or not version.startswith("="):
        return version
    bare = version.lstrip("=")
    if version.startswith("==") and build is None:
        return bare
    if not any(c in bare for c in "=,|"):
        if build is None and not bare.endswith("*"):
            return bare + "*"
        return bare
    return version


def _key_values(text: str, original: str, strict: bool) -> dict[str, str]:
    out: dict[str, str] = {}
    for found in _KEY_VALUE.finditer(text):
        key, _, value = found.group(1, 2, 3)
        if strict and not value:
            raise InvalidMatchSpec(original, "key-value mismatch in brackets")
        out[key] = value
    return out


def _channel_parts(text: str | None) -> tuple[str | None, str | None]:
    if not text:
        return None, None
    channel = Channel(text)
    # a URL elsewhere than the channel alias stays a URL; anything else becomes its
    # canonical name, so "pkgs/main" is "defaults" as conda prints it
    if _is_url(text) and is_non_alias_url_channel(channel):
        name = channel.base_url or channel.canonical_name
    else:
        name = channel.canonical_name
    # "*/linux-64::numpy" constrains the subdir only (conda prints it "numpy[subdir=...]")
    return (None if channel.name == "*" else name), channel.subdir


def _is_url(text: str) -> bool:
    return _URL.match(text) is not None


def _parse_package_file(spec: str) -> dict[str, Any]:
    url = spec
    if not _is_url(url):
        url = unquote(path_to_url(os.path.abspath(os.path.expanduser(os.path.expandvars(url)))))
    channel = Channel(url)
    if channel.subdir and channel.package_filename:
        stem = strip_pkg_extension(channel.package_filename)[0]
        pieces = stem.rsplit("-", 2)
        if len(pieces) != 3:
            raise InvalidMatchSpec(spec, "package file name is not name-version-build")
        name, version, build = pieces
        return {
            "channel": channel.canonical_name,
            "subdir": channel.subdir,
            "name": name,
            "version": version,
            "build": build,
            "fn": channel.package_filename,
            "url": url,
        }
    path = url
    if url.startswith("file://"):
        path = unquote(url[len("file://") :])
    return {"name": "*", "fn": path.rsplit("/", 1)[-1], "url": url}


def parse_spec_str(spec: str) -> dict[str, Any]:
    """The fields of a spec string (values still strings), plus ``optional``/``target``
    when given in brackets. Raises :class:`~kernel.errors.InvalidMatchSpec`."""
    original = spec
    if spec.endswith("@"):
        return {"name": "*", "track_features": (spec[:-1],)}
    if "#" in spec:
        spec = spec[: spec.index("#")]
    if " if " in spec:
        spec = spec.split(" if ", 1)[0]

    if is_package_file(spec):
        return _parse_package_file(spec)

    brackets: dict[str, str] = {}
    found = _BRACKETS.match(spec) if "[" in spec else None
    if found:
        text = found.group(1)
        spec = spec.replace(text, "")
        brackets = _key_values(text[1:-1], original, strict=True)
        if "version" in brackets:
            brackets["version"] = sanitize_version(brackets["version"], None)

    found = _PARENS.match(spec) if "(" in spec else None
    if found:  # conda reads "(key=value)" groups and then ignores them
        spec = spec.replace(found.group(1), "")

    channel: str | None = None
    subdir: str | None = None
    if ":" in spec:
        pieces = spec.rsplit(":", 2)
        if len(pieces) == 3:
            channel, subdir = _channel_parts(pieces[0])
        spec = pieces[-1]
    if "channel" in brackets:
        b_channel, b_subdir = _channel_parts(brackets.pop("channel"))
        channel = b_channel or channel
        subdir = b_subdir or subdir
    if "subdir" in brackets:
        subdir = brackets.pop("subdir")

    found = _NAME_AND_REST.match(spec)
    name, rest = found.groups() if found else (None, None)
    if name is None:
        raise InvalidMatchSpec(original, f"no package name found in '{spec}'")
    check_package_name(name, original)
    rest = rest.strip() if rest else rest
    version: str | None = None
    build: str | None = None
    if rest:
        if "[" in rest:
            raise InvalidMatchSpec(original, "multiple brackets sections not allowed")
        version, build = split_version_and_build(rest)
        version = sanitize_version(version, build)

    fields: dict[str, Any] = {"name": name}
    if channel is not None:
        fields["channel"] = channel
    if subdir is not None:
        fields["subdir"] = subdir
    if version is not None:
        fields["version"] = version
    if build is not None:
        fields["build"] = build
    if "name" in brackets:
        warnings.warn(
            f"'name' given both inside ({brackets['name']}) and outside ({name}) of "
            f"brackets in {original!r}; the one outside is used",
            UserWarning,
            stacklevel=4,
        )
        del brackets["name"]
    fields.update(brackets)
    return fields
