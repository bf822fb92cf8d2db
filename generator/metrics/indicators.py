"""Technical indicators over wide frames of closes: rows are sessions, columns are stocks.

Contract shared by every function here: the frame's index is ascending dates, its columns
are ISINs and a NaN close means the stock has no close that session (not traded, not yet
listed, delisted). Each stock's indicator runs over its own closes on record: a NaN is
skipped, never filled, so a 20-bar SMA is the mean of the stock's last 20 closes, and the
result is NaN on every row where the stock has no close. Windows count bars, so the same
functions serve daily, weekly and monthly bars. Every indicator is NaN until the stock has
the history its definition needs; no value comes from a partial window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

Array = npt.NDArray[np.float64]
Aggregate = Literal["last", "sum"]

MACD_FAST = 12
MACD_SLOW = 26
MACD_SIGNAL = 9
RSI_PERIOD = 14
BOLLINGER_WINDOW = 20
BOLLINGER_WIDTH = 2.0
KST_ROC = (10, 15, 20, 30)
KST_SMA = (10, 10, 10, 15)
KST_WEIGHTS = (1.0, 2.0, 3.0, 4.0)
KST_SIGNAL = 9
WEEKLY = "W-FRI"
MONTHLY = "ME"


@dataclass(frozen=True, eq=False)
class Packed:
    """Closes with each stock's closes moved, in order, to the top of its column.

    The array kernels below need a gap-free series per stock (NaN only after its last
    close). `packed` is that frame, indexed by bar number on record (0 = the stock's first
    close); every indicator gives the same values on it as on the original frame, only on
    other rows, and `unpack` puts such a result back on the original rows. Computing several
    indicators from `packed` and unpacking once is what makes the trend votes fast. A frame
    that is already packed is left as it is.
    """

    closes: pd.DataFrame
    packed: pd.DataFrame
    values: Array
    source: npt.NDArray[np.intp] | None
    target: npt.NDArray[np.intp] | None
    valid: npt.NDArray[np.bool_]

    @classmethod
    def of(cls, closes: pd.DataFrame) -> Packed:
        """Pack a frame of closes."""
        values = _array(closes)
        rows, cols = values.shape
        valid = ~np.isnan(values)
        if not (valid[1:] & ~valid[:-1]).any():
            return cls(closes, closes, values, None, None, valid)
        order = np.argsort(~valid, axis=0, kind="stable")
        source = (order * cols + np.arange(cols)).ravel()
        target = np.empty(rows * cols, dtype=np.intp)
        target[source] = np.arange(rows * cols)
        packed = values.ravel()[source].reshape(rows, cols)
        frame = pd.DataFrame(packed, columns=closes.columns, copy=False)
        return cls(closes, frame, packed, source, target, valid)

    def pack(self, other: pd.DataFrame) -> pd.DataFrame:
        """Pack another frame shaped like the closes (e.g. volumes) in the closes' order."""
        _check_aligned(self.closes, other)
        if self.source is None:
            return other
        values = _array(other)
        return pd.DataFrame(values.ravel()[self.source].reshape(values.shape),
                            index=self.packed.index, columns=self.packed.columns, copy=False)

    def unpack(self, result: pd.DataFrame | Array) -> pd.DataFrame:
        """Put a result computed on `packed` back on the closes' rows, NaN without a close."""
        values = _array(result) if isinstance(result, pd.DataFrame) else result
        out = values.copy() if self.target is None else values.ravel()[self.target]
        out = out.reshape(values.shape)
        np.copyto(out, np.nan, where=~self.valid)
        return pd.DataFrame(out, index=self.closes.index, columns=self.closes.columns,
                            copy=False)


@dataclass(frozen=True, eq=False)
class Macd:
    """MACD line (fast EMA - slow EMA), its signal line (EMA of the line) and histogram."""

    line: pd.DataFrame
    signal: pd.DataFrame
    histogram: pd.DataFrame


