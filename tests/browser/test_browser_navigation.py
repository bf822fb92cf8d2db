"""A reader's ways through the built site in Chromium: links and history, search, keyboard."""

from __future__ import annotations

import json
import re

import pytest
from browsing import (
    CHART_BUTTON,
    INTERACTIVE_CHART,
    Tab,
    console_report,
    movers_symbol,
    no_stock_link_message,
    search_results,
    stock_links,
)
from playwright.sync_api import Error
from served_site import BuiltSite, normalise_path

BRIEF_HREF = re.compile(r"/briefs/\d{4}/\d\d/\d\d/[a-z]+/$")
STOCK_PATH = re.compile(r"^/stocks/[^/]+/$")
MAX_TABS = 250
OWN_404 = "Failed to load resource: the server responded with a status of 404"


def test_navigation_home_to_brief_to_stock_and_back(tab: Tab, built_site: BuiltSite) -> None:
    tab.open("")
    home_heading = tab.heading()
    hrefs = tab.page.locator("article a[href]").evaluate_all("as => as.map(a => a.href)")
    first_brief = next((h for h in hrefs if BRIEF_HREF.search(h)), None)
    assert first_brief is not None, f"home links to no brief; links: {hrefs[:20]}"
    segment = first_brief.rstrip("/").rsplit("/", 1)[1]
    brief = "/" + built_site.brief_url_path(built_site.latest, segment)
    assert normalise_path(first_brief, tab.base_url) == brief, (
        f"home's first brief link is {first_brief}, expected the latest session's {brief}")

    _click(tab, first_brief)
    assert tab.path == brief, f"the link to {brief} on home led to {tab.page.url}"
    brief_heading = built_site.brief_heading(built_site.latest, segment)
    assert tab.heading() == brief_heading, f"{brief}: heading {tab.heading()!r}"

    links = stock_links(tab.page)
    assert links, no_stock_link_message(tab)
    href, name = links[0]
    _click(tab, href)
    assert STOCK_PATH.match(tab.path), f"stock link {href} from {brief} led to {tab.page.url}"
    stock_heading = tab.heading()
    assert name.lower() in stock_heading.lower() or stock_heading.lower() in name.lower(), (
        f"{tab.path}: heading {stock_heading!r} does not name the stock linked as {name!r}")

    tab.page.go_back(wait_until="load")
    assert tab.path == brief, f"Back from the stock page went to {tab.page.url}"
    assert tab.heading() == brief_heading, f"Back on {brief}: heading {tab.heading()!r}"
    tab.page.go_back(wait_until="load")
    assert tab.path == "/", f"Back from the brief went to {tab.page.url}"
    assert tab.heading() == home_heading, f"Back on home: heading {tab.heading()!r}"


def _click(tab: Tab, href: str) -> None:
    """Click the first link in the page's article that resolves to `href`, and wait."""
    links = tab.page.locator("article a[href]")
    hrefs = links.evaluate_all("as => as.map(a => a.href)")
    with tab.page.expect_navigation(wait_until="load"):
        links.nth(hrefs.index(href)).click()


def test_search_for_a_stock_in_a_brief_lists_the_brief(tab: Tab, built_site: BuiltSite) -> None:
    brief = built_site.brief_url_path(built_site.latest, "small")
    tab.open(brief)
    links = stock_links(tab.page)
    term = links[0][1] if links else movers_symbol(tab.page)
    assert term, f"/{brief} names no stock in its tag row or Movers table"
    try:
        found = search_results(tab, term, "/" + brief)
    except Error as error:
        found = [f"none appeared ({error.message.splitlines()[0]})"]
    assert "/" + brief in found, (
        f"search for {term!r} (named on /{brief}) did not list /{brief}; results: {found}")


@pytest.mark.parametrize(("by", "newest"), [("company name", True), ("date", True),
                                           ("segment and date", True), ("date", False)])
def test_search_by_name_or_date_lists_the_brief(by: str, newest: bool, tab: Tab,
                                                built_site: BuiltSite) -> None:
    """The newest brief is found by its company, date or segment; the oldest, in another
    year's search bundle, by its date."""
    day = built_site.latest if newest else built_site.days[0]
    assert newest or day.year < built_site.latest.year
    brief = "/" + built_site.brief_url_path(day, "small")
    figures = json.loads((built_site.docs_dir / f"briefs/{day:%Y/%m/%d}/small.json")
                         .read_text(encoding="utf-8"))
    date_words = f"{day.day} {day:%B %Y}"  # as the brief's dateline prints it
    term = {"company name": figures["gainers"][0]["name"], "date": date_words,
            "segment and date": f"{figures['label']} {date_words}"}[by]
    try:
        found = search_results(tab, term, brief)
    except Error as error:
        found = [f"none appeared ({error.message.splitlines()[0]})"]
    assert brief in found, f"search for {term!r} did not list {brief}; results: {found}"


