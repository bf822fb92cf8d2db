"""A throwaway project folder with the repo's hand-written site pages and mkdocs.yml."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MKDOCS_YML = REPO / "mkdocs.yml"
STATIC_PAGES = ("about.md", "search.md", "stylesheets", "javascripts")


def copy_static_pages(docs_dir: Path) -> None:
    """Copy the hand-written pages of site_src/ into docs_dir."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    for name in STATIC_PAGES:
        source = REPO / "site_src" / name
        if source.is_dir():
            shutil.copytree(source, docs_dir / name, dirs_exist_ok=True)
        else:
            shutil.copy2(source, docs_dir / name)


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Return every file under root by relative path, with its bytes."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}
