"""Escape strings that come from data for Markdown, HTML and YAML."""

from __future__ import annotations

import json
import re

# Characters kept as they are; everything else becomes a numeric character reference,
# which Markdown passes through untouched and HTML shows literally.
_SAFE = re.compile(r"[A-Za-z0-9 .,;?='()/:%+\-]|[^\x00-\x7f]")


def escape_md(text: str) -> str:
    """Return text that Markdown and HTML render literally (no markup, no tags)."""
    out = []
    for ch in text:
        out.append(ch if _SAFE.fullmatch(ch) else f"&#{ord(ch)};")
    escaped = "".join(out)
    # A leading "-", "+" or "1." could start a list; a leading space, a code block.
    if escaped[:1] in {"-", "+", " "}:
        escaped = f"&#{ord(escaped[0])};{escaped[1:]}"
    return escaped


def escape_yaml(text: str) -> str:
    """Return a YAML scalar (a double-quoted string) that loads back as text."""
    return json.dumps(text, ensure_ascii=True)
