"""The docs folders a dirty build need not look at: those unchanged since the last build.

MkDocs makes a File object of every docs file, asks each whether it changed, and the build
then walks every output for stale ones: at ten years, 150,000 files and most of a no-op
build's time, for folders no day touches again. A folder is frozen when nothing in it has
changed since the previous build began: no file or folder in its subtree has a status
change time (ctime) at or after that moment. The ctime moves with every write, in place or
by rename, every link, removal and chmod, and no tool can set it back, so an edit by hand
unfreezes its folders as surely as a publish. The site folder of a frozen docs folder
holds that folder's outputs (`x.md` -> `x/index.html`, other files as they are), written
by the previous build from the same sources: they are kept as they are. It may also hold
the page of a file beside the folder (`segments/small.md` -> `segments/small/index.html`
beside `segments/small/2025.md`): that page is listed and built as any other, and
`build.same_in_spare` brings such a folder level from the spare.

A frozen folder's files are not listed; a link into one is resolved on demand
(`FrozenFiles.get_file_from_path`), so strict link checking still holds for the pages
that are built. The docs root is never frozen.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

from mkdocs.structure.files import File, Files, _file_sort_key


@dataclass
class DocsWalk:
    """The docs files to list (docs-relative, in MkDocs' order) and the frozen folders."""

    files: list[str] = field(default_factory=list)
    frozen: set[str] = field(default_factory=set)


def walk_docs(docs_dir: str, since_ns: int) -> DocsWalk:
    """List `docs_dir` as MkDocs would (folders followed through links, each folder's
    index or README first, then names in order, then subfolders), leaving out every folder
    whose whole subtree is older than `since_ns` (see the module)."""
    out = DocsWalk()
    _visit(docs_dir, "", since_ns, out)
    return out


def _visit(path: str, rel: str, since_ns: int, out: DocsWalk) -> bool:
    """Add the folder at `path` to `out`; return whether its subtree is unchanged (then
    nothing of it was added: the caller freezes it, or a folder above it)."""
    unchanged = bool(rel) and os.stat(path).st_ctime_ns < since_ns  # noqa: PTH116
    names: list[str] = []
    folders: list[str] = []
    with os.scandir(path) as entries:
        for entry in entries:
            if entry.is_dir():
                folders.append(entry.name)
            else:
                names.append(entry.name)
                if unchanged:
                    try:
                        unchanged = entry.stat().st_ctime_ns < since_ns
                    except OSError:  # a link to nothing: MkDocs will say so
                        unchanged = False
    folders.sort()
    kept: list[str] = []
    listed = len(out.files)
    for name in folders:
        sub = f"{rel}/{name}" if rel else name
        if _visit(os.path.join(path, name), sub, since_ns, out):  # noqa: PTH118
            kept.append(sub)
        else:
            unchanged = False
    if unchanged:
        return True
    names.sort(key=_file_sort_key)
    out.files[listed:listed] = [f"{rel}/{n}" if rel else n for n in names]
    out.frozen.update(kept)
    return False


class FrozenFiles(Files):
    """The listed files, and any file of a frozen folder asked for by its path (a link's
    target), made then by `make` (None when there is no such file)."""

    def __init__(self, files: list[File], frozen: set[str],
                 make: Callable[[str], File | None]) -> None:
        super().__init__(files)
        self.frozen = frozen
        self._make = make
        self._made: dict[str, File | None] = {}

    def get_file_from_path(self, path: str) -> File | None:
        found = super().get_file_from_path(path)
        if found is not None or not self.frozen:
            return found
        uri = PurePath(path).as_posix()
        if uri not in self._made:
            self._made[uri] = self._make(uri) if self.is_frozen(uri) else None
        return self._made[uri]

    def is_frozen(self, uri: str) -> bool:
        """Return whether the docs-relative `uri` lies in a frozen folder."""
        folder = posixpath.dirname(uri)
        while folder:
            if folder in self.frozen:
                return True
            folder = posixpath.dirname(folder)
        return False
