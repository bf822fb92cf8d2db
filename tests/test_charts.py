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
from site_project import tree_bytes

from generator.charts import (
    VEGA_BUNDLE,
    ChartEmbed,
    SvgBatch,
    alt_text_distribution,
    alt_text_index_history,
    alt_text_prices,
    alt_text_segment_breadth,
    alt_text_segment_index,
    alt_text_stock_price,
    data_table,
    distribution_chart,
    embed_markdown,
    export_chart,
    index_history_chart,
    inline_embed_markdown,
    inline_svg,
    price_panels_chart,
    read_spec,
    render_svg,
    segment_breadth_chart,
    segment_index_chart,
    signed_pct,
    spec_json,
    spec_path,
    stock_price_chart,
    stored_spec,
    table_distribution,
    table_index_history,
    table_prices,
    table_segment_breadth,
    table_segment_index,
    table_stock_price,
    write_vega_bundle,
)
from generator.charts.distribution import bin_of
from generator.charts.frames import session_ticks
from generator.escape import clean_text, escape_md

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent
GOLDEN = TESTS / "golden" / "charts"

BLUE, ORANGE = "#1f77b4", "#d95f02"
HOSTILE = "A&B <Co> *Ltd* | x"


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


def hostile_prices() -> pd.DataFrame:
    """Return the closes of `prices` with a hostile symbol among them."""
    return prices().rename(columns={"GHIJ": HOSTILE})


def breadth() -> pd.DataFrame:
    """Return five sessions of advances and declines, the last one weak."""
    return pd.DataFrame(
        {
            "date": [date(2024, 11, d) for d in (7, 8, 11, 12, 13)],
            "advances": [700, 420, 1300, 610, 378],
            "declines": [500, 780, 921, 610, 816],
        }
    )


def returns() -> pd.DataFrame:
    """Return ten constituents' returns today, two that did not trade (NaN)."""
    return pd.DataFrame(
        {
            "symbol": [f"S{i}" for i in range(10)],
            "return_pct": [12.99, 3.0, 2.5, 0.4, 0.0, -0.2, -1.0, -16.78, float("nan"),
                           float("nan")],
        }
    )


def prices() -> pd.DataFrame:
    """Return five sessions of closes of three named stocks; GHIJ missed a session."""
    days = pd.DatetimeIndex(["2024-11-07", "2024-11-08", "2024-11-11", "2024-11-12",
                             "2024-11-13"], name="trade_date")
    return pd.DataFrame(
        {
            "ABCL": [100.0, 102.0, 104.0, 101.0, 112.99],
            "GHIJ": [50.0, float("nan"), 48.0, 47.0, 45.05],
            "RST": [20.0, 20.0, 20.5, 19.0, 16.64],
        },
        index=days,
    ).rename_axis(columns="symbol")


def archive(sessions: int) -> pd.DataFrame:
    """Return `sessions` business days of index closes from 1 Jan 2024 (column date)."""
    days = pd.bdate_range("2024-01-01", periods=sessions)
    return pd.DataFrame({"date": days, "close": [1000.0 + (i % 37) * 3 for i in range(sessions)]})


def stock(sessions: int = 63) -> pd.DataFrame:
    """Return `sessions` closes of one stock (column trade_date)."""
    days = pd.bdate_range("2024-08-01", periods=sessions)
    return pd.DataFrame({"trade_date": days, "close": [250.0 + i * 0.5 for i in range(sessions)]})


def sample_charts() -> dict[str, alt.TopLevelMixin]:
    """Build every chart from the fixed sample inputs."""
    return {
        "index_history": index_history_chart(
            history(), "Nifty Smallcap 250", window=5, window_pct=1.22
        ),
        "breadth": segment_breadth_chart(breadth(), "Small caps"),
        "distribution": distribution_chart(returns(), "Nifty Smallcap 250", 2.52),
        "prices": price_panels_chart(prices()),
        "segment_index": segment_index_chart(archive(120), "Nifty Smallcap 250"),
        "stock_price": stock_price_chart(stock(), "ABCL", "Abc Ltd"),
    }


def sample_specs() -> dict[str, str]:
    """Return the to_json() text of each sample chart (also run in a subprocess)."""
    return {name: chart.to_json() for name, chart in sample_charts().items()}


def rows_of(chart: alt.TopLevelMixin) -> list[dict[str, Any]]:
    """Return every data row of every dataset in the chart's spec."""
    datasets: dict[str, list[dict[str, Any]]] = chart.to_dict()["datasets"]
    return [row for rows in datasets.values() for row in rows]


def layers(chart: alt.TopLevelMixin) -> list[dict[str, Any]]:
    """Return the layers of the spec (of its facet's spec for a facet chart)."""
    spec = chart.to_dict()
    found: list[dict[str, Any]] = spec["spec"]["layer"] if "facet" in spec else spec["layer"]
    return found


def layer(chart: alt.TopLevelMixin, mark: str, nth: int = 0) -> dict[str, Any]:
    """Return the nth layer of the spec drawn with the given mark type."""
    return [item for item in layers(chart) if item["mark"]["type"] == mark][nth]


