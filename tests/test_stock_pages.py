"""Stock pages: who the briefs named, in which role, and the trend-label periods."""

from __future__ import annotations

import dataclasses
import html
from datetime import date

import pandas as pd
import pytest
import yaml

from generator import columns as C
from generator.links import stock_path, stock_slug
from generator.stock_pages import label_periods, stock_page, stock_records, stocks_index
from generator.summary import BriefSummary

HOSTILE = 'A&B <script>"Co"</script> *Ltd* | x'


def _summary(day: str, segment: str, **lists: list[dict[str, object]]) -> BriefSummary:
    return BriefSummary(
        day=day, segment=segment, label=f"{segment.title()} caps", index="Index",
        headline="Headline", index_close=100.0, change_pct=1.0, window_pct=2.0,
        window_sessions=5, advances=3, declines=1, unchanged=0, not_traded=0, ad_ratio=3.0,
        mean_pct=1.0, median_pct=1.0, gainers=lists.get("gainers", []),
        losers=lists.get("losers", []), results_due=lists.get("results_due", []),
        trend_changes=lists.get("trend_changes", []),
        rating_changes=lists.get("rating_changes", []))


def _mover(symbol: str, name: str, ret: float) -> dict[str, object]:
    return {"symbol": symbol, "name": name, "close": 1.0, "prev_close": 1.0, "return_pct": ret}


@pytest.mark.parametrize(("symbol", "slug"), [
    ("RELIANCE", "reliance"), ("M&M", "m-and-m"), ("BAJAJ-AUTO", "bajaj-auto"),
    ("J&KBANK", "j-and-kbank"), ("3MINDIA", "3mindia"),
])
def test_stock_slug_is_url_safe(symbol: str, slug: str) -> None:
    assert stock_slug(symbol) == slug
    assert stock_path(symbol) == f"stocks/{slug}.md"


def test_an_unusual_symbol_gets_a_slug_with_a_hash_and_never_fails() -> None:
    assert stock_slug(" ABC.X ").startswith("abc-x--")
    assert stock_slug("-.-").startswith("stock--")
    assert stock_slug("M-AND-M") != stock_slug("M&M") == "m-and-m"


def test_records_collect_every_role_newest_first() -> None:
    by_day = {
        date(2025, 1, 2): [_summary("2025-01-02", "small",
                                    gainers=[_mover("ABC", "Old name", 12.99)],
                                    results_due=[{"symbol": "ABC", "name": "Old name",
                                                  "date": "2025-01-06"}])],
        date(2025, 1, 3): [
            _summary("2025-01-03", "small", losers=[_mover("ABC", "New name", -3.5)],
                     trend_changes=[{"symbol": "XYZ", "name": "Xyz", "from": "Neutral",
                                     "to": "Bullish", "steps": 1}]),
            _summary("2025-01-03", "micro",
                     rating_changes=[{"symbol": "ABC", "name": "New name", "provider": "P",
                                      "from": None, "to": "Buy", "steps": 0}]),
        ],
    }
    records = {r.symbol: r for r in stock_records(by_day)}
    assert sorted(records) == ["ABC", "XYZ"]
    abc = records["ABC"]
    assert abc.name == "New name"
    assert [(a.day, a.segment, a.roles) for a in abc.appearances] == [
        (date(2025, 1, 3), "small", ("Top loser, \u22123.50%",)),
        (date(2025, 1, 3), "micro", ("P rating initiated at Buy",)),
        (date(2025, 1, 2), "small", ("Top gainer, +12.99%", "Results due 6 Jan 2025")),
    ]
    assert records["XYZ"].appearances[0].roles == ("Trend label Neutral → Bullish",)


def test_records_claim_only_what_the_text_names_with_exact_ranks() -> None:
    changes = [{"symbol": f"UP{i}", "name": f"Up {i}", "from": "Neutral", "to": "Bullish",
                "steps": 1} for i in range(8)]
    losers = [_mover("L1", "One", -9.0), _mover("L2", "Two", -8.0), _mover("L3", "Three", -7.0)]
    summary = _summary("2025-01-03", "small", losers=losers, trend_changes=changes)
    # Written before summaries recorded the text's names: the brief listed five per side.
    legacy = {r.symbol for r in stock_records({date(2025, 1, 3): [summary]})}
    assert legacy == {"L1", "L2", "L3", "UP0", "UP1", "UP2", "UP3", "UP4"}
    named = dataclasses.replace(summary, named=["L1", "L2", "L3", "UP1"])
    records = {r.symbol: r for r in stock_records({date(2025, 1, 3): [named]})}
    assert sorted(records) == ["L1", "L2", "L3", "UP1"]
    assert [records[s].appearances[0].roles[0] for s in ("L1", "L2", "L3")] == [
        "Top loser, \u22129.00%", "2nd-biggest loser, \u22128.00%",
        "3rd-biggest loser, \u22127.00%"]


def test_records_give_two_look_alike_symbols_two_pages() -> None:
    by_day = {date(2025, 1, 2): [_summary("2025-01-02", "small",
                                          gainers=[_mover("M&M", "a", 1.0),
                                                   _mover("M-AND-M", "b", 2.0)])]}
    records = stock_records(by_day)
    assert len({stock_path(r.symbol) for r in records}) == 2


