"""The charts of a brief from a computed segment day: which kinds, their figures, placement."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest
import scenario
from demo_store import Demo

from generator.brief_charts import BREADTH_SESSIONS, brief_specs, write_brief_charts
from generator.charts import read_bundle, signed_pct
from generator.charts.export import stored_bundle
from generator.metrics.segment import WINDOW_SESSIONS, SegmentDay, compute_day
from generator.narrative.check import check_brief
from generator.narrative.render import render_brief
from generator.pipeline import compute_days
from generator.snapshot import MarketDay, load_day, load_history

ALL_KINDS = ["history", "breadth", "distribution", "prices"]


@pytest.fixture
def crafted(tmp_path: Path) -> tuple[MarketDay, SegmentDay]:
    """The crafted seed day's small caps, with a panel of its one session of closes."""
    root = tmp_path / "crafted"
    root.mkdir()
    built = scenario.build(root)
    (market, days), = compute_days(built.config, built.store, [scenario.DAY])[0]
    return market, next(sd for sd in days if sd.segment.key == "small")


@pytest.fixture(scope="module")
def demo_day(demo_market: Demo) -> tuple[MarketDay, SegmentDay]:
    """The demo market's last session, small caps, with 55 sessions of history behind it."""
    config, store, days = demo_market
    (market, seg_days), = compute_days(config, store, [days[-1]])[0]
    return market, next(sd for sd in seg_days if sd.segment.key == "small")


def spec_of(folder: Path, kind: str) -> dict[str, Any]:
    """Return the spec of a chart, from the bundle of the brief's specs."""
    spec: dict[str, Any] = read_bundle(folder / "small.charts.json.gz")[kind]
    return spec


def rows_of(spec: dict[str, Any], mark: str) -> list[dict[str, Any]]:
    """Return the data rows of the first layer drawn with `mark`."""
    item = next(i for i in spec["layer"] if i["mark"]["type"] == mark)
    name = item.get("data", spec.get("data", {})).get("name")
    rows: list[dict[str, Any]] = spec["datasets"][name]
    return rows


def alt_text(embed: str) -> str:
    """Return the alt text of an embed's image."""
    match = re.search(r"!\[(.*)\]\(", embed)
    assert match is not None
    return match.group(1)


def test_write_brief_charts_on_the_seed_day(
    crafted: tuple[MarketDay, SegmentDay], tmp_path: Path
) -> None:
    _, sd = crafted
    result = write_brief_charts(sd, tmp_path, "small")
    # One session of closes: no price panels, they would add nothing to the Movers table.
    assert list(result.embeds) == ["history", "breadth", "distribution"]
    assert (result.rendered, result.reused) == (3, 0)
    for kind in result.embeds:
        assert (tmp_path / f"small-{kind}.svg").read_text().startswith("<svg")
        assert f'data-spec="small.charts.json.gz#{kind}"' in result.embeds[kind]
    # One file holds every spec; none lies beside its SVG.
    assert sorted(read_bundle(tmp_path / "small.charts.json.gz")) == sorted(result.embeds)
    assert not list(tmp_path.glob("*.vl.json*"))
    written = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    again = write_brief_charts(sd, tmp_path, "small")
    assert (again.rendered, again.reused) == (0, 3)
    assert again.embeds == result.embeds
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == written


def test_each_brief_chart_spec_carries_its_data_table(
    crafted: tuple[MarketDay, SegmentDay], tmp_path: Path
) -> None:
    """The page holds no copy of a chart's numbers: its details links the bundle, whose
    spec for the chart carries the same table the Markdown would have shown."""
    _, sd = crafted
    embeds = write_brief_charts(sd, tmp_path, "small").embeds
    bundle = read_bundle(tmp_path / "small.charts.json.gz")
    tables = {kind: table for kind, _, _, table in brief_specs(sd)}
    assert sorted(tables) == sorted(embeds)
    for kind, embed in embeds.items():
        carried = bundle[kind]["usermeta"]["table"]
        assert carried == tables[kind].as_json()
        assert carried["rows"] and all(len(r) == len(carried["headers"])
                                       for r in carried["rows"])
        assert '<details class="chart-data" data-table="lazy" markdown>' in embed
        assert "[chart data (JSON, gzipped)](small.charts.json.gz)" in embed
        assert "|" not in embed.partition("<details")[2], f"{kind}: a table in the page"
    breadth = bundle["breadth"]["usermeta"]["table"]
    assert breadth["rows"] and breadth["right"]


