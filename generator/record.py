"""The archive of record: a git branch on the remote holding what the site is made from.

Its tree:
  README.md                       what the branch is (this layout)
  store/raw/<kind>/<day>/...      every exchange file as received, with its sidecar and
                                  earlier revisions (the data dir's raw/)
  store/derived/...               what the briefs used that is computed over many days
                                  (trend labels per session)
  published/briefs/YYYY/MM/DD/    each published brief as written: Markdown, figures (JSON),
                                  constituents (CSV), charts and their specs, corrections

Parsed Parquet tables are a cache rebuilt from raw files and stay out; index, day, segment
and stock pages, feeds and the search index are rebuilt from the published briefs and the
store on every publish. The branch's history keeps every earlier version of every file.

Locally the store lives in the data dir and the published briefs in the docs dir, as every
other task expects. `restore` brings them in step with the remote's branch; `stage` turns
them back into trees for the next commit. The last state the local folders were in step
with is a private ref, `refs/market-brief/synced/<key of the data dir>`.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import date, datetime

from generator.config import Config
from generator.gitrepo import EMPTY_TREE, PRIVATE_REFS, GitRepo, TreeEntry
from generator.pages import BRIEFS, folder_day
from generator.store import META_SUFFIX

STORE = "store"
PUBLISHED = "published"
STORE_DIRS = ("raw", "derived")
# A Parquet table left by an older version (derived/trend_labels.parquet) is not archived.
STORE_PATHS = (*STORE_DIRS, ":(exclude,glob)derived/*.parquet")
PUBLISHED_PATHS = (f":(glob){BRIEFS}/[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/**",
                   f":(exclude,glob){BRIEFS}/*/*/*/index.md")
_BRIEF = re.compile(rf"^{BRIEFS}/(\d{{4}})/(\d\d)/(\d\d)/([^/]+)\.md$")
_RAW = re.compile(r"^raw/[^/]+/(\d{4}-\d\d-\d\d)/([^/]+)$")

README = """# The archive of record

This branch is written by `invoke publish`; do not edit it by hand. It holds everything
the site is made from, so that any clone of the project can render the next session and
rebuild the whole site:

- `store/raw/<kind>/<YYYY-MM-DD>/<file>`: every exchange file exactly as received, with
  `<file>.meta.json` (source, time received, SHA-256, size) and `.revisions/` (a file's
  earlier contents when the exchange re-issued it);
- `store/derived/`: figures the briefs used that are computed over many sessions (the
  trend label of every company on every published session);
- `published/briefs/YYYY/MM/DD/`: each published brief as written (Markdown, figures as
  JSON, constituents as CSV, charts with their Vega-Lite specs) and `corrections.json`
  where a brief was corrected.