def layer_rows(chart: alt.TopLevelMixin, item: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the data rows of one layer (its own dataset, else the chart's)."""
    spec = chart.to_dict()
    name = item.get("data", spec.get("data", {})).get("name")
    rows: list[dict[str, Any]] = spec["datasets"][name]
    return rows


def cells(line: str) -> list[str]:
    """Split a Markdown table row on its unescaped pipes."""
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


# Builders


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
        '["6 Nov", "7 Nov", "8 Nov", "11 Nov", "12 Nov", "13 Nov"]'
        "[indexof([0, 1, 2, 3, 4, 5], datum.value)]"
    )
    assert x["axis"]["tickCount"] == 6  # Vega thins given values down to tickCount
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


def test_charts_share_readable_config() -> None:
    # Drawn 460 px wide and scaled to a 340 px phone column, 13 px text reads at ~9.6 px.
    for chart in sample_charts().values():
        spec = chart.to_dict()
        if "facet" not in spec:
            assert spec["width"] == 460
        assert spec["config"]["background"] == "white"
        assert spec["config"]["axis"]["labelFontSize"] >= 13
        assert spec["config"]["title"]["fontSize"] >= 13
        assert spec["title"]["text"]
        for item in layers(chart):
            if item["mark"]["type"] == "text":
                assert item["mark"]["fontSize"] >= 13


def test_charts_render_no_wider_than_a_phone_design(tmp_path: Path) -> None:
    for name, chart in sample_charts().items():
        svg_path = tmp_path / f"{name}.svg"
        export_chart(chart, svg_path)
        match = re.search(r'<svg[^>]* width="([0-9.]+)"', svg_path.read_text(encoding="utf-8"))
        assert match is not None
        assert 400 <= float(match.group(1)) <= 460, name


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


@pytest.mark.parametrize("name", list(sample_charts()))
def test_charts_match_golden_spec(name: str, golden: Callable[[Path, str], None]) -> None:
    golden(GOLDEN / f"{name}.vl.json", spec_json(sample_charts()[name]))


# Export


def test_export_chart_writes_svg_and_spec(tmp_path: Path) -> None:
    chart = sample_charts()["breadth"]
    svg_path = tmp_path / "charts" / "movers.svg"
    assert export_chart(chart, svg_path) is True
    assert svg_path.read_text(encoding="utf-8").startswith("<svg")
    spec_file = tmp_path / "charts" / "movers.vl.json.gz"
    assert spec_path(svg_path) == spec_file
    assert read_spec(spec_file) == json.loads(spec_json(chart)) == chart.to_dict()
    assert spec_file.read_bytes() == stored_spec(spec_json(chart))  # same bytes every time
    assert sorted(p.name for p in svg_path.parent.iterdir()) == ["movers.svg",
                                                                 "movers.vl.json.gz"]


def test_svg_keeps_its_look_without_live_only_attributes(tmp_path: Path) -> None:
    """The stored SVG drops what only a live Vega view uses (class, role, aria-*,
    pointer-events, empty paths); every drawn element and text is still there."""
    import re

    svg = render_svg(spec_json(sample_charts()["breadth"]))
    assert not re.search(r' (role|aria-[a-z]+|pointer-events)="', svg)
    # Classes left are the SVG's own (svg_trim._share_styles), none of Vega's.
    defined = set(re.findall(r"\.(c\d+)\{", svg))
    assert set(re.findall(r' class="([^"]*)"', svg)) <= defined
    assert '<path d="M0,0h0v0h0Z"' not in svg
    assert svg.count("<text") > 10 and "<path" in svg


def test_svg_drops_default_attributes_and_excess_path_precision() -> None:
    """Opacity 1 and translate(0,0) are what SVG assumes; path coordinates keep two decimals
    (a hundredth of a pixel). Every element the renderer drew is still there."""
    import re

    import vl_convert as vlc

    from generator.charts import export

    spec = spec_json(sample_charts()["breadth"])
    raw = vlc.vegalite_to_svg(spec, vl_version=export._VL_VERSION, allowed_base_urls=[],
                              format_locale="en-US", time_format_locale="en-US")
    svg = render_svg(spec)
    assert ' opacity="1"' in raw and ' opacity="1"' not in svg
    assert 'transform="translate(0,0)"' not in svg
    paths = re.findall(r' d="([^"]*)"', svg)
    assert paths and not any(re.search(r"\d\.\d{3}", d) for d in paths)
    for tag in ("<text", "<line", "<rect"):
        assert svg.count(tag) == raw.count(tag)
    assert len(svg) < 0.85 * len(raw)


@pytest.mark.parametrize("name", ["breadth", "index_history", "prices"])
def test_svg_without_bare_groups_and_with_shared_fonts_draws_the_same_pixels(name: str) -> None:
    """Groups without attributes are dropped and a font every text shares is said once on
    the root: the rasterised picture is pixel for pixel the same. Positions keep two
    decimals; the whole trim leaves well under two thirds of the renderer's bytes."""
    import re

    import vl_convert as vlc

    from generator.charts import export, svg_trim

    spec = spec_json(sample_charts()[name])
    raw = vlc.vegalite_to_svg(spec, vl_version=export._VL_VERSION, allowed_base_urls=[],
                              format_locale="en-US", time_format_locale="en-US")
    trimmed = svg_trim._shared_fonts(svg_trim._unwrap_bare_groups(raw))
    assert "<g>" not in trimmed and raw.count("<g>") > 3
    assert vlc.svg_to_png(trimmed, 1.0) == vlc.svg_to_png(raw, 1.0)
    svg = render_svg(spec)
    root = svg[:svg.index(">")]
    assert 'font-family="sans-serif"' in root and svg.count("font-family=") == 1
    positions = re.findall(r' (?:transform|x|y|dx|dy)="([^"]*)"', svg)
    assert positions and not any(re.search(r"\d\.\d{3}", p) for p in positions)
    assert svg.count("<text") == raw.count("<text")
    assert len(svg) < 0.67 * len(raw)


@pytest.mark.parametrize("name", ["index_history", "prices", "breadth",
                                  "distribution", "segment_index",
                                  "stock_price"])
def test_shared_styles_draw_the_same_pixels_in_fewer_bytes(name: str) -> None:
    """Runs of siblings with the same stroke or font are wrapped in one group, repeated
    attribute sets become classes of the SVG's own style sheet, zero defaults go: the
    rasterised picture is the same, pixel for pixel, in fewer bytes, the same bytes every
    time."""
    import vl_convert as vlc

    from generator.charts import export, svg_trim

    spec = spec_json(sample_charts()[name])
    raw = vlc.vegalite_to_svg(spec, vl_version=export._VL_VERSION, allowed_base_urls=[],
                              format_locale="en-US", time_format_locale="en-US")
    before = svg_trim._drop_and_round(raw)
    after = svg_trim._share_styles(before)
    assert vlc.svg_to_png(after, 1.0) == vlc.svg_to_png(before, 1.0)
    assert after.count("<text") == before.count("<text")
    assert after.count("<line") == before.count("<line")
    assert len(after) < (0.95 if name == "prices" else 0.85) * len(before)
    assert render_svg(spec) == render_svg(spec)


def test_shared_styles_wrap_runs_and_name_classes() -> None:
    """A run of lines with one stroke is wrapped in a group that says it once; a text style
    repeated across groups becomes a class; text content (escaped, with ">") is untouched."""
    from generator.charts.svg_trim import _share_styles

    line = '<line transform="translate({x},0)" x2="0" y2="5" stroke="#8c8c8c" stroke-width="1"/>'
    text = ('<g transform="translate({x},9)"><text text-anchor="end" font-size="13px" '
            'fill="#333333">A &amp; B &lt;i&gt; >{x}</text></g>')
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9">'
           + "".join(line.format(x=x) for x in range(4))
           + "".join(text.format(x=x) for x in range(6)) + "</svg>")
    out = _share_styles(svg)
    assert out.count('stroke="#8c8c8c"') + out.count("stroke:#8c8c8c") == 1
    assert '<line transform="translate(0)" y2="5"/>' in out
    assert out.count("text-anchor") == 1 and "<style>" in out
    assert all(f"A &amp; B &lt;i&gt; >{x}</text>" in out for x in range(6))
    assert len(out) < len(svg)


