"""Deeper breadth against plain loops over hand-made frames, edge cases and invariants."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.metrics import breadth_depth as bd

NAN = float("nan")
DAYS = pd.bdate_range("2025-01-01", periods=400)


def _frame(columns: dict[str, Sequence[float]]) -> pd.DataFrame:
    rows = len(next(iter(columns.values())))
    return pd.DataFrame({k: [float(v) for v in vs] for k, vs in columns.items()},
                        index=DAYS[:rows])


def _prev_from(closes: pd.DataFrame, overrides: dict[tuple[int, str], float] | None = None
               ) -> pd.DataFrame:
    """Published previous closes: the prior close on record, with some rows overridden."""
    prev = closes.ffill().shift(1)
    for (row, isin), value in (overrides or {}).items():
        prev.at[prev.index[row], isin] = value
    return prev


# --- Reference implementations: plain loops over one member's values ---------------------


def _on_record(xs: Sequence[float]) -> list[int]:
    """Rows where the member has a close."""
    return [i for i, v in enumerate(xs) if not math.isnan(v)]


def _moved(closes: Sequence[float], prevs: Sequence[float], row: int) -> bool:
    """Whether the published previous close on `row` differs from the prior close on record."""
    earlier = [i for i in _on_record(closes) if i < row]
    if not earlier or math.isnan(prevs[row]):
        return False
    return abs(prevs[row] - closes[earlier[-1]]) > bd.PRICE_TOLERANCE


def ref_above(closes: pd.DataFrame, prevs: pd.DataFrame, members: list[str], row: int,
              window: int) -> dict[str, int]:
    out = {"counted": 0, "above": 0, "short_history": 0, "adjusted": 0, "not_traded": 0,
           "missing": 0}
    for isin in members:
        if isin not in closes.columns:
            out["missing"] += 1
            continue
        xs = list(closes[isin].iloc[:row + 1])
        ps = list(prevs[isin].iloc[:row + 1])
        if math.isnan(xs[row]):
            out["not_traded"] += 1
            continue
        rec = _on_record(xs)
        if len(rec) < window:
            out["short_history"] += 1
            continue
        last = rec[-window:]
        if any(_moved(xs, ps, r) for r in last[1:]):
            out["adjusted"] += 1
            continue
        out["counted"] += 1
        mean = sum(xs[r] for r in last) / window
        out["above"] += xs[row] - mean > 1e-9 * abs(xs[row])
    return out


def ref_highs_lows(closes: pd.DataFrame, prevs: pd.DataFrame, members: list[str], row: int,
                   window: int) -> tuple[dict[str, int], list[str], list[str]]:
    out = {"counted": 0, "short_history": 0, "adjusted": 0, "not_traded": 0, "missing": 0}
    highs: list[str] = []
    lows: list[str] = []
    for isin in members:
        if isin not in closes.columns:
            out["missing"] += 1
            continue
        xs = list(closes[isin].iloc[:row + 1])
        ps = list(prevs[isin].iloc[:row + 1])
        if math.isnan(xs[row]):
            out["not_traded"] += 1
            continue
        start = row - window + 1
        rec = _on_record(xs)
        if start < 0 or rec[0] > start:
            out["short_history"] += 1
            continue
        inside = [r for r in rec if r >= start]
        if any(_moved(xs, ps, r) for r in inside[1:]):
            out["adjusted"] += 1
            continue
        out["counted"] += 1
        values = [xs[r] for r in inside]
        if xs[row] == max(values):
            highs.append(isin)
        if xs[row] == min(values):
            lows.append(isin)
    return out, highs, lows


def ref_ema(xs: Sequence[float], span: int) -> list[float]:
    """EMA with alpha 2 / (span + 1), seeded with the mean of the first `span` values."""
    alpha = 2 / (span + 1)
    out = [NAN] * len(xs)
    if len(xs) < span:
        return out
    out[span - 1] = sum(xs[:span]) / span
    for i in range(span, len(xs)):
        out[i] = alpha * xs[i] + (1 - alpha) * out[i - 1]
    return out


def ref_advance_decline(closes: pd.DataFrame, prevs: pd.DataFrame, members: list[str],
                        first: int, last: int) -> dict[str, list[float]]:
    adv: list[float] = []
    dec: list[float] = []
    unch: list[float] = []
    for row in range(first, last + 1):
        a = d = u = 0
        for isin in members:
            if isin not in closes.columns:
                continue
            c, p = closes[isin].iloc[row], prevs[isin].iloc[row]
            if math.isnan(c) or math.isnan(p):
                continue
            a += c > p
            d += c < p
            u += c == p
        adv.append(a)
        dec.append(d)
        unch.append(u)
    net = [a - d for a, d in zip(adv, dec, strict=True)]
    line: list[float] = []
    total = 0.0
    for n in net:
        total += n
        line.append(total)
    fast, slow = ref_ema(net, 19), ref_ema(net, 39)
    osc = [f - s for f, s in zip(fast, slow, strict=True)]
    return {"advances": adv, "declines": dec, "unchanged": unch, "net": net, "ad_line": line,
            "mcclellan": osc}


def _assert_table(table: pd.DataFrame, ref: dict[str, list[float]]) -> None:
    for column in (bd.ADVANCES, bd.DECLINES, bd.UNCHANGED, bd.NET, bd.AD_LINE):
        assert table[column].tolist() == ref[column], column
    got = table[bd.MCCLELLAN].tolist()
    want = ref["mcclellan"]
    assert [math.isnan(v) for v in got] == [math.isnan(v) for v in want]
    assert [v for v in got if not math.isnan(v)] == pytest.approx(
        [v for v in want if not math.isnan(v)], abs=1e-9)


# --- Moving averages ----------------------------------------------------------------------

SMA_CLOSES = _frame({
    "A": [10, 11, 12, 13, 14],          # rising: above its 3-close SMA (13)
    "B": [14, 13, 12, 11, 10],          # falling: below
    "C": [NAN, NAN, NAN, 10, 11],       # two closes on record: short history
    "D": [10, NAN, 11, 12, NAN],        # no close today: not traded
    "E": [10, NAN, 12, NAN, 9],         # gaps skipped: SMA of 10, 12, 9 = 10.33, below
    "F": [10, 10, 10, 10, 10],          # equal to its SMA: not above
    "G": [100, 100, 50, 51, 52],        # split on the window's first close: still counted
    "H": [100, 100, 100, 50, 51],       # split inside the window: left out as adjusted
    "X": [1, 2, 3, 4, 5],               # not a member
})
SMA_PREV = _prev_from(SMA_CLOSES, {(2, "G"): 50.0, (3, "H"): 50.0})
SMA_MEMBERS = ["A", "B", "C", "D", "E", "F", "G", "H", "MISSING"]


def test_above_average_counts_hand_computed_day() -> None:
    got = bd.above_average(SMA_CLOSES, SMA_PREV, SMA_MEMBERS, DAYS[4], 3)
    assert got == bd.AboveAverage(window=3, members=9, counted=5, above=2, short_history=1,
                                  adjusted=1, not_traded=1, missing=1)
    assert got.pct == pytest.approx(40.0)
    assert got == bd.AboveAverage(window=3, members=9,
                                  **ref_above(SMA_CLOSES, SMA_PREV, SMA_MEMBERS, 4, 3))


def test_above_average_on_an_earlier_day_ignores_later_rows() -> None:
    got = bd.above_average(SMA_CLOSES, SMA_PREV, SMA_MEMBERS, DAYS[2], 3)
    assert got.counted == 4  # A, B, F, G (G's first three closes: 100, 100, 50)
    assert got == bd.AboveAverage(window=3, members=9,
                                  **ref_above(SMA_CLOSES, SMA_PREV, SMA_MEMBERS, 2, 3))


def test_above_average_with_too_little_history_counts_nobody() -> None:
    got = bd.above_average(SMA_CLOSES, SMA_PREV, SMA_MEMBERS, DAYS[4], bd.SMA_SHORT)
    assert (got.counted, got.above, got.pct) == (0, 0, None)
    assert got.short_history == 7


def test_above_average_uses_the_50_and_200_session_windows() -> None:
    rng = np.random.default_rng(3)
    closes = pd.DataFrame(np.round(100 * np.exp(np.cumsum(rng.normal(0, 0.02, (260, 6)),
                                                          axis=0)), 2),
                          index=DAYS[:260], columns=list("ABCDEF"))
    closes.iloc[:100, 0] = np.nan            # A: 160 closes, counts for 50 only
    closes.iloc[200:, 1] = np.nan            # B: no close on the last rows
    closes.iloc[100:140, 2] = np.nan         # C: a long gap, 220 closes
    prev = _prev_from(closes, {(230, "D"): 50.0})  # D: an adjustment 30 sessions ago
    members = list("ABCDEF")
    depth = bd.compute_breadth_depth(closes, prev, members, pd.Series(dtype=float), DAYS[259])
    for window, got in ((50, depth.above_short), (200, depth.above_long)):
        assert got == bd.AboveAverage(window=window, members=6,
                                      **ref_above(closes, prev, members, 259, window))
    assert (depth.above_short.adjusted, depth.above_long.adjusted) == (1, 1)
    assert depth.above_long.short_history == 1 and depth.above_short.short_history == 0


# --- 52-week highs and lows --------------------------------------------------------------

HL_CLOSES = _frame({
    "A": [1, 2, 3, 4, 5, 6],               # high
    "B": [6, 5, 4, 3, 2, 1],               # low
    "C": [5, 1, 2, 3, 4, 5],               # high: the earlier 5 is outside the window
    "D": [NAN, NAN, NAN, 1, 2, 3],         # listed after the window's first session
    "E": [NAN, NAN, 3, 1, 2, 3],           # first close on the window's first session; ties
    "F": [2, 2, 2, 2, 2, 2],               # flat: both a high and a low
    "G": [5, 5, NAN, 4, NAN, 4.5],         # gaps skipped: high of 4 and 4.5
    "H": [1, 2, 3, 4, 5, NAN],             # no close today
    "I": [100, 100, 100, 100, 50, 49],     # split inside the window: adjusted
    "J": [100, 100, 50, 49, 48, 47],       # split on the window's first close: a low
})
HL_PREV = _prev_from(HL_CLOSES, {(4, "I"): 50.0, (2, "J"): 50.0})
HL_MEMBERS = list("ABCDEFGHIJ")


def test_highs_lows_hand_computed_day() -> None:
    got = bd.highs_lows(HL_CLOSES, HL_PREV, HL_MEMBERS, DAYS[5], window=4)
    assert got == bd.HighsLows(window=4, sessions=6, members=10, counted=7, short_history=1,
                               adjusted=1, not_traded=1, missing=0,
                               high_isins=("A", "C", "E", "F", "G"),
                               low_isins=("B", "F", "J"))
    assert (got.highs, got.lows) == (5, 3)
    counts, highs, lows = ref_highs_lows(HL_CLOSES, HL_PREV, HL_MEMBERS, 5, 4)
    assert got == bd.HighsLows(window=4, sessions=6, members=10, **counts,
                               high_isins=tuple(highs), low_isins=tuple(lows))


def test_highs_lows_need_a_full_window_of_sessions() -> None:
    got = bd.highs_lows(HL_CLOSES, HL_PREV, HL_MEMBERS, DAYS[5], window=7)
    assert (got.counted, got.highs, got.lows, got.sessions) == (0, 0, 0, 6)
    assert got.short_history == 9 and got.not_traded == 1
    default = bd.highs_lows(HL_CLOSES, HL_PREV, HL_MEMBERS, DAYS[5])
    assert (default.window, default.counted) == (250, 0)


# --- Advances, declines, A/D line, McClellan ----------------------------------------------

AD_CLOSES = _frame({
    "A": [10, 11, 11, 12],
    "B": [10, 9, NAN, 8],
    "C": [NAN, 5, 6, 5],
    "D": [7, 7, 7, 7],
})


def test_advance_decline_hand_computed_sessions() -> None:
    prev = _prev_from(AD_CLOSES, {(3, "B"): 8.0})  # B's published previous close on row 3: 8
    got = bd.advance_decline(AD_CLOSES, prev, ["A", "B", "C", "D", "Z"], DAYS[3])
    table = got.table
    assert table[bd.ADVANCES].tolist() == [0, 1, 1, 1]
    assert table[bd.DECLINES].tolist() == [0, 1, 0, 1]
    assert table[bd.UNCHANGED].tolist() == [0, 1, 2, 2]
    assert table[bd.NET].tolist() == [0, 0, 1, 0]
    assert table[bd.AD_LINE].tolist() == [0, 0, 1, 1]
    assert table[bd.MCCLELLAN].isna().all() and got.mcclellan is None
    assert (got.members, got.missing, got.sessions, got.day) == (5, 1, 4, DAYS[3])
    assert list(table.index) == list(DAYS[:4])


def test_advance_decline_window_starts_the_line_at_its_first_session() -> None:
    prev = _prev_from(AD_CLOSES)
    got = bd.advance_decline(AD_CLOSES, prev, list("ABCD"), DAYS[3], sessions=2)
    assert list(got.table.index) == list(DAYS[2:4])
    assert got.table[bd.AD_LINE].tolist() == [1, 0]
    wide = bd.advance_decline(AD_CLOSES, prev, list("ABCD"), DAYS[3], sessions=99)
    assert wide.sessions == 4
    with pytest.raises(ValueError) as empty:
        bd.advance_decline(AD_CLOSES, prev, list("ABCD"), DAYS[3], sessions=0)
    assert str(empty.value) == ("the A/D window must hold at least 1 session, not 0; pass "
                                "None for all sessions on record")


def test_advance_decline_and_mcclellan_match_loops() -> None:
    rng = np.random.default_rng(11)
    values = np.round(50 + np.cumsum(rng.choice([-1.0, 0.0, 1.0], (90, 12)), axis=0), 2)
    values[rng.random(values.shape) < 0.1] = np.nan
    closes = pd.DataFrame(values, index=DAYS[:90], columns=[f"S{j}" for j in range(12)])
    prev = _prev_from(closes, {(40, "S3"): 60.0})
    members = [f"S{j}" for j in range(10)]
    got = bd.advance_decline(closes, prev, members, DAYS[80])
    _assert_table(got.table, ref_advance_decline(closes, prev, members, 0, 80))
    assert got.mcclellan == pytest.approx(got.table[bd.MCCLELLAN].iloc[-1])
    window = bd.advance_decline(closes, prev, members, DAYS[89], sessions=45)
    _assert_table(window.table, ref_advance_decline(closes, prev, members, 45, 89))


def test_mcclellan_starts_on_the_39th_session_and_is_zero_for_constant_net() -> None:
    closes = _frame({"A": [float(i) for i in range(1, 51)], "B": [50.0] * 50})
    prev = _prev_from(closes, {(0, "A"): 0.5, (0, "B"): 50.0})
    got = bd.advance_decline(closes, prev, ["A", "B"], DAYS[49]).table
    osc = got[bd.MCCLELLAN]
    assert osc.iloc[:38].isna().all() and osc.iloc[38:].notna().all()
    assert got[bd.NET].tolist() == [1] * 50
    assert osc.iloc[38:].tolist() == pytest.approx([0.0] * 12, abs=1e-12)


# --- Equal-weighted gap and the narrow verdict ---------------------------------------------

GAP_CLOSES = _frame({"A": [100, 101], "B": [50, 51.5], "C": [20, 19.8], "D": [10, NAN]})


def test_participation_gap_hand_computed() -> None:
    index = pd.Series([1000.0, 1005.0], index=DAYS[:2])
    gap = bd.participation_gap(GAP_CLOSES, _prev_from(GAP_CLOSES), list("ABCD"), index, DAYS[1])
    assert gap is not None
    assert gap.counted == 3
    assert gap.equal_weight_pct == pytest.approx((1.0 + 3.0 - 1.0) / 3)
    assert gap.index_pct == pytest.approx(0.5)
    assert gap.gap_pp == pytest.approx(0.5)
    assert (gap.index_close, gap.index_prev_close, gap.day) == (1005.0, 1000.0, DAYS[1])


def test_participation_gap_uses_the_published_previous_close() -> None:
    prev = _prev_from(GAP_CLOSES, {(1, "A"): 50.0})  # A after a 1:2 split: +102%
    index = pd.Series([1000.0, 1005.0], index=DAYS[:2])
    gap = bd.participation_gap(GAP_CLOSES, prev, ["A"], index, DAYS[1])
    assert gap is not None and gap.equal_weight_pct == pytest.approx(102.0)


@pytest.mark.parametrize("index", [
    pd.Series([1000.0], index=DAYS[1:2]),                 # no previous session
    pd.Series([1000.0, NAN], index=DAYS[:2]),             # no close today
    pd.Series([1000.0, 1010.0], index=[DAYS[0], DAYS[2]]),  # not today's session
])
def test_participation_gap_needs_both_index_closes(index: pd.Series) -> None:
    assert bd.participation_gap(GAP_CLOSES, _prev_from(GAP_CLOSES), list("ABC"), index,
                                DAYS[1]) is None


def test_participation_gap_needs_a_member_with_a_return() -> None:
    index = pd.Series([1000.0, 1005.0], index=DAYS[:2])
    assert bd.participation_gap(GAP_CLOSES, _prev_from(GAP_CLOSES), ["D", "Q"], index,
                                DAYS[1]) is None
    assert bd.participation_gap(GAP_CLOSES, _prev_from(GAP_CLOSES), ["A"], index,
                                DAYS[0]) is None


def _gap(index_pct: float, equal_weight_pct: float) -> bd.ParticipationGap:
    return bd.ParticipationGap(DAYS[1], 10, equal_weight_pct, 100.0 + index_pct, 100.0,
                               index_pct)


@pytest.mark.parametrize(("index_pct", "equal_weight_pct", "expected"), [
    (1.0, -0.2, True),     # index up, typical member down
    (1.0, 0.0, True),      # index up, typical member flat
    (1.0, 0.5, True),      # trailed by exactly the threshold
    (1.0, 0.6, False),     # trailed by less
    (1.0, 2.0, False),     # typical member did better: broad
    (-1.0, 0.3, True),     # index down, typical member up
    (-1.5, -0.9, True),    # decline concentrated in heavyweights
    (-1.0, -2.0, False),   # typical member fell more: broad weakness
    (0.2, -0.5, False),    # index move too small to call
    (0.0, -1.0, False),
])
def test_narrow_rule(index_pct: float, equal_weight_pct: float, expected: bool) -> None:
    assert bd.narrow(_gap(index_pct, equal_weight_pct)) is expected


def test_narrow_thresholds_as_published() -> None:
    assert (bd.NARROW_MIN_MOVE_PCT, bd.NARROW_GAP_PP) == (0.25, 0.5)


# --- Whole computation, inputs and invariants ----------------------------------------------


def test_compute_breadth_depth_combines_the_parts() -> None:
    index = pd.Series([1000.0, 1005.0], index=DAYS[:2])
    prev = _prev_from(GAP_CLOSES)
    depth = bd.compute_breadth_depth(GAP_CLOSES, prev, list("ABCD"), index, DAYS[1],
                                     ad_sessions=1)
    assert depth.day == DAYS[1]
    assert depth.gap == bd.participation_gap(GAP_CLOSES, prev, list("ABCD"), index, DAYS[1])
    assert depth.advance_decline.table[bd.ADVANCES].tolist() == [2]
    assert depth.above_short.short_history == 3 and depth.highs_lows.counted == 0


def test_members_may_repeat_or_be_empty() -> None:
    prev = _prev_from(SMA_CLOSES)
    twice = bd.above_average(SMA_CLOSES, prev, ["A", "A", "B"], DAYS[4], 3)
    assert (twice.members, twice.counted, twice.above) == (2, 2, 1)
    none = bd.compute_breadth_depth(SMA_CLOSES, prev, [], pd.Series(dtype=float), DAYS[4])
    assert none.above_short.counted == 0 and none.gap is None
    assert none.advance_decline.table[bd.AD_LINE].tolist() == [0] * 5


def test_inputs_are_checked_with_messages_that_say_what_to_do() -> None:
    prev = _prev_from(SMA_CLOSES)
    with pytest.raises(ValueError) as missing_day:
        bd.above_average(SMA_CLOSES, prev, ["A"], pd.Timestamp("2024-01-01"), 3)
    assert str(missing_day.value) == ("2024-01-01 is not a session of closes; pass a date "
                                      "from closes.index")
    with pytest.raises(ValueError) as misaligned:
        bd.above_average(SMA_CLOSES, prev[["B", "A"]], ["A"], DAYS[4], 3)
    assert str(misaligned.value) == (
        "prev_closes must have the same dates and ISINs, in the same order, as closes; "
        "align them with prev_closes.reindex_like(closes)")
    backwards = SMA_CLOSES.iloc[::-1]
    with pytest.raises(ValueError, match="ascending date order"):
        bd.above_average(backwards, backwards, ["A"], DAYS[4], 3)


PRICE = st.sampled_from([NAN, 9.0, 10.0, 10.5, 11.0, 12.0])


@st.composite
def panels(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame, list[str], int]:
    rows = draw(st.integers(1, 12))
    cols = draw(st.integers(0, 5))
    data = {f"S{j}": draw(st.lists(PRICE, min_size=rows, max_size=rows)) for j in range(cols)}
    closes = pd.DataFrame(data, index=DAYS[:rows], columns=list(data), dtype=float)
    prev = closes.ffill().shift(1)
    for j in range(cols):  # some published previous closes differ, some are missing
        for r in draw(st.lists(st.integers(0, rows - 1), max_size=3)):
            prev.iloc[r, j] = draw(st.sampled_from([NAN, 5.0, 10.0, 20.0]))
    members = draw(st.lists(st.sampled_from([*data, "GONE"]), max_size=6))
    return closes, prev, members, draw(st.integers(0, rows - 1))


@settings(max_examples=150, deadline=None)
@given(panels(), st.integers(1, 5))
def test_every_figure_matches_loops_on_random_panels(
    panel: tuple[pd.DataFrame, pd.DataFrame, list[str], int], window: int
) -> None:
    closes, prev, members, row = panel
    unique = list(dict.fromkeys(members))
    above = bd.above_average(closes, prev, members, DAYS[row], window)
    assert above == bd.AboveAverage(window=window, members=len(unique),
                                    **ref_above(closes, prev, unique, row, window))
    hl = bd.highs_lows(closes, prev, members, DAYS[row], window)
    counts, highs, lows = ref_highs_lows(closes, prev, unique, row, window)
    assert hl == bd.HighsLows(window=window, sessions=row + 1, members=len(unique), **counts,
                              high_isins=tuple(highs), low_isins=tuple(lows))
    for got in (above, hl):
        assert got.counted + got.short_history + got.adjusted + got.not_traded + \
            got.missing == len(unique)
    ad = bd.advance_decline(closes, prev, members, DAYS[row])
    _assert_table(ad.table, ref_advance_decline(closes, prev, unique, 0, row))


@settings(max_examples=100, deadline=None)
@given(panels())
def test_ad_line_steps_are_advances_minus_declines(
    panel: tuple[pd.DataFrame, pd.DataFrame, list[str], int]
) -> None:
    closes, prev, members, row = panel
    table = bd.advance_decline(closes, prev, members, DAYS[row]).table
    line = table[bd.AD_LINE].to_numpy()
    steps = np.diff(np.concatenate([[0], line]))
    assert steps.tolist() == (table[bd.ADVANCES] - table[bd.DECLINES]).tolist()
    traded = closes[[m for m in dict.fromkeys(members) if m in closes.columns]].iloc[:row + 1]
    counted = table[bd.ADVANCES] + table[bd.DECLINES] + table[bd.UNCHANGED]
    assert (counted.to_numpy() <= traded.notna().sum(axis=1).to_numpy()).all()


@settings(max_examples=60, deadline=None)
@given(panels(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_column_order(
    panel: tuple[pd.DataFrame, pd.DataFrame, list[str], int], rnd: random.Random
) -> None:
    closes, prev, members, row = panel
    order = list(closes.columns)
    rnd.shuffle(order)
    a = bd.above_average(closes, prev, members, DAYS[row], 2)
    b = bd.above_average(closes[order], prev[order], members, DAYS[row], 2)
    assert a == b
    x = bd.highs_lows(closes, prev, members, DAYS[row], 2)
    y = bd.highs_lows(closes[order], prev[order], members, DAYS[row], 2)
    assert (x.counted, sorted(x.high_isins), sorted(x.low_isins)) == (
        y.counted, sorted(y.high_isins), sorted(y.low_isins))
