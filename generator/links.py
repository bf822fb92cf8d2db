"""Where stock pages live: a symbol's slug and page path, the same everywhere they are linked."""

from __future__ import annotations

import re

STOCKS = "stocks"

_UNSAFE = re.compile(r"[^a-z0-9]+")


def stock_slug(symbol: str) -> str:
    """Return a URL-safe slug for a symbol: M&M -> m-and-m, BAJAJ-AUTO -> bajaj-auto.

    Letters are lower-cased, "&" reads "and", any other run of characters outside a-z and
    0-9 becomes one dash. A symbol with no letter or digit cannot be linked.
    """
    text = symbol.strip().lower().replace("&", "-and-")
    slug = _UNSAFE.sub("-", text).strip("-")
    if not slug:
        raise ValueError(f"symbol {symbol!r} has no letter or digit to build a page name from")
    return slug


def stock_path(symbol: str) -> str:
    """Return the docs-relative path of a stock's page: stocks/<slug>.md."""
    return f"{STOCKS}/{stock_slug(symbol)}.md"