@pytest.mark.parametrize("svg", [
    '<svg xmlns="http://www.w3.org/2000/svg"><!-- a --><line x2="0" stroke="red"/>'
    '<line x2="0" stroke="red"/></svg>',
    "<svg xmlns='http://www.w3.org/2000/svg'><line x2='0' stroke='red'/>"
    "<line x2='0' stroke='red'/></svg>",
    '<svg xmlns="http://www.w3.org/2000/svg"><line class="a" x2="0" stroke="red"/>'
    '<line class="a" x2="0" stroke="red"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><g><line stroke="red"/></svg>',
])
def test_shared_styles_leave_an_svg_they_cannot_read_as_it_is(svg: str) -> None:
    from generator.charts.svg_trim import _share_styles

    assert _share_styles(svg) == svg


def test_an_old_pretty_spec_is_replaced_by_the_stored_one(tmp_path: Path) -> None:
    svg_path = tmp_path / "movers.svg"
    (tmp_path / "movers.vl.json").write_text("{}", encoding="utf-8")
    assert export_chart(sample_charts()["breadth"], svg_path) is True
    assert sorted(p.name for p in tmp_path.iterdir()) == ["movers.svg", "movers.vl.json.gz"]


def test_export_chart_skips_unchanged_spec(tmp_path: Path) -> None:
    chart = sample_charts()["breadth"]
    svg_path = tmp_path / "breadth.svg"
    assert export_chart(chart, svg_path) is True
    old = 1_000_000_000_000_000_000
    for path in (svg_path, spec_path(svg_path)):
        os.utime(path, ns=(old, old))
    assert export_chart(segment_breadth_chart(breadth(), "Small caps"), svg_path) is False
    assert svg_path.stat().st_mtime_ns == old
    assert spec_path(svg_path).stat().st_mtime_ns == old


def test_export_chart_rerenders_changed_data(tmp_path: Path) -> None:
    svg_path = tmp_path / "breadth.svg"
    export_chart(segment_breadth_chart(breadth(), "Small caps"), svg_path)
    before = svg_path.read_bytes()
    changed = breadth().assign(advances=[700, 420, 1300, 610, 1516])
    assert export_chart(segment_breadth_chart(changed, "Small caps"), svg_path) is True
    assert svg_path.read_bytes() != before
    assert "+700" in svg_path.read_text(encoding="utf-8")
    assert '"advances":1516' in json.dumps(read_spec(spec_path(svg_path)),
                                           separators=(",", ":"))


def test_export_chart_rerenders_when_svg_missing(tmp_path: Path) -> None:
    svg_path = tmp_path / "breadth.svg"
    export_chart(segment_breadth_chart(breadth(), "Small caps"), svg_path)
    svg_path.unlink()
    assert export_chart(segment_breadth_chart(breadth(), "Small caps"), svg_path) is True
    assert svg_path.is_file()


def test_export_chart_svg_identical_across_dirs(tmp_path: Path) -> None:
    # Two exports of the same chart give byte-identical SVG (and spec).
    for name, chart in sample_charts().items():
        first, second = tmp_path / "a" / f"{name}.svg", tmp_path / "b" / f"{name}.svg"
        export_chart(chart, first)
        export_chart(sample_charts()[name], second)
        assert first.read_bytes() == second.read_bytes()


def test_batch_renders_in_workers_the_same_bytes_written_when_it_closes(
        tmp_path: Path) -> None:
    charts = sample_charts()
    for name, chart in charts.items():
        export_chart(chart, tmp_path / "inline" / f"{name}.svg")
    with SvgBatch(workers=2, inline=1) as batch:
        for name, chart in charts.items():
            assert export_chart(chart, tmp_path / "batch" / f"{name}.svg", batch) is True
        assert not (tmp_path / "batch").exists()  # nothing is written before the batch ends
    assert tree_bytes(tmp_path / "batch") == tree_bytes(tmp_path / "inline")
    with SvgBatch(workers=2, inline=0) as batch:  # up-to-date charts are not rendered again
        assert not any(export_chart(chart, tmp_path / "batch" / f"{name}.svg", batch)
                       for name, chart in charts.items())


def test_batch_writes_nothing_when_the_caller_fails(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="stop"), SvgBatch(workers=2, inline=0) as batch:
        export_chart(sample_charts()["breadth"], tmp_path / "movers.svg", batch)
        raise RuntimeError("stop")
    assert list(tmp_path.iterdir()) == []


def test_batch_writes_pages_carrying_their_charts_when_it_closes(tmp_path: Path) -> None:
    """A page that carries its chart (a stock page) is written when the batch ends, from
    the SVG the workers drew: the same bytes as a render in this process."""
    specs = {name: spec_json(chart) for name, chart in sample_charts().items()}
    with pytest.raises(RuntimeError, match="stop"), SvgBatch(workers=2, inline=0) as batch:
        batch.add_page(tmp_path / "failed.md", specs["breadth"], lambda svg: svg)
        raise RuntimeError("stop")
    assert list(tmp_path.iterdir()) == []
    with SvgBatch(workers=2, inline=1) as batch:
        for name, spec in specs.items():
            batch.add_page(tmp_path / "pages" / f"{name}.md", spec,
                           lambda svg, name=name: f"# {name}\n\n{svg}\n")
        assert not (tmp_path / "pages").exists()  # nothing is written before the batch ends
    for name, spec in specs.items():
        text = (tmp_path / "pages" / f"{name}.md").read_text(encoding="utf-8")
        assert text == f"# {name}\n\n{render_svg(spec)}\n"
    assert sorted(p.name for p in (tmp_path / "pages").iterdir()) == sorted(
        f"{name}.md" for name in specs)