def test_brief_charts_draw_again_only_what_changed_and_replace_old_spec_files(
    crafted: tuple[MarketDay, SegmentDay], tmp_path: Path
) -> None:
    """A chart whose spec the bundle does not hold is drawn again (a crash before the
    bundle, a brief written by an older version); the per-chart spec files an older version
    wrote are removed once the bundle is written."""
    _, sd = crafted
    write_brief_charts(sd, tmp_path, "small")
    bundle = tmp_path / "small.charts.json.gz"
    specs = read_bundle(bundle)
    (tmp_path / "small-breadth.vl.json.gz").write_bytes(b"old")
    (tmp_path / "small-history.vl.json").write_text("{}", encoding="utf-8")
    del specs["breadth"]
    bundle.write_bytes(stored_bundle({k: json.dumps(v) for k, v in specs.items()}))
    again = write_brief_charts(sd, tmp_path, "small")
    assert (again.rendered, again.reused) == (1, 2)
    assert "breadth" in read_bundle(bundle)
    assert not list(tmp_path.glob("*.vl.json*"))
    bundle.write_bytes(b"not gzip")
    assert write_brief_charts(sd, tmp_path, "small").rendered == 3


def test_brief_charts_agree_with_the_brief_figures(
    crafted: tuple[MarketDay, SegmentDay], tmp_path: Path
) -> None:
    _, sd = crafted
    embeds = write_brief_charts(sd, tmp_path, "small").embeds
    b = sd.breadth
    assert sd.stats.median_pct is not None
    assert (f"{b.advances} up, {b.declines} down, {b.unchanged} unchanged. "
            f"Median {signed_pct(sd.stats.median_pct)}; the BSE SmallCap +2.52%"
            ) in alt_text(embeds["distribution"])
    bins = rows_of(spec_of(tmp_path, "distribution"), "bar")
    assert sum(r["count"] for r in bins) == b.advances + b.declines + b.unchanged
    rules = rows_of(spec_of(tmp_path, "distribution"), "rule")
    assert [r["mark_label"] for r in rules] == ["BSE SmallCap +2.52%", "Median −2.18%"]
    assert "On 12 Feb 2026, 378 advanced and 816 declined (net −438)." in alt_text(
        embeds["breadth"])
    assert alt_text(embeds["history"]).endswith(
        "Shaded: the last 5 sessions, from the close of 5 Feb 2026 (+1.95%).")


def test_write_brief_charts_on_a_day_with_history(
    demo_day: tuple[MarketDay, SegmentDay], tmp_path: Path
) -> None:
    _, sd = demo_day
    result = write_brief_charts(sd, tmp_path, "small")
    assert list(result.embeds) == ALL_KINDS
    # The index over about a month, its last five sessions shaded.
    history = spec_of(tmp_path, "history")
    assert len(rows_of(history, "line")) == 22
    assert rows_of(history, "rect") == [{"band_start": 21 - WINDOW_SESSIONS, "band_end": 21}]
    # Breadth: every session of the A/D table up to three months.
    assert sd.context is not None and sd.context.depth is not None
    table = sd.context.depth.advance_decline.table
    bars = rows_of(spec_of(tmp_path, "breadth"), "bar")
    assert len(bars) == min(BREADTH_SESSIONS, len(table))
    assert [r["net"] for r in bars] == [int(v) for v in table["net"].tail(len(bars))]
    # One price panel per named stock, gainers then losers.
    assert sd.prices is not None
    prices = spec_of(tmp_path, "prices")
    assert [p.split("\n")[0] for p in prices["facet"]["sort"]] == list(sd.prices.columns)


