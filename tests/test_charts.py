"""Tests for generator.charts: specs, determinism, golden specs, export, alt text, tables."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.charts import (
    ChartEmbed,
    alt_text_breadth,
    alt_text_index_history,
    alt_text_movers,
    alt_text_segment_returns,
    breadth_chart,
    data_table_md,
    embed_markdown,
    export_chart,
    index_history_chart,
    movers_chart,
    segment_returns_chart,
    signed_pct,
    spec_json,
    spec_path,
    table_breadth,
    table_index_history,
    table_movers,
    table_segment_returns,
)
from generator.escape import escape_md

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent
GOLDEN = TESTS / "golden" / "charts"

BLUE, ORANGE = "#1f77b4", "#d95f02"
HOSTILE = "A&B <Co> *Ltd* | x"


def segments() -> pd.DataFrame:
    """Return today's returns of four segments and two benchmarks."""
    return pd.DataFrame(
        {
            "label": [
                "Large caps",
                "Mid caps",
                "Small caps",
                "Micro caps",
                "Nifty 50",
                "Nifty 500",
            ],
            "return_pct": [0.42, 1.18, 2.52, -0.80, 0.31, -0.05],
            "kind": ["segment"] * 4 + ["benchmark"] * 2,
        }
    )


def history() -> pd.DataFrame:
    """Return six sessions of closes spanning a weekend."""
    return pd.DataFrame(
        {
            "trade_date": pd.to_datetime(
                ["2024-11-06", "2024-11-07", "2024-11-08", "2024-11-11", "2024-11-12", "2024-11-13"]
            ),
            "close": [17210.4, 17305.75, 17190.0, 17402.1, 17380.25, 17420.55],
        }
    )


def movers() -> pd.DataFrame:
    """Return three gainers and three losers, one with a hostile company name."""
    return pd.DataFrame(
        {
            "symbol": ["ABCL", "M&M", "XYZ", "DEF", "GHIJ", "RST"],
            "name": ["Abc Ltd", HOSTILE, "Xyz Industries", "Def Ltd", "Ghij Ltd", "Rst Ltd"],
            "return_pct": [12.99, 7.40, 5.02, -4.20, -9.90, -16.78],
            "side": ["gainer"] * 3 + ["loser"] * 3,
        }
    )


BREADTH = (1234, 987, 45, 12)


def sample_charts() -> dict[str, alt.LayerChart]:
    """Build the four charts from the fixed sample inputs."""
    return {
        "segment_returns": segment_returns_chart(segments(), "Small caps"),
        "index_history": index_history_chart(history(), "Nifty Smallcap 250"),
        "breadth": breadth_chart(*BREADTH),
        "movers": movers_chart(movers()),
    }


def sample_specs() -> dict[str, str]:
    """Return the to_json() text of each sample chart (also run in a subprocess)."""
    return {name: chart.to_json() for name, chart in sample_charts().items()}


def rows_of(chart: alt.TopLevelMixin) -> list[dict[str, Any]]:
    """Return every data row of every dataset in the chart's spec."""
    datasets: dict[str, list[dict[str, Any]]] = chart.to_dict()["datasets"]
    return [row for rows in datasets.values() for row in rows]


def layer(chart: alt.TopLevelMixin, mark: str) -> dict[str, Any]:
    """Return the first layer of the spec drawn with the given mark type."""
    layers: list[dict[str, Any]] = chart.to_dict()["layer"]
    return next(item for item in layers if item["mark"]["type"] == mark)


def cells(line: str) -> list[str]:
    """Split a Markdown table row on its unescaped pipes."""
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


# Builders


def test_segment_returns_chart_encodes_every_row() -> None:
    chart = segment_returns_chart(segments(), "Small caps")
    data = {row["label"]: row for row in rows_of(chart) if "label" in row}
    assert {label: row["return_pct"] for label, row in data.items()} == dict(
        zip(segments()["label"], segments()["return_pct"], strict=True)
    )
    assert data["Small caps"]["value_label"] == "+2.52%"
    assert data["Micro caps"]["value_label"] == "−0.80%"
    assert data["Micro caps"]["direction"] == "loss"