@dataclass(frozen=True, eq=False)
class Bollinger:
    """Bollinger Bands: the middle SMA and the bands `width` standard deviations around it."""

    middle: pd.DataFrame
    upper: pd.DataFrame
    lower: pd.DataFrame


@dataclass(frozen=True, eq=False)
class Kst:
    """Pring's Know Sure Thing and its signal line."""

    line: pd.DataFrame
    signal: pd.DataFrame


def sma(closes: pd.DataFrame, window: int) -> pd.DataFrame:
    """Return the simple moving average of each stock's last `window` closes."""
    p = Packed.of(closes)
    return p.unpack(_sma(p.values, window))


def ema(closes: pd.DataFrame, span: int) -> pd.DataFrame:
    """Return the exponential moving average with alpha = 2 / (span + 1).

    The recursion is pandas' adjust=False form, EMA_t = alpha * close_t + (1 - alpha) *
    EMA_(t-1), seeded with the SMA of the stock's first `span` closes (the StockCharts and
    TA-Lib convention), so the first value is on the stock's `span`-th close.
    """
    p = Packed.of(closes)
    return p.unpack(_ema(p.values, 2.0 / (span + 1.0), span))


def macd(
    closes: pd.DataFrame, fast: int = MACD_FAST, slow: int = MACD_SLOW, signal: int = MACD_SIGNAL
) -> Macd:
    """Return MACD (12, 26, 9): EMA(fast) - EMA(slow), its EMA(signal) and the difference.

    Each EMA is seeded as in `ema`, the signal line with the mean of the line's first
    `signal` values: the line starts on the `slow`-th close and the signal on the
    (slow + signal - 1)-th, the 34th with the standard settings.
    """
    p = Packed.of(closes)
    line = _ema(p.values, 2.0 / (fast + 1.0), fast) - _ema(p.values, 2.0 / (slow + 1.0), slow)
    sig = _ema(line, 2.0 / (signal + 1.0), signal)
    return Macd(line=p.unpack(line), signal=p.unpack(sig), histogram=p.unpack(line - sig))


def rsi(closes: pd.DataFrame, period: int = RSI_PERIOD) -> pd.DataFrame:
    """Return Wilder's RSI: 100 - 100 / (1 + average gain / average loss).

    Gains and losses are the close-to-close changes. The first averages are the simple means
    of the first `period` changes; later ones are Wilder's smoothing, avg_t = (avg_(t-1) *
    (period - 1) + change_t) / period. The first value is on the (period + 1)-th close. With
    no losses in the average the RSI is 100; with neither gains nor losses it is 50.
    """
    p = Packed.of(closes)
    change = p.values - _shift(p.values, 1)
    gain = _ema(np.where(change < 0, 0.0, change), 1.0 / period, period)
    loss = _ema(np.where(change > 0, 0.0, -change), 1.0 / period, period)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = 100.0 - 100.0 / (1.0 + gain / loss)
    value = np.where(loss == 0, np.where(gain > 0, 100.0, 50.0), value)
    return p.unpack(np.where(np.isnan(gain) | np.isnan(loss), np.nan, value))


def bollinger(
    closes: pd.DataFrame, window: int = BOLLINGER_WINDOW, width: float = BOLLINGER_WIDTH
) -> Bollinger:
    """Return Bollinger Bands: SMA(window) plus and minus `width` population standard deviations.

    The standard deviation is the population one (divisor `window`, ddof=0), as John
    Bollinger specifies, over the same `window` closes as the middle band.
    """
    p = Packed.of(closes)
    middle = _sma(p.values, window)
    spread = width * np.sqrt(_rolling_variance(p.values, window))
    return Bollinger(middle=p.unpack(middle), upper=p.unpack(middle + spread),
                     lower=p.unpack(middle - spread))


