"""Markdown that places an exported chart on a page, with its alt text and data table."""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.escape import escape_md

# Relative paths only: letters, digits, dot, dash, underscore and slash; nothing that
# Markdown or a browser would read as markup, a scheme or a step out of the page's folder.
_SAFE_SRC = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*(/[A-Za-z0-9_][A-Za-z0-9_.\-]*)*")


@dataclass(frozen=True)
class ChartEmbed:
    """A chart as a page shows it: SVG path relative to the page, plain alt text, table."""

    src: str
    alt_text: str
    table_md: str

    def __post_init__(self) -> None:
        """Reject a src that is absolute, climbs out of the page folder or needs escaping."""
        if not _SAFE_SRC.fullmatch(self.src) or ".." in self.src.split("/"):
            raise ValueError(
                f"chart src {self.src!r}: use a relative path of letters, digits, '._-/'"
            )


def embed_markdown(embed: ChartEmbed) -> str:
    """Return the Markdown block for a chart: image, then its data in a closed details."""
    return (
        '<div class="chart" data-search-exclude markdown>\n'
        "\n"
        f"![{escape_md(embed.alt_text)}]({embed.src}){{ loading=lazy }}\n"
        "\n"
        '<details class="chart-data" markdown>\n'
        "<summary>Chart data</summary>\n"
        "\n"
        f"{embed.table_md.strip()}\n"
        "\n"
        "</details>\n"
        "</div>\n"
    )