Each commit is one publish; the history keeps every earlier version of every file.
"""


@dataclass(frozen=True)
class Trees:
    """The two halves of an archive state."""

    store: str
    published: str


class Record:
    """The local store and published briefs, kept in step with the archive branch."""

    def __init__(self, repo: GitRepo, config: Config) -> None:
        self.repo = repo
        self.data_dir = config.data_dir
        self.docs_dir = config.docs_dir
        self.store_index = repo.index("store", config.data_dir)
        self.published_index = repo.index("published", config.docs_dir)
        # The archive commit the local folders were last in step with.
        self.synced = f"{PRIVATE_REFS}/synced/{self.store_index.stem.split('-')[-1]}"

    def trees(self, commit: str | None) -> Trees:
        """Return the store and published trees of an archive commit (empty for None)."""
        if commit is None:
            return Trees(EMPTY_TREE, EMPTY_TREE)
        return Trees(self.repo.rev(f"{commit}:{STORE}") or EMPTY_TREE,
                     self.repo.rev(f"{commit}:{PUBLISHED}") or EMPTY_TREE)

    def restore(self, tip: str | None) -> None:
        """Bring the local folders in step with the archive commit `tip` (None: no archive).

        Store files the archive holds are written where the local copy is missing or older
        than the archive; files only this machine has (a pull not yet published) are kept.
        The published briefs become exactly the archive's: a brief rendered here but not
        published is removed, to be rendered again by the publish that publishes it.
        """
        synced = self.repo.rev(self.synced)
        target = self.trees(tip)
        if tip is not None:
            base = self.trees(synced).store if synced and self.store_index.is_file() else None
            self.repo.checkout(target.store, self.data_dir, self.store_index, base)
            # Files deleted locally since the last sync come back; edited ones are kept.
            gone = self.repo.run("ls-files", "-z", "--deleted", work_tree=self.data_dir,
                                 index=self.store_index).split("\0")
            if any(gone):
                self.repo.run("checkout-index", "--force", "--stdin", "-z",
                              work_tree=self.data_dir, index=self.store_index,
                              stdin="\0".join(p for p in gone if p) + "\0")
        self.repo.checkout(target.published, self.docs_dir, self.published_index)
        for stray in self.repo.untracked(self.docs_dir, self.published_index, PUBLISHED_PATHS):
            (self.docs_dir / stray).unlink()
        published = set(self.published_days(target.published))
        root = self.docs_dir / BRIEFS
        for folder in sorted(root.glob("[0-9]*/[0-9]*/[0-9]*")) if root.is_dir() else []:
            day = folder_day(folder, self.docs_dir)
            if day is not None and day not in published:
                shutil.rmtree(folder)
        if tip is not None:
            self.repo.update_ref(self.synced, tip)

    def stage(self) -> Trees:
        """Return the trees of the local store and published briefs as they are now."""
        for name in STORE_DIRS:
            (self.data_dir / name).mkdir(parents=True, exist_ok=True)
        store = self.repo.stage(self.data_dir, self.store_index, STORE_PATHS)
        if not any((self.docs_dir / BRIEFS).glob("[0-9]*/[0-9]*/[0-9]*/*.md")):
            return Trees(store, EMPTY_TREE)
        return Trees(store, self.repo.stage(self.docs_dir, self.published_index,
                                            PUBLISHED_PATHS))

    def commit(self, parent: str | None, trees: Trees, message: str,
               when: datetime) -> str | None:
        """Write an archive commit of `trees` on top of `parent`; None if nothing changed."""
        entries = [TreeEntry("100644", "blob", self.repo.blob(README), "README.md")]
        entries += [TreeEntry("040000", "tree", sha, name)
                    for name, sha in ((PUBLISHED, trees.published), (STORE, trees.store))
                    if sha != EMPTY_TREE]
        root = self.repo.mktree(entries)
        if parent is not None and self.repo.tree(parent) == root:
            return None
        return self.repo.commit(root, [parent] if parent else [], message, when)

    def published_days(self, tree: str) -> list[date]:
        """Return the sessions with a brief in a published tree, oldest first."""
        return sorted({day for day, _ in self.briefs(tree)})

    def briefs(self, tree: str) -> list[tuple[date, str]]:
        """Return (session, segment) of every brief in a published tree."""
        if tree == EMPTY_TREE:
            return []
        found = []
        for entry in self.repo.ls_tree(tree, BRIEFS):
            if (m := _BRIEF.match(entry.path)) and m[4] != "index":
                found.append((date(int(m[1]), int(m[2]), int(m[3])), m[4]))
        return found

    def changed_days(self, before: str, after: str) -> set[date]:
        """Return the days whose raw files differ between two store trees (sidecars and
        kept revisions aside)."""
        out = self.repo.run("diff-tree", "-r", "-z", "--name-only", before, after, "--", "raw")
        days = set()
        for path in out.split("\0"):
            if (m := _RAW.match(path)) and not m[2].endswith(META_SUFFIX):
                days.add(date.fromisoformat(m[1]))
        return days
