"""Trend-label changes in the briefs, on the demo market: the section appears once labels
exist, is absent before, and every change it lists agrees with the stored label history."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from generator import columns as C
from generator.config import Config
from generator.metrics import trend
from generator.metrics.segment import SegmentDay, compute_day
from generator.narrative.render import render_brief
from generator.panel import TrendHistory, load_panel, trend_history
from generator.snapshot import load_day, load_history, load_ratings
from generator.store import Store

Demo = tuple[Config, Store, list[date]]


@pytest.fixture
def demo(demo_market: Demo) -> Demo:
    return demo_market


def _brief(config: Config, store: Store, day: date,
           trends: TrendHistory) -> tuple[SegmentDay, str]:
    market = load_day(store, config, day)
    history = load_history(store, day)
    feed = load_ratings(store, day)
    small = next(sd for sd in compute_day(config, market, history, trends.changes(day), feed)
                 if sd.segment.key == "small")
    return small, render_brief(small, {}, market.sources, "../../../../methodology.md")


def test_changes_listed_agree_with_the_label_history(demo: Demo) -> None:
    config, store, days = demo
    trends = trend_history(load_panel(store, config, days[0], days[-1]))
    day, prior = days[-1], days[-2]
    small, text = _brief(config, store, day, trends)
    changes = small.trend_changes
    assert changes is not None and not changes.empty
    assert "## Trend labels" in text
    # Independent of label_changes: read both days' scores and label them one by one.
    scores = trends.scores
    for row in changes.itertuples(index=False):
        before = trend.label_for(float(scores.at[pd.Timestamp(prior), row.isin]))
        after = trend.label_for(float(scores.at[pd.Timestamp(day), row.isin]))
        assert (before, after) == (row[changes.columns.get_loc("from")],
                                   row[changes.columns.get_loc("to")])
    steps = changes["steps"].abs().tolist()
    ups = changes.loc[changes["steps"] > 0]
    assert steps == sorted(steps, reverse=True)
    first = ups.iloc[0]
    assert f"({first[C.SYMBOL]}) {first['from']} → {first['to']}" in text
    assert f"{len(ups)} upgraded" in text


def test_the_section_is_left_out_before_labels_exist(demo: Demo) -> None:
    config, store, days = demo
    trends = trend_history(load_panel(store, config, days[0], days[-1]))
    small, text = _brief(config, store, days[10], trends)
    assert small.trend_changes is not None and small.trend_changes.empty
    assert "## Trend labels" not in text
    assert trends.labels.loc[pd.Timestamp(days[10])].isna().all()


def test_rating_changes_match_the_feed_files(demo: Demo) -> None:
    """The brief's rating changes equal a count made straight from the demo's CSV files."""
    import csv

    config, store, days = demo
    trends = trend_history(load_panel(store, config, days[-2], days[-1]))
    day = days[-1]
    small, text = _brief(config, store, day, trends)
    members = load_day(store, config, day).constituents[small.segment.members_key]
    isins = dict(zip(members[C.ISIN].astype(str), members[C.SYMBOL].astype(str), strict=True))
    latest: dict[str, str] = {}
    expected = set()
    for path in sorted((config.data_dir / "raw" / "ratings").glob("*/ratings_*.csv")):
        for row in csv.DictReader(path.open(newline="")):
            if row["isin"] not in isins:
                continue
            if row["date"] == day.isoformat() and latest.get(row["isin"]) != row["rating"]:
                expected.add((isins[row["isin"]], latest.get(row["isin"]), row["rating"]))
            latest[row["isin"]] = row["rating"]
    changes = small.rating_changes
    assert changes is not None and expected
    found = {(r.symbol, r[changes.columns.get_loc("from")], r.to)
             for r in changes.itertuples(index=False)}
    assert found == expected
    assert "## Rating changes" in text and "Demo Research (fictional)" in text


def test_the_summary_names_exactly_the_stocks_the_text_names(demo: Demo) -> None:
    """Stock pages are built from `named`: a change behind "and N more" claims no brief."""
    from generator.stock_pages import stock_records
    from generator.summary import summarise

    config, store, days = demo
    trends = trend_history(load_panel(store, config, days[0], days[-1]))
    small, text = _brief(config, store, days[-1], trends)
    summary = summarise(small)
    assert summary.named is not None
    in_data = {str(e["symbol"]) for e in summary.trend_changes}
    assert len(in_data) > 2 * config.brief.trend_changes  # some are behind "and N more"
    hidden = in_data - set(summary.named)
    assert hidden
    body = text.split("---\n", 2)[2]  # the front matter lists the named stocks' pages
    for symbol in summary.named:  # "(SYMBOL)" in a sentence or "| SYMBOL |" in the movers
        assert f"({symbol})" in body or f"| {symbol} |" in body, symbol
    for symbol in hidden - {str(e["symbol"]) for e in summary.gainers + summary.losers}:
        assert symbol not in body, symbol
    pages = {r.symbol for r in stock_records({small.day: [summary]})}
    assert pages == set(summary.named)
