"""Make strings that come from data safe for each place they are written to.

One function per sink: `escape_md` for Markdown page bodies (and the HTML it becomes),
`escape_meta` for front-matter values the theme prints as HTML (title, description, tags),
`escape_yaml` for other front-matter values, which templates escape themselves. Every one
first drops the characters no name needs (`clean_text`): controls, and the bidirectional and
zero-width marks that make a name display as something else. Feeds are escaped by their XML
writer (feedgen) after `clean_text`, CSV downloads by `generator.downloads` (formula-safe
cells, `drop_invisible`; line breaks kept, quoted), the chart data tables a spec carries
by `clean_text` (charts.js writes each cell as text), file names and URLs use slugs
(`generator.links`), and overrides/*.html print data with `| e`.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata

# Unicode categories dropped from data text: controls (Cc), surrogates (Cs) and format
# characters (Cf): the bidirectional embeddings, overrides, isolates and marks, zero-width
# spaces and joiners, the byte-order mark, invisible tag characters. They can make a name
# display as another one, or hide text in it.
_DROPPED = frozenset({"Cc", "Cf", "Cs"})

# Characters kept as they are; everything else becomes a numeric character reference,
# which Markdown passes through untouched and HTML shows literally.
_SAFE = re.compile(r"[A-Za-z0-9 .,;?='()/:%+\-]|[^\x00-\x7f]")


# Tabs and line breaks (CR, LF, NEL, the line and paragraph separators): each becomes a
# space, so a name stays on one line of Markdown, YAML and JavaScript.
_BREAKS = frozenset("\t\n\r\x85\u2028\u2029")


def drop_invisible(text: str) -> str:
    """Return text without format characters (bidirectional controls, zero-width marks)
    or surrogates; controls and line breaks are kept (see `clean_text`)."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cs"))


def clean_text(text: str) -> str:
    """Return text without control, format (bidirectional, zero-width) or surrogate
    characters; a tab or any line break becomes a space."""
    return "".join(" " if ch in _BREAKS else ch for ch in text
                   if ch in _BREAKS or unicodedata.category(ch) not in _DROPPED)


def escape_md(text: str) -> str:
    """Return text that Markdown and HTML render literally (no markup, no tags)."""
    out = []
    for ch in clean_text(text):
        out.append(ch if _SAFE.fullmatch(ch) else f"&#{ord(ch)};")
    escaped = "".join(out)
    # A leading "-", "+" or "1." could start a list; a leading space, a code block.
    if escaped[:1] in {"-", "+", " "}:
        escaped = f"&#{ord(escaped[0])};{escaped[1:]}"
    return escaped


def escape_yaml(text: str) -> str:
    """Return a YAML scalar (a double-quoted string) that loads back as the cleaned text."""
    return json.dumps(clean_text(text), ensure_ascii=True)


def escape_meta(text: str) -> str:
    """Return a front-matter value for the theme to print as HTML: Material writes
    `title`, `description` and tag names into `<title>`, the header, `<meta content="…">` and
    tag lists without escaping, so the value is HTML-escaped (quotes too) before YAML."""
    return escape_yaml(html.escape(clean_text(text), quote=True))
