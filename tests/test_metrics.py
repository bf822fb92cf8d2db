"""Metrics on small hand-computed frames, and property tests of breadth invariants."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import columns as C
from generator.calendar import TradingCalendar
from generator.metrics.breadth import Breadth, ad_ratio, compute_breadth
from generator.metrics.movers import constituent_stats, top_movers
from generator.metrics.results import upcoming_results
from generator.metrics.returns import index_move, pct_change, rank_moves
from generator.metrics.universe import TRADED, company_shares, segment_members

CAL = TradingCalendar.from_holidays([date(2025, 1, 6)])  # a Monday holiday


def _equities(rows: list[tuple[str, str, str, float, float, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[C.ISIN, C.SYMBOL, C.SERIES, C.CLOSE, C.PREV_CLOSE,
                                       C.VOLUME])


def _constituents(isins: list[str]) -> pd.DataFrame:
    return pd.DataFrame({C.ISIN: isins, C.NAME: [f"Co {i}" for i in isins],
                         C.INDUSTRY: "X", C.SYMBOL: [f"S{i}" for i in isins]})


def test_company_shares_keeps_ine_equity_series_and_prefers_eq() -> None:
    eq = _equities([
        ("INE000A01011", "AAA", "EQ", 10.0, 9.0, 5),
        ("INE000A01011", "AAA", "BL", 11.0, 9.0, 5),       # block deal row: dropped
        ("INF000A01011", "ETF", "EQ", 10.0, 9.0, 5),       # ETF: dropped
        ("IN0020200104", "SGB", "GB", 10.0, 9.0, 5),       # gold bond: dropped
        ("INE000B07011", "BND", "N3", 10.0, 9.0, 5),       # bond: dropped
        ("INE000C01011", "CCC", "BE", 10.0, 9.0, 5),
        ("INE000D01011", "SME", "SM", 10.0, 9.0, 5),       # SME series: dropped
    ])
    shares = company_shares(eq)
    assert list(shares[C.SYMBOL]) == ["AAA", "CCC"]
    assert list(shares[C.SERIES]) == ["EQ", "BE"]
    assert list(company_shares(eq, sme=True)[C.SYMBOL]) == ["AAA", "CCC", "SME"]


def test_breadth_counts_hand_computed_day() -> None:
    eq = _equities([
        ("INE1", "A", "EQ", 11.0, 10.0, 1),   # up
        ("INE2", "B", "EQ", 9.0, 10.0, 1),    # down
        ("INE3", "C", "EQ", 10.0, 10.0, 1),   # unchanged
        ("INE4", "D", "EQ", 10.5, 10.0, 0),   # zero volume: not traded
    ])                                      # I5 has no row: not traded
    members = segment_members(_constituents(["INE1", "INE2", "INE3", "INE4", "INE5"]), eq)
    assert compute_breadth(members) == Breadth(advances=1, declines=1, unchanged=1, not_traded=2)
    assert members[C.RETURN_PCT].round(6).tolist()[:3] == [10.0, -10.0, 0.0]
    assert members[C.RETURN_PCT].iloc[3:].isna().all()


def test_ad_ratio_is_undefined_without_declines() -> None:
    assert ad_ratio(378, 816) == pytest.approx(0.4632, abs=1e-4)
    assert ad_ratio(5, 0) is None
    assert Breadth(0, 0, 3, 1).ad_ratio is None


def test_top_movers_sorts_and_breaks_ties_by_symbol() -> None:
    members = pd.DataFrame({
        C.SYMBOL: ["B", "A", "C", "D", "E"], C.NAME: list("bacde"),
        C.CLOSE: [1.0] * 5, C.PREV_CLOSE: [1.0] * 5,
        C.RETURN_PCT: [5.0, 5.0, -2.0, float("nan"), 0.0],
    })
    gainers, losers = top_movers(members, 5)
    assert list(gainers[C.SYMBOL]) == ["A", "B"]
    assert list(losers[C.SYMBOL]) == ["C"]


def test_constituent_stats_mean_and_median_of_traded() -> None:
    members = pd.DataFrame({C.RETURN_PCT: [1.0, 2.0, 6.0, float("nan")]})
    stats = constituent_stats(members)
    assert stats.mean_pct == pytest.approx(3.0)
    assert stats.median_pct == pytest.approx(2.0)
    assert stats.traded == 3


def test_index_move_counts_sessions_not_calendar_days() -> None:
    days = [date(2025, 1, d) for d in (1, 2, 3, 7, 8, 9, 10)]  # 4-5 weekend, 6 holiday
    closes = pd.Series([100.0, 101, 102, 103, 104, 105, 110],
                       index=pd.to_datetime(days))
    move = index_move("X", closes, points_change=5.0, day=date(2025, 1, 10), calendar=CAL)
    assert move.change_pct == pytest.approx(pct_change(110, 105))
    # Five sessions before 10 Jan: 9, 8, 7, 3, 2 -> compare with the close of 2 Jan.
    assert move.window_sessions == 5
    assert move.window_pct == pytest.approx(pct_change(110, 101))


def test_index_move_with_short_history_says_how_many_sessions() -> None:
    closes = pd.Series([100.0, 102.0], index=pd.to_datetime([date(2025, 1, 2),
                                                             date(2025, 1, 3)]))
    move = index_move("X", closes, 2.0, date(2025, 1, 3), CAL)
    assert (move.window_sessions, round(move.window_pct or 0, 6)) == (1, 2.0)
    first = index_move("X", closes.iloc[:1], 1.0, date(2025, 1, 2), CAL)
    assert first.window_pct is None and first.window_sessions == 0


def test_rank_moves_best_first_with_shared_ranks() -> None:
    ranked = rank_moves([("a", "segment", 1.0), ("b", "segment", 2.5), ("n", "benchmark", 1.0)])
    assert [(r.label, r.rank) for r in ranked] == [("b", 1), ("a", 2), ("n", 2)]


def test_upcoming_results_within_the_next_sessions() -> None:
    meetings = pd.DataFrame({
        C.SYMBOL: ["A", "B", "C", "D", "A"],
        C.ISIN: ["INE1", "INE2", "INE3", "INE9", "INE1"],
        C.NAME: list("abcda"),
        C.MEETING_DATE: pd.to_datetime(["2025-01-03", "2025-01-10", "2025-01-13", "2025-01-07",
                                        "2025-01-02"]),
        C.PURPOSE: ["results"] * 5,
        "is_results": [True, True, True, True, True],
    })
    members = _constituents(["INE1", "INE2", "INE3"])
    due = upcoming_results(meetings, members, date(2025, 1, 2), CAL, 5)
    # Next five sessions after 2 Jan: 3, 7, 8, 9, 10 (6 Jan is a holiday).
    assert list(due[C.SYMBOL]) == ["A", "B"]


returns = st.lists(
    st.one_of(st.none(), st.floats(min_value=-20, max_value=20, allow_nan=False)),
    min_size=1, max_size=60,
)


def _members(values: list[float | None]) -> pd.DataFrame:
    prev = [100.0] * len(values)
    close = [100.0 if v is None else round(100.0 * (1 + v / 100), 2) for v in values]
    eq = pd.DataFrame({
        C.ISIN: [f"INE{i}" for i in range(len(values))],
        C.SYMBOL: [f"S{i}" for i in range(len(values))],
        C.SERIES: "EQ", C.CLOSE: close, C.PREV_CLOSE: prev,
        C.VOLUME: [0 if v is None else 10 for v in values],
    })
    return segment_members(_constituents(list(eq[C.ISIN])), eq)


@given(returns)
def test_breadth_counts_add_up_to_constituents(values: list[float | None]) -> None:
    members = _members(values)
    b = compute_breadth(members)
    assert b.advances + b.declines + b.unchanged + b.not_traded == len(values)
    assert b.not_traded == sum(v is None for v in values)
    assert b.advances == int((members[C.RETURN_PCT] > 0).sum())


@given(returns, st.randoms(use_true_random=False))
def test_breadth_ignores_row_order(values: list[float | None], rnd: object) -> None:
    members = _members(values)
    shuffled = members.sample(frac=1.0, random_state=len(values)).reset_index(drop=True)
    assert compute_breadth(shuffled) == compute_breadth(members)
    a, b = constituent_stats(shuffled), constituent_stats(members)
    assert (a.mean_pct is None) == (b.mean_pct is None)
    if a.mean_pct is not None and b.mean_pct is not None:
        assert math.isclose(a.mean_pct, b.mean_pct, abs_tol=1e-9)


@given(st.integers(min_value=1, max_value=40))
def test_flat_prices_have_zero_returns_and_all_unchanged(n: int) -> None:
    members = _members([0.0] * n)
    assert compute_breadth(members) == Breadth(0, 0, n, 0)
    assert (members[C.RETURN_PCT] == 0).all()
    assert members[TRADED].all()


def test_adjusted_prices_lists_stocks_whose_previous_close_was_adjusted() -> None:
    from generator.metrics.universe import adjusted_prices

    prior = _equities([("INE1", "A", "EQ", 100.0, 99.0, 5), ("INE2", "B", "EQ", 50.0, 49.0, 5)])
    today = _equities([("INE1", "A", "EQ", 101.0, 100.0, 5),    # consistent
                       ("INE2", "B", "EQ", 26.0, 25.0, 5)])     # 1:1 bonus: 50 -> 25
    found = adjusted_prices(company_shares(today), prior)
    assert list(found[C.SYMBOL]) == ["B"]
    assert found["prior_close"].tolist() == [50.0]
