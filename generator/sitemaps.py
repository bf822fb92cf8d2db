"""Sitemaps by period: one file per year of briefs, one of the hub pages, one of the stocks.

A year's sitemap lists its day pages, briefs and month pages, each dated by its session, so a
closed year's file never changes; `generator.site` writes the sitemap index (`sitemap.xml`)
that lists these files. Pure functions: entries in, XML out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from xml.sax.saxutils import escape

from generator.downloads import page_url

SITEMAPS = "sitemaps"
_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
         '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')


def sitemap_path(name: str) -> str:
    """Return the docs-relative path of a sitemap file (`name` is a year or a page set)."""
    return f"{SITEMAPS}/{name}.xml"


def sitemap(site_url: str, entries: Iterable[tuple[str, date]]) -> str:
    """Return a sitemap of (docs-relative page, last change) entries, sorted by address."""
    rows = sorted((f"{site_url}{page_url(page)}", day) for page, day in entries)
    body = "".join(f"  <url><loc>{escape(url)}</loc><lastmod>{day:%Y-%m-%d}</lastmod></url>\n"
                   for url, day in rows)
    return f"{_HEAD}{body}</urlset>\n"


def sitemap_index(site_url: str, names: Iterable[str]) -> str:
    """Return the sitemap index listing the sitemap files `names` (file names, sorted)."""
    body = "".join(f"  <sitemap><loc>{escape(site_url + SITEMAPS + '/' + name)}</loc></sitemap>\n"
                   for name in sorted(names))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{body}</sitemapindex>\n")
