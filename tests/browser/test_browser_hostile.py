"""Hostile company names and symbols, through the real pull, render and build, as Chromium
shows every page type: no script runs, nothing is injected, tables keep their shape, feeds
parse, CSV cells are formula-safe, and titles, descriptions and headers show the name as text.

The demo market is simulated, its companies renamed (every EQ company gets a name from
HOSTILE_NAMES, numbered by its rank) and the stocks the rendered briefs name (movers and
trend-label changes, found from the unrenamed market's figures, which renaming does not
change) get the symbols of HOSTILE_SYMBOLS; that market's archive is pulled, rendered and
built like any other.
"""

from __future__ import annotations

import base64
import csv
import dataclasses
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from browsing import DESKTOP, SEARCH_MESSAGE, SEARCH_RESULTS, Tab, console_report
from demo_store import REPO
from playwright.sync_api import Browser, Dialog, ViewportSize
from site_project import MKDOCS_YML, copy_static_pages

from generator.config import Config, load_config
from generator.demo import DemoMarket, simulate_market, write_archive
from generator.demo.meetings import plan_meetings
from generator.downloads import FORMULA_STARTS
from generator.escape import clean_text
from generator.links import stock_path
from generator.pages import brief_path
from generator.pipeline import compute_days, render_days
from generator.preview import serving
from generator.pull import archive_sessions, demo_archive, pull_day
from generator.site import build_site
from generator.store import Store

START, END = date(2025, 1, 1), date(2025, 3, 21)  # trend labels exist by the end
RENDERED_SESSIONS = 2

# Company names: "{n}" becomes the company's market-cap rank, so every name is unique and
# every payload carries its own marker (data-pwn=n, alert(n)).
HOSTILE_NAMES: tuple[str, ...] = (
    "<img src=x onerror=alert({n}) data-pwn={n}>",
    '"><svg onload=alert({n}) data-pwn={n}>',
    "</title><script data-pwn={n}>alert({n})</script>",
    "'><img src=x onerror=alert({n}) data-pwn={n}> O'Neil & Sons",
    '" onmouseover="alert({n})" data-pwn="{n}',
    "' onfocus='alert({n})' autofocus data-pwn='{n}",
    "[click me](javascript:alert({n})) Ltd",
    '![pwn](x "t"){{ onerror=alert({n}) data-pwn={n} }} Co',
    "{{: .pwn onclick=alert({n}) data-pwn={n} }} Corp",
    "{{{{ config.site_name }}}} {{% raw %}} {{# x #}} Holdings {n}",
    "<!-- unclosed comment {n}",
    "]]><x data-pwn={n}>CDATA end</x> Ltd",
    "&amp; &lt;b data-pwn={n}&gt; &#60;i&#62; &quot;AT&T&quot; &#x3C;u&#x3E; {n}",
    "Pipe | split | row | {n} | Ltd",
    "Back`ticks` ```fence``` \\| \\<b data-pwn={n}\\> {n}",
    "Evil\u202eCorp\u200b\u200c\u200d\u2060\ufeff\u061c\u2066Ltd\u2069 {n}",
    "Line one\nLine two\r\nLine three\u2028sep\u0085 <b data-pwn={n}>{n}</b>",
    "# Heading {n}\n- list item\n1. numbered\n> quote\n!!! danger \"pwn {n}\"",
    "*emph* _under_ **bold** ~~strike~~ ==mark== ^sup^ {n}",
    "=HYPERLINK(\"http://evil.example/?{n}\",\"x\")",
    "+cmd|' /C calc'!A0 {n}",
    "-2+3 @SUM(1) {n}",
    "</script><script>alert({n})</script><script data-pwn={n}>",
    "<iframe srcdoc=\"<script>parent.alert({n})</script>\" data-pwn={n}></iframe>",
    "<details open ontoggle=alert({n}) data-pwn={n}>x</details>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert({n}) data-pwn={n}>",
    "<a href=\"javascript:alert({n})\" data-pwn={n}>link</a> <style>*{{display:none}}</style>",
    "[ref]: javascript:alert({n})\n<https://evil.example/?data-pwn={n}>",
    "${{alert({n})}} {{{{constructor.constructor('alert({n})')()}}}} %3Cscript%3E {n}",
    "..\\..\\etc\\passwd ../../index.html C:\\CON {n}",
    "Ünïcödé 株式会社 شركة مساهمة Ελληνικά Ltd {n}",
    "Long" + "x" * 300 + " " + "Word " * 40 + "{n}",
    "<div markdown=\"1\">*md in html* <span data-pwn={n}>x</span></div>",
    "\\<img src=x onerror=alert({n}) data-pwn={n}\\>",
)