def test_segment_returns_chart_sorts_bars_by_return() -> None:
    chart = segment_returns_chart(segments(), "Small caps")
    y = layer(chart, "bar")["encoding"]["y"]
    assert y["sort"] == [
        "Small caps",
        "Mid caps",
        "Large caps",
        "Nifty 50",
        "Nifty 500",
        "Micro caps",
    ]


def test_segment_returns_chart_emphasises_highlight() -> None:
    chart = segment_returns_chart(segments(), "Mid caps")
    emphasised = [row["label"] for row in rows_of(chart) if row.get("emphasis")]
    assert emphasised == ["Mid caps"]
    bar = layer(chart, "bar")
    assert bar["encoding"]["opacity"]["condition"]["test"] == "datum.emphasis"
    assert '"Mid caps"' in bar["encoding"]["y"]["axis"]["labelFontWeight"]["expr"]
    assert "datum.emphasis" in layer(chart, "text")["mark"]["fontWeight"]["expr"]


def test_segment_returns_chart_colours_gains_and_losses_apart() -> None:
    scale = layer(segment_returns_chart(segments(), "Small caps"), "bar")["encoding"]["color"]
    colours = dict(zip(scale["scale"]["domain"], scale["scale"]["range"], strict=True))
    assert colours["gain"] == BLUE
    assert colours["loss"] == ORANGE


def test_segment_returns_chart_draws_zero_rule() -> None:
    chart = segment_returns_chart(segments(), "Small caps")
    assert layer(chart, "rule")["encoding"]["x"]["field"] == "zero"
    assert {"zero": 0.0} in rows_of(chart)


def test_segment_returns_chart_keeps_room_for_labels() -> None:
    chart = segment_returns_chart(segments(), "Small caps")
    low, high = layer(chart, "bar")["encoding"]["x"]["scale"]["domain"]
    assert low < -0.80 - 0.3
    assert high > 2.52 + 0.3


def test_segment_returns_chart_rejects_unknown_highlight() -> None:
    with pytest.raises(ValueError, match="highlight 'Tiny caps' is not among the labels"):
        segment_returns_chart(segments(), "Tiny caps")


def test_segment_returns_chart_rejects_missing_column() -> None:
    with pytest.raises(ValueError, match="missing column"):
        segment_returns_chart(segments().drop(columns="kind"), "Small caps")


def test_segment_returns_chart_ignores_row_order() -> None:
    shuffled = segments().iloc[::-1].reset_index(drop=True)
    assert (
        segment_returns_chart(shuffled, "Small caps").to_json()
        == segment_returns_chart(segments(), "Small caps").to_json()
    )


def test_index_history_chart_encodes_sessions_without_gaps() -> None:
    chart = index_history_chart(history(), "Nifty Smallcap 250")
    days = [row["date"] for row in rows_of(chart)]
    assert days == [
        "2024-11-06",
        "2024-11-07",
        "2024-11-08",
        "2024-11-11",
        "2024-11-12",
        "2024-11-13",
    ]
    x = layer(chart, "line")["encoding"]["x"]
    assert (x["field"], x["type"]) == ("session", "quantitative")
    assert [row["session"] for row in rows_of(chart)] == [0, 1, 2, 3, 4, 5]
    assert x["axis"]["values"] == [0, 1, 2, 3, 4, 5]
    assert x["axis"]["labelExpr"] == (
        '["6 Nov", "7 Nov", "8 Nov", "11 Nov", "12 Nov", "13 Nov"][datum.value]'
    )
    assert x["scale"]["domain"][1] > 5.5
    assert [row["close"] for row in rows_of(chart)] == list(history()["close"])