def test_export_chart_svg_is_self_contained(tmp_path: Path) -> None:
    for name, chart in sample_charts().items():
        svg_path = tmp_path / f"{name}.svg"
        export_chart(chart, svg_path)
        svg = svg_path.read_text(encoding="utf-8")
        assert not re.search(r"\b(?:href|src)\s*=", svg.replace('xmlns:xlink="', ""))
        # Only references inside the file: the clip paths zoomable charts get.
        assert set(re.findall(r"url\(([^)]*)\)", svg)) <= {f"#clip{i}" for i in range(1, 9)}
        assert "<image" not in svg
        assert "@import" not in svg
        assert set(re.findall(r"https?://[^\"]*", svg)) <= {
            "http://www.w3.org/2000/svg",
            "http://www.w3.org/1999/xlink",
        }


# Alt text


def test_alt_text_index_history_gives_range_and_extremes() -> None:
    assert alt_text_index_history(history(), "Nifty Smallcap 250") == (
        "Line chart of Nifty Smallcap 250 over the last 6 sessions: from 17,210.40 on "
        "6 Nov 2024 to 17,420.55 on 13 Nov 2024 (+1.22%). High 17,420.55 on 13 Nov 2024, "
        "low 17,190.00 on 8 Nov 2024."
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


# Tables


def test_data_table_md_escapes_hostile_strings() -> None:
    table = table_prices(hostile_prices()).markdown()
    row = next(line for line in table.splitlines() if "A&#38;B" in line)
    assert escape_md(HOSTILE) in row
    assert "<Co>" not in table
    assert "*Ltd*" not in table


def test_data_table_md_keeps_one_cell_per_column() -> None:
    for table in (
        table_prices(hostile_prices()).markdown(),
        table_index_history(history(), "Nifty Smallcap 250").markdown(),
        table_segment_breadth(breadth(), "Small caps").markdown(),
        table_distribution(returns()).markdown(),
        table_prices(prices()).markdown(),
        table_segment_index(archive(30), "Nifty Smallcap 250").markdown(),
        table_stock_price(stock(), "ABCL", "Abc Ltd").markdown(),
    ):
        lines = table.splitlines()
        width = lines[0].count("|")
        assert all(line.count("|") == width for line in lines)


def test_data_table_md_formats_and_aligns() -> None:
    frame = pd.DataFrame({"a": ["x|y"], "b": [1.5]})
    table = data_table(
        frame, {"a": "A|B", "b": "Value"}, {"b": "{:.1f}".format}, right_align={"b"}
    ).markdown()
    assert table == "| A&#124;B | Value |\n| --- | ---: |\n| x&#124;y | 1.5 |"


def test_data_table_md_renders_literally_through_markdown() -> None:
    markdown = pytest.importorskip("markdown")
    table = table_prices(hostile_prices()).markdown()
    page = markdown.markdown(table, extensions=["tables"])
    rows = re.findall(r"<tr>(.*?)</tr>", page, flags=re.S)
    assert len(rows) == 6
    assert all(len(re.findall(r"<t[dh]", row)) == 4 for row in rows)
    names = [html.unescape(cell) for cell in re.findall(r"<th[^>]*>(.*?)</th>", page)]
    assert HOSTILE in names


def test_table_index_history_gives_session_changes() -> None:
    lines = table_index_history(history(), "Nifty Smallcap 250").markdown().splitlines()
    assert cells(lines[0]) == ["Date", "Nifty Smallcap 250 close", "Change"]
    assert cells(lines[2]) == ["6 Nov 2024", "17,210.40", ""]
    assert cells(lines[-1]) == ["13 Nov 2024", "17,420.55", "&#43;0.23%"]


# Embedding


def test_embed_markdown_builds_excluded_figure_with_data() -> None:
    text = embed_markdown(ChartEmbed("returns.svg", "Bar chart.", "| a |\n| --- |\n| 1 |"))
    assert text == (
        '<div class="chart" data-spec="returns.vl.json.gz" data-pagefind-ignore="all" markdown>\n\n'
        "![Bar chart.](returns.svg){ loading=lazy }\n\n"
        '<details class="chart-data" markdown>\n'
        "<summary>Chart data</summary>\n\n"
        "| a |\n| --- |\n| 1 |\n\n"
        "</details>\n"
        "</div>\n"
    )


def test_inline_embed_carries_the_svg_and_the_stored_spec_in_base64() -> None:
    """A chart carried by its page: the image is the SVG as a data URL, the div holds the
    gzipped spec in base64 (`charts.js` reads it); nothing else goes into the markup."""
    import base64
    import gzip

    svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>A&amp;B "x" \u00e9</text></svg>'
    spec = json.dumps({"mark": "line", "title": f"{HOSTILE} \" ' > <"})
    alt_text = f"Line chart of {HOSTILE} ]"
    text = inline_embed_markdown(svg, spec, alt_text, "| a |\n| --- |\n| 1 |")
    inline = re.search(r'<div class="chart" data-spec-inline="([^"]*)" '
                       r'data-pagefind-ignore="all" markdown>', text)
    assert inline is not None and re.fullmatch(r"[A-Za-z0-9+/=]+", inline.group(1))
    assert json.loads(gzip.decompress(base64.b64decode(inline.group(1)))) == json.loads(spec)
    image = re.search(r"\]\(data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)\)\{ loading=lazy \}",
                      text)
    assert image is not None
    assert base64.b64decode(image.group(1)).decode("utf-8") == svg
    assert f"![{escape_md(alt_text)}]" in text
    assert inline_embed_markdown(svg, spec, alt_text, "t") == inline_embed_markdown(
        svg, spec, alt_text, "t")  # deterministic: the gzip carries no time
    markdown = pytest.importorskip("markdown")
    page = markdown.markdown(text, extensions=["attr_list", "md_in_html", "tables"])
    assert f'src="data:image/svg+xml;base64,{image.group(1)}"' in page
    assert f'data-spec-inline="{inline.group(1)}"' in page


def test_an_inline_chart_whose_spec_carries_its_table_builds_it_when_opened() -> None:
    """A segment page's rolling charts hold a year of rows: their table travels in the
    inline spec (`usermeta.table`) and the page holds a lazy details, no Markdown table; a
    spec without a table is refused."""
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>1</text></svg>'
    spec = json.dumps({"mark": "line", "usermeta": {"table": {
        "headers": ["Date", "Close"], "right": [2], "rows": [["2 Jan", "1.00"]]}}})
    text = inline_embed_markdown(svg, spec, "Line.")
    assert '<details class="chart-data" data-table="lazy" markdown>' in text
    assert "| Date |" not in text and "when opened; it needs JavaScript" in text
    with pytest.raises(ValueError, match="table"):
        inline_embed_markdown(svg, json.dumps({"mark": "line"}), "Line.")


def test_a_page_gives_back_the_svg_it_carries_for_the_same_spec_only() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>1</text></svg>'
    spec, other = json.dumps({"mark": "line"}), json.dumps({"mark": "bar"})
    page = "# Page\n\n" + inline_embed_markdown(svg, spec, "Line.", "t") + "\nMore.\n"
    assert inline_svg(page, spec) == svg
    assert inline_svg(page, other) is None
    assert inline_svg("# Page\n", spec) is None
    broken = page.replace("base64,", "base64,!!", 1)
    assert inline_svg(broken, spec) is None


def test_data_table_carried_by_a_spec_is_the_page_table_as_text() -> None:
    """The JSON a spec carries has the cells the Markdown table shows, unescaped (charts.js
    writes them as text) but without the marks that disguise a name."""
    frame = pd.DataFrame({"a": [f"x|y {HOSTILE}", "Evil\u202eCorp\u200b"], "b": [1.5, -2.0]})
    table = data_table(frame, {"a": "A|B", "b": "Value"}, {"b": "{:+.1f}".format},
                       right_align={"b"})
    assert table.as_json() == {
        "headers": ["A|B", "Value"], "right": [2],
        "rows": [[clean_text(f"x|y {HOSTILE}"), "+1.5"], ["EvilCorp", "-2.0"]]}
    cells = (escape_md(f"x|y {HOSTILE}"), escape_md("+1.5"))
    assert table.markdown().splitlines()[2] == f"| {cells[0]} | {cells[1]} |"


def test_embed_markdown_without_a_table_links_the_bundle_carrying_it() -> None:
    markdown = pytest.importorskip("markdown")
    text = embed_markdown(ChartEmbed("small-movers.svg", "Bar chart.",
                                     spec="small.charts.json.gz#movers"))
    page = markdown.markdown(text, extensions=["attr_list", "md_in_html", "tables"])
    assert "<table" not in page
    assert re.search(r'<details class="chart-data" data-table="lazy">\s*'
                     r"<summary>Chart data</summary>\s*<p>The table is read from this "
                     r'page\W+s <a href="small.charts.json.gz">chart data', page), page
    with pytest.raises(ValueError, match="a table, or a spec in a bundle"):
        ChartEmbed("small-movers.svg", "Bar chart.")


def test_embed_markdown_escapes_alt_text() -> None:
    alt_text = f"Chart of {HOSTILE} ] [x](y) `z`"
    text = embed_markdown(ChartEmbed("movers.svg", alt_text, "t"))
    assert f"![{escape_md(alt_text)}](movers.svg){{ loading=lazy }}" in text
    image_line = next(line for line in text.splitlines() if line.startswith("!["))
    assert image_line.count("](") == 1
    assert not set("[]<*`|") & set(image_line[2 : image_line.index("](")])


def test_embed_markdown_renders_with_site_extensions() -> None:
    markdown = pytest.importorskip("markdown")
    frame = hostile_prices()
    alt_text = alt_text_prices(frame) + f" {HOSTILE} ]"
    page = markdown.markdown(
        embed_markdown(ChartEmbed("charts/movers.svg", alt_text,
                                  table_prices(frame).markdown())),
        extensions=["attr_list", "md_in_html", "tables"],
    )
    assert "data-pagefind-ignore" in page
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



@pytest.mark.parametrize(
    "spec", ["/abs.json#a", "../up.json#a", "a b.json#k", 'a.json#k"', "a.json#k<x", "x#y#z",
             "https://e.com/a.json#k"]
)
def test_chart_embed_rejects_unsafe_spec(spec: str) -> None:
    with pytest.raises(ValueError, match="chart spec"):
        ChartEmbed("a.svg", "alt", "table", spec=spec)


def test_chart_embed_names_its_spec_in_a_bundle() -> None:
    embed = ChartEmbed("small-movers.svg", "alt", "t", spec="small.charts.json.gz#movers")
    assert embed.spec_name == "small.charts.json.gz#movers"
    assert 'data-spec="small.charts.json.gz#movers"' in embed_markdown(embed)

# The index history's five-session window, zoom and tooltips


def test_index_history_chart_band_covers_exactly_the_window() -> None:
    days = pd.bdate_range("2024-10-14", periods=22)
    frame = pd.DataFrame({"trade_date": days, "close": [100.0 + i for i in range(22)]})
    chart = index_history_chart(frame, "X", window=5, window_pct=5.1)
    band = layer(chart, "rect")
    assert (band["encoding"]["x"]["field"], band["encoding"]["x2"]["field"]) == (
        "band_start", "band_end")
    # From the close before the window (session 16) to the last close (21): five moves.
    assert layer_rows(chart, band) == [{"band_start": 16, "band_end": 21}]
    label = layer(chart, "text")
    assert layer_rows(chart, label) == [{"band_end": 21, "band_label": "5 sessions\n+5.10%"}]
    assert label["mark"]["lineBreak"] == "\n"


def test_index_history_chart_band_without_change_has_no_label() -> None:
    chart = index_history_chart(history(), "X", window=5)
    assert layer_rows(chart, layer(chart, "rect")) == [{"band_start": 0, "band_end": 5}]
    texts = [item for item in layers(chart) if item["mark"]["type"] == "text"]
    assert [item["encoding"]["text"]["field"] for item in texts] == ["close_label"]


def test_index_history_chart_band_shrinks_to_the_sessions_shown() -> None:
    chart = index_history_chart(history().head(3), "X", window=5, window_pct=0.5)
    assert layer_rows(chart, layer(chart, "rect")) == [{"band_start": 0, "band_end": 2}]
    assert alt_text_index_history(history().head(3), "X", window=5, window_pct=0.5).endswith(
        "Shaded: the last 2 sessions, from the close of 6 Nov 2024 (+0.50%).")


def test_index_history_chart_without_window_has_no_band() -> None:
    chart = index_history_chart(history(), "X")
    assert all(item["mark"]["type"] != "rect" for item in layers(chart))
    assert "Shaded" not in alt_text_index_history(history(), "X")


def test_alt_text_index_history_states_the_window() -> None:
    text = alt_text_index_history(history(), "Nifty Smallcap 250", window=5, window_pct=1.22)
    assert text.endswith("Shaded: the last 5 sessions, from the close of 6 Nov 2024 (+1.22%).")


@pytest.mark.parametrize("name", ["index_history", "segment_index", "stock_price", "breadth"])
def test_session_charts_zoom_on_x_in_the_interactive_view(name: str) -> None:
    spec = sample_charts()[name].to_dict()
    (zoom,) = spec["params"]
    assert {k: v for k, v in zoom.items() if k != "views"} == {
        "name": "zoom", "select": {"type": "interval", "encodings": ["x"]}, "bind": "scales"}
    (view,) = zoom["views"]  # on the layer holding the line (or bars)
    marks = [item["mark"]["type"] for item in spec["layer"] if item.get("name") == view]
    assert marks == ["bar" if name == "breadth" else "line"]


def test_charts_give_tooltips() -> None:
    for name, chart in sample_charts().items():
        assert any("tooltip" in item.get("encoding", {}) for item in layers(chart)), name


# Session axis ticks


def test_session_ticks_mark_months_on_a_long_archive() -> None:
    days = [d.strftime("%Y-%m-%d") for d in pd.bdate_range("2024-01-01", periods=300)]
    ticks, labels = session_ticks(days)
    assert labels == ["Mar 2024", "May", "Jul", "Sep", "Nov", "Jan 2025"]
    assert [days[i] for i in ticks] == [
        "2024-03-01", "2024-05-01", "2024-07-01", "2024-09-02", "2024-11-01", "2025-01-01"]


def test_session_ticks_show_years_on_a_very_long_archive() -> None:
    days = [d.strftime("%Y-%m-%d") for d in pd.bdate_range("2024-01-01", periods=1000)]
    assert session_ticks(days)[1] == ["2025", "2026", "2027"]


# Net advances (breadth over sessions)


def test_segment_breadth_chart_draws_net_advances_by_sign() -> None:
    chart = segment_breadth_chart(breadth(), "Small caps")
    bars = layer(chart, "bar")
    rows = layer_rows(chart, bars)
    assert [(r["net"], r["direction"]) for r in rows] == [
        (200, "gain"), (-360, "loss"), (379, "gain"), (0, "flat"), (-438, "loss")]
    colours = bars["encoding"]["color"]["scale"]
    assert dict(zip(colours["domain"], colours["range"], strict=True)) == {
        "gain": BLUE, "loss": ORANGE, "flat": "#8c8c8c"}
    assert bars["encoding"]["y2"] == {"datum": 0}  # bars grow from zero
    assert layer(chart, "rule")["encoding"]["y"]["field"] == "zero"


def test_segment_breadth_chart_labels_the_last_session() -> None:
    chart = segment_breadth_chart(breadth(), "Small caps")
    text = layer(chart, "text")
    assert text["transform"] == [{"filter": "datum.is_last"}]
    assert [r["net_label"] for r in layer_rows(chart, text) if r["is_last"]] == ["−438"]


def test_segment_breadth_chart_ignores_row_order() -> None:
    shuffled = breadth().iloc[::-1].reset_index(drop=True)
    assert (segment_breadth_chart(shuffled, "S").to_json()
            == segment_breadth_chart(breadth(), "S").to_json())


def test_segment_breadth_chart_rejects_bad_counts() -> None:
    with pytest.raises(ValueError, match="segment breadth: declines must be whole numbers >= 0"):
        segment_breadth_chart(breadth().assign(declines=[1, 2, 3, 4, -5]), "S")
    with pytest.raises(ValueError, match="segment breadth: no rows; skip this chart"):
        segment_breadth_chart(breadth().iloc[0:0], "S")
    with pytest.raises(ValueError, match="segment breadth: missing column"):
        segment_breadth_chart(breadth().drop(columns="date"), "S")


def test_alt_text_segment_breadth_gives_today_share_and_range() -> None:
    assert alt_text_segment_breadth(breadth(), "Small caps") == (
        "Bar chart of net advances (advances minus declines) of Small caps, one bar per "
        "session; bars above zero are sessions with more advances than declines. 5 sessions "
        "from 7 Nov 2024 to 13 Nov 2024. On 13 Nov 2024, 378 advanced and 816 declined "
        "(net −438). More advances than declines on 2 of 5 sessions. Net advances ranged "
        "from −438 on 13 Nov 2024 to +379 on 11 Nov 2024."
    )


def test_alt_text_segment_breadth_of_one_session() -> None:
    assert alt_text_segment_breadth(breadth().tail(1), "Small caps").endswith(
        "One session: On 13 Nov 2024, 378 advanced and 816 declined (net −438).")


def test_table_segment_breadth_gives_every_session() -> None:
    lines = table_segment_breadth(breadth(), "Small caps").markdown().splitlines()
    assert cells(lines[0]) == ["Date", "Advances", "Declines", "Net"]
    assert cells(lines[4]) == ["11 Nov 2024", "1,300", "921", "&#43;379"]
    assert cells(lines[-1]) == ["13 Nov 2024", "378", "816", "−438"]


# Distribution of today's returns


@pytest.mark.parametrize(
    ("value", "low"),
    [(0.0, 0), (0.5, 0), (1.0, 1), (2.9999999999, 3), (-0.5, -1), (-1.0, -2), (-1e-9, -1),
     (9.99, 9), (10.0, 10), (35.0, 10), (-9.99, -10), (-10.0, -11), (-40.0, -11)],
)
def test_bin_of_puts_whole_numbers_away_from_zero(value: float, low: int) -> None:
    assert bin_of(value, 10) == low


def test_distribution_chart_bins_every_traded_member_once() -> None:
    chart = distribution_chart(returns(), "Nifty Smallcap 250", 2.52)
    rows = layer_rows(chart, layer(chart, "bar"))
    assert sum(r["count"] for r in rows) == 8  # ten members, two did not trade
    assert sorted((r["bin"], r["direction"], r["count"]) for r in rows) == [
        (-11, "loss", 1), (-2, "loss", 1), (-1, "loss", 1), (0, "flat", 1), (0, "gain", 1),
        (2, "gain", 1), (3, "gain", 1), (10, "gain", 1)]
    # Unchanged at the bottom of its bin, the gain stacked on it.
    zero = {r["direction"]: (r["stack_start"], r["stack_end"]) for r in rows if r["bin"] == 0}
    assert zero == {"flat": (0, 1), "gain": (1, 2)}


def test_distribution_chart_marks_the_index_and_the_median() -> None:
    chart = distribution_chart(returns(), "Nifty Smallcap 250", 2.52)
    rule = layer(chart, "rule")
    marks = {r["what"]: (r["at"], r["mark_label"]) for r in layer_rows(chart, rule)}
    assert marks == {"index": (2.52, "Nifty Smallcap 250 +2.52%"),
                     "median": (0.2, "Median +0.20%")}
    dash = rule["encoding"]["strokeDash"]["scale"]
    assert dict(zip(dash["domain"], dash["range"], strict=True)) == {
        "index": [1, 0], "median": [5, 3]}  # told apart by dash and label, not colour
    assert layer(chart, "text")["encoding"]["text"]["field"] == "mark_label"


def test_distribution_chart_clips_tails_into_end_bins() -> None:
    x = layer(distribution_chart(returns(), "X", 2.52), "bar")["encoding"]["x"]
    assert x["scale"]["domain"] == [-11, 11]
    assert x["axis"]["values"][0] == -10.5
    assert x["axis"]["values"][-1] == 10.5
    assert x["axis"]["labelExpr"].startswith('["≤−10", "−8"')


def test_distribution_chart_narrows_bins_on_a_calm_day() -> None:
    calm = pd.DataFrame({"return_pct": [0.4, -0.3, 1.2, -2.6, 0.0]})
    chart = distribution_chart(calm, "X", 0.1)
    assert layer(chart, "bar")["encoding"]["x"]["scale"]["domain"] == [-3, 3]
    lines = table_distribution(calm).markdown().splitlines()
    assert [cells(line)[0] for line in lines[2:]] == [
        "−3% to −2%", "−2% to −1%", "−1% to 0%", "0% to +1%", "&#43;1% to +2%",
        "&#43;2% to +3%"]


def test_distribution_chart_without_index_draws_the_median_only() -> None:
    chart = distribution_chart(returns(), "X", None)
    assert [r["what"] for r in layer_rows(chart, layer(chart, "rule"))] == ["median"]
    assert "beaten" not in alt_text_distribution(returns(), "X", None)


def test_distribution_chart_needs_a_traded_member() -> None:
    idle = pd.DataFrame({"return_pct": [float("nan"), float("nan")]})
    with pytest.raises(ValueError, match="return distribution: no constituent traded; skip"):
        distribution_chart(idle, "X", 1.0)
    with pytest.raises(ValueError, match="return distribution: no rows"):
        distribution_chart(idle.iloc[0:0], "X", 1.0)


@given(st.lists(st.one_of(st.floats(-60, 60, allow_nan=False), st.just(float("nan"))),
                min_size=1, max_size=60))
def test_distribution_counts_add_up(values: list[float]) -> None:
    frame = pd.DataFrame({"return_pct": values})
    traded = [v for v in values if v == v]
    if not traded:
        return
    chart = distribution_chart(frame, "X", 0.0)
    rows = layer_rows(chart, layer(chart, "bar"))
    assert sum(r["count"] for r in rows) == len(traded)
    for r in rows:  # a bin holds one side of zero (and unchanged with the gains)
        assert r["direction"] != "loss" or r["bin"] < 0
        assert r["direction"] != "gain" or r["bin"] >= 0
    table = table_distribution(frame).markdown().splitlines()[2:]
    assert sum(int(cells(line)[1].replace(",", "")) for line in table) == len(traded)
    text = alt_text_distribution(frame, "X", 0.0)
    up = sum(1 for v in traded if v > 0)
    down = sum(1 for v in traded if v < 0)
    assert f"{up:,} up, {down:,} down, {len(traded) - up - down:,} unchanged" in text


def test_alt_text_distribution_gives_counts_median_and_index() -> None:
    assert alt_text_distribution(returns(), "Nifty Smallcap 250", 2.52) == (
        "Histogram of today's returns of the 8 stocks that traded, in one-point bins, returns "
        "of 10% or more either way in the two end bins: 4 up, 3 down, 1 unchanged. Median "
        "+0.20%; the Nifty Smallcap 250 +2.52%, beaten by 2 of the 8. Returns ranged from "
        "−16.78% to +12.99%."
    )


# Small multiples of the named stocks' prices


def test_price_panels_chart_has_one_panel_per_stock_in_order() -> None:
    spec = price_panels_chart(prices()).to_dict()
    assert spec["facet"]["sort"] == ["ABCL\n+12.99%", "GHIJ\n−9.90%", "RST\n−16.80%"]
    assert spec["columns"] == 3
    assert spec["resolve"] == {"scale": {"y": "independent"}}
    panels = {r["panel"] for r in spec["datasets"][spec["data"]["name"]]}
    assert panels == set(spec["facet"]["sort"])


def test_price_panels_chart_leaves_out_sessions_without_a_close() -> None:
    chart = price_panels_chart(prices())
    rows = chart.to_dict()["datasets"][chart.to_dict()["data"]["name"]]
    assert [r["session"] for r in rows if r["symbol"] == "GHIJ"] == [0, 2, 3, 4]
    last = [(r["symbol"], r["close_label"]) for r in rows if r["is_last"]]
    assert last == [("ABCL", "112.99"), ("GHIJ", "45.05"), ("RST", "16.64")]
    assert layer(chart, "point")["transform"] == [{"filter": "datum.is_last"}]


def test_price_panels_chart_keeps_a_panel_for_a_stock_that_never_traded() -> None:
    frame = prices().assign(IDLE=float("nan"))
    spec = price_panels_chart(frame).to_dict()
    assert spec["facet"]["sort"][-1] == "IDLE\nno trade"
    assert alt_text_prices(frame).endswith("; IDLE no trade.")


def test_price_panels_chart_rejects_empty_input() -> None:
    with pytest.raises(ValueError, match="named prices: no stocks; skip this chart"):
        price_panels_chart(prices().iloc[:, 0:0])
    with pytest.raises(ValueError, match="named prices: no sessions; skip this chart"):
        price_panels_chart(prices().iloc[0:0])


def test_alt_text_prices_gives_each_change() -> None:
    assert alt_text_prices(prices()) == (
        "Small line charts of the closing prices of 3 stocks over 5 sessions, 7 Nov 2024 to "
        "13 Nov 2024, each on its own scale, the last close marked: ABCL +12.99% (100.00 to "
        "112.99); GHIJ −9.90% (50.00 to 45.05), traded on 4 of 5 sessions; RST −16.80% "
        "(20.00 to 16.64)."
    )


def test_table_prices_has_a_column_per_stock() -> None:
    lines = table_prices(prices()).markdown().splitlines()
    assert cells(lines[0]) == ["Date", "ABCL", "GHIJ", "RST"]
    assert cells(lines[3]) == ["8 Nov 2024", "102.00", "", "20.00"]


# Archive-long index and a stock's recent prices


def test_segment_index_chart_draws_a_thin_line_without_dots() -> None:
    chart = segment_index_chart(archive(300), "Nifty Smallcap 250")
    assert layer(chart, "line")["mark"]["strokeWidth"] == 1.5
    point = layer(chart, "point")
    assert point["transform"] == [{"filter": "datum.is_last"}]  # only the last close
    assert layer(chart, "text")["transform"] == [{"filter": "datum.is_last"}]
    assert len(layer(chart, "line")["encoding"]["x"]["axis"]["values"]) == 6
    assert chart.to_dict()["title"]["text"] == "Nifty Smallcap 250 since 1 Jan 2024"


def test_segment_index_chart_needs_date_and_close() -> None:
    with pytest.raises(ValueError, match="segment index: missing column"):
        segment_index_chart(history(), "X")  # trade_date, not date
    with pytest.raises(ValueError, match="segment index: no rows"):
        segment_index_chart(archive(3).iloc[0:0], "X")


def test_alt_text_and_table_segment_index() -> None:
    assert alt_text_segment_index(archive(300), "X").startswith(
        "Line chart of X over the last 300 sessions: from 1,000.00 on 1 Jan 2024 to "
        "1,009.00 on 21 Feb 2025 (+0.90%).")
    assert len(table_segment_index(archive(300), "X").markdown().splitlines()) == 302


def test_stock_price_chart_names_the_stock_and_labels_the_last_close() -> None:
    chart = stock_price_chart(stock(), "ABCL", "Abc Ltd")
    spec = chart.to_dict()
    assert spec["title"]["text"] == "ABCL: last 63 sessions"
    assert spec["title"]["subtitle"] == "Abc Ltd"
    last = [r["close_label"] for r in rows_of(chart) if r.get("is_last")]
    assert last == ["281.00"]
    assert layer(chart, "point")["mark"]["size"] == 14  # small dots on three months


def test_alt_text_and_table_stock_price() -> None:
    assert alt_text_stock_price(stock(), "ABCL", HOSTILE).startswith(
        f"Line chart of {HOSTILE} (ABCL) closing prices over the last 63 sessions: from "
        "250.00 on 1 Aug 2024 to 281.00 on 28 Oct 2024 (+12.40%).")
    assert cells(table_stock_price(stock(), "ABCL", "Abc Ltd").markdown().splitlines()[0]) == [
        "Date", "ABCL close", "Change"]


def test_stock_price_chart_rejects_empty_input() -> None:
    with pytest.raises(ValueError, match="ABCL prices: no rows; skip this chart"):
        stock_price_chart(stock().iloc[0:0], "ABCL", "Abc Ltd")


# The interactive view's script


def test_write_vega_bundle_writes_once(tmp_path: Path) -> None:
    assert write_vega_bundle(tmp_path) is True
    path = tmp_path / VEGA_BUNDLE
    assert path == tmp_path / "assets" / "vega" / "vega-bundle.js"
    text = path.read_text(encoding="utf-8")
    header, body = text.split("\n", 1)
    assert header.startswith("/* vega-bundle: vl-convert ") and header.endswith(" */")
    assert body.startswith("(function () {\n")
    assert text.endswith("})();\n")
    assert "window.vegaEmbed = vegaEmbed" in text or "window.vegaEmbed=" in text
    assert "https://cdn" not in text.replace("https://cdn.jsdelivr.net/npm/vega-lite@", "")
    assert oct(path.stat().st_mode & 0o777) == "0o644"
    old = 1_000_000_000_000_000_000
    os.utime(path, ns=(old, old))
    assert write_vega_bundle(tmp_path) is False
    assert path.stat().st_mtime_ns == old
    assert [p.name for p in path.parent.iterdir()] == ["vega-bundle.js"]
    # Made by another vl-convert (its first line differs), or cut short: made again.
    path.write_text("/* vega-bundle: vl-convert 0.0.1 */\n" + body, encoding="utf-8")
    assert write_vega_bundle(tmp_path) is True
    assert path.read_text(encoding="utf-8") == text
    path.write_text(text[:-20], encoding="utf-8")
    assert write_vega_bundle(tmp_path) is True
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("sessions", [1, 2, 30, 31, 63, 70, 71, 250])
def test_the_plain_stock_price_spec_is_the_altair_one(sessions: int) -> None:
    """The stock page's chart is written out as a dict (no Altair objects: a hundred a day);
    it is what the Altair builder gives, but for the view's name, and a valid spec."""
    import re

    from generator.charts import stock_price_spec

    df = stock(sessions)
    plain = stock_price_spec(df, "A&B", 'Abc <"Ltd">')
    built = stock_price_chart(df, "A&B", 'Abc <"Ltd">').to_dict()  # validated by Altair

    def unnamed(spec: dict[str, Any]) -> str:
        return re.sub(r"view_[0-9a-f]{16}_0", "VIEW", json.dumps(spec, sort_keys=True))

    assert unnamed(plain) == unnamed(built)
    assert plain["layer"][0]["name"] == plain["params"][0]["views"][0]
    alt.LayerChart.from_dict(plain)  # validates against the Vega-Lite schema
    assert spec_json(plain) == spec_json(stock_price_spec(df, "A&B", 'Abc <"Ltd">'))
    other = stock_price_spec(stock(sessions).assign(close=lambda f: f["close"] + 1), "A&B", "x")
    assert other["layer"][0]["name"] != plain["layer"][0]["name"]
