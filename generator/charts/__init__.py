"""Charts for briefs and archive pages: pure builders, alt text and data tables, Markdown
embeds, one export.

Every builder takes a small frame (returns in percent: 2.52 means +2.52 %) and returns a
Vega-Lite chart whose spec depends only on its inputs: no unnamed params, no clock, no
locale. `export_chart`, `export_charts` and `write_vega_bundle` are the only functions that
write files.
"""

from __future__ import annotations

from generator.charts.breadth import (
    alt_text_segment_breadth,
    segment_breadth_chart,
    table_segment_breadth,
)
from generator.charts.builders import (
    index_history_chart,
    segment_index_chart,
    stock_price_chart,
    stock_price_spec,
)
from generator.charts.describe import (
    DataTable,
    alt_text_index_history,
    alt_text_segment_index,
    alt_text_stock_price,
    data_table,
    table_index_history,
    table_segment_index,
    table_stock_price,
)
from generator.charts.distribution import (
    alt_text_distribution,
    distribution_chart,
    table_distribution,
)
from generator.charts.embed import ChartEmbed, embed_markdown, inline_embed_markdown, inline_svg
from generator.charts.export import (
    BUNDLE_SUFFIX,
    SPEC_SUFFIX,
    VEGA_BUNDLE,
    SvgBatch,
    export_chart,
    export_charts,
    read_bundle,
    read_spec,
    render_svg,
    spec_json,
    spec_path,
    stored_spec,
    write_vega_bundle,
)
from generator.charts.frames import signed_pct
from generator.charts.prices import alt_text_prices, price_panels_chart, table_prices

__all__ = [
    "BUNDLE_SUFFIX",
    "SPEC_SUFFIX",
    "VEGA_BUNDLE",
    "ChartEmbed",
    "DataTable",
    "SvgBatch",
    "alt_text_distribution",
    "alt_text_index_history",
    "alt_text_prices",
    "alt_text_segment_breadth",
    "alt_text_segment_index",
    "alt_text_stock_price",
    "data_table",
    "distribution_chart",
    "embed_markdown",
    "export_chart",
    "export_charts",
    "index_history_chart",
    "inline_embed_markdown",
    "inline_svg",
    "price_panels_chart",
    "read_bundle",
    "read_spec",
    "render_svg",
    "segment_breadth_chart",
    "segment_index_chart",
    "signed_pct",
    "spec_json",
    "spec_path",
    "stock_price_chart",
    "stock_price_spec",
    "stored_spec",
    "table_distribution",
    "table_index_history",
    "table_prices",
    "table_segment_breadth",
    "table_segment_index",
    "table_stock_price",
    "write_vega_bundle",
]