def test_index_history_chart_thins_ticks_ending_on_last_session() -> None:
    days = pd.bdate_range("2024-10-14", periods=20)
    frame = pd.DataFrame({"trade_date": days, "close": [100.0 + i for i in range(20)]})
    x = layer(index_history_chart(frame, "X"), "line")["encoding"]["x"]
    assert x["axis"]["values"] == [1, 4, 7, 10, 13, 16, 19]


def test_index_history_chart_does_not_force_zero() -> None:
    y = layer(index_history_chart(history(), "Nifty Smallcap 250"), "line")["encoding"]["y"]
    assert y["scale"]["zero"] is False
    assert y["scale"]["domain"][0] > 17000


def test_index_history_chart_labels_last_point() -> None:
    chart = index_history_chart(history(), "Nifty Smallcap 250")
    text = layer(chart, "text")
    assert text["transform"] == [{"filter": "datum.is_last"}]
    last = [row for row in rows_of(chart) if row["is_last"]]
    assert [row["close_label"] for row in last] == ["17,420.55"]


def test_index_history_chart_accepts_dates_in_any_order() -> None:
    frame = history()
    as_dates = frame.assign(trade_date=[d.date() for d in frame["trade_date"]]).iloc[::-1]
    assert isinstance(as_dates["trade_date"].iloc[0], date)
    assert index_history_chart(as_dates, "X").to_json() == index_history_chart(frame, "X").to_json()


def test_breadth_chart_encodes_counts() -> None:
    chart = breadth_chart(*BREADTH)
    counts = {row["category"]: (row["count"], row["count_label"]) for row in rows_of(chart)}
    assert counts == {
        "Advances": (1234, "1,234"),
        "Declines": (987, "987"),
        "Unchanged": (45, "45"),
        "Not traded": (12, "12"),
    }
    colours = layer(chart, "bar")["encoding"]["color"]["scale"]["range"]
    assert colours[:2] == [BLUE, ORANGE]
    assert layer(chart, "text")["encoding"]["text"]["field"] == "count_label"


def test_breadth_chart_rejects_negative_count() -> None:
    with pytest.raises(ValueError, match="whole numbers >= 0"):
        breadth_chart(1, -1, 0, 0)


def test_movers_chart_encodes_sorted_symbols_with_signed_labels() -> None:
    chart = movers_chart(movers())
    assert layer(chart, "bar")["encoding"]["y"]["sort"] == [
        "ABCL",
        "M&M",
        "XYZ",
        "DEF",
        "GHIJ",
        "RST",
    ]
    labels = {row["symbol"]: row["value_label"] for row in rows_of(chart) if "symbol" in row}
    assert labels["ABCL"] == "+12.99%"
    assert labels["RST"] == "−16.78%"
    colours = layer(chart, "bar")["encoding"]["color"]["scale"]
    assert dict(zip(colours["domain"], colours["range"], strict=True))["loss"] == ORANGE


def test_movers_chart_shows_stock_on_both_sides_once() -> None:
    frame = pd.DataFrame(
        {
            "symbol": ["AAA", "BBB", "BBB", "CCC"],
            "name": ["A", "B", "B", "C"],
            "return_pct": [3.0, -1.0, -1.0, -2.0],
            "side": ["gainer", "gainer", "loser", "loser"],
        }
    )
    rows = [(r["symbol"], r["side"]) for r in rows_of(movers_chart(frame)) if "symbol" in r]
    assert rows == [("AAA", "gainer"), ("BBB", "loser"), ("CCC", "loser")]


def test_movers_chart_rejects_conflicting_returns() -> None:
    frame = movers().assign(symbol=["ABCL", "ABCL", "XYZ", "DEF", "GHIJ", "RST"])
    with pytest.raises(ValueError, match="repeated label"):
        movers_chart(frame)