def kst(closes: pd.DataFrame) -> Kst:
    """Return Pring's KST: sum of weight_i * SMA(sma_i) of ROC(roc_i), and its SMA signal.

    ROC(n) = (close / close n bars earlier - 1) * 100. With the standard settings (ROC
    10/15/20/30 smoothed by SMA 10/10/10/15, weights 1/2/3/4, signal SMA 9) the line starts
    on the 45th close and the signal on the 53rd.
    """
    p = Packed.of(closes)
    line = np.zeros_like(p.values)
    for roc_n, sma_n, weight in zip(KST_ROC, KST_SMA, KST_WEIGHTS, strict=True):
        with np.errstate(divide="ignore", invalid="ignore"):
            roc = (p.values / _shift(p.values, roc_n) - 1.0) * 100.0
        line = line + weight * _sma(roc, sma_n)
    return Kst(line=p.unpack(line), signal=p.unpack(_sma(line, KST_SIGNAL)))


def obv(closes: pd.DataFrame, volumes: pd.DataFrame) -> pd.DataFrame:
    """Return On-Balance Volume: the running sum of volume signed by the close's direction.

    OBV is 0 on the stock's first close; on each later close it adds the session's volume
    when the close rose from the stock's previous close, subtracts it when the close fell and
    is unchanged when the close was unchanged. A missing volume on a session with a close
    counts as 0.
    """
    p = Packed.of(closes)
    flow = np.sign(p.values - _shift(p.values, 1)) * np.nan_to_num(_array(p.pack(volumes)))
    flow[0] = np.where(np.isnan(p.values[0]), np.nan, 0.0)
    return p.unpack(np.cumsum(flow, axis=0))


def lag(closes: pd.DataFrame, periods: int) -> pd.DataFrame:
    """Return each stock's close `periods` closes earlier in its own record."""
    p = Packed.of(closes)
    return p.unpack(_shift(p.values, periods))


def dow_trend(closes: pd.DataFrame, window: int) -> pd.DataFrame:
    """Return the Dow-theory trend of the closes as +1 (up), -1 (down), 0 (neither) or NaN.

    The latest `window` closes form the last swing and the `window` closes before them the
    previous one. Up: the last swing's highest close is above the previous swing's highest
    close and its lowest close is above the previous lowest (a higher high and a higher low).
    Down: a lower high and a lower low. The first value is on the stock's (2 * window)-th
    close.
    """
    p = Packed.of(closes)
    high = _rolling(p.values, window, np.max)
    low = _rolling(p.values, window, np.min)
    prev_high, prev_low = _shift(high, window), _shift(low, window)
    up = (high > prev_high) & (low > prev_low)
    down = (high < prev_high) & (low < prev_low)
    vote = np.where(up, 1.0, np.where(down, -1.0, 0.0))
    return p.unpack(np.where(np.isnan(high) | np.isnan(prev_high), np.nan, vote))


def to_weekly(frame: pd.DataFrame, how: Aggregate = "last") -> pd.DataFrame:
    """Return weekly bars (weeks ending Friday, labelled by the Friday), via resample('W-FRI').

    A bar holds each stock's last close of the week ("last", NaN skipped) or the week's sum
    ("sum", e.g. volumes). A stock with no value in a week has NaN there; weeks with no
    session at all are dropped.
    """
    return _bars(frame, WEEKLY, how)


def to_monthly(frame: pd.DataFrame, how: Aggregate = "last") -> pd.DataFrame:
    """Return monthly bars labelled by the calendar month end, via resample('ME').

    Aggregation and missing values are as in `to_weekly`.
    """
    return _bars(frame, MONTHLY, how)


def _bars(frame: pd.DataFrame, rule: str, how: Aggregate) -> pd.DataFrame:
    """Resample a daily frame to `rule` bars and drop periods that had no session."""
    if not isinstance(frame.index, pd.DatetimeIndex):
        raise ValueError("bars need a frame indexed by session dates (a DatetimeIndex)")
    resampler = frame.resample(rule)
    bars = resampler.last() if how == "last" else resampler.sum(min_count=1)
    sessions = pd.Series(1, index=frame.index).resample(rule).sum()
    return bars.loc[sessions.reindex(bars.index).fillna(0).to_numpy() > 0]


