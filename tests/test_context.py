"""Today's figures against history, checked with plain loops and property tests."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.metrics import context as cx

NAN = float("nan")
INF = float("inf")
DAYS = pd.bdate_range("2025-01-01", periods=300)


def _series(values: Sequence[float]) -> pd.Series:
    return pd.Series([float(v) for v in values], index=DAYS[:len(values)], dtype=float)


# --- Reference implementations -------------------------------------------------------------


def ref_ratio(adv: int, dec: int) -> float:
    if dec:
        return adv / dec
    return INF if adv else NAN


def ref_percentile(adv: Sequence[int], dec: Sequence[int], row: int, window: int
                   ) -> tuple[float | None, int, int, int]:
    """Percentile, sessions at or below, sessions with a ratio, sessions without one."""
    today = ref_ratio(adv[row], dec[row])
    rated = at_or_below = skipped = 0
    for i in range(max(0, row - window + 1), row + 1):
        r = ref_ratio(adv[i], dec[i])
        if math.isnan(r):
            skipped += 1
            continue
        rated += 1
        at_or_below += r <= today
    if math.isnan(today):
        return None, 0, rated, skipped
    return 100.0 * at_or_below / rated, at_or_below, rated, skipped


def ref_extreme(values: Sequence[float], row: int, kind: cx.Kind) -> cx.Extreme | None:
    today = values[row]
    if math.isnan(today):
        return None
    history = sum(1 for v in values[:row] if not math.isnan(v))
    beaten = 0
    for i in range(row - 1, -1, -1):
        v = values[i]
        if math.isnan(v):
            continue
        if (v >= today) if kind == "high" else (v <= today):
            return cx.Extreme(kind, DAYS[row], today, row - i, DAYS[i], v, beaten, history)
        beaten += 1
    return cx.Extreme(kind, DAYS[row], today, None, None, None, beaten, history)


def ref_streak(closes: Sequence[float], row: int) -> cx.Streak | None:
    if math.isnan(closes[row]):
        return None

    def move(i: int) -> float:  # sign of close i against close i - 1; NaN if unknown
        a, b = closes[i - 1], closes[i]
        if math.isnan(a) or math.isnan(b):
            return NAN
        return (b > a) - (b < a)

    last = move(row) if row > 0 else NAN
    if math.isnan(last) or last == 0:
        return cx.Streak(DAYS[row], closes[row], 0, 0, None, None, math.isnan(last))
    i = row
    while i > 0 and move(i) == last:
        i -= 1
    open_ended = i == 0 or math.isnan(move(i))
    return cx.Streak(DAYS[row], closes[row], int(last), row - i, DAYS[i], closes[i], open_ended)


# --- A/D ratio, percentile and weakest/strongest --------------------------------------------

ADV = [5, 3, 0, 4, 2, 6, 0]
DEC = [5, 6, 0, 0, 4, 3, 3]   # ratios: 1, 0.5, none, +inf, 0.5, 2, 0


def _context(row: int, window: int = cx.PERCENTILE_SESSIONS) -> cx.BreadthContext:
    return cx.breadth_context(_series(ADV), _series(DEC), DAYS[row], window)


def test_ad_ratios_inf_without_declines_and_none_without_moves() -> None:
    ratios = cx.ad_ratios(_series(ADV), _series(DEC)).tolist()
    assert ratios[:2] == [1.0, 0.5] and math.isnan(ratios[2])
    assert ratios[3:] == [INF, 0.5, 2.0, 0.0]


def test_breadth_context_weakest_day_hand_computed() -> None:
    got = _context(6)
    assert (got.advances, got.declines, got.ratio) == (0, 3, 0.0)
    assert got.percentile == pytest.approx(100 / 6)
    assert (got.at_or_below, got.rated, got.skipped, got.covered, got.window) == (1, 6, 1, 7, 250)
    assert got.first_session == DAYS[0]
    assert got.weakest == cx.Extreme("low", DAYS[6], 0.0, None, None, None, beaten=5, history=5)
    assert got.strongest == cx.Extreme("high", DAYS[6], 0.0, 1, DAYS[5], 2.0, beaten=0,
                                       history=5)


def test_breadth_context_window_and_skipped_sessions() -> None:
    got = _context(4, window=3)  # rows 2, 3, 4: row 2 has no ratio
    assert got.ratio == 0.5 and got.percentile == 50.0
    assert (got.at_or_below, got.rated, got.skipped, got.covered) == (1, 2, 1, 3)
    assert got.first_session == DAYS[2]
    # the weakest search is over the whole history: row 1 had the same 0.5, 3 sessions back
    assert got.weakest == cx.Extreme("low", DAYS[4], 0.5, 3, DAYS[1], 0.5, beaten=1,
                                     history=3)
    assert got.strongest is not None and got.strongest.since_value == INF


def test_breadth_context_no_declines_ranks_at_the_top() -> None:
    got = _context(3)
    assert got.ratio == INF and got.percentile == 100.0
    assert got.strongest == cx.Extreme("high", DAYS[3], INF, None, None, None, beaten=2,
                                       history=2)


def test_breadth_context_without_moves_has_no_ratio() -> None:
    got = _context(2)
    assert (got.ratio, got.percentile, got.weakest, got.strongest) == (None, None, None, None)
    assert (got.rated, got.skipped, got.at_or_below) == (2, 1, 0)


def test_breadth_context_first_session_has_no_history() -> None:
    got = _context(0)
    assert got.percentile == 100.0 and got.rated == 1
    assert got.weakest == cx.Extreme("low", DAYS[0], 1.0, None, None, None, 0, 0)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=1, max_size=40),
       st.integers(1, 30), st.data())
def test_breadth_context_matches_loops(counts: list[tuple[int, int]], window: int,
                                       data: st.DataObject) -> None:
    adv, dec = [a for a, _ in counts], [d for _, d in counts]
    row = data.draw(st.integers(0, len(counts) - 1))
    got = cx.breadth_context(_series(adv), _series(dec), DAYS[row], window)
    percentile, at_or_below, rated, skipped = ref_percentile(adv, dec, row, window)
    assert (got.percentile, got.at_or_below, got.rated, got.skipped) == (
        pytest.approx(percentile) if percentile is not None else None, at_or_below, rated,
        skipped)
    assert got.covered == min(window, row + 1) == got.rated + got.skipped
    if got.percentile is not None:
        assert 0.0 < got.percentile <= 100.0
    ratios = [ref_ratio(a, d) for a, d in zip(adv, dec, strict=True)]
    assert got.weakest == ref_extreme(ratios, row, "low")
    assert got.strongest == ref_extreme(ratios, row, "high")


# --- Index streak ---------------------------------------------------------------------------


@pytest.mark.parametrize(("closes", "row", "expected"), [
    ([100, 101, 101, 102, 103, 104], 5, (1, 3, 2, 101.0, False)),
    ([100, 99, 98], 2, (-1, 2, 0, 100.0, True)),        # the run reaches the series' start
    ([100, NAN, 101, 102], 3, (1, 1, 2, 101.0, True)),  # a NaN close ends what is known
    ([100, 102, 101, 103], 3, (1, 1, 2, 101.0, False)),
])
def test_streak_hand_computed(closes: list[float], row: int,
                              expected: tuple[int, int, int, float, bool]) -> None:
    direction, sessions, base, base_close, open_ended = expected
    got = cx.streak(_series(closes), DAYS[row])
    assert got == cx.Streak(DAYS[row], closes[row], direction, sessions, DAYS[base],
                            base_close, open_ended)


def test_streak_change_is_the_runs_whole_move() -> None:
    got = cx.streak(_series([100, 101, 101, 102, 103, 104]), DAYS[5])
    assert got is not None and got.change_pct == pytest.approx((104 / 101 - 1) * 100)


def test_unchanged_close_breaks_the_streak() -> None:
    got = cx.streak(_series([100, 101, 101]), DAYS[2])
    assert got == cx.Streak(DAYS[2], 101.0, 0, 0, None, None, open_ended=False)
    assert got.change_pct is None


def test_streak_without_a_previous_or_todays_close() -> None:
    assert cx.streak(_series([100]), DAYS[0]) == cx.Streak(DAYS[0], 100.0, 0, 0, None, None,
                                                           open_ended=True)
    assert cx.streak(_series([100, NAN]), DAYS[1]) is None
    later = cx.streak(_series([100, 101, 99]), DAYS[1])  # later sessions are ignored
    assert later is not None and (later.direction, later.sessions) == (1, 1)


CLOSE = st.one_of(st.just(NAN), st.sampled_from([98.0, 99.0, 100.0, 101.0, 102.0]))


@settings(max_examples=200, deadline=None)
@given(st.lists(CLOSE, min_size=1, max_size=30), st.data())
def test_streak_matches_loop_and_agrees_with_the_last_change(
    closes: list[float], data: st.DataObject
) -> None:
    row = data.draw(st.integers(0, len(closes) - 1))
    got = cx.streak(_series(closes), DAYS[row])
    assert got == ref_streak(closes, row)
    if got is not None and got.sessions:
        change = closes[row] - closes[row - 1]
        assert math.copysign(1, change) == got.direction
        assert got.base_day is not None
        run = closes[int(DAYS.searchsorted(got.base_day)):row + 1]
        assert all((b - a) * got.direction > 0 for a, b in itertools.pairwise(run))


# --- One-month return -----------------------------------------------------------------------


def test_period_return_compares_with_the_close_21_sessions_earlier() -> None:
    closes = [100.0 + i for i in range(23)]
    got = cx.period_return(_series(closes), DAYS[22])
    assert got == cx.PeriodReturn(DAYS[22], 122.0, 21, DAYS[1], 101.0)
    assert got.return_pct == pytest.approx((122 / 101 - 1) * 100)
    assert cx.period_return(_series(closes), DAYS[21]) == cx.PeriodReturn(
        DAYS[21], 121.0, 21, DAYS[0], 100.0)


def test_period_return_needs_the_history_and_both_closes() -> None:
    closes = [100.0 + i for i in range(23)]
    assert cx.period_return(_series(closes), DAYS[20]) is None   # 20 sessions of history
    gap = [*closes]
    gap[1] = NAN
    assert cx.period_return(_series(gap), DAYS[22]) is None
    gap[22] = NAN
    assert cx.period_return(_series(gap), DAYS[22]) is None
    assert cx.period_return(_series(closes), DAYS[5], sessions=5) == cx.PeriodReturn(
        DAYS[5], 105.0, 5, DAYS[0], 100.0)


# --- Close against earlier highs and lows ---------------------------------------------------


def test_close_records_hand_computed() -> None:
    got = cx.close_records(_series([10, 12, 11, 9, 11.5]), DAYS[4])
    assert got == cx.CloseRecords(
        high=cx.Extreme("high", DAYS[4], 11.5, 3, DAYS[1], 12.0, beaten=2, history=4),
        low=cx.Extreme("low", DAYS[4], 11.5, 1, DAYS[3], 9.0, beaten=0, history=4),
    )


def test_close_records_at_a_record_and_without_a_close() -> None:
    got = cx.close_records(_series([10, NAN, 12, 13]), DAYS[3])
    assert got is not None
    assert got.high == cx.Extreme("high", DAYS[3], 13.0, None, None, None, beaten=2, history=2)
    assert cx.close_records(_series([10, NAN]), DAYS[1]) is None


@settings(max_examples=200, deadline=None)
@given(st.lists(CLOSE, min_size=1, max_size=30), st.data())
def test_extremes_match_loops(closes: list[float], data: st.DataObject) -> None:
    row = data.draw(st.integers(0, len(closes) - 1))
    kinds: tuple[cx.Kind, ...] = ("high", "low")
    for kind in kinds:
        got = cx.extreme(_series(closes), DAYS[row], kind)
        assert got == ref_extreme(closes, row, kind)
        if got is not None:
            assert got.beaten <= got.history
            if got.sessions_back is None:
                assert got.beaten == got.history


# --- Inputs ---------------------------------------------------------------------------------


def test_inputs_are_checked_with_messages_that_say_what_to_do() -> None:
    with pytest.raises(ValueError) as missing:
        cx.streak(_series([1, 2]), pd.Timestamp("2024-06-01"))
    assert str(missing.value) == ("2024-06-01 is not a session of the series; pass a date "
                                  "from its index")
    with pytest.raises(ValueError) as misaligned:
        cx.breadth_context(_series([1, 2]), _series([1, 2, 3]), DAYS[1])
    assert str(misaligned.value) == ("advances and declines must have the same sessions in "
                                     "the same order; take both from one advance_decline "
                                     "table")
    with pytest.raises(ValueError, match="ascending date order"):
        cx.period_return(_series([1, 2]).iloc[::-1], DAYS[1])
    with pytest.raises(ValueError) as empty:
        cx.breadth_context(_series([1, 2]), _series([1, 2]), DAYS[1], window=0)
    assert str(empty.value) == "the percentile window must hold at least 1 session, not 0"
