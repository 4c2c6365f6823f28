"""One condarc file opened for editing: round-trip YAML in, atomic replace out.

The file is parsed by the kernel's loader (:func:`kernel.config.read_condarc`), which keeps
ruamel's round-trip mapping, so comments, key order and quoting survive an edit. Writing goes
to a temporary file beside the target (through a symlink, to its target), is flushed to disk,
keeps the old file's permissions and replaces it in one ``os.replace``; if the file changed
since it was read, nothing is written.
"""

from __future__ import annotations

import io
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Any

from kernel.config import read_condarc
from kernel.errors import ConfigurationError
from plugins.subcommands.config.comments import flow_empty


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}",
                                 path=str(path)) from None


class RcFile:
    """The target of ``conda config`` edits and ``--get``."""

    def __init__(self, path: str | os.PathLike[str]):
        from ruamel.yaml.comments import CommentedMap

        self.path = Path(path)
        self.original = _read_text(self.path)
        data = read_condarc(self.path) if self.original is not None else {}
        self.data: Any = data if isinstance(data, CommentedMap) else CommentedMap(data)
        #: the comment lines heading the file: kept when it has (or is left with) no settings
        head = []
        for line in (self.original or "").splitlines(keepends=True):
            if line.strip() and not line.lstrip().startswith("#"):
                break
            head.append(line)
        self._head = "".join(head)
        self._comment_only = bool(self.original) and not self.data
        #: the file as ruamel writes it unedited: an edit that changes nothing writes nothing
        self._baseline = self.render() if self.data else self.original or ""

    # -- writing --------------------------------------------------------------------------

    def _indent(self) -> tuple[int, int]:
        """(sequence, offset) indentation of the file's lists; conda's style by default."""
        match = re.search(r"^[^\s#-][^\n]*:[ \t]*(?:#[^\n]*)?\n( *)- ", self.original or "",
                          re.M)
        offset = len(match.group(1)) if match else 2
        return offset + 2, offset

    def render(self) -> str:
        if not self.data:
            return self._head
        from ruamel.yaml import YAML

        yaml = YAML(typ="rt", pure=True)
        yaml.width = 4096
        sequence, offset = self._indent()
        yaml.indent(mapping=2, sequence=sequence, offset=offset)
        flow_empty(self.data)
        buffer = io.StringIO()
        yaml.dump(self.data, buffer)
        text = buffer.getvalue()
        if self._comment_only and self._head.strip():
            text = self._head.rstrip("\n") + "\n" + text
        return text

    def write(self) -> bool:
        """Write the edited content; ``False`` when there was nothing to change."""
        text = self.render()
        if text in (self.original or "", self._baseline):
            return False
        target = self.path.resolve()
        if _read_text(target) != self.original:
            raise ConfigurationError(f"{self.path} changed while it was being edited; nothing "
                                     f"was written, run the command again", path=str(self.path))
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_current_umask()
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                       suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(tmp, mode)
            os.replace(tmp, target)
            tmp = None
        except OSError as exc:
            raise ConfigurationError(f"cannot write {self.path}: {exc.strerror or exc}",
                                     path=str(self.path)) from None
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
        return True