# Symbols as the import rule allows them: 1–32 of A–Z a–z 0–9 & - _ . with a letter or
# digit. Pairs that differ only in case or punctuation must still get pages of their own.
HOSTILE_SYMBOLS: tuple[str, ...] = (
    "M&M", "A&LTB", "&AMP", "&QUOT", "&GT&LT", "X.HTML", "-1", "_A", "..A", ".HTACCESS",
    "A.", "CON", "NUL", "AUX", "PRN", "COM1", "LPT1", "INDEX", "A--B", "A-B", "A_B", "A.B",
    "A&B", "A-AND-B", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", "abc", "ABC", "NA", "NULL",
    "NAN", "TRUE", "1E5", "0012", "-_-1", "A&amp",
)

SITE_SCRIPTS = ("assets/javascripts/", "javascripts/", "pagefind/", "pagefind-briefs/",
                "assets/vega/")
# Characters no page may show: clean_text strips them from names.
INVISIBLE = "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066" \
            "\u2067\u2068\u2069\ufeff"


def hostile_name(template: str, rank: int) -> str:
    """Return a corpus name with its marker set to the company's rank."""
    return template.replace("{{", "\0").replace("}}", "\1").replace("{n}", str(rank)) \
        .replace("\0", "{").replace("\1", "}")


@dataclass(frozen=True)
class HostileSite:
    """The built hostile site and what it was built from."""

    site_dir: Path
    docs_dir: Path
    address: str
    days: tuple[date, ...]
    segments: tuple[str, ...]
    names: dict[str, str]  # symbol -> company name, of every renamed stock
    roles: dict[str, set[str]]  # hostile symbol -> {"mover", "trend"}


def _config(root: Path) -> Config:
    return dataclasses.replace(load_config(REPO / "brief.toml"), root=root,
                               data_dir=root / "data", docs_dir=root / "site_src",
                               site_dir=root / "site", source="demo")


def _pull(config: Config, market: DemoMarket) -> tuple[Store, list[date]]:
    write_archive(market, demo_archive(config))
    store = Store(config.data_dir)
    days = archive_sessions(config)
    for day in days:
        pull_day(config, store, day, datetime.combine(END, datetime.min.time(), UTC))
    return store, days


def _named_isins(root: Path, market: DemoMarket) -> dict[str, set[str]]:
    """Return the ISINs the rendered briefs of the plain market name, with their roles."""
    config = _config(root)
    store, days = _pull(config, market)
    computed, _ = compute_days(config, store, days[-RENDERED_SESSIONS:])
    isin = {str(s): str(i) for s, i, kind in zip(market.instruments["symbol"],
                                                 market.instruments["isin"],
                                                 market.instruments["kind"], strict=True)
            if kind == "company"}
    roles: dict[str, set[str]] = {}
    for _, seg_days in reversed(computed):
        for sd in seg_days:
            changes = sd.trend_changes
            if changes is not None and not changes.empty:
                for frame in (changes.loc[changes["steps"] > 0].head(sd.trend_cap),
                              changes.loc[changes["steps"] < 0].head(sd.trend_cap)):
                    for symbol in frame["symbol"].astype(str):
                        roles.setdefault(isin[symbol], set()).add("trend")
            for frame in (sd.gainers, sd.losers):
                for symbol in frame["symbol"].astype(str):
                    roles.setdefault(isin[symbol], set()).add("mover")
    return roles


