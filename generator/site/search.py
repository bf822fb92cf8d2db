"""Pagefind's search index, one bundle per period, merged by the search page at query time.

- `pagefind/`: stock and segment pages (its UI scripts are the ones the search page loads);
- `pagefind-briefs/<year>/`: the briefs of one year;
- `pagefind-briefs/years.json`: the years, newest first, for the search page to merge.

A year's briefs never change once published, so a day's build re-indexes the year of the
pages it wrote (and the stock and segment pages when one of them changed) and keeps every
other bundle as it was. Each bundle's filter and metadata files are then put in a fixed order
(`search_order`), so the same pages give byte-identical bundles.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from generator.site.problems import BuildError, first_problem
from generator.site.search_order import order_index

PAGES_BUNDLE = "pagefind"
BRIEFS_BUNDLES = "pagefind-briefs"
YEARS_FILE = "years.json"
# Pages indexed in the pages bundle (briefs are in their year's bundle).
PAGE_FOLDERS = ("stocks", "segments")


def index_search(site: Path, written: Iterable[str] | None) -> None:
    """Index a built site: every bundle when `written` is None, else only the bundles of
    the periods whose pages are in `written` (docs-relative output paths), or missing."""
    years = sorted((p.name for p in (site / "briefs").iterdir()
                    if p.is_dir() and p.name.isdigit()), reverse=True) \
        if (site / "briefs").is_dir() else []
    bundles = site / BRIEFS_BUNDLES
    stale = ({p.name for p in bundles.iterdir() if p.is_dir()} - set(years)
             if bundles.is_dir() else set())
    for name in stale:
        shutil.rmtree(bundles / name)
    if written is None:
        pages, todo = True, set(years)
    else:
        # Only searchable pages count: a day page that gained a "next" link is not indexed.
        html = [uri for uri in written if uri.endswith(".html") and _searchable(site / uri)]
        pages = any(uri.split("/")[0] in PAGE_FOLDERS for uri in html)
        todo = {uri.split("/")[1] for uri in html if uri.startswith("briefs/")} & set(years)
    pages = pages or not (site / PAGES_BUNDLE / "pagefind.js").is_file()
    todo |= {year for year in years if not (bundles / year / "pagefind-entry.json").is_file()}
    if pages:
        _index(site, site / PAGES_BUNDLE,
               "{" + ",".join(PAGE_FOLDERS) + "}/**/*.html")
    for year in sorted(todo):
        _index(site, bundles / year, f"briefs/{year}/**/*.html")
    bundles.mkdir(exist_ok=True)
    listing = bundles / YEARS_FILE
    listing.unlink(missing_ok=True)  # may be a link into the previous build
    listing.write_text(json.dumps(years) + "\n", encoding="utf-8")


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
