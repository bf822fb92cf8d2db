"""A real `mkdocs build --strict` of a small archive, and what readers get from it."""

from __future__ import annotations

import json
import re
import runpy
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import scenario
from site_project import MKDOCS_YML, copy_static_pages, tree_bytes

from generator.pipeline import render_days
from generator.site import BuildError, build_site


class _Text(HTMLParser):
    """Collect the visible text and the tags of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "img":
            self.images.append(dict(attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(path: Path) -> _Text:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture
def built(tmp_path: Path) -> scenario.Scenario:
    crafted = scenario.build(tmp_path)
    copy_static_pages(crafted.config.docs_dir)
    render_days(crafted.config, crafted.store, [scenario.DAY])
    build_site(crafted.config, MKDOCS_YML)
    return crafted


def test_build_site_strict_writes_every_page(built: scenario.Scenario) -> None:
    site = built.config.site_dir
    for page in ("index.html", "briefs/2026/02/12/index.html", "briefs/2026/02/12/small/index.html",
                 "archive/index.html", "archive/2026-02/index.html", "segments/small/index.html",
                 "methodology/index.html", "tags/index.html", "about/index.html"):
        assert (site / page).is_file(), page
    assert (site / "briefs/2026/02/12/small-returns.svg").read_text().startswith("<svg")


def test_build_site_renders_hostile_names_literally(built: scenario.Scenario) -> None:
    page = _parse(built.config.site_dir / "briefs/2026/02/12/small/index.html")
    text = "".join(page.text)
    assert scenario.HOSTILE in text
    assert "co" not in page.tags  # no <Co> element was created


def test_build_site_charts_have_alt_text_and_stay_out_of_search(built: scenario.Scenario) -> None:
    page = _parse(built.config.site_dir / "briefs/2026/02/12/small/index.html")
    charts = [img for img in page.images if (img.get("src") or "").endswith(".svg")]
    assert len(charts) == 5
    assert all(len(img.get("alt") or "") > 40 for img in charts)
    html = (built.config.site_dir / "briefs/2026/02/12/small/index.html").read_text()
    assert len(re.findall(r'<div class="chart"[^>]*data-spec=', html)) == 5
    assert html.count('data-pagefind-ignore="all"') == 6  # five charts and the sources
    assert "data-pagefind-body" in html


def test_build_site_indexes_briefs_stocks_and_segments_for_search(
    built: scenario.Scenario,
) -> None:
    site = built.config.site_dir
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text())
    indexed = sum(lang["page_count"] for lang in entry["languages"].values())
    searchable = [p for p in site.rglob("index.html") if "data-pagefind-body" in p.read_text()]
    kinds = {p.relative_to(site).parts[0] for p in searchable}
    assert kinds == {"briefs", "stocks", "segments"}
    assert indexed == len(searchable)
    assert not (site / "search/search_index.json").exists()  # Material's index is not built


def test_build_site_keeps_previous_site_when_strict_build_fails(
    built: scenario.Scenario,
) -> None:
    before = tree_bytes(built.config.site_dir)
    broken = built.config.docs_dir / "about.md"
    broken.write_text(broken.read_text() + "\n[gone](no-such-page.md)\n")
    with pytest.raises(BuildError, match=r"no-such-page\.md"):
        build_site(built.config, MKDOCS_YML)
    assert tree_bytes(built.config.site_dir) == before


def test_generated_pages_put_no_character_references_in_code_spans(
    built: scenario.Scenario,
) -> None:
    import re

    for page in built.config.docs_dir.rglob("*.md"):
        for span in re.findall(r"`[^`\n]*`", page.read_text(encoding="utf-8")):
            assert "&#" not in span, (page, span)


def test_build_site_twice_gives_a_byte_identical_site(built: scenario.Scenario) -> None:
    first = tree_bytes(built.config.site_dir)
    second = tree_bytes(build_site(built.config, MKDOCS_YML))
    # Pagefind's search index included: its filter and meta files are put in order.
    assert sorted(k for k in set(first) | set(second) if first.get(k) != second.get(k)) == []
    assert {k for k in first if k.startswith("pagefind/filter/")}  # filters were built


def test_sitemap_lists_every_page_at_the_site_address_with_its_brief_date(
        built: scenario.Scenario) -> None:
    base = built.config.site_url
    sitemap = (built.config.site_dir / "sitemap.xml").read_text(encoding="utf-8")
    entries = dict(re.findall(r"<loc>([^<]+)</loc>\s*<lastmod>([^<]+)</lastmod>", sitemap))
    assert entries[f"{base}briefs/2026/02/12/small/"] == "2026-02-12"
    # Pages without a date of their own carry the newest brief's day, not the build's.
    assert entries[base] == "2026-02-12"
    assert f"{base}stocks/" in entries
    brief = (built.config.site_dir / "briefs/2026/02/12/small/index.html").read_text("utf-8")
    assert f'<link rel="canonical" href="{base}briefs/2026/02/12/small/">' in brief


def test_404_page_links_work_under_the_site_path(built: scenario.Scenario) -> None:
    """GitHub Pages serves 404.html for any missing address, so its links cannot be relative;
    they start with the path of the site address (a project site lives under /<repo>/)."""
    path = urlsplit(built.config.site_url).path
    assert path != "/"
    page = (built.config.site_dir / "404.html").read_text(encoding="utf-8")
    links = re.findall(r'(?:href|src)="([^"#:]+)"', page)
    assert links and all(link.startswith(path) for link in links), links


def test_dates_hook_gives_a_dated_page_its_own_sitemap_date() -> None:
    hook = runpy.run_path(str(MKDOCS_YML.parent / "overrides/hooks/dates.py"))
    dated = SimpleNamespace(meta={"date": date(2026, 1, 2)}, update_date="2026-02-12")
    undated = SimpleNamespace(meta={}, update_date="2026-02-12")
    assert hook["on_page_markdown"]("text", page=dated) == "text"
    hook["on_page_markdown"]("text", page=undated)
    assert (dated.update_date, undated.update_date) == ("2026-01-02", "2026-02-12")


def _beside(site: Path) -> list[str]:
    return sorted(p.name for p in site.parent.iterdir() if p.name.startswith(f".{site.name}"))


def test_the_site_is_a_link_switched_to_each_new_build(built: scenario.Scenario) -> None:
    site = built.config.site_dir
    first = site.resolve()
    assert site.is_symlink() and first.name.startswith(".site-")
    assert first.stat().st_mode & 0o777 == 0o755
    assert _beside(site) == [first.name]

    build_site(built.config, MKDOCS_YML)

    assert site.resolve() != first and not first.exists()  # the previous build is gone
    assert _beside(site) == [site.resolve().name]


def test_the_site_never_disappears_while_it_is_rebuilt(built: scenario.Scenario) -> None:
    import threading

    index = built.config.site_dir / "index.html"
    missing: list[int] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            if not index.is_file():
                missing.append(1)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for _ in range(2):
            build_site(built.config, MKDOCS_YML)
    finally:
        stop.set()
        watcher.join()
    assert missing == []


def test_a_killed_build_leaves_nothing_the_next_build_keeps(built: scenario.Scenario) -> None:
    site = built.config.site_dir
    live = site.resolve()
    (site.parent / ".site-killed").mkdir()
    (site.parent / ".site-killed/index.html").write_text("half", encoding="utf-8")
    (site.parent / ".site-killed.yml").write_text("INHERIT: x\n", encoding="utf-8")
    (site.parent / ".site-link").symlink_to(".site-killed")

    build_site(built.config, MKDOCS_YML)

    assert _beside(site) == [site.resolve().name]
    assert not live.exists()


def test_a_site_folder_of_an_older_version_becomes_the_link(built: scenario.Scenario) -> None:
    import shutil

    site = built.config.site_dir
    build = site.resolve()
    site.unlink()
    shutil.copytree(build, site)  # a real folder, as older versions built it
    shutil.rmtree(build)

    build_site(built.config, MKDOCS_YML)

    assert site.is_symlink() and (site / "index.html").is_file()
    assert _beside(site) == [site.resolve().name]
