"""The rules every archive member must pass before anything is written, and the limits.

Both formats feed their tar members through one :class:`Guard`, which knows every member
extracted so far and refuses, with a :class:`PackageExtractionError` naming the archive and
the member, anything that could write outside the destination or through a link:

- names that are absolute, hold a ``..`` component or a NUL byte, or are empty;
- device files, FIFOs and any type other than file, directory, symlink and hardlink;
- symlinks with an empty or absolute target, or whose target, resolved through the links
  already in the package, leaves it (checked again once every link is in place);
- hardlinks whose target is not a regular file extracted earlier in the same package;
- members whose parent path goes through a symlink or a file extracted earlier;
- a second member with the name of an earlier one (only a directory may repeat as one);
- more than :data:`MAX_MEMBERS` members or :data:`MAX_TOTAL_BYTES` bytes of content.

:class:`BoundedReader` sits between the decompressor and :mod:`tarfile`, so a compression
bomb or a huge pax header costs at most the limits below in time, disk and memory. The
limits are module attributes read at every use: a caller (or a test) may change them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple, NoReturn, Protocol

from kernel.errors import CondaError

if TYPE_CHECKING:
    import tarfile

#: Most bytes of file content one package may extract, all members together.
MAX_TOTAL_BYTES = 16 * 1024**3
#: Most tar members (files, directories, links) one package may hold, all components together.
MAX_MEMBERS = 500_000
#: Most bytes tarfile may read to parse one member's headers (pax and GNU long names are held
#: in memory while parsed).
MAX_HEADER_BYTES = 1024**2
#: Most bytes of a tar stream beyond file content (headers, padding) one package may hold.
MAX_METADATA_BYTES = 1024**3
#: Most bytes allowed after the end-of-archive marker of a tar stream (normal padding is
#: under 10 KiB).
MAX_TRAILING_BYTES = 1024**2
#: Most symlinks followed while resolving one symlink target inside the package.
MAX_LINK_DEPTH = 40

#: Read-ahead tarfile may do beyond what it parsed (its record size is 10 KiB).
_SLACK = 64 * 1024
#: Size of the reads and writes that stream a member's content.
CHUNK_SIZE = 256 * 1024

_DRIVE = re.compile(r"^[A-Za-z]:")


class Readable(Protocol):
    """A binary stream to read from (a decompressor, a zip member)."""

    def read(self, size: int = -1, /) -> bytes: ...


class PackageExtractionError(CondaError):
    """A package archive is hostile, corrupt, over a limit or could not be written.

    Nothing was installed: the destination is left as it was before the call.
    """


class LimitExceeded(Exception):
    """Raised by :class:`BoundedReader` inside tarfile; the caller adds archive and member."""


class Member(NamedTuple):
    """A checked tar member: where it goes, what it is, and how to write it."""

    path: str  # relative to the destination, '/'-separated, normalised
    kind: str  # "file" | "dir" | "symlink" | "hardlink"
    target: str  # symlink target as stored, or the normalised hardlink target; else ""
    mode: int  # permission bits for a file; 0 otherwise


def file_mode(mode: int) -> int:
    """Safe permission bits for an extracted file, keeping its exec bits.

    Drops setuid, setgid, sticky and group/other write; adds owner read and write; keeps
    group/other exec only where the owner has it (tarfile's ``data`` filter does the same).
    """
    mode &= 0o755
    mode |= 0o600
    if not mode & 0o100:
        mode &= ~0o011
    return mode


def _is_absolute(name: str) -> bool:
    return name.startswith(("/", "\\")) or bool(_DRIVE.match(name))


def _has_parent_component(name: str) -> bool:
    return any(part == ".." for part in re.split(r"[/\\]", name))


class Guard:
    """Checks each member of one package, in archive order, against those before it."""

    def __init__(self, archive: str) -> None:
        self.archive = archive
        self.members = 0
        self.content_bytes = 0
        #: normalised path -> "file" | "dir" | "symlink" (hardlinks are files).
        self.kinds: dict[str, str] = {}
        #: symlink path -> target as stored.
        self.links: dict[str, str] = {}
        #: the name of the last member seen, for errors raised between members.
        self.last: str | None = None
        #: decompressed tar bytes read so far, all components together.
        self.stream_bytes = 0

    # errors

    def refuse(self, member: str, reason: str) -> NoReturn:
        raise PackageExtractionError(
            f"refusing to extract {self.archive}: member {member!r} {reason}",
            archive=self.archive, member=member)

    def where(self) -> str:
        """Where in the archive a stream error happened, for messages."""
        return (f"at or after member {self.last!r}" if self.last is not None
                else "at its first member")

    def corrupt(self, exc: BaseException) -> PackageExtractionError:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        reason = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
        return PackageExtractionError(
            f"cannot extract {self.archive}: the archive is corrupt or truncated "
            f"({reason}, {self.where()})", archive=self.archive, member=self.last,
            caused_by=exc)

    def invalid(self, reason: str, exc: BaseException | None = None) -> PackageExtractionError:
        """The archive is not a package of its format at all."""
        if exc is not None:
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            reason += f" ({type(exc).__name__}{': ' + detail if detail else ''})"
        return PackageExtractionError(f"cannot extract {self.archive}: {reason}",
                                      archive=self.archive, caused_by=exc)

    def over_limit(self, reason: str) -> PackageExtractionError:
        return PackageExtractionError(
            f"refusing to extract {self.archive}: {reason} ({self.where()})",
            archive=self.archive, member=self.last)

    # names

    def normalise(self, member: str, name: str, what: str = "") -> str:
        """``name`` as a '/'-separated path relative to the destination ('' for the root)."""
        if "\x00" in name:
            self.refuse(member, f"has a NUL byte in its {what or 'name'}")
        if _is_absolute(name):
            self.refuse(member, f"{what and what + ' '}is an absolute path")
        if _has_parent_component(name):
            self.refuse(member, f"{what and what + ' '}has a '..' component")
        return "/".join(part for part in name.split("/") if part not in ("", "."))

    # the checks

    def check(self, info: tarfile.TarInfo) -> Member | None:
        """The member to write, or ``None`` for the archive's root directory entry."""
        name = info.name
        self.last = name
        self.members += 1
        if self.members > MAX_MEMBERS:
            self.refuse(name, f"is past the limit of {MAX_MEMBERS} members per package")
        path = self.normalise(name, name)
        kind = self._kind(info)
        if not path:
            if kind == "dir":
                return None
            self.refuse(name, "has an empty name")
        parts = path.split("/")
        self._check_parents(name, parts)
        self._check_duplicate(name, path, kind)
        target, mode = "", 0
        if kind == "file":
            mode = file_mode(info.mode)
            if info.size < 0 or info.size > MAX_TOTAL_BYTES - self.content_bytes:
                self.refuse(name, f"({info.size} bytes) would take the package past the "
                                  f"limit of {MAX_TOTAL_BYTES} extracted bytes")
            self.content_bytes += info.size
        elif kind == "symlink":
            target = self._check_symlink(name, parts, info.linkname)
            self.links[path] = target
        elif kind == "hardlink":
            target = self._check_hardlink(name, info.linkname)
        self.kinds[path] = "file" if kind == "hardlink" else kind
        return Member(path, kind, target, mode)

    def _kind(self, info: tarfile.TarInfo) -> str:
        if info.isreg():
            return "file"
        if info.isdir():
            return "dir"
        if info.issym():
            return "symlink"
        if info.islnk():
            return "hardlink"
        if info.ischr() or info.isblk():
            self.refuse(info.name, "is a device file")
        if info.isfifo():
            self.refuse(info.name, "is a FIFO")
        self.refuse(info.name, f"has an unsupported tar type {info.type!r}")

    def _check_parents(self, member: str, parts: list[str]) -> None:
        for depth in range(1, len(parts)):
            parent = "/".join(parts[:depth])
            kind = self.kinds.get(parent)
            if kind == "symlink":
                self.refuse(member, f"would be written through the symlink {parent!r}")
            if kind == "file":
                self.refuse(member, f"would be written under the file {parent!r}")
            if kind is None:
                self.kinds[parent] = "dir"

    def _check_duplicate(self, member: str, path: str, kind: str) -> None:
        earlier = self.kinds.get(path)
        if earlier is None or (earlier == "dir" and kind == "dir"):
            return
        self.refuse(member, f"appears twice in the archive (it would replace the {earlier} "
                            f"extracted before it)")

    def _check_symlink(self, member: str, parts: list[str], target: str) -> str:
        if not target:
            self.refuse(member, "is a symlink with an empty target")
        if "\x00" in target or "\\" in target:
            self.refuse(member, f"is a symlink to {target!r}, which holds a NUL or backslash")
        if _is_absolute(target):
            self.refuse(member, f"is a symlink to the absolute path {target!r}")
        if self._resolve(member, parts[:-1], target, 0) is None:
            self.refuse(member, f"is a symlink to {target!r}, outside the package")
        return target

    def _check_hardlink(self, member: str, linkname: str) -> str:
        target = self.normalise(member, linkname, "hardlink target")
        if self.kinds.get(target) != "file":
            self.refuse(member, f"is a hardlink to {linkname!r}, which is not a file "
                                f"extracted before it")
        return target

    def _resolve(self, member: str, base: list[str], target: str,
                 depth: int) -> list[str] | None:
        """Where ``target``, seen from the folder ``base``, lands; ``None`` if outside.

        Follows the package's own symlinks as the operating system would, so that
        ``cur -> .`` followed by ``par -> cur/..`` is seen to escape.
        """
        if depth > MAX_LINK_DEPTH:
            self.refuse(member, f"is a symlink to {target!r} that loops or nests past "
                                f"{MAX_LINK_DEPTH} links")
        parts = list(base)
        for part in target.split("/"):
            if part in ("", "."):
                continue
            if part == "..":
                if not parts:
                    return None
                parts.pop()
                continue
            parts.append(part)
            link = self.links.get("/".join(parts))
            if link is not None:
                resolved = self._resolve(member, parts[:-1], link, depth + 1)
                if resolved is None:
                    return None
                parts = resolved
        return parts

    def finish(self) -> None:
        """Re-check every symlink now that all are known: a link may only escape once a
        later one is in place (``a -> b/..`` then ``b -> .``)."""
        for path, target in self.links.items():
            parts = path.split("/")
            if self._resolve(path, parts[:-1], target, 0) is None:
                self.refuse(path, f"is a symlink to {target!r}, which leaves the package "
                                  f"through links extracted after it")


class BoundedReader:
    """A read-only stream that hands tarfile no more than it was allowed to read.

    The extraction loop calls :meth:`allow` for each member (its content plus the next
    header); tarfile reading past that, or past what a whole package may decompress to,
    raises :class:`LimitExceeded`, so a pax header, a GNU long name, trailing data or a
    compression bomb can never grow memory or time past the limits. A
    ``read()`` without a size reads one chunk, never the whole stream.
    """

    def __init__(self, raw: Readable, already: int = 0) -> None:
        self.raw = raw
        self.already = already  # read by earlier streams of the same package
        self.consumed = 0
        self.limit = 0
        self.trailing = False
        self.allow(0)

    def allow(self, content: int) -> None:
        """Let tarfile read ``content`` bytes of member data, then the next header."""
        self.limit = self.consumed + content + MAX_HEADER_BYTES + _SLACK

    def _ceiling(self) -> int:
        """The phase's limit, capped by what a whole package may decompress to."""
        whole = MAX_TOTAL_BYTES + MAX_METADATA_BYTES + MAX_TRAILING_BYTES - self.already
        return min(self.limit, whole)

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            size = CHUNK_SIZE
        room = self._ceiling() - self.consumed
        if room <= 0:
            if size and self.raw.read(1):
                raise LimitExceeded(self._why())
            return b""
        data = self.raw.read(min(size, room))
        self.consumed += len(data)
        return data

    def _why(self) -> str:
        if self._ceiling() < self.limit:
            return (f"its decompressed tar stream is over the limit of "
                    f"{MAX_TOTAL_BYTES + MAX_METADATA_BYTES} bytes")
        if self.trailing:
            return f"it has more than {MAX_TRAILING_BYTES} bytes after the end of its tar data"
        return f"a tar header is over the limit of {MAX_HEADER_BYTES} bytes"

    def drain(self) -> None:
        """Read to the end, so a truncated or corrupt compressed stream is noticed."""
        self.trailing = True
        self.limit = self.consumed + MAX_TRAILING_BYTES
        while self.read(CHUNK_SIZE):
            pass