def _renamed(market: DemoMarket, roles: dict[str, set[str]]) -> tuple[DemoMarket, dict[str, str],
                                                                      dict[str, set[str]]]:
    """Return the market with hostile names and symbols, its names by symbol, and roles."""
    frame = market.instruments.copy()
    companies = frame.index[frame["kind"] == "company"]
    # Stocks in both lists first, then trend changes and movers by turns.
    both = sorted(i for i in roles if len(roles[i]) == 2)
    trend = sorted(i for i in roles if roles[i] == {"trend"})
    mover = sorted(i for i in roles if roles[i] == {"mover"})
    order = both + [i for pair in zip(trend, mover, strict=False) for i in pair]
    order += [i for i in trend + mover if i not in order]
    if len(order) < len(HOSTILE_SYMBOLS):
        raise AssertionError(f"the briefs name {len(order)} stocks, fewer than the "
                             f"{len(HOSTILE_SYMBOLS)} hostile symbols")
    symbol_of = dict(zip(order, HOSTILE_SYMBOLS, strict=False))
    names: dict[str, str] = {}
    hostile_roles: dict[str, set[str]] = {}
    for at in companies:
        rank = int(str(frame.at[at, "rank"]))
        name = hostile_name(HOSTILE_NAMES[rank % len(HOSTILE_NAMES)], rank)
        isin = str(frame.at[at, "isin"])
        if isin in symbol_of:
            frame.at[at, "symbol"] = symbol_of[isin]
            hostile_roles[symbol_of[isin]] = roles[isin]
        frame.at[at, "name"] = name
        # The BSE file is written without quoting line breaks; the name read is the
        # constituent list's, so the bhavcopy name loses them.
        frame.at[at, "bhav_name"] = re.sub(r"[\r\n\u0085\u2028]+", " ", name)
        names[str(frame.at[at, "symbol"])] = name
    taken = frame.loc[frame["kind"] != "company", "symbol"].astype(str)
    clash = set(taken) & set(HOSTILE_SYMBOLS)
    assert not clash, f"hostile symbols already used by other instruments: {clash}"
    renamed = dataclasses.replace(
        market, instruments=frame,
        meetings=plan_meetings(frame, market.seed, market.start, market.end))
    return renamed, names, hostile_roles


def build_hostile_site(root: Path) -> HostileSite:
    """Simulate, rename, pull, render the last sessions and build the hostile site."""
    market = simulate_market(load_config(REPO / "brief.toml").demo.seed, START, END)
    roles = _named_isins(root / "plain", market)
    renamed, names, hostile_roles = _renamed(market, roles)
    config = _config(root / "hostile")
    store, days = _pull(config, renamed)
    copy_static_pages(config.docs_dir)
    rendered = days[-RENDERED_SESSIONS:]
    render_days(config, store, rendered)
    build_site(config, MKDOCS_YML)
    return HostileSite(config.site_dir, config.docs_dir, config.site_url, tuple(rendered),
                       tuple(s.key for s in config.segments), names, hostile_roles)


# --- what every page is checked for ----------------------------------------------------

