"""MkDocs hook: a page's sitemap date is the `date` of its front matter.

A brief never changes after its day, so the sitemap tells crawlers its own date rather than
the build's. Pages without a date keep the build date, which `generator.site.build_site`
pins to the newest brief's day (SOURCE_DATE_EPOCH), so a rebuild gives the same bytes.
"""

from __future__ import annotations

from datetime import date
from typing import Any


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    day = page.meta.get("date")
    if isinstance(day, date):
        page.update_date = f"{day:%Y-%m-%d}"
    return markdown
