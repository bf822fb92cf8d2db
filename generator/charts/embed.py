"""Markdown that places an exported chart on a page, with its alt text and data table.

The chart's div names its Vega-Lite spec (`data-spec`, the file beside the SVG, relative to
the image: MkDocs rewrites the image's address for the page, not a data attribute), which
`javascripts/charts.js` offers as an interactive view.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from generator.charts.export import SPEC_SUFFIX
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


    @property
    def spec_name(self) -> str:
        """Return the file name of the chart's Vega-Lite spec: name.svg -> name.vl.json."""
        return posixpath.splitext(posixpath.basename(self.src))[0] + SPEC_SUFFIX


def embed_markdown(embed: ChartEmbed) -> str:
    """Return the Markdown block for a chart: image, then its data in a closed details."""
    return (
        f'<div class="chart" data-spec="{embed.spec_name}" data-pagefind-ignore="all" markdown>\n'
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
