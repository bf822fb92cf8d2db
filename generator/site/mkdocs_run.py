"""Run MkDocs' build in a child process: the whole site, or only the pages that changed.

`python -m generator.site.mkdocs_run CONFIG SITE_DIR CHANGES [--dirty [--since NS]]`

With `--dirty` SITE_DIR holds the previous build, hard-linked file by file (see
`generator.site.build`), and MkDocs writes only the pages and files whose source is newer
than their output there: a day's publish builds that day's pages and the hubs it changed,
whatever the size of the archive. With `--since`, the time (ns) the previous build began,
docs folders unchanged since are not even listed (`generator.site.frozen`) and their
outputs are kept as they are. Before anything is written, every output that will be
written is unlinked from SITE_DIR, so the previous build, which shares those files, is never
written through; after the build, outputs whose source is gone are removed. The docs-relative
URIs of the outputs written are saved to CHANGES (JSON), for the search index.

MkDocs warns about any dirty build ("will likely lead to inaccurate navigation") and strict
mode would count that warning; here every page's navigation is the fixed top-level nav and
no page lists other pages (hubs are generated Markdown, rebuilt when they change), so that
one warning is dropped and every other warning still fails the build.

Every page is written without the indentation a browser collapses
(`generator.site.compact_html`).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.commands import build as mkdocs_build
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, BuildError, ConfigurationError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, set_exclusions

from generator.site.compact_html import CompactHtml
from generator.site.frozen import FrozenFiles, walk_docs
from generator.site.search import BRIEFS_BUNDLES, PAGES_BUNDLE

# Written by the theme on every build, not from a docs file.
THEME_OUTPUTS = ("404.html", "sitemap.xml", "sitemap.xml.gz")
# Outputs that are not MkDocs': the search bundles (written after MkDocs).
KEPT_PREFIXES = (PAGES_BUNDLE, BRIEFS_BUNDLES)


def _never() -> bool:
    return False


def _keep(file: File) -> None:
    """Take a docs file as built already: its page is the previous build's, links to it
    resolve (its URL is fixed now), and MkDocs neither reads nor copies it."""
    file.url, file.abs_dest_path  # noqa: B018 (cached now, with a .html dest)
    file.is_modified = _never  # type: ignore[method-assign]
    file.is_documentation_page = _never  # type: ignore[method-assign]


def frozen_files(since_ns: int) -> Callable[[MkDocsConfig], Files]:
    """Return a stand-in for MkDocs' `get_files` that leaves out the docs folders
    unchanged since `since_ns` (`generator.site.frozen`); a link into one still resolves."""

    def get_files(config: MkDocsConfig) -> Files:
        docs, site = config["docs_dir"], config["site_dir"]
        urls = config["use_directory_urls"]
        walk = walk_docs(docs, since_ns)

        def make(uri: str) -> File | None:
            if not os.path.isfile(os.path.join(docs, uri)):  # noqa: PTH113,PTH118
                return None
            file = File(uri, docs, site, urls)
            set_exclusions([file], config)
            _keep(file)
            return file

        files = [File(uri, docs, site, urls) for uri in walk.files]
        set_exclusions(files, config)
        return FrozenFiles(files, walk.frozen, make)

    return get_files


def _is_modified(file: File) -> bool:
    """Return File.is_modified() (is the output missing or older than its source?) in two
    stats instead of three."""
    if file.generated_by is not None or file.abs_src_path is None:
        return bool(file.is_modified())
    try:
        written = os.stat(file.abs_dest_path).st_mtime  # noqa: PTH116 (no Path: 150,000 files)
    except FileNotFoundError:
        return True
    return written < os.stat(file.abs_src_path).st_mtime  # noqa: PTH116


class _DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build is being performed" not in record.getMessage()


class Incremental(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Unlink what a dirty build will write; remove outputs of deleted sources after it."""

    def __init__(self, site_dir: Path, changes: Path, dirty: bool) -> None:
        super().__init__()
        self.dirty = dirty
        self.site_dir = site_dir
        self.changes = changes
        self.expected: set[str] = set(THEME_OUTPUTS)
        self.written: list[str] = []
        self.frozen: set[str] = set()  # docs folders whose outputs are kept unwalked

    def on_files(self, files: Files, **_: Any) -> Files:
        for file in files:
            self.expected.add(file.dest_uri)
            if _is_modified(file):
                self.written.append(file.dest_uri)
                Path(file.abs_dest_path).unlink(missing_ok=True)
                continue
            # Asked once: MkDocs asks again for every file it would copy (three stats each,
            # 150,000 files at ten years).
            file.is_modified = _never  # type: ignore[method-assign]
            if self.dirty and file.is_documentation_page():
                # A page kept from the previous build: MkDocs makes no page object of it,
                # which a dirty build would make, read and then skip.
                _keep(file)
        self.frozen = files.frozen if isinstance(files, FrozenFiles) else set()
        for name in THEME_OUTPUTS:
            (self.site_dir / name).unlink(missing_ok=True)
        return files

    def on_post_build(self, **_: Any) -> None:
        stale = []
        walked = []
        for folder, dirs, names in os.walk(self.site_dir):
            rel = Path(folder).relative_to(self.site_dir).as_posix()
            if rel == ".":
                dirs[:] = [d for d in dirs if d not in KEPT_PREFIXES]
            else:
                walked.append(folder)
            if self.frozen:  # a frozen docs folder's outputs: kept, not walked
                dirs[:] = [d for d in dirs
                           if (d if rel == "." else f"{rel}/{d}") not in self.frozen]
            for name in names:
                uri = name if rel == "." else f"{rel}/{name}"
                if uri not in self.expected:
                    stale.append(uri)
        for uri in stale:
            (self.site_dir / uri).unlink()
        for folder in reversed(walked):  # the deepest first: a folder emptied goes too
            path = Path(folder)
            if not any(path.iterdir()):
                path.rmdir()
        self.changes.write_text(json.dumps(sorted(self.written + stale)), encoding="utf-8")


def main(argv: list[str]) -> int:
    """Build the site of CONFIG into SITE_DIR (see the module); return the exit status."""
    config_file, site_dir, changes = argv[0], Path(argv[1]), Path(argv[2])
    dirty = "--dirty" in argv[3:]
    since = argv[argv.index("--since") + 1] if "--since" in argv[3:] else None
    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logging.getLogger("mkdocs.commands.build").addFilter(_DropDirtyWarning())
    try:
        config = load_config(config_file, strict=True, site_dir=str(site_dir))
        config.plugins["generator-incremental"] = Incremental(site_dir, changes, dirty)
        config.plugins["generator-compact-html"] = CompactHtml()
        if dirty and since is not None:
            mkdocs_build.get_files = frozen_files(int(since))  # type: ignore[assignment,attr-defined]
        build(config, dirty=dirty)
    except (Abort, BuildError, ConfigurationError) as exc:
        print(f"ERROR   -  {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
