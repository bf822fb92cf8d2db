"""The search index's bundles: a month per bundle in the newest year, a year per bundle
before it, each written by a real Pagefind and kept as it is until a page of its period
changes."""

from __future__ import annotations

import json
from pathlib import Path

from generator.site.search import (
    BRIEFS_BUNDLES,
    BUNDLES_FILE,
    brief_bundles,
    bundle_of,
    index_search,
)

PAGE = ("<!doctype html><html lang=\"en\"><head><title>{title}</title></head>"
        "<body><main data-pagefind-body><h1>{title}</h1><p>{text}</p></main></body></html>")


def _page(site: Path, uri: str, text: str) -> str:
    path = site / uri
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PAGE.format(title=uri, text=text), encoding="utf-8")
    return uri


def _inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino
            for p in folder.rglob("*") if p.is_file()}


def _indexed(bundle: Path) -> int:
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(lang["page_count"] for lang in entry["languages"].values())


def test_bundles_are_the_newest_years_months_then_earlier_years_newest_first() -> None:
    assert brief_bundles({}) == []
    assert brief_bundles({"2024": ["12"]}) == ["2024-12"]
    assert brief_bundles({"2023": ["01", "12"], "2025": ["02", "01", "10"],
                          "2024": ["06"]}) == ["2025-10", "2025-02", "2025-01", "2024", "2023"]
    assert bundle_of("briefs/2025/02/03/small/index.html", "2025") == "2025-02"
    assert bundle_of("briefs/2024/02/03/small/index.html", "2025") == "2024"
    assert bundle_of("briefs/index.html", "2025") is None
    assert bundle_of("stocks/x/index.html", "2025") is None


def test_a_day_reindexes_its_month_keeps_the_others_and_a_new_year_folds_the_old_one(
        tmp_path: Path) -> None:
    site = tmp_path / "site"
    _page(site, "stocks/abc/index.html", "Alpha Beta Chemicals")
    _page(site, "briefs/2024/11/29/small/index.html", "november brief")
    _page(site, "briefs/2024/12/30/small/index.html", "december brief")
    index_search(site, None)
    bundles = site / BRIEFS_BUNDLES
    assert json.loads((bundles / BUNDLES_FILE).read_text()) == ["2024-12", "2024-11"]
    assert _indexed(bundles / "2024-12") == _indexed(bundles / "2024-11") == 1
    assert _indexed(site / "pagefind") == 1
    # A merged bundle is read for its index only; the search page runs pagefind/'s code.
    kept = {p.name for p in (bundles / "2024-12").iterdir()}
    assert {"pagefind-entry.json", "index", "fragment"} <= kept
    assert {p.suffix for p in (bundles / "2024-12").iterdir() if p.is_file()} == {
        ".json", ".pf_meta"}
    assert (site / "pagefind/pagefind.js").is_file()

    # A day of the next month: only its month's bundle is written.
    november = _inodes(bundles / "2024-11")
    pages = _inodes(site / "pagefind")
    index_search(site, [_page(site, "briefs/2024/12/31/small/index.html", "another")])
    assert _inodes(bundles / "2024-11") == november
    assert _inodes(site / "pagefind") == pages
    assert _indexed(bundles / "2024-12") == 2

    # A new year: its first month is a bundle, and the year before becomes one bundle.
    index_search(site, [_page(site, "briefs/2025/01/02/small/index.html", "new year")])
    assert json.loads((bundles / BUNDLES_FILE).read_text()) == ["2025-01", "2024"]
    assert sorted(p.name for p in bundles.iterdir() if p.is_dir()) == ["2024", "2025-01"]
    assert _indexed(bundles / "2024") == 3
    assert _indexed(bundles / "2025-01") == 1
    closed = _inodes(bundles / "2024")
    index_search(site, [_page(site, "briefs/2025/02/03/small/index.html", "february")])
    assert _inodes(bundles / "2024") == closed
    assert json.loads((bundles / BUNDLES_FILE).read_text()) == ["2025-02", "2025-01", "2024"]

    # The same pages indexed whole give the same bundles, byte for byte.
    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes()
                for p in root.rglob("*") if p.is_file()}

    step = files(site)
    index_search(site, None)
    assert files(site) == step
