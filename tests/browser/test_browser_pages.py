"""The built pages as Chromium shows them: charts, console, a phone's width, screenshots."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from browsing import (
    PHONE,
    Tab,
    chart_problems,
    console_report,
    no_stock_link_message,
    overflowing_elements,
    stock_links,
)
from served_site import BuiltSite

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _site_pages(built_site: BuiltSite) -> list[str]:
    """Return one page of every kind the site has, as site-relative URLs."""
    day = built_site.latest
    return ["", f"briefs/{day:%Y/%m/%d}/", f"archive/{day:%Y-%m}/", "archive/",
            f"segments/{built_site.segments[0]}/", "methodology/", "tags/", "about/",
            *(built_site.brief_url_path(day, segment) for segment in built_site.segments)]


def test_pages_log_no_console_errors(tab: Tab, built_site: BuiltSite) -> None:
    """Visit a page of every kind, every page of the header's tabs and a linked stock page."""
    tab.open("")
    tabs = tab.page.locator("a.md-tabs__link").evaluate_all("as => as.map(a => a.href)")
    tab.open(built_site.brief_url_path(built_site.latest, "small"))
    stocks = [href for href, _ in stock_links(tab.page)[:1]]
    # A brief without stock links fails test_navigation_home_to_brief_to_stock_and_back.
    tab.open_each(_site_pages(built_site) + tabs + stocks)
    assert not tab.console_errors, f"console errors:\n{console_report(tab.console_errors)}"


def test_charts_load_with_alt_text_and_a_data_table(tab: Tab, built_site: BuiltSite) -> None:
    problems: list[str] = []
    counts: dict[str, int] = {}
    for page in _site_pages(built_site):
        tab.open(page)
        counts[page], found = chart_problems(tab)
        problems += found
    briefs = [built_site.brief_url_path(built_site.latest, s) for s in built_site.segments]
    assert all(counts[b] >= 3 for b in briefs), f"charts per page: {counts}"
    assert not problems, "\n".join(problems)


def test_charts_on_a_stock_page_load(tab: Tab, built_site: BuiltSite) -> None:
    tab.open(built_site.brief_url_path(built_site.latest, "small"))
    links = stock_links(tab.page)
    assert links, no_stock_link_message(tab)
    tab.open(links[0][0])
    _, problems = chart_problems(tab)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("kind", ["home", "day", "brief", "stock"])
def test_phone_width_has_no_horizontal_scroll(
    kind: str, open_tab: Callable[..., Tab], built_site: BuiltSite
) -> None:
    tab = open_tab(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    brief = built_site.brief_url_path(built_site.latest, "small")
    tab.open({"home": "", "day": f"briefs/{built_site.latest:%Y/%m/%d}/"}.get(kind, brief))
    if kind == "stock":
        links = stock_links(tab.page)
        assert links, no_stock_link_message(tab)
        tab.open(links[0][0])
    scroll, inner = tab.page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]")
    width = PHONE["width"]
    assert scroll <= width and inner == width, (
        f"{tab.path} scrolls sideways at {width} px: content is {scroll} px wide (a phone "
        f"zooms out to {inner} px); sticking out: "
        + "; ".join(overflowing_elements(tab.page, width)))


@pytest.mark.parametrize("name", ["home", "brief"])
def test_readme_screenshots(name: str, tab: Tab, built_site: BuiltSite) -> None:
    """Save the README's screenshots (docs/screenshots/) from the built site, 1280×900."""
    tab.open("" if name == "home" else built_site.brief_url_path(built_site.latest, "small"))
    tab.page.evaluate("async () => { await document.fonts.ready; }")
    image = tab.page.screenshot(full_page=False, type="png", animations="disabled")
    assert image[:8] == b"\x89PNG\r\n\x1a\n" and len(image) > 20_000, f"{name}: tiny screenshot"
    target = SCREENSHOTS / f"{name}.png"
    if not target.is_file() or target.read_bytes() != image:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(image)


def test_numeric_columns_are_right_aligned(tab: Tab, built_site: BuiltSite) -> None:
    """Tables name their aligned columns once (generator.site.table_align) and the
    stylesheet aligns them: every cell of a column marked right-aligned is drawn so."""
    tab.open(built_site.brief_url_path(built_site.latest, "small"))
    found = tab.page.evaluate("""() => {
        const out = [];
        for (const table of document.querySelectorAll("article table[data-right]")) {
            const right = table.getAttribute("data-right").split(" ").map(Number);
            for (const row of table.rows) {
                Array.from(row.cells).forEach((cell, i) => {
                    const want = right.includes(i + 1) ? "right" : null;
                    if (want) out.push([want, getComputedStyle(cell).textAlign]);
                });
            }
        }
        return out;
    }""")
    assert len(found) > 20, f"right-aligned cells found: {len(found)}"
    wrong = [got for want, got in found if got != want]
    assert not wrong, f"{len(wrong)} of {len(found)} cells not right-aligned: {wrong[:3]}"