def test_label_periods_are_runs_newest_first() -> None:
    days = pd.bdate_range("2025-01-01", periods=7)
    labels = pd.DataFrame({C.TRADE_DATE: days,
                           "label": ["Neutral", "Bearish", "Neutral", "Neutral", "Neutral",
                                     "Bullish", "Bullish"]}).iloc[::-1]
    periods = label_periods(labels)
    assert [(p.label, p.first, p.last, p.sessions) for p in periods] == [
        ("Bullish", date(2025, 1, 8), date(2025, 1, 9), 2),
        ("Neutral", date(2025, 1, 3), date(2025, 1, 7), 3),
        ("Bearish", date(2025, 1, 2), date(2025, 1, 2), 1),
        ("Neutral", date(2025, 1, 1), date(2025, 1, 1), 1),
    ]
    assert len(label_periods(labels, limit=2)) == 2
    # A page shows the labels up to the stock's latest brief, whatever came later.
    assert [(p.label, p.last) for p in label_periods(labels, until=date(2025, 1, 7))][:1] == [
        ("Neutral", date(2025, 1, 7))]
    assert label_periods(labels, until=date(2024, 12, 31)) == []
    assert label_periods(labels.iloc[0:0]) == []


def test_stock_page_escapes_names_and_links_every_brief() -> None:
    by_day = {date(2025, 1, 2): [_summary("2025-01-02", "small",
                                          gainers=[_mover("A&B", HOSTILE, 5.0)])]}
    record = stock_records(by_day)[0]
    text = stock_page(record, "", [], date(2025, 1, 2), 63)
    front, body = text.split("---\n", 2)[1:]
    meta = yaml.safe_load(front)
    # Material prints the title into <title> and the header as HTML: it is escaped HTML.
    assert html.unescape(meta["title"]) == f"A&B: {HOSTILE}"
    assert "<" not in meta["title"] and '"' not in meta["title"]
    assert "<" not in meta["description"] and '"' not in meta["description"]
    assert meta["kind"] == "stock"
    assert "<script>" not in body and "*Ltd*" not in body
    assert "[2 Jan 2025](../briefs/2025/01/02/small.md)" in body
    # One link per appearance, to the brief; the segment is named, not linked.
    assert "| [2 Jan 2025](../briefs/2025/01/02/small.md) | Small caps | Top gainer" in body
    assert "No closes of A&#38;B are stored" in body
    index = stocks_index([record])
    assert "[A&#38;B](a-and-b.md)" in index and "<script>" not in index


def test_a_stock_named_for_years_lists_its_newest_appearances_and_links_search() -> None:
    """A stock named in 5 briefs more than a page lists: the page lists the newest and sends
    a reader to the search for the other 5, so its page stops growing."""
    from datetime import timedelta

    from generator.stock_pages import APPEARANCES_SHOWN

    days = [date(2025, 1, 1) + timedelta(days=i) for i in range(APPEARANCES_SHOWN + 5)]
    by_day = {day: [_summary(day.isoformat(), "small", gainers=[_mover("A&B", "AB Ltd", 5.0)])]
              for day in days}
    record = stock_records(by_day)[0]
    body = stock_page(record, "", [], days[-1], 63)
    listed = [line for line in body.splitlines() if line.startswith("| [")]
    assert len(listed) == APPEARANCES_SHOWN
    assert listed[0].startswith(f"| [{days[-1].day} ")  # newest first
    assert (f"The {APPEARANCES_SHOWN} newest of {APPEARANCES_SHOWN + 5}; [search the briefs "
            "for A&#38;B](../search.md?q=A%26B) to find the 5 earlier ones.") in body
    assert f"Named in {APPEARANCES_SHOWN + 5} briefs" in body


def test_stock_records_merged_from_yearly_groups_equal_those_of_the_whole_archive() -> None:
    """The archive keeps, per year, what its briefs named (`stocks_named`); records merged
    from those groups, newest year first, equal the records of all summaries at once:
    count, first appearance, the newest APPEARANCES_SHOWN across the year boundary, and
    the newest name."""
    from datetime import timedelta

    from generator.stock_pages import APPEARANCES_SHOWN, records_from_groups, stocks_named

    days = [date(2024, 11, 1) + timedelta(days=i) for i in range(120)]
    by_day = {
        day: [_summary(day.isoformat(), "small",
                       gainers=[_mover("AAA", f"Alpha {day.year}", 5.0)]
                       + ([_mover("BBB", "Beta", 4.0)] if i % 7 == 0 else [])),
              _summary(day.isoformat(), "mid", losers=[_mover("AAA", f"Alpha {day.year}", -1.0)])
              if i % 3 == 0 else _summary(day.isoformat(), "mid")]
        for i, day in enumerate(days)}
    whole = stock_records(by_day)
    years = sorted({day.year for day in days}, reverse=True)
    merged = records_from_groups(
        stocks_named({d: s for d, s in by_day.items() if d.year == year}) for year in years)
    assert merged == whole
    alpha = whole[0]
    assert alpha.count == 120 + 40
    assert len(alpha.appearances) == APPEARANCES_SHOWN
    # Newest first, a day's briefs in their order: the first listed is the last row.
    assert (alpha.first.day, alpha.first.segment) == (days[0], "mid")
    assert alpha.latest.day == days[-1] and alpha.name == "Alpha 2025"
    assert whole[1].count == len(range(0, 120, 7))