def test_write_brief_charts_leaves_out_charts_without_data(
    demo_day: tuple[MarketDay, SegmentDay], tmp_path: Path
) -> None:
    _, sd = demo_day
    bare = dataclasses.replace(sd, context=None, members=None, prices=None, move=None)
    result = write_brief_charts(bare, tmp_path, "small")
    assert list(result.embeds) == ["history"]
    # Without the five-session figure the band still marks the window, unlabelled.
    assert "Shaded: the last 5 sessions, from the close of" in alt_text(result.embeds["history"])
    assert not [i for i in spec_of(tmp_path, "history")["layer"]
                if i["mark"]["type"] == "text" and i["encoding"]["text"]["field"] == "band_label"]


def test_brief_places_each_chart_by_the_text_it_illustrates(
    demo_day: tuple[MarketDay, SegmentDay], tmp_path: Path
) -> None:
    market, sd = demo_day
    embeds = write_brief_charts(sd, tmp_path, "small").embeds
    text = render_brief(sd, embeds, market.sources, "../../../../methodology.md")
    where = {kind: text.index(f'data-spec="small.charts.json.gz#{kind}"') for kind in ALL_KINDS}
    heading = {h: text.index(f"\n## {h}\n") for h in
               ("Index performance", "Breadth", "Divergence", "Movers", "Results due")}
    assert heading["Index performance"] < where["history"] < heading["Breadth"]
    assert heading["Breadth"] < where["breadth"] < heading["Divergence"]
    assert heading["Divergence"] < where["distribution"] < heading["Movers"]
    assert heading["Movers"] < where["prices"] < heading["Results due"]
    assert check_brief(text, sd) == []
    # Without charts the brief is the same text with the chart blocks taken out.
    bare = render_brief(sd, {}, market.sources, "../../../../methodology.md")
    assert "data-spec" not in bare
    blocks = re.compile(r'\n*<div class="chart".*?</details>\n</div>\n', re.S)
    assert re.sub(r"\n{3,}", "\n\n", blocks.sub("\n", text)) == re.sub(r"\n{3,}", "\n\n", bare)


def test_one_market_day_gives_every_segment_its_charts(
    demo_market: Demo, tmp_path: Path
) -> None:
    config, store, days = demo_market
    market = load_day(store, config, days[-1])
    history = load_history(store, days[-1])
    for sd in compute_day(config, market, history):  # no panel: no breadth history, no prices
        kinds = list(write_brief_charts(sd, tmp_path, sd.segment.key).embeds)
        assert kinds == ["history", "distribution"], sd.segment.key


def test_a_chart_the_brief_no_longer_shows_leaves_no_svg(
    demo_day: tuple[MarketDay, SegmentDay], tmp_path: Path
) -> None:
    """Drawn again without its price panels (no closes now, or a kind an older version
    drew), the brief's folder keeps no SVG of a chart the page does not show."""
    _, sd = demo_day
    write_brief_charts(sd, tmp_path, "small")
    assert (tmp_path / "small-prices.svg").is_file()
    bundle = tmp_path / "small.charts.json.gz"
    specs = read_bundle(bundle)
    (tmp_path / "small-movers.svg").write_text("<svg/>", encoding="utf-8")
    specs["movers"] = {"mark": "bar"}
    bundle.write_bytes(stored_bundle({k: json.dumps(v) for k, v in specs.items()}))
    bare = dataclasses.replace(sd, prices=None)
    result = write_brief_charts(bare, tmp_path, "small")
    assert "prices" not in result.embeds
    assert sorted(p.name for p in tmp_path.glob("*.svg")) == sorted(
        f"small-{kind}.svg" for kind in result.embeds)
    assert sorted(read_bundle(bundle)) == sorted(result.embeds)
