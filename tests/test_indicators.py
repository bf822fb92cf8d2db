"""Indicators against textbook definitions written out as plain loops, gaps, and resampling."""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import pytest

from generator.metrics import indicators as ind

NAN = float("nan")
# A known series with rises, falls, unchanged closes and a drift: 90 sessions.
CLOSES = [round(100 + 8 * math.sin(i / 4) + 0.3 * i + (i % 7) * 0.6, 2) for i in range(90)]
CLOSES[40] = CLOSES[39]  # an unchanged close
VOLUMES = [float(1000 + (i * 37) % 400) for i in range(90)]

# --- Reference implementations: one stock's closes on record, plain Python ----------------


def ref_sma(xs: Sequence[float], window: int) -> list[float]:
    """Mean of the last `window` values, from the first full window on."""
    out = [NAN] * len(xs)
    for i in range(len(xs)):
        part = xs[i - window + 1:i + 1] if i >= window - 1 else []
        if len(part) == window and not any(math.isnan(v) for v in part):
            out[i] = sum(part) / window
    return out


def ref_ema(xs: Sequence[float], alpha: float, seed: int) -> list[float]:
    """EMA seeded with the mean of the first `seed` values on record (leading NaN skipped)."""
    out = [NAN] * len(xs)
    first = next((i for i, v in enumerate(xs) if not math.isnan(v)), len(xs))
    start = first + seed - 1
    if start >= len(xs):
        return out
    out[start] = sum(xs[first:start + 1]) / seed
    for i in range(start + 1, len(xs)):
        out[i] = alpha * xs[i] + (1 - alpha) * out[i - 1]
    return out


def ref_macd(xs: Sequence[float]) -> tuple[list[float], list[float]]:
    """MACD (12, 26, 9) line and signal."""
    fast, slow = ref_ema(xs, 2 / 13, 12), ref_ema(xs, 2 / 27, 26)
    line = [f - s for f, s in zip(fast, slow, strict=True)]
    return line, ref_ema(line, 2 / 10, 9)


def ref_rsi(xs: Sequence[float], n: int = 14) -> list[float]:
    """Wilder's RSI: first averages are simple means of n changes, then Wilder smoothing."""
    out = [NAN] * len(xs)
    if len(xs) <= n:
        return out
    changes = [xs[i] - xs[i - 1] for i in range(1, len(xs))]
    gain = sum(max(c, 0.0) for c in changes[:n]) / n
    loss = sum(max(-c, 0.0) for c in changes[:n]) / n
    for i in range(n, len(xs)):
        if i > n:
            c = changes[i - 1]
            gain = (gain * (n - 1) + max(c, 0.0)) / n
            loss = (loss * (n - 1) + max(-c, 0.0)) / n
        if loss == 0:
            out[i] = 100.0 if gain > 0 else 50.0
        else:
            out[i] = 100 - 100 / (1 + gain / loss)
    return out


def ref_bollinger(xs: Sequence[float]) -> tuple[list[float], list[float], list[float]]:
    """Middle, upper and lower band: SMA 20 +- 2 population standard deviations."""
    mid, up, low = [NAN] * len(xs), [NAN] * len(xs), [NAN] * len(xs)
    for i in range(19, len(xs)):
        part = xs[i - 19:i + 1]
        mid[i] = sum(part) / 20
        up[i] = mid[i] + 2 * statistics.pstdev(part)
        low[i] = mid[i] - 2 * statistics.pstdev(part)
    return mid, up, low


def ref_kst(xs: Sequence[float]) -> tuple[list[float], list[float]]:
    """Pring's KST with ROC 10/15/20/30, SMA 10/10/10/15, weights 1-4, signal SMA 9."""
    line = [0.0] * len(xs)
    for roc_n, sma_n, weight in ((10, 10, 1), (15, 10, 2), (20, 10, 3), (30, 15, 4)):
        roc = [NAN if i < roc_n else (xs[i] / xs[i - roc_n] - 1) * 100 for i in range(len(xs))]
        smooth = ref_sma(roc, sma_n)
        line = [v + weight * s for v, s in zip(line, smooth, strict=True)]
    return line, ref_sma(line, 9)