_PROBE = """([siteScripts, invisible]) => {
    const out = [];
    const origin = location.origin;
    for (const el of document.querySelectorAll('*')) {
        for (const a of el.attributes) {
            const n = a.name.toLowerCase();
            if (n.startsWith('on')) out.push(`${el.tagName} has ${n}`);
            if (n === 'data-pwn' || n === 'autofocus') out.push(`${el.tagName} has ${n}`);
            if (['href', 'src', 'action', 'formaction', 'xlink:href', 'srcdoc', 'data']
                    .includes(n) && /^\\s*((java|vb)script:|data:text)/i.test(a.value)
                    && !(a.value === 'javascript:void(0);' && el.closest('.pagefind-ui'))) {
                out.push(`${el.tagName} ${n}=${a.value.slice(0, 60)}`);
            }
        }
    }
    for (const s of document.querySelectorAll('script')) {
        const src = s.getAttribute('src');
        if (src) {
            const url = new URL(src, location.href);
            if (url.origin !== origin || !siteScripts.some(p => url.pathname.includes('/' + p))) {
                out.push(`script from ${src}`);
            }
        } else if (/alert|pwn/i.test(s.textContent)) {
            out.push(`inline script ${s.textContent.slice(0, 60)}`);
        }
    }
    const bad = 'iframe, object, embed, math, mglyph, base, x, img[src="x"], svg[onload],'
        + ' details[ontoggle], a[href^="javascript" i], style:not([data-site])';
    for (const el of document.querySelectorAll(bad)) {
        // Vega's view adds a style sheet of its own; the corpus's is `*{display:none}`.
        if (el.tagName === 'STYLE' && !/pwn|\\*\\{display:none\\}/.test(el.textContent)) continue;
        // A chart SVG's own classes (generator.charts.svg_trim): class rules only.
        if (el.tagName.toLowerCase() === 'style' && el.closest('svg')
                && /^(\\.c\\d+\\{[^{}<@]*\\})+$/.test(el.textContent)) continue;
        out.push(`injected <${el.tagName.toLowerCase()}>`);
    }
    const text = document.title + ' ' + (document.body ? document.body.innerText : '');
    for (const ch of invisible) {
        if (text.includes(ch)) {
            out.push(`page text shows U+${ch.codePointAt(0).toString(16).toUpperCase()}`);
        }
    }
    for (const table of document.querySelectorAll('article table')) {
        const head = table.querySelectorAll('thead tr:first-child > th').length;
        table.querySelectorAll('tbody tr').forEach((row, i) => {
            if (row.children.length !== head) {
                out.push(`table row ${i + 1} has ${row.children.length} cells, header ${head}`);
            }
        });
    }
    return out;
}"""


def _fold(text: str) -> str:
    """Collapse whitespace as HTML shows it."""
    return re.sub(r"[ \t\n\r\f]+", " ", text).strip()


@dataclass
class Watch:
    """A tab on the hostile site, with the dialogs any of its pages opened."""

    tab: Tab
    dialogs: list[str]

    def problems(self) -> list[str]:
        """Return what is wrong with the page shown: injected elements and attributes,
        foreign scripts, invisible characters, tables whose rows lost or gained cells."""
        return list(self.tab.page.evaluate(_PROBE, [list(SITE_SCRIPTS), INVISIBLE]))


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> HostileSite:
    """The demo market with hostile names and symbols, pulled, rendered and built."""
    return build_hostile_site(tmp_path_factory.mktemp("hostile-site"))


@pytest.fixture(scope="session")
def hostile_url(hostile_site: HostileSite) -> Iterator[str]:
    """The base URL of the hostile site, served on a free port of 127.0.0.1."""
    with serving(hostile_site.site_dir, hostile_site.address) as url:
        yield url


@pytest.fixture
def watch(browser: Browser, hostile_url: str) -> Iterator[Watch]:
    """A desktop tab on the hostile site; console errors on its pages fail the test."""
    context = browser.new_context(
        viewport=ViewportSize(width=DESKTOP["width"], height=DESKTOP["height"]))
    context.set_default_timeout(15_000)
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        where = dialog.page.url if dialog.page else "?"
        dialogs.append(f"{dialog.type}: {dialog.message!r} on {where}")
        dialog.dismiss()

    context.on("dialog", on_dialog)
    tab = Tab(context.new_page(), hostile_url)
    yield Watch(tab, dialogs)
    context.close()
    if tab.console_errors:
        pytest.fail(f"console errors:\n{console_report(tab.console_errors)}", pytrace=False)


def _page_url(docs_path: str) -> str:
    """Return the site URL of a docs page: stocks/m-and-m.md -> stocks/m-and-m/."""
    return re.sub(r"(^|/)index$", "", docs_path.removesuffix(".md")) + "/"


def _stock_pages(site: HostileSite) -> dict[str, str]:
    """Return the page URL of every hostile symbol and of one stock per corpus name."""
    pages = {symbol: _page_url(stock_path(symbol)) for symbol in site.roles}
    by_template: dict[int, str] = {}
    for symbol, name in site.names.items():
        built = site.site_dir / _page_url(stock_path(symbol)) / "index.html"
        rank = int(re.findall(r"\d+", name)[-1]) if re.findall(r"\d+", name) else -1
        if built.is_file() and rank >= 0:
            by_template.setdefault(rank % len(HOSTILE_NAMES), symbol)
    pages.update({symbol: _page_url(stock_path(symbol)) for symbol in by_template.values()})
    return pages


