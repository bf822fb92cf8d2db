"""Pages without their indentation: the whitespace a browser collapses anyway, not written.

Material's templates indent every line; a brief page carried about 4 KB of it (a tenth of
its bytes, 20 KB a session, 50 MB over ten years). A browser collapses any run of spaces and
line breaks between words or tags into one space, so a run that holds a line break is
written as that one line break: the page looks and reads the same. Left exactly as they are:
the insides of tags (attribute values) and of pre, textarea, script and style elements,
where whitespace is kept or may matter.
"""

from __future__ import annotations

import re
from typing import Any, Final

from mkdocs.plugins import BasePlugin

_VERBATIM: Final = re.compile(r"<(pre|textarea|script|style)\b.*?</\1\s*>", re.S | re.I)
_TAG: Final = re.compile(r"<[^>]*>")
_BREAK: Final = re.compile(r"[ \t\r\f]*\n\s*")


def _compact_text(html: str) -> str:
    """Collapse whitespace runs holding a line break, outside tags, to one line break."""
    out: list[str] = []
    position = 0
    for tag in _TAG.finditer(html):
        out.append(_BREAK.sub("\n", html[position:tag.start()]))
        out.append(tag.group(0))
        position = tag.end()
    out.append(_BREAK.sub("\n", html[position:]))
    return "".join(out)


def compact_html(html: str) -> str:
    """Return the page without the whitespace a browser would collapse (see the module)."""
    out: list[str] = []
    position = 0
    for verbatim in _VERBATIM.finditer(html):
        out.append(_compact_text(html[position:verbatim.start()]))
        out.append(verbatim.group(0))
        position = verbatim.end()
    out.append(_compact_text(html[position:]))
    return "".join(out)


class CompactHtml(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Write every page MkDocs renders through `compact_html`."""

    def on_post_page(self, output: str, **_: Any) -> str:
        return compact_html(output)