def ref_obv(xs: Sequence[float], vols: Sequence[float]) -> list[float]:
    """OBV from 0: add the volume on an up close, subtract it on a down close."""
    out = [0.0]
    for i in range(1, len(xs)):
        step = vols[i] if xs[i] > xs[i - 1] else -vols[i] if xs[i] < xs[i - 1] else 0.0
        out.append(out[-1] + step)
    return out


def ref_dow(xs: Sequence[float], w: int) -> list[float]:
    """+1 higher high and higher low over the last two windows of w closes, -1 the reverse."""
    out = [NAN] * len(xs)
    for i in range(2 * w - 1, len(xs)):
        last, prev = xs[i - w + 1:i + 1], xs[i - 2 * w + 1:i - w + 1]
        if max(last) > max(prev) and min(last) > min(prev):
            out[i] = 1.0
        elif max(last) < max(prev) and min(last) < min(prev):
            out[i] = -1.0
        else:
            out[i] = 0.0
    return out


# --- Helpers ----------------------------------------------------------------------------


def _frame(*columns: Sequence[float], start: str = "2025-01-01") -> pd.DataFrame:
    rows = len(columns[0])
    index = pd.bdate_range(start, periods=rows)
    return pd.DataFrame({f"INE{k:09d}": list(c) for k, c in enumerate(columns)}, index=index)


def _close(actual: pd.Series, expected: Sequence[float]) -> None:
    got = actual.to_numpy(dtype=float)
    want = np.asarray(expected, dtype=float)
    assert np.array_equal(np.isnan(got), np.isnan(want)), (got, want)
    assert np.allclose(got[~np.isnan(got)], want[~np.isnan(want)], rtol=1e-9, atol=1e-9)


def _gappy() -> tuple[pd.DataFrame, list[list[int]]]:
    """Return a frame whose stocks trade on different sessions, and each one's session rows.

    Column 0 trades every session; column 1 misses some sessions; column 2 lists late;
    column 3 never trades. Each stock's own record is CLOSES (truncated to its sessions).
    """
    rows = 110
    sessions = [
        list(range(90)),
        [r for r in range(rows) if r not in {3, 4, 17, 50, 51, 52, 75, 96}][:90],
        list(range(20, 110)),
        [],
    ]
    columns = []
    for rows_on in sessions:
        col = [NAN] * rows
        for k, r in enumerate(rows_on):
            col[r] = CLOSES[k]
        columns.append(col)
    return _frame(*columns), sessions


def _per_stock_matches(
    result: pd.DataFrame, sessions: list[list[int]], ref: Callable[[list[float]], list[float]]
) -> None:
    """Each stock's result on its own sessions equals the reference on its record; NaN else."""
    for col, rows_on in zip(result.columns, sessions, strict=True):
        series = result[col]
        record = CLOSES[: len(rows_on)]
        _close(series.iloc[rows_on], ref(record) if rows_on else [])
        off = [r for r in range(len(series)) if r not in set(rows_on)]
        assert series.iloc[off].isna().all()


# --- Indicators on the known series -----------------------------------------------------


def test_sma_matches_textbook_mean() -> None:
    closes = _frame(CLOSES)
    for window in (1, 5, 20, 50):
        _close(ind.sma(closes, window).iloc[:, 0], ref_sma(CLOSES, window))


def test_sma_is_nan_until_the_window_is_full() -> None:
    result = ind.sma(_frame(CLOSES[:10]), 20)
    assert result.isna().all().all()


def test_ema_seeded_with_sma_matches_recursion() -> None:
    closes = _frame(CLOSES)
    for span in (5, 12, 26):
        _close(ind.ema(closes, span).iloc[:, 0], ref_ema(CLOSES, 2 / (span + 1), span))
    assert ind.ema(closes, 12).iloc[:11, 0].isna().all()
    assert ind.ema(closes, 12).iloc[11, 0] == pytest.approx(sum(CLOSES[:12]) / 12)


