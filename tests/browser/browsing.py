"""A browser tab on the served site that records what went wrong, and the page contracts the
tests read (stock links, charts, search results) in one place."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from playwright.sync_api import ConsoleMessage, Page, Route, WebError
from served_site import normalise_path

# The contracts of the pages under test.
STOCK_TAGS = 'nav.md-tags a.md-tag[href*="stocks/"]'
STOCK_LINKS = 'article a[href*="stocks/"]'
CHART = ".chart"
CHART_BUTTON = ".chart button"
INTERACTIVE_CHART = ".vega-embed"
SEARCH_PAGE = "search/"
SEARCH_RESULT_LINKS = ".pagefind-ui__results a[href]"
SEARCH_MORE = "button.pagefind-ui__button"
SEARCH_MESSAGE = ".pagefind-ui__message"
SEARCH_RESULTS = "li.pagefind-ui__result"
# Chromium starts quietly on a machine whose network is closed only with these flags.
CHROMIUM_FLAGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-quic")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


@dataclass
class Tab:
    """A page in a browser context of its own; the console errors and uncaught exceptions
    of every page of that context are collected in `console_errors`.

    Requests that leave the site are answered with an empty response (and listed in
    `offsite`), so the tests do not depend on the network and a closed one logs no errors.
    """

    page: Page
    base_url: str
    console_errors: list[tuple[str, str]] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        context = self.page.context
        context.on("console", self._console)
        context.on("weberror", self._web_error)
        context.route(lambda url: not url.startswith(self.base_url), self._stub)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url") or ""
            line = message.location.get("lineNumber")
            origin = f" (from {where}:{line})" if where else ""
            page = _path(message.page.url) if message.page else "?"
            self.console_errors.append((page, f"{message.text}{origin}"))

    def _web_error(self, error: WebError) -> None:
        page = _path(error.page.url) if error.page else "?"
        self.console_errors.append((page, f"uncaught {error.error.name}: {error.error.message}"))

    def _stub(self, route: Route) -> None:
        self.offsite.append(route.request.url)
        kind = "text/css" if "css" in route.request.url else "text/plain"
        route.fulfill(status=200, body="", content_type=kind)

    @property
    def path(self) -> str:
        """Return the path of the page shown within the site, like '/briefs/2025/02/14/small/'."""
        return normalise_path(self.page.url, self.base_url)

    def open(self, url: str) -> None:
        """Load a page of the site by its URL (absolute or site-relative); it must answer 200."""
        _load(self.page, urljoin(self.base_url, url), self.base_url)

    def open_each(self, urls: list[str]) -> None:
        """Load every URL in a page of its own, then wait until none makes a request.

        Requests a page makes after its load event (and their errors) are seen this way,
        at the cost of one wait for the whole set rather than one per page.
        """
        pages = []
        for url in dict.fromkeys(urljoin(self.base_url, url) for url in urls):
            page = self.page.context.new_page()
            _load(page, url, self.base_url)
            pages.append(page)
        for page in pages:
            page.wait_for_load_state("networkidle")
            page.close()

    def heading(self) -> str:
        """Return the text of the page's H1 without its permalink sign."""
        return str(self.page.evaluate(
            """() => {
                const h1 = document.querySelector('article h1');
                if (!h1) return '';
                const copy = h1.cloneNode(true);
                copy.querySelectorAll('.headerlink').forEach(a => a.remove());
                return copy.textContent.trim();
            }"""
        ))


def _path(url: str) -> str:
    return urlsplit(url).path


def _load(page: Page, url: str, base_url: str) -> None:
    response = page.goto(url, wait_until="load")
    status = response.status if response else None
    assert status == 200, f"/{url.removeprefix(base_url)} answered {status}, expected 200"


def console_report(errors: list[tuple[str, str]]) -> str:
    """Return one line per distinct console error, with the pages that logged it."""
    pages: dict[str, list[str]] = {}
    for page, text in errors:
        pages.setdefault(text, [])
        if page not in pages[text]:
            pages[text].append(page)
    return "\n".join(f"  {text} — on {', '.join(where)}" for text, where in pages.items())


def stock_links(page: Page) -> list[tuple[str, str]]:
    """Return (absolute href, text) of the page's links to stock pages, tag row first."""
    found: list[tuple[str, str]] = []
    for selector in (STOCK_TAGS, STOCK_LINKS):
        for link in page.locator(selector).all():
            pair = (str(link.evaluate("a => a.href")), link.inner_text().strip())
            if pair not in found:
                found.append(pair)
    return found


def no_stock_link_message(tab: Tab) -> str:
    """Say what a brief lacks when it links to no stock page."""
    tags = tab.page.locator("nav.md-tags a.md-tag").all_inner_texts()
    return (f"{tab.path} links to no stock page: no '{STOCK_TAGS}' in its tag row "
            f"(tags there: {tags}) and no '{STOCK_LINKS}' (e.g. in Movers)")


def movers_symbol(page: Page) -> str | None:
    """Return the first symbol of the brief's Movers table, if it has one."""
    cell = page.locator("xpath=//h2[@id='movers']/following::table[1]/tbody/tr[1]/td[2]")
    return cell.inner_text().strip() if cell.count() else None


