"""Where stock pages live: a symbol's slug and page path, the same everywhere they are linked.

A slug is the only part of a file name or URL that comes from data, so it is built to be
safe anywhere: lower-case ASCII letters, digits and single dashes, never a name Windows
reserves (CON, NUL, COM1, ...) or one the site uses itself (index), never empty, and
distinct for distinct symbols (M&M, MM, m&m and M-AND-M each get a page of their own).
"""

from __future__ import annotations

import hashlib
import re

STOCKS = "stocks"

# Symbols whose readable slug cannot be mistaken for another's: upper-case letters and
# digits, joined by single "&" or "-". Every other symbol gets a hash suffix.
_PLAIN = re.compile(r"[A-Z0-9]+(?:[&-][A-Z0-9]+)*")
_UNSAFE = re.compile(r"[^a-z0-9]+")
# Slugs a page of its own cannot have: the stock list's page, and the device names Windows
# reserves in any folder (also with an extension: con.md cannot be created there).
RESERVED = frozenset({"index", "con", "prn", "aux", "nul",
                      *(f"{port}{n}" for port in ("com", "lpt") for n in range(10))})
HASH_CHARS = 10
MAX_READABLE = 40


def stock_slug(symbol: str) -> str:
    """Return the page name of a symbol: M&M -> m-and-m, BAJAJ-AUTO -> bajaj-auto.

    A symbol of upper-case letters and digits joined by single "&" or "-" reads as itself,
    lower-cased, with "&" as "-and-". Any other symbol (lower case, "." or "_", a leading,
    trailing or doubled separator, an "AND" part beside a separator, a reserved name)
    gets its readable part, then "--" and the first characters of the SHA-256 of the
    symbol: readable slugs never hold "--", so the two kinds cannot meet.
    """
    symbol = symbol.strip()
    readable = _UNSAFE.sub("-", symbol.lower().replace("&", "-and-")).strip("-")
    parts = re.split(r"[&-]", symbol)
    if (_PLAIN.fullmatch(symbol) and readable not in RESERVED
            and not (len(parts) > 1 and "AND" in parts)):
        return readable
    digest = hashlib.sha256(symbol.encode("utf-8")).hexdigest()[:HASH_CHARS]
    readable = readable[:MAX_READABLE].strip("-") or "stock"
    return f"{readable}--{digest}"


def stock_path(symbol: str) -> str:
    """Return the docs-relative path of a stock's page: stocks/<slug>.md."""
    return f"{STOCKS}/{stock_slug(symbol)}.md"