def test_charts_share_readable_config() -> None:
    for chart in sample_charts().values():
        spec = chart.to_dict()
        assert spec["width"] == 560
        assert spec["config"]["background"] == "white"
        assert spec["config"]["axis"]["labelFontSize"] >= 11
        assert spec["title"]["text"]
        for item in spec["layer"]:
            if item["mark"]["type"] == "text":
                assert item["mark"]["fontSize"] >= 11


# Determinism


def test_charts_identical_within_process() -> None:
    first = sample_specs()
    # Unnamed params take a process-wide counter; the builders must not depend on it.
    alt.selection_point()
    alt.param(value=1)
    assert sample_specs() == first


def test_charts_identical_across_processes() -> None:
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import altair as alt; "
        "alt.selection_point(); alt.selection_interval(); "
        "import test_charts; print(json.dumps(test_charts.sample_specs()))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    result = subprocess.run(
        [sys.executable, "-c", code, str(TESTS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == sample_specs()


@pytest.mark.parametrize("name", ["segment_returns", "index_history", "breadth", "movers"])
def test_charts_match_golden_spec(name: str, golden: Callable[[Path, str], None]) -> None:
    golden(GOLDEN / f"{name}.vl.json", spec_json(sample_charts()[name]))


# Export


def test_export_chart_writes_svg_and_spec(tmp_path: Path) -> None:
    chart = sample_charts()["movers"]
    svg_path = tmp_path / "charts" / "movers.svg"
    assert export_chart(chart, svg_path) is True
    assert svg_path.read_text(encoding="utf-8").startswith("<svg")
    spec_file = tmp_path / "charts" / "movers.vl.json"
    assert spec_path(svg_path) == spec_file
    text = spec_file.read_text(encoding="utf-8")
    assert text == spec_json(chart)
    assert text.endswith("}\n")
    assert json.loads(text) == chart.to_dict()
    assert sorted(p.name for p in svg_path.parent.iterdir()) == ["movers.svg", "movers.vl.json"]


def test_export_chart_skips_unchanged_spec(tmp_path: Path) -> None:
    chart = sample_charts()["breadth"]
    svg_path = tmp_path / "breadth.svg"
    assert export_chart(chart, svg_path) is True
    old = 1_000_000_000_000_000_000
    for path in (svg_path, spec_path(svg_path)):
        os.utime(path, ns=(old, old))
    assert export_chart(breadth_chart(*BREADTH), svg_path) is False
    assert svg_path.stat().st_mtime_ns == old
    assert spec_path(svg_path).stat().st_mtime_ns == old


def test_export_chart_rerenders_changed_data(tmp_path: Path) -> None:
    svg_path = tmp_path / "breadth.svg"
    export_chart(breadth_chart(*BREADTH), svg_path)
    before = svg_path.read_bytes()
    assert export_chart(breadth_chart(1300, 921, 45, 12), svg_path) is True
    assert svg_path.read_bytes() != before
    assert b"1,300" in svg_path.read_bytes()
    assert '"count": 1300' in spec_path(svg_path).read_text(encoding="utf-8")


def test_export_chart_rerenders_when_svg_missing(tmp_path: Path) -> None:
    svg_path = tmp_path / "breadth.svg"
    export_chart(breadth_chart(*BREADTH), svg_path)
    svg_path.unlink()
    assert export_chart(breadth_chart(*BREADTH), svg_path) is True
    assert svg_path.is_file()


def test_export_chart_svg_identical_across_dirs(tmp_path: Path) -> None:
    for name, chart in sample_charts().items():
        first, second = tmp_path / "a" / f"{name}.svg", tmp_path / "b" / f"{name}.svg"
        export_chart(chart, first)
        export_chart(sample_charts()[name], second)
        assert first.read_bytes() == second.read_bytes()


def test_export_chart_svg_is_self_contained(tmp_path: Path) -> None:
    for name, chart in sample_charts().items():
        svg_path = tmp_path / f"{name}.svg"
        export_chart(chart, svg_path)
        svg = svg_path.read_text(encoding="utf-8")
        assert not re.search(r"\b(?:href|src)\s*=", svg.replace('xmlns:xlink="', ""))
        assert "url(" not in svg
        assert "<image" not in svg
        assert "@import" not in svg
        assert set(re.findall(r"https?://[^\"]*", svg)) <= {
            "http://www.w3.org/2000/svg",
            "http://www.w3.org/1999/xlink",
        }


# Alt text


def test_alt_text_segment_returns_lists_every_value() -> None:
    text = alt_text_segment_returns(segments(), "Small caps")
    assert text == (
        "Bar chart of today's returns, Small caps highlighted: Small caps +2.52% (highest), "
        "Mid caps +1.18%, Large caps +0.42%, Nifty 50 +0.31%, Nifty 500 −0.05%, "
        "Micro caps −0.80% (lowest)."
    )
    assert "-" not in text.replace("1-", "")


def test_alt_text_index_history_gives_range_and_extremes() -> None:
    assert alt_text_index_history(history(), "Nifty Smallcap 250") == (
        "Line chart of Nifty Smallcap 250 over the last 6 sessions: from 17,210.40 on "
        "6 Nov 2024 to 17,420.55 on 13 Nov 2024 (+1.22%). High 17,420.55 on 13 Nov 2024, "
        "low 17,190.00 on 8 Nov 2024."
    )


def test_alt_text_breadth_gives_every_count() -> None:
    assert alt_text_breadth(*BREADTH) == (
        "Bar chart of market breadth across 2,278 stocks: "
        "1,234 advanced, 987 declined, 45 unchanged, 12 not traded."
    )


def test_alt_text_movers_lists_every_symbol() -> None:
    assert alt_text_movers(movers()) == (
        "Bar chart of today's top gainers and losers: gainers ABCL +12.99% (highest), "
        "M&M +7.40%, XYZ +5.02%; losers DEF −4.20%, GHIJ −9.90%, RST −16.78% (lowest)."
    )


def test_alt_text_movers_omits_empty_side() -> None:
    gainers = movers().iloc[:2]
    assert alt_text_movers(gainers) == (
        "Bar chart of today's top gainers and losers: "
        "gainers ABCL +12.99% (highest), M&M +7.40% (lowest)."
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (2.524, "+2.52%"),
        (-0.8, "−0.80%"),
        (0.004, "0.00%"),
        (-0.004, "0.00%"),
        (-16.776, "−16.78%"),
    ],
)
def test_signed_pct_formats_sign_and_two_decimals(value: float, text: str) -> None:
    assert signed_pct(value) == text


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_signed_pct_reads_back_within_rounding(value: float) -> None:
    text = signed_pct(value)
    assert abs(float(text.replace("−", "-").rstrip("%")) - value) <= 0.005 + 1e-9
    assert "-" not in text


@given(st.lists(st.floats(-50, 50, allow_nan=False), min_size=1, max_size=8))
def test_alt_text_segment_returns_names_every_value(returns: list[float]) -> None:
    frame = pd.DataFrame(
        {
            "label": [f"S{i}" for i in range(len(returns))],
            "return_pct": returns,
            "kind": ["segment"] * len(returns),
        }
    )
    text = alt_text_segment_returns(frame, "S0")
    for i, value in enumerate(returns):
        assert f"S{i} {signed_pct(value)}" in text


# Tables


def test_data_table_md_escapes_hostile_strings() -> None:
    table = table_movers(movers())
    row = next(line for line in table.splitlines() if "M&#38;M" in line)
    assert escape_md(HOSTILE) in row
    assert "<Co>" not in table
    assert "*Ltd*" not in table


def test_data_table_md_keeps_one_cell_per_column() -> None:
    for table in (
        table_movers(movers()),
        table_segment_returns(segments(), "Small caps"),
        table_index_history(history(), "Nifty Smallcap 250"),
        table_breadth(*BREADTH),
    ):
        lines = table.splitlines()
        width = lines[0].count("|")
        assert all(line.count("|") == width for line in lines)


def test_data_table_md_formats_and_aligns() -> None:
    frame = pd.DataFrame({"a": ["x|y"], "b": [1.5]})
    table = data_table_md(
        frame, {"a": "A|B", "b": "Value"}, {"b": "{:.1f}".format}, right_align={"b"}
    )
    assert table == "| A&#124;B | Value |\n| --- | ---: |\n| x&#124;y | 1.5 |"


def test_data_table_md_renders_literally_through_markdown() -> None:
    markdown = pytest.importorskip("markdown")
    page = markdown.markdown(table_movers(movers()), extensions=["tables"])
    rows = re.findall(r"<tr>(.*?)</tr>", page, flags=re.S)
    assert len(rows) == 7
    assert all(len(re.findall(r"<t[dh]", row)) == 4 for row in rows)
    names = [html.unescape(cell) for cell in re.findall(r"<td>(.*?)</td>", page)]
    assert HOSTILE in names


def test_table_index_history_gives_session_changes() -> None:
    lines = table_index_history(history(), "Nifty Smallcap 250").splitlines()
    assert cells(lines[0]) == ["Date", "Nifty Smallcap 250 close", "Change"]
    assert cells(lines[2]) == ["6 Nov 2024", "17,210.40", ""]
    assert cells(lines[-1]) == ["13 Nov 2024", "17,420.55", "&#43;0.23%"]


def test_table_breadth_gives_shares() -> None:
    lines = table_breadth(*BREADTH).splitlines()
    assert cells(lines[2]) == ["Advances", "1,234", "54.2%"]
    assert cells(lines[5]) == ["Not traded", "12", "0.5%"]


# Embedding


def test_embed_markdown_builds_excluded_figure_with_data() -> None:
    text = embed_markdown(ChartEmbed("returns.svg", "Bar chart.", "| a |\n| --- |\n| 1 |"))
    assert text == (
        '<div class="chart" data-search-exclude markdown>\n\n'
        "![Bar chart.](returns.svg){ loading=lazy }\n\n"
        '<details class="chart-data" markdown>\n'
        "<summary>Chart data</summary>\n\n"
        "| a |\n| --- |\n| 1 |\n\n"
        "</details>\n"
        "</div>\n"
    )


def test_embed_markdown_escapes_alt_text() -> None:
    alt_text = f"Chart of {HOSTILE} ] [x](y) `z`"
    text = embed_markdown(ChartEmbed("movers.svg", alt_text, "t"))
    assert f"![{escape_md(alt_text)}](movers.svg){{ loading=lazy }}" in text
    image_line = next(line for line in text.splitlines() if line.startswith("!["))
    assert image_line.count("](") == 1
    assert not set("[]<*`|") & set(image_line[2 : image_line.index("](")])


def test_embed_markdown_renders_with_site_extensions() -> None:
    markdown = pytest.importorskip("markdown")
    alt_text = alt_text_movers(movers()) + f" {HOSTILE} ]"
    page = markdown.markdown(
        embed_markdown(ChartEmbed("charts/movers.svg", alt_text, table_movers(movers()))),
        extensions=["attr_list", "md_in_html", "tables"],
    )
    assert "data-search-exclude" in page
    image = re.search(r'<img alt="([^"]*)" loading="lazy" src="charts/movers.svg"', page)
    assert image is not None
    assert html.unescape(image.group(1)) == alt_text
    assert re.search(
        r'<details class="chart-data">\s*<summary>Chart data</summary>\s*<table>', page
    )


@pytest.mark.parametrize(
    "src", ["/abs.svg", "../up.svg", "a b.svg", "x.svg) ![y](z", "https://e.com/a.svg", ""]
)
def test_chart_embed_rejects_unsafe_src(src: str) -> None:
    with pytest.raises(ValueError, match="relative path"):
        ChartEmbed(src, "alt", "table")