def search_results(tab: Tab, term: str, wanted: str) -> list[str]:
    """Search the site for `term`; return result paths, loading more until `wanted` shows
    or every result is on the page.

    The UI says how many pages matched, shows them a few at a time behind its button, and
    fills each one in when its fragment arrives; the count, not the button's presence at
    one instant, says when the list is complete.
    """
    tab.open(f"{SEARCH_PAGE}?q={quote(term)}")
    message = tab.page.locator(SEARCH_MESSAGE)
    message.filter(has_text=re.compile(r"\bresults? for\b")).wait_for(timeout=15_000)
    found = re.match(r"\s*(\d+|No) results?", message.inner_text())
    total = int(found.group(1)) if found and found.group(1).isdigit() else 0
    items = tab.page.locator(SEARCH_RESULTS)
    links = tab.page.locator(SEARCH_RESULT_LINKS)
    while True:
        shown = items.count()
        # Every shown result has its link once its fragment has loaded.
        tab.page.wait_for_function(
            "([item, link]) => [...document.querySelectorAll(item)].every("
            "li => li.querySelector(link))", arg=[SEARCH_RESULTS, SEARCH_RESULT_LINKS],
            timeout=15_000)
        hrefs = links.evaluate_all("as => as.map(a => a.href)")
        paths = [normalise_path(h, tab.base_url) for h in hrefs]
        if wanted in paths or shown >= total:
            return paths
        tab.page.locator(SEARCH_MORE).first.click(timeout=10_000)
        tab.page.wait_for_function(
            "([sel, n]) => document.querySelectorAll(sel).length > n",
            arg=[SEARCH_RESULTS, shown], timeout=10_000)


def chart_problems(tab: Tab) -> tuple[int, list[str]]:
    """Return how many charts the page has and what is wrong with each one.

    Every `.chart` needs an image that loads (lazy images are scrolled to first) with a
    non-empty alt text, and a data table with rows inside `details.chart-data`: a details
    whose table the chart's spec carries (`data-table="lazy"`) is opened, as a reader
    would, and its table waited for.
    """
    report: list[dict[str, Any]] = tab.page.evaluate(
        """async (selector) => {
            const out = [];
            for (const chart of document.querySelectorAll(selector)) {
                const img = chart.querySelector('img');
                const details = chart.querySelector('details.chart-data');
                const row = {src: img ? img.getAttribute('src') : null,
                             alt: img ? (img.getAttribute('alt') || '').trim() : '',
                             width: 0, rows: 0, lazy: false};
                if (img) {
                    img.scrollIntoView();
                    try { await img.decode(); } catch (e) {}
                    row.width = img.naturalWidth;
                }
                if (details && details.getAttribute('data-table') === 'lazy') {
                    row.lazy = true;
                    details.open = true;
                    for (let i = 0; i < 100 && !details.querySelector('table'); i++) {
                        await new Promise(done => setTimeout(done, 50));
                    }
                }
                const table = details && details.querySelector('table');
                row.rows = table ? table.querySelectorAll('tbody tr').length : -1;
                row.text = details ? details.textContent.trim().slice(0, 200) : '';
                out.push(row);
            }
            return out;
        }""",
        CHART,
    )
    problems = []
    for number, chart in enumerate(report, 1):
        name = f"{tab.path} chart {number} ({chart['src']})"
        if chart["src"] is None:
            problems.append(f"{name}: no <img>")
            continue
        if chart["width"] <= 0:
            problems.append(f"{name}: image did not load (naturalWidth 0)")
        if not chart["alt"]:
            problems.append(f"{name}: empty alt text")
        if chart["rows"] < 1:
            how = "opened, " if chart["lazy"] else ""
            problems.append(f"{name}: no data table with rows inside details.chart-data "
                            f"({how}it says {chart['text']!r})")
    return len(report), problems


def overflowing_elements(page: Page, width: int) -> list[str]:
    """Describe the outermost elements that stick out past `width` px from the left edge,
    ignoring those inside a container that scrolls or clips sideways."""
    return list(page.evaluate(
        """(width) => {
            const limit = width + 0.5;
            const describe = el => {
                const parts = [];
                for (let e = el; e && e.nodeType === 1 && parts.length < 4; e = e.parentElement) {
                    let part = e.tagName.toLowerCase();
                    if (e.id) part += '#' + e.id;
                    else if (e.classList.length) part += '.' + [...e.classList].join('.');
                    parts.unshift(part);
                    if (e.id) break;
                }
                return parts.join(' > ');
            };
            const clipped = el => {
                for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
                    const x = getComputedStyle(e).overflowX;
                    if (x !== 'visible') return true;
                }
                return false;
            };
            const out = [];
            for (const el of document.body.querySelectorAll('*')) {
                const box = el.getBoundingClientRect();
                if (box.width === 0 || box.right <= limit || clipped(el)) continue;
                const parent = el.parentElement;
                if (parent !== document.body && parent.getBoundingClientRect().right > limit) {
                    continue;
                }
                out.push(`${describe(el)} (right edge ${Math.round(box.right)} px)`);
            }
            return out.slice(0, 10);
        }""",
        width,
    ))


def run_axe(tab: Tab, axe_script: Path) -> list[dict[str, Any]]:
    """Run axe-core on the page shown and return its violations."""
    tab.page.add_script_tag(path=str(axe_script))
    result = tab.page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return list(result["violations"])


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """Return one line per axe violation with its impact, rule, help and first targets."""
    lines = []
    for v in violations:
        targets = [" ".join(map(str, node["target"])) for node in v["nodes"][:5]]
        more = f" (+{len(v['nodes']) - 5} more)" if len(v["nodes"]) > 5 else ""
        why = " ".join((v["nodes"][0].get("failureSummary") or "").split())[:240]
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} — {len(v['nodes'])} nodes: "
                     f"{json.dumps(targets)}{more}\n      first: {why}")
    return "\n".join(lines)
