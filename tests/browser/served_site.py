"""The demo site built once, served over real HTTP on 127.0.0.1, and read back as links."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from demo_store import pulled_demo
from site_project import MKDOCS_YML, copy_static_pages

from generator.pages import brief_path
from generator.pipeline import render_days
from generator.site import build_site

# The rendered sessions straddle a new year, so the search page merges bundles of two
# periods (a year and a month: `generator.site.search`).
DEMO_START, DEMO_END = date(2024, 11, 18), date(2025, 1, 2)
RENDERED_SESSIONS = 3
# Attributes that point at another file of the site, by tag.
LINK_ATTRS = {"a": "href", "img": "src", "link": "href", "script": "src"}
_NOT_FETCHED = ("mailto:", "tel:", "javascript:", "data:")


@dataclass(frozen=True)
class BuiltSite:
    """The built demo site: where its files are and which briefs it holds."""

    site_dir: Path
    docs_dir: Path
    days: tuple[date, ...]
    segments: tuple[str, ...]
    address: str  # the configured site address; the site is served at its path

    @property
    def latest(self) -> date:
        """Return the newest rendered session."""
        return self.days[-1]

    def brief_url_path(self, day: date, segment: str) -> str:
        """Return the site-relative URL of a brief, e.g. 'briefs/2025/02/14/small/'."""
        return brief_path(day, segment).removesuffix(".md") + "/"

    def brief_heading(self, day: date, segment: str) -> str:
        """Return the brief's H1 as the generator wrote it in Markdown."""
        text = (self.docs_dir / brief_path(day, segment)).read_text(encoding="utf-8")
        return next(line[2:].strip() for line in text.splitlines() if line.startswith("# "))


def build_demo_site(root: Path) -> BuiltSite:
    """Pull the demo market into a store of its own, render its last sessions, build."""
    config, store, days = pulled_demo(root, DEMO_START, DEMO_END)
    copy_static_pages(config.docs_dir)
    rendered = days[-RENDERED_SESSIONS:]
    render_days(config, store, rendered)
    build_site(config, MKDOCS_YML)
    return BuiltSite(config.site_dir, config.docs_dir, tuple(rendered),
                     tuple(s.key for s in config.segments), config.site_url)


class _Links(HTMLParser):
    """Collect the links of a page (tag, attribute value) and every id or name it defines."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.ids.add(str(values[name]))
        target = values.get(LINK_ATTRS.get(tag, ""))
        if target is not None:
            self.links.append((tag, target.strip()))


@dataclass(frozen=True)
class Page:
    """One HTML file of the site: its URL, its links and the fragment targets it defines."""

    url: str
    links: tuple[tuple[str, str], ...]
    ids: frozenset[str]


def read_page(site_dir: Path, path: Path, base_url: str) -> Page:
    """Parse one built HTML file, with the URL it is served at."""
    relative = path.relative_to(site_dir).as_posix()
    url = urljoin(base_url, re.sub(r"(^|/)index\.html$", r"\1", relative))
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return Page(url, tuple(parser.links), frozenset(parser.ids))


def internal_target(page_url: str, link: str, base_url: str) -> str | None:
    """Return the absolute URL a link resolves to if it stays on the site, else None."""
    if not link or link.lower().startswith(_NOT_FETCHED):
        return None
    target = urljoin(page_url, link)
    parts, base = urlsplit(target), urlsplit(base_url)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    return target


def normalise_path(url: str, base_url: str) -> str:
    """Return a URL's path within the site ('/briefs/2025/02/14/small/' under base_url),
    with 'index.html' and any query or fragment dropped. A URL outside the site comes back
    whole, so it never passes for a page of the site."""
    if not url.startswith(base_url):
        return url
    path = "/" + urlsplit(url).path[len(urlsplit(base_url).path):]
    return re.sub(r"(^|/)index\.html$", r"\1", path)
