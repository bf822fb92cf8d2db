"""Markdown that places an exported chart on a page, with its alt text and data table.

The chart's div names its Vega-Lite spec (`data-spec`, relative to the image: MkDocs
rewrites the image's address for the page, not a data attribute): the bundle of the page's
specs and the chart's kind (`small.charts.json.gz#movers`), or, for charts written before
bundles, the file beside the SVG. `javascripts/charts.js` offers it as an interactive view.

A chart can also travel inside its page (`inline_embed_markdown`): the SVG as a data URL and
the stored spec (gzipped JSON) base64 in `data-spec-inline`. A stock page, rewritten each
time a brief names the stock, is then one file instead of three (page, SVG, spec): a day's
publish changes a hundred files fewer. Base64 holds only letters, digits, + / =, so
nothing in it can end the attribute, the Markdown link or the page's markup.
"""

from __future__ import annotations

import base64
import functools
import posixpath
import re
from dataclasses import dataclass

from generator.charts.export import SPEC_SUFFIX, stored_spec
from generator.escape import escape_md

# Relative paths only: letters, digits, dot, dash, underscore and slash; nothing that
# Markdown or a browser would read as markup, a scheme or a step out of the page's folder.
_SAFE_SRC = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*(/[A-Za-z0-9_][A-Za-z0-9_.\-]*)*")
_SAFE_KIND = re.compile(r"[A-Za-z0-9]*")
# What follows a carried chart's spec attribute up to its image's data (see `_block`).
_INLINE_IMAGE = re.compile(r"[^\n]*\n\n!\[[^\n]*\]\(data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)\)")


@dataclass(frozen=True)
class ChartEmbed:
    """A chart as a page shows it: SVG path relative to the page, plain alt text, and its
    data table as Markdown, or none when the spec in a bundle carries it (`usermeta.table`,
    shown by `javascripts/charts.js` when a reader opens "Chart data")."""

    src: str
    alt_text: str
    table_md: str = ""
    # Where the spec is, relative to the image: a bundle and the chart's kind
    # ("small.charts.json.gz#movers", see `export.export_charts`); empty: the file beside
    # the SVG (name.svg -> name.vl.json.gz).
    spec: str = ""

    def __post_init__(self) -> None:
        """Reject a src or spec that is absolute, climbs out of the page folder or needs
        escaping."""
        for what, path in (("src", self.src), ("spec", self.spec.partition("#")[0])):
            if (what == "src" or self.spec) and (
                    not _SAFE_SRC.fullmatch(path) or ".." in path.split("/")):
                raise ValueError(
                    f"chart {what} {path!r}: use a relative path of letters, digits, '._-/'")
        if not _SAFE_KIND.fullmatch(self.spec.partition("#")[2]):
            raise ValueError(f"chart spec {self.spec!r}: a kind of letters and digits only")
        if not self.table_md and "#" not in self.spec:
            raise ValueError(f"chart {self.src!r}: a table, or a spec in a bundle to carry it")

    @property
    def spec_name(self) -> str:
        """Return where the chart's Vega-Lite spec is, relative to the image."""
        if self.spec:
            return self.spec
        return posixpath.splitext(posixpath.basename(self.src))[0] + SPEC_SUFFIX


def embed_markdown(embed: ChartEmbed) -> str:
    """Return the Markdown block for a chart: image, then its data in a closed details (the
    table itself, or a link to the bundle whose spec carries it, see `ChartEmbed`)."""
    table = embed.table_md
    if not table:
        bundle = posixpath.join(posixpath.dirname(embed.src), embed.spec.partition("#")[0])
        table = (f"The table is read from this page's [chart data (JSON, gzipped)]({bundle}) "
                 "when opened; it needs JavaScript.")
    return _block(f'data-spec="{embed.spec_name}"', embed.src, embed.alt_text, table,
                  lazy=not embed.table_md)


def inline_embed_markdown(svg: str, spec: str, alt_text: str, table_md: str = "") -> str:
    """Return the Markdown block for a chart carried by its page (see the module): `svg` as
    rendered, `spec` the Vega-Lite JSON (`export.spec_json`). Without `table_md`, the spec
    carries the data table (`usermeta.table`), built when a reader opens "Chart data"."""
    if not table_md and '"table"' not in spec:
        raise ValueError("an inline chart needs a table, or a spec that carries it")
    image = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    table = table_md or ("The table is built from this chart's data when opened; it needs "
                         "JavaScript.")
    return _block(_inline_attribute(spec), f"data:image/svg+xml;base64,{image}",
                  alt_text, table, lazy=not table_md)


@functools.lru_cache(maxsize=8)
def _inline_attribute(spec: str) -> str:
    """Return the div attribute carrying `spec` (asked twice per page: `inline_svg` first)."""
    return 'data-spec-inline="' + base64.b64encode(stored_spec(spec)).decode("ascii") + '"'


def inline_svg(page_text: str, spec: str) -> str | None:
    """Return the SVG a page written by `inline_embed_markdown` carries for `spec`, or None
    if it carries no chart of that spec: a page written again with the same closes keeps
    its drawing without rendering it again."""
    attribute = _inline_attribute(spec)
    at = page_text.find(attribute)
    found = _INLINE_IMAGE.match(page_text, at + len(attribute)) if at >= 0 else None
    if found is None:
        return None
    try:
        return base64.b64decode(found.group(1), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None


def _block(spec_attribute: str, src: str, alt_text: str, table_md: str, *,
           lazy: bool = False) -> str:
    details = '<details class="chart-data" data-table="lazy" markdown>' if lazy else (
        '<details class="chart-data" markdown>')
    return (
        f'<div class="chart" {spec_attribute} data-pagefind-ignore="all" markdown>\n'
        "\n"
        f"![{escape_md(alt_text)}]({src}){{ loading=lazy }}\n"
        "\n"
        f"{details}\n"
        "<summary>Chart data</summary>\n"
        "\n"
        f"{table_md.strip()}\n"
        "\n"
        "</details>\n"
        "</div>\n"
    )