def test_macd_line_signal_and_histogram() -> None:
    m = ind.macd(_frame(CLOSES))
    line, signal = ref_macd(CLOSES)
    _close(m.line.iloc[:, 0], line)
    _close(m.signal.iloc[:, 0], signal)
    _close(m.histogram.iloc[:, 0], [a - b for a, b in zip(line, signal, strict=True)])
    assert m.line.iloc[:, 0].first_valid_index() == m.line.index[25]
    assert m.signal.iloc[:, 0].first_valid_index() == m.signal.index[33]


def test_rsi_matches_wilder() -> None:
    _close(ind.rsi(_frame(CLOSES)).iloc[:, 0], ref_rsi(CLOSES))


def test_rsi_extremes_without_losses_or_moves() -> None:
    rising = [100.0 + i for i in range(20)]
    flat = [100.0] * 20
    result = ind.rsi(_frame(rising, flat))
    assert result.iloc[14:, 0].eq(100.0).all()
    assert result.iloc[14:, 1].eq(50.0).all()
    assert result.iloc[:14].isna().all().all()


def test_bollinger_uses_population_standard_deviation() -> None:
    b = ind.bollinger(_frame(CLOSES))
    mid, up, low = ref_bollinger(CLOSES)
    _close(b.middle.iloc[:, 0], mid)
    _close(b.upper.iloc[:, 0], up)
    _close(b.lower.iloc[:, 0], low)


def test_bollinger_bands_collapse_on_unchanged_closes() -> None:
    b = ind.bollinger(_frame([250.5] * 25))
    assert np.allclose(b.upper.iloc[19:, 0], 250.5, rtol=0, atol=1e-9)
    assert np.allclose(b.lower.iloc[19:, 0], 250.5, rtol=0, atol=1e-9)


def test_kst_matches_pring() -> None:
    k = ind.kst(_frame(CLOSES))
    line, signal = ref_kst(CLOSES)
    _close(k.line.iloc[:, 0], line)
    _close(k.signal.iloc[:, 0], signal)
    assert k.line.iloc[:, 0].first_valid_index() == k.line.index[44]
    assert k.signal.iloc[:, 0].first_valid_index() == k.signal.index[52]


def test_obv_adds_and_subtracts_volume() -> None:
    result = ind.obv(_frame(CLOSES), _frame(VOLUMES))
    _close(result.iloc[:, 0], ref_obv(CLOSES, VOLUMES))


def test_obv_counts_missing_volume_as_zero() -> None:
    closes = _frame([10.0, 11.0, 12.0, 11.0])
    volumes = _frame([5.0, 7.0, NAN, 3.0])
    assert ind.obv(closes, volumes).iloc[:, 0].tolist() == [0.0, 7.0, 7.0, 4.0]


def test_obv_rejects_misaligned_volumes() -> None:
    closes = _frame(CLOSES)
    with pytest.raises(ValueError, match="same dates and ISINs"):
        ind.obv(closes, _frame(VOLUMES, start="2025-02-03"))


def test_dow_trend_higher_highs_and_lows() -> None:
    _close(ind.dow_trend(_frame(CLOSES), 5).iloc[:, 0], ref_dow(CLOSES, 5))
    up = [1.0, 3.0, 2.0, 4.0, 3.0, 5.0]
    down = [v * -1 + 10 for v in up]
    result = ind.dow_trend(_frame(up, down, [1.0, 5.0, 2.0, 6.0, 0.5, 7.0]), 2)
    assert result.iloc[3:, 0].tolist() == [1.0, 1.0, 1.0]
    assert result.iloc[3:, 1].tolist() == [-1.0, -1.0, -1.0]
    assert result.iloc[5, 2] == 0.0  # a lower low with a higher high


def test_lag_reads_the_stocks_own_earlier_close() -> None:
    closes, sessions = _gappy()
    _per_stock_matches(ind.lag(closes, 3), sessions, lambda xs: [NAN] * 3 + xs[:-3])


# --- Gaps: a stock that did not trade some sessions -------------------------------------


