"""Atomic file writes: write to a temp file beside the target, then rename."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

# A temp file of a write that was killed before its rename: `.<name>.<8 random chars>.tmp`.
_PARTIAL = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


def write_bytes_atomic(path: Path, data: bytes) -> bool:
    """Write `data` to `path` unless it already holds exactly that; return True if written."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = temp_file(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return True


def write_text_atomic(path: Path, text: str) -> bool:
    """Write UTF-8 text with LF endings atomically; return True if the file changed."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def temp_file(path: Path) -> tuple[int, Path]:
    """Open a new temp file beside `path` for an atomic write; return its fd and path.

    mkstemp creates it readable by its owner only; the file it becomes is an ordinary one
    (0644), as a plain write would make it.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.fchmod(fd, 0o644)
    return fd, Path(tmp)


def remove_partial_writes(folder: Path) -> list[Path]:
    """Remove the temp files that atomic writes killed before their rename left under a
    folder (run only while holding the project's lock); return them."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.rglob(".*.tmp") if _PARTIAL.match(p.name) and p.is_file()]
    for path in found:
        path.unlink(missing_ok=True)
    return found
