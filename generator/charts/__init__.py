"""Charts for a brief: pure builders, alt text and data tables, Markdown embeds, one export.

Every builder takes a small frame (returns in percent: 2.52 means +2.52 %) and returns a
Vega-Lite chart whose spec depends only on its inputs: no unnamed params, no clock, no
locale. `export_chart` is the only function that writes files.
"""

from __future__ import annotations

from generator.charts.builders import (
    breadth_chart,
    index_history_chart,
    movers_chart,
    segment_returns_chart,
)
from generator.charts.describe import (
    alt_text_breadth,
    alt_text_index_history,
    alt_text_movers,
    alt_text_segment_returns,
    data_table_md,
    table_breadth,
    table_index_history,
    table_movers,
    table_segment_returns,
)
from generator.charts.embed import ChartEmbed, embed_markdown
from generator.charts.export import export_chart, render_svg, spec_json, spec_path
from generator.charts.frames import signed_pct

__all__ = [
    "ChartEmbed",
    "alt_text_breadth",
    "alt_text_index_history",
    "alt_text_movers",
    "alt_text_segment_returns",
    "breadth_chart",
    "data_table_md",
    "embed_markdown",
    "export_chart",
    "index_history_chart",
    "movers_chart",
    "render_svg",
    "segment_returns_chart",
    "signed_pct",
    "spec_json",
    "spec_path",
    "table_breadth",
    "table_index_history",
    "table_movers",
    "table_segment_returns",
]