@pytest.mark.parametrize(
    ("name", "compute", "ref"),
    [
        ("sma", lambda c: ind.sma(c, 10), lambda xs: ref_sma(xs, 10)),
        ("ema", lambda c: ind.ema(c, 12), lambda xs: ref_ema(xs, 2 / 13, 12)),
        ("macd", lambda c: ind.macd(c).signal, lambda xs: ref_macd(xs)[1]),
        ("rsi", ind.rsi, ref_rsi),
        ("bollinger", lambda c: ind.bollinger(c).upper, lambda xs: ref_bollinger(xs)[1]),
        ("kst", lambda c: ind.kst(c).signal, lambda xs: ref_kst(xs)[1]),
        ("dow", lambda c: ind.dow_trend(c, 4), lambda xs: ref_dow(xs, 4)),
    ],
)
def test_indicator_skips_sessions_without_a_close(
    name: str,
    compute: Callable[[pd.DataFrame], pd.DataFrame],
    ref: Callable[[list[float]], list[float]],
) -> None:
    closes, sessions = _gappy()
    _per_stock_matches(compute(closes), sessions, ref)


def test_obv_skips_sessions_without_a_close() -> None:
    closes, sessions = _gappy()
    volumes = closes.notna() * 0.0
    for col, rows_on in zip(closes.columns, sessions, strict=True):
        for k, r in enumerate(rows_on):
            volumes.iloc[r, volumes.columns.get_loc(col)] = VOLUMES[k]
    result = ind.obv(closes, volumes)
    for col, rows_on in zip(closes.columns, sessions, strict=True):
        n = len(rows_on)
        _close(result[col].iloc[rows_on], ref_obv(CLOSES[:n], VOLUMES[:n]) if n else [])


def test_packed_round_trip_restores_rows() -> None:
    closes, _ = _gappy()
    packed = ind.Packed.of(closes)
    assert packed.packed.iloc[:90].notna().sum().tolist() == [90, 90, 90, 0]
    pd.testing.assert_frame_equal(packed.unpack(packed.packed), closes)


# --- Resampling -------------------------------------------------------------------------


def test_weekly_bars_take_the_last_close_of_each_week() -> None:
    days = pd.to_datetime([
        "2025-01-06", "2025-01-08", "2025-01-10",   # week 1 ends Fri 10th
        "2025-01-13", "2025-01-16",                 # week 2: Friday 17th a holiday
        "2025-02-03", "2025-02-04",                 # two weeks without sessions before
    ])
    closes = pd.DataFrame({"A": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
                           "B": [1.0, 2.0, NAN, NAN, NAN, 6.0, NAN]}, index=days)
    weekly = ind.to_weekly(closes)
    assert list(weekly.index) == list(pd.to_datetime(["2025-01-10", "2025-01-17", "2025-02-07"]))
    assert weekly["A"].tolist() == [3.0, 5.0, 7.0]
    assert weekly["B"].iloc[0] == 2.0  # last close on record that week, not the Friday NaN
    assert math.isnan(weekly["B"].iloc[1])  # did not trade that week
    assert weekly["B"].iloc[2] == 6.0
    sums = ind.to_weekly(closes, "sum")
    assert sums["A"].tolist() == [6.0, 9.0, 13.0]
    assert math.isnan(sums["B"].iloc[1])


def test_monthly_bars_end_on_the_calendar_month_end() -> None:
    days = pd.bdate_range("2025-01-27", "2025-03-04")
    closes = pd.DataFrame({"A": np.arange(len(days), dtype=float)}, index=days)
    monthly = ind.to_monthly(closes)
    assert list(monthly.index) == list(pd.to_datetime(["2025-01-31", "2025-02-28",
                                                       "2025-03-31"]))
    last_of_month = [days[days.month == m][-1] for m in (1, 2, 3)]
    assert monthly["A"].tolist() == [float(days.get_loc(d)) for d in last_of_month]


def test_bars_need_dates() -> None:
    with pytest.raises(ValueError, match="DatetimeIndex"):
        ind.to_weekly(pd.DataFrame({"A": [1.0]}))