def _check_aligned(closes: pd.DataFrame, other: pd.DataFrame) -> None:
    """Raise unless `other` has the closes' dates and ISINs in the same order."""
    if not (closes.index.equals(other.index) and closes.columns.equals(other.columns)):
        raise ValueError("volumes must have the same dates and ISINs, in the same order, as "
                         "closes; align them with volumes.reindex_like(closes)")


def _array(frame: pd.DataFrame) -> Array:
    """Return a frame's values as a C-ordered float array (NaN for missing)."""
    return np.ascontiguousarray(frame.to_numpy(dtype=np.float64, na_value=np.nan))


# Array kernels. Rows are bars, columns are stocks; each column is gap-free from its first
# value to its last (NaN may lead, from an earlier step's warm-up, and trail, from packing).


def _shift(x: Array, periods: int) -> Array:
    """Return x moved down by `periods` rows, NaN on top."""
    out = np.full_like(x, np.nan)
    if periods < len(x):
        out[periods:] = x[: len(x) - periods]
    return out


def _rolling_sum(x: Array, window: int) -> Array:
    """Return the sum of each trailing window of `window` values; NaN unless all are present."""
    out = np.full_like(x, np.nan)
    if window > len(x):
        return out
    present = ~np.isnan(x)
    filled = np.where(present, x, 0.0)
    total = np.zeros((len(x) + 1, x.shape[1]))
    for t in range(len(x)):  # row by row: several times faster than cumsum(axis=0) here
        np.add(total[t], filled[t], out=total[t + 1])
    full = present[window - 1:] & present[: len(x) - window + 1]
    out[window - 1:] = np.where(full, total[window:] - total[:-window], np.nan)
    return out


def _sma(x: Array, window: int) -> Array:
    """Return the mean of each full trailing window of `window` values."""
    return _rolling_sum(x, window) / window


def _rolling_variance(x: Array, window: int) -> Array:
    """Return the population variance of each full trailing window of `window` values."""
    if x.size == 0:
        return np.full_like(x, np.nan)
    first = np.argmax(~np.isnan(x), axis=0)
    centred = x - x[first, np.arange(x.shape[1])]
    mean = _sma(centred, window)
    return np.maximum(_sma(centred * centred, window) - mean * mean, 0.0)


def _rolling(x: Array, window: int, reduce: Callable[..., Array]) -> Array:
    """Return `reduce` over each trailing window of `window` rows, NaN if any value is NaN."""
    out = np.full_like(x, np.nan)
    if window <= len(x):
        windows = np.lib.stride_tricks.sliding_window_view(x, window, axis=0)
        out[window - 1:] = reduce(windows, axis=-1)
    return out


def _ema(x: Array, alpha: float, seed: int) -> Array:
    """Return the adjust=False EMA, seeded with the mean of each column's first `seed` values."""
    out = np.full_like(x, np.nan)
    if x.size == 0:
        return out
    present = ~np.isnan(x)
    first = np.where(present.any(axis=0), np.argmax(present, axis=0), len(x))
    begin = int(first.min())
    if begin + seed > len(x):
        return out
    if (first[first < len(x)] == begin).all():  # the usual case: all start on the same row
        start = begin + seed - 1
        out[start] = x[begin:start + 1].mean(axis=0)
        late = None
    else:
        late = _sma(x, seed)
        start = int(np.argmax(~np.isnan(late).all(axis=1)))
        out[start] = late[start]
    for t in range(start + 1, len(x)):
        step = alpha * x[t] + (1.0 - alpha) * out[t - 1]
        out[t] = step if late is None else np.where(np.isnan(out[t - 1]), late[t], step)
    return out