def _site_pages(site: HostileSite) -> list[str]:
    """Return every page type of the hostile site except stock pages, as site URLs."""
    pages = ["", "archive/", f"archive/{site.days[-1]:%Y-%m}/", "stocks/", "tags/", "search/",
             "corrections/"]
    for day in site.days:
        pages.append(f"briefs/{day:%Y/%m/%d}/")
        pages += [_page_url(brief_path(day, seg)) for seg in site.segments]
    pages += [f"segments/{seg}/" for seg in site.segments]
    return pages


def _visit(watch: Watch, urls: list[str]) -> list[str]:
    problems = []
    for url in urls:
        watch.tab.open(url)
        watch.tab.page.wait_for_load_state("networkidle")
        problems += [f"/{url}: {p}" for p in watch.problems()]
    return problems


# --- the tests -----------------------------------------------------------------------------

def test_hostile_corpus_is_large_and_symbols_follow_the_import_rule() -> None:
    assert len(HOSTILE_NAMES) >= 20 and len(HOSTILE_SYMBOLS) >= 20
    rule = re.compile(r"(?=.*[A-Za-z0-9])[A-Za-z0-9&\-_.]{1,32}")
    assert [s for s in HOSTILE_SYMBOLS if not rule.fullmatch(s)] == []
    assert len(set(HOSTILE_SYMBOLS)) == len(HOSTILE_SYMBOLS)


def test_hostile_stocks_are_movers_and_trend_changes(hostile_site: HostileSite) -> None:
    roles = hostile_site.roles
    assert set(roles) == set(HOSTILE_SYMBOLS)
    assert sum("mover" in r for r in roles.values()) >= 5
    assert sum("trend" in r for r in roles.values()) >= 5


def test_hostile_pages_run_no_script_and_inject_nothing(
        watch: Watch, hostile_site: HostileSite) -> None:
    """Every page type, and every hostile stock's page: no dialog, nothing injected,
    tables intact, no bidirectional or zero-width character shown."""
    urls = _site_pages(hostile_site) + sorted(set(_stock_pages(hostile_site).values()))
    problems = _visit(watch, urls)
    assert not watch.dialogs, "dialogs opened:\n" + "\n".join(watch.dialogs)
    assert not problems, "\n".join(problems)


def test_hostile_stock_pages_show_names_as_text(
        watch: Watch, hostile_site: HostileSite) -> None:
    """Title, meta description, header and heading hold the symbol and name as text: not
    markup, not double-escaped (&amp;), without invisible characters."""
    wrong = []
    for symbol, url in sorted(_stock_pages(hostile_site).items()):
        name = _fold(clean_text(hostile_site.names[symbol]))
        watch.tab.open(url)
        shown = watch.tab.page.evaluate("""() => ({
            title: document.title,
            description: document.querySelector('meta[name=description]').content,
            header: document.querySelector('.md-header__topic[data-md-component=header-topic]'
                                           + ' .md-ellipsis')?.textContent ?? '',
            h1: document.querySelector('article h1')?.childNodes[0]?.textContent ?? '',
        })""")
        expected = {
            "title": f"{symbol}: {name} - Market Briefs",
            "description": f"Every brief that named {name} ({symbol}), its recent closes and "
                           "trend label",
            "header": f"{symbol}: {name}",
            "h1": f"{name} ({symbol})",
        }
        for key, value in expected.items():
            if _fold(shown[key]) != _fold(value):
                wrong.append(f"/{url} {key}: {shown[key]!r}, expected {value!r}")
    assert not watch.dialogs, "dialogs opened:\n" + "\n".join(watch.dialogs)
    assert not wrong, "\n".join(wrong)


