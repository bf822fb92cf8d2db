"""Pagefind's search index, one bundle per period, merged by the search page at query time.

- `pagefind/`: stock and segment pages (its UI scripts are the ones the search page loads);
- `pagefind-briefs/<yyyy>-<mm>/`: the briefs of one month of the newest year;
- `pagefind-briefs/<yyyy>/`: the briefs of one earlier year;
- `pagefind-briefs/bundles.json`: those bundles, newest first, for the search page to merge.

A bundle is written whole by Pagefind, and a page added to it changes nearly every one of
its index chunks (measured: one day added to a year of 1,000 briefs rewrote 44 of its 44).
So the day's briefs go into a bundle of one month (about 90 briefs, 5 chunks), and a year
becomes one bundle when the next year begins: a day's build re-indexes the month of the
pages it wrote (and the stock and segment pages when one of them changed) and keeps every
other bundle as it was, while a search merges at most 12 months and one bundle per earlier
year. A brief bundle keeps only the index files a merged bundle is read for. Each
bundle's filter and metadata files are then put in a fixed order (`search_order`), so the
same pages give byte-identical bundles.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from generator.pages import BRIEFS
from generator.site.problems import BuildError, first_problem
from generator.site.search_order import order_index

PAGES_BUNDLE = "pagefind"
BRIEFS_BUNDLES = "pagefind-briefs"
BUNDLES_FILE = "bundles.json"
# Pages indexed in the pages bundle (briefs are in their period's bundle).
PAGE_FOLDERS = ("stocks", "segments")


def brief_bundles(years: dict[str, list[str]]) -> list[str]:
    """Return the brief bundles of an archive whose briefs are in `years` (year -> its month
    folders), newest first: one per month of the newest year, one per earlier year."""
    if not years:
        return []
    newest = max(years)
    months = [f"{newest}-{month}" for month in sorted(years[newest], reverse=True)]
    return months + sorted((year for year in years if year != newest), reverse=True)


def bundle_of(uri: str, newest: str | None) -> str | None:
    """Return the brief bundle a docs-relative output path of a brief page belongs to."""
    parts = uri.split("/")
    if len(parts) < 3 or parts[0] != BRIEFS or not parts[1].isdigit():
        return None
    return f"{parts[1]}-{parts[2]}" if parts[1] == newest else parts[1]


def brief_folders(tree: Path) -> dict[str, list[str]]:
    """Return year -> month folders of the briefs in a docs or site tree."""
    root = tree / BRIEFS
    if not root.is_dir():
        return {}
    return {year.name: [m.name for m in year.iterdir() if m.is_dir() and m.name.isdigit()]
            for year in root.iterdir() if year.is_dir() and year.name.isdigit()}


def index_search(site: Path, written: Iterable[str] | None) -> None:
    """Index a built site: every bundle when `written` is None, else only the bundles of
    the periods whose pages are in `written` (docs-relative output paths), or missing."""
    years = brief_folders(site)
    newest = max(years) if years else None
    wanted = brief_bundles(years)
    bundles = site / BRIEFS_BUNDLES
    stale = ({p.name for p in bundles.iterdir() if p.is_dir()} - set(wanted)
             if bundles.is_dir() else set())
    for name in stale:
        shutil.rmtree(bundles / name)
    if written is None:
        pages, todo = True, set(wanted)
    else:
        # Only searchable pages count: a day page that gained a "next" link is not indexed.
        html = [uri for uri in written if uri.endswith(".html") and _searchable(site / uri)]
        pages = any(uri.split("/")[0] in PAGE_FOLDERS for uri in html)
        todo = {period for uri in html if (period := bundle_of(uri, newest))} & set(wanted)
    pages = pages or not (site / PAGES_BUNDLE / "pagefind.js").is_file()
    todo |= {name for name in wanted if not (bundles / name / "pagefind-entry.json").is_file()}
    if pages:
        _index(site, site / PAGES_BUNDLE,
               "{" + ",".join(PAGE_FOLDERS) + "}/**/*.html")
    for name in sorted(todo):
        _index(site, bundles / name, f"{BRIEFS}/{name.replace('-', '/')}/**/*.html")
        _keep_index_only(bundles / name)
    bundles.mkdir(exist_ok=True)
    for old in (bundles / "years.json", bundles / BUNDLES_FILE):  # years.json: older builds
        old.unlink(missing_ok=True)  # may be a link into the previous build
    (bundles / BUNDLES_FILE).write_text(json.dumps(wanted) + "\n", encoding="utf-8")


def _keep_index_only(bundle: Path) -> None:
    """Remove what a merged bundle never serves: its scripts, styles and WebAssembly (about
    700 KB a bundle). The search page runs the pages bundle's; a merged bundle is read for
    its entry, metadata, index chunks, filters and fragments only."""
    for path in bundle.iterdir():
        if path.is_file() and not path.name.endswith((".json", ".pf_meta")):
            path.unlink()


def _searchable(page: Path) -> bool:
    """Return True if a written page is one Pagefind indexes (or is gone: its bundle must
    drop it)."""
    return not page.is_file() or "data-pagefind-body" in page.read_text(encoding="utf-8")


def _index(site: Path, output: Path, glob: str) -> None:
    """Write one Pagefind bundle of the pages matching `glob` into `output`."""
    if output.exists():
        shutil.rmtree(output)  # links into the previous build: only the links go
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--glob", glob,
         "--output-path", str(output), "--quiet"],
        capture_output=True, text=True, check=False, env={**os.environ, "NO_COLOR": "1"},
    )
    if result.returncode != 0 or not (output / "pagefind.js").is_file():
        raise BuildError(f"pagefind could not index {glob} of {site}: "
                         f"{first_problem(result)}; the previous site is unchanged")
    order_index(output)