def test_keyboard_tab_reaches_the_chart_button_and_enter_opens_it(
    tab: Tab, built_site: BuiltSite
) -> None:
    brief = built_site.brief_url_path(built_site.latest, "small")
    tab.open(brief)
    seen: list[str] = []
    for _ in range(MAX_TABS):
        tab.page.keyboard.press("Tab")
        focused = tab.page.evaluate(
            "(sel) => { const e = document.activeElement;"
            " return {chart: !!e && e.matches(sel),"
            " text: e ? (e.tagName + ' ' + (e.innerText || e.getAttribute('aria-label') || ''))"
            ".trim().slice(0, 40) : ''}; }",
            CHART_BUTTON,
        )
        if focused["chart"]:
            break
        seen.append(focused["text"])
    else:
        pytest.fail(f"/{brief}: {MAX_TABS} Tab presses never focused a '{CHART_BUTTON}' "
                    f"(Interactive view); focus went through {seen[:25]}…", pytrace=False)
    label = focused["text"].lower()
    assert "interactive" in label, f"/{brief}: the first chart button reads {focused['text']!r}"
    before = len(tab.console_errors)
    tab.page.keyboard.press("Enter")
    drawn = tab.page.locator(f"{INTERACTIVE_CHART} :is(svg, canvas)").first
    try:
        drawn.wait_for(state="visible", timeout=15_000)
    except Error:
        shown = tab.page.locator(".chart").first.inner_text()
        pytest.fail(f"/{brief}: Enter on the chart button drew no '{INTERACTIVE_CHART}' chart "
                    f"within 15 s; the chart shows {shown[:300]!r}; console errors: "
                    f"{console_report(tab.console_errors[before:])}; requests off the site "
                    f"(answered empty): "
                    f"{tab.offsite}", pytrace=False)
    after = console_report(tab.console_errors[before:])
    assert not after, f"/{brief}: console errors after Enter on the chart button:\n{after}"



def test_every_chart_of_a_brief_and_a_stock_page_opens_its_interactive_view(
    tab: Tab, built_site: BuiltSite
) -> None:
    """A brief's charts read their specs from one bundle, fetched once for all of them; a
    stock page's chart reads its spec from the page itself (no request)."""
    brief = built_site.brief_url_path(built_site.latest, "small")
    tab.open(brief)
    stock = stock_links(tab.page)[0][0]
    for url, bundles in ((brief, 1), (stock, 0)):
        tab.open(url)
        before = len(tab.console_errors)
        buttons = tab.page.locator(CHART_BUTTON)
        count = buttons.count()
        assert count >= (4 if url == brief else 1), f"/{url}: {count} chart buttons"
        for i in range(count):
            buttons.nth(i).click()
        views = tab.page.locator(f"{INTERACTIVE_CHART} :is(svg, canvas)")
        try:
            views.nth(count - 1).wait_for(state="visible", timeout=15_000)
        except Error:
            pytest.fail(f"{url}: {views.count()} of {count} interactive views drawn; errors: "
                        f"{tab.page.locator('.chart-live--error').all_inner_texts()}",
                        pytrace=False)
        assert tab.page.locator(".chart-live--error").count() == 0
        fetched = tab.page.evaluate(
            "() => performance.getEntriesByType('resource').map(e => e.name)"
            ".filter(n => n.includes('.charts.json') || n.includes('.vl.json'))")
        assert len(fetched) == bundles, f"{url}: spec requests {fetched}"
        assert not console_report(tab.console_errors[before:])

def test_a_missing_address_shows_the_styled_404_page_with_a_way_home(tab: Tab) -> None:
    """The server answers as GitHub Pages does: 404.html for any missing address, deep or
    not. Its stylesheets and links must work from there, under the site's path."""
    for missing in ("briefs/1999/01/01/small/", "no-such-page"):
        response = tab.page.goto(tab.base_url + missing, wait_until="load")
        assert response is not None and response.status == 404, (missing, response)
        assert "404" in tab.heading(), f"/{missing}: heading {tab.heading()!r}"
        sheets = tab.page.evaluate(
            "() => [...document.styleSheets].filter(s => s.href).map(s => [s.href, "
            "(() => { try { return s.cssRules.length; } catch (e) { return 0; } })()])")
        unstyled = [href for href, rules in sheets if not rules]
        assert sheets and not unstyled, f"/{missing}: stylesheets without rules: {unstyled}"
    # The browser logs each page's own 404 status as an error; nothing else may be logged.
    tab.console_errors[:] = [(page, text) for page, text in tab.console_errors
                             if not (text.startswith(OWN_404) and page in text)]
    with tab.page.expect_navigation(wait_until="load"):
        tab.page.locator("a.md-header__button.md-logo").click()
    assert tab.path == "/", f"the 404 page's home button led to {tab.page.url}"