def test_hostile_brief_tags_and_tables_keep_symbols_as_text(
        watch: Watch, hostile_site: HostileSite) -> None:
    """A brief's stock tags link each symbol's own page with the symbol as its text."""
    seen: dict[str, str] = {}
    for day in hostile_site.days:
        for seg in hostile_site.segments:
            watch.tab.open(_page_url(brief_path(day, seg)))
            for href, text in watch.tab.page.locator("nav.brief-stocks a.md-tag").evaluate_all(
                    "as => as.map(a => [a.getAttribute('href'), a.textContent.trim()])"):
                seen[text] = href
    missing = [s for s in HOSTILE_SYMBOLS if s not in seen]
    assert not missing, f"symbols with no tag: {missing}"
    for symbol in HOSTILE_SYMBOLS:
        slug = stock_path(symbol).removeprefix("stocks/").removesuffix(".md")
        assert seen[symbol].endswith(f"stocks/{slug}/"), (symbol, seen[symbol])
    hrefs = [seen[s] for s in HOSTILE_SYMBOLS]
    assert len(set(hrefs)) == len(hrefs), "two symbols share a page"


def test_hostile_chart_files_and_interactive_views_run_no_script(
        watch: Watch, hostile_site: HostileSite) -> None:
    """An SVG opened on its own, the SVG a stock page carries, and the interactive view of
    each chart of a brief and a stock page (its spec read from the page), run nothing from
    the data."""
    brief = _page_url(brief_path(hostile_site.days[-1], "small"))
    stock = _stock_pages(hostile_site)["M&M"]
    problems = _visit(watch, [f"{brief}../small-prices.svg"])
    watch.tab.open(stock)
    source = watch.tab.page.locator(".chart[data-spec-inline] img").get_attribute("src") or ""
    assert source.startswith("data:image/svg+xml;base64,"), source[:80]
    svg = base64.b64decode(source.split(",", 1)[1]).decode("utf-8")
    # Parsed, not searched: the hostile names are in it, as text.
    elements = list(ET.fromstring(svg).iter())
    assert not [e.tag for e in elements if e.tag.rpartition("}")[2].lower() in
                {"script", "foreignobject", "iframe", "a"}]
    assert not [(e.tag, name) for e in elements for name, value in e.attrib.items()
                if name.rpartition("}")[2].lower().startswith("on")
                or "javascript:" in value.lower()]
    for url in (brief, stock):
        watch.tab.open(url)
        buttons = watch.tab.page.locator(".chart button")
        for i in range(buttons.count()):
            buttons.nth(i).click()
        watch.tab.page.locator(".vega-embed").first.wait_for()
        watch.tab.page.wait_for_load_state("networkidle")
        for box in watch.tab.page.locator(".vega-embed").all():
            box.hover()
        problems += [f"/{url}: {p}" for p in watch.problems()]
    assert not watch.dialogs, "dialogs opened:\n" + "\n".join(watch.dialogs)
    assert not problems, "\n".join(problems)


def test_hostile_chart_data_tables_show_names_as_text(
        watch: Watch, hostile_site: HostileSite) -> None:
    """Opening "Chart data" builds each brief chart's table from its spec: the price
    panels' table heads a column, as text, with each stock of the brief's Movers table, and
    nothing from the data runs."""
    compared = 0
    for day in hostile_site.days:
        for seg in hostile_site.segments:
            watch.tab.open(_page_url(brief_path(day, seg)))
            page = watch.tab.page
            movers = page.locator("xpath=//h2[@id='movers']/following::table[1]")
            chart = page.locator('.chart[data-spec$="#prices"]')
            if not movers.count() or not chart.count():
                continue
            shown = movers.locator("tbody tr").evaluate_all(
                "rs => rs.map(r => r.cells[1].textContent)")
            chart.locator("summary").click()
            chart.locator("details table tbody tr").first.wait_for()
            heads = chart.locator("details table thead th").evaluate_all(
                "hs => hs.map(h => h.textContent)")
            assert heads[0] == "Date", (day, seg)
            assert sorted(set(heads[1:])) == sorted(set(shown)), (day, seg)
            compared += 1
    assert compared, "no brief with price panels"
    assert not watch.dialogs, "dialogs opened:\n" + "\n".join(watch.dialogs)
    assert not watch.problems(), "\n".join(watch.problems())


@pytest.mark.parametrize("term", ["pwn", "onerror", "script", "M&M", "abc", "Evil", "株式会社"])
def test_hostile_search_results_run_no_script(watch: Watch, term: str) -> None:
    watch.tab.open(f"search/?q={quote(term)}")
    message = watch.tab.page.locator(SEARCH_MESSAGE)
    message.filter(has_text=re.compile(r"\bresults? for\b")).wait_for(timeout=15_000)
    watch.tab.page.wait_for_load_state("networkidle")
    if watch.tab.page.locator(SEARCH_RESULTS).count():
        watch.tab.page.wait_for_function(
            "sel => [...document.querySelectorAll(sel)].every(li => li.querySelector('a'))",
            arg=SEARCH_RESULTS)
    problems = watch.problems()
    assert not watch.dialogs, "dialogs opened:\n" + "\n".join(watch.dialogs)
    assert not problems, "\n".join(problems)


def test_hostile_feeds_parse_with_names_as_text(hostile_site: HostileSite) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    feeds = sorted((hostile_site.site_dir / "feeds").glob("*.xml"))
    assert len(feeds) == len(hostile_site.segments) + 1
    for feed in feeds:
        root = ET.fromstring(feed.read_bytes())
        entries = list(root.iter(f"{atom}entry"))
        assert entries, feed.name
        for entry in entries:
            for tag in ("title", "summary"):
                element = entry.find(f"{atom}{tag}")
                assert element is not None and len(element) == 0, (feed.name, tag)
                assert element.get("type", "text") == "text", (feed.name, tag)
                text = element.text or ""
                assert not set(text) & set(INVISIBLE), (feed.name, text)
                assert "\n" not in text, (feed.name, text)
            link = entry.find(f"{atom}link")
            assert link is not None
            page = str(link.get("href")).removeprefix(hostile_site.address).rstrip("/")
            data = json.loads((hostile_site.docs_dir / f"{page}.json").read_text("utf-8"))
            top = data["gainers"][0]
            wanted = f"Top gainer: {clean_text(top['name'])} ({top['symbol']}), "
            assert wanted in (entry.findtext(f"{atom}summary") or ""), (feed.name, wanted)


def test_hostile_csv_cells_are_formula_safe(hostile_site: HostileSite) -> None:
    numeric = {"close", "prev_close", "return_pct", "volume", "mover_rank"}
    files = sorted(hostile_site.site_dir.glob("briefs/*/*/*/*.csv.zip"))
    assert [p.name for p in files] == ["constituents.csv.zip"] * len(hostile_site.days)
    texts = []
    for path in files:
        with zipfile.ZipFile(path) as archive:
            assert len(archive.namelist()) == len(hostile_site.segments)
            texts += [(f"{path.parent.name}/{m}", archive.read(m).decode("utf-8"))
                      for m in archive.namelist()]
    names = set()
    for name, text in texts:
        rows = list(csv.reader(io.StringIO(text, newline="")))
        header = rows[0]
        for row in rows[1:]:
            assert len(row) == len(header), (name, row)
            for column, cell in zip(header, row, strict=True):
                if column not in numeric:
                    assert not cell.startswith(FORMULA_STARTS), (name, column, cell)
                assert not set(cell) & set(INVISIBLE), (name, column, cell)
            names.add(row[header.index("name")])
    assert any(n.startswith("'=HYPERLINK") for n in names)
    assert any(n.startswith("'+cmd") for n in names)


def test_hostile_json_downloads_load(hostile_site: HostileSite) -> None:
    site = hostile_site.site_dir
    catalogue = json.loads((site / "briefs" / "index.json").read_text("utf-8"))
    symbols = {s for year in catalogue["years"]
               for brief in json.loads((site / year["index"]).read_text("utf-8"))["briefs"]
               for s in brief["symbols"]}
    assert set(HOSTILE_SYMBOLS) <= symbols
