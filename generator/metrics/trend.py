"""Per-stock technical trend labels, from a published method held here as data.

The method, in full (the methodology page prints `RULES`, `MIN_VOTES`, `SMOOTH_SESSIONS`
and `THRESHOLDS`):

1. Each rule in `RULES` reads one indicator on daily, weekly or monthly bars and votes +1
   (its bullish condition holds), -1 (its bearish condition holds) or 0 (neither), per
   stock per session. It has no vote (NaN) while the stock has fewer bars on record than
   the rule's `min_bars`, and a daily rule has no vote on a session the stock did not trade.
2. Weekly bars end on Fridays and monthly bars at month ends; each holds the stock's last
   close of the period. A rule on such bars reads completed bars only: a bar counts from
   the session on its period's last weekday (Friday; the month's last Monday-to-Friday day)
   onward, so midweek the weekly rules read last week's bar. When that weekday is a holiday
   the bar counts from the next session.
3. A stock's raw score on a session is the mean of the votes it has that session, in
   [-1, 1]; with fewer than `MIN_VOTES` votes it has no raw score.
4. The score is the mean of the stock's raw scores over the last `SMOOTH_SESSIONS` sessions
   up to and including this one, counting only the sessions among them on which it has a
   raw score; a stock without a raw score on the session itself has no score and no label
   that session. The mean is exact: a mean equal to a cut of `THRESHOLDS` is on the cut.
   The window damps the day-to-day flips of single votes that made labels change on noise
   (benchmarks/label_noise.py), and a label depends only on that fixed window of sessions,
   never on the label before it, so it does not depend on where the loaded history starts.
5. "Above" and "below" in the rules on price levels (MACD, Bollinger, moving averages) ignore
   differences smaller than `TOLERANCE` times the close: the rounding left in an average of
   an unchanged price is not a move.
6. The score falls in exactly one band of `THRESHOLDS`, which names the label. The bands
   are symmetric about 0: a score on a cut goes to the label farther from Sideways.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from generator import columns as C
from generator.metrics import indicators as ind

Timeframe = Literal["daily", "weekly", "monthly"]
Signal = Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame]
Array = npt.NDArray[np.float64]

FROM_LABEL = "from"
TO_LABEL = "to"
STEPS = "steps"
MIN_VOTES = 5
SMOOTH_SESSIONS = 5
RSI_BULLISH = 60.0
RSI_BEARISH = 40.0
OBV_WINDOW = 20
DOW_WINDOW_WEEKS = 13
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Rule:
    """One vote of the trend score: the indicator, its bars and its conditions in words."""

    name: str
    indicator: str
    timeframe: Timeframe
    bullish: str
    bearish: str
    min_bars: int
    vote: Signal = field(repr=False, compare=False)


@dataclass(frozen=True)
class Band:
    """The range of scores that one label covers."""

    label: str
    low: float
    high: float
    low_inclusive: bool
    high_inclusive: bool

    @property
    def condition(self) -> str:
        """Return the band as text, e.g. '-0.6 < score ≤ -0.2'."""
        low = "≤" if self.low_inclusive else "<"
        high = "≤" if self.high_inclusive else "<"
        return f"{self.low:g} {low} score {high} {self.high:g}"

    def contains(self, score: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        """Return which scores fall in the band (NaN falls in none)."""
        s = np.asarray(score, dtype=np.float64)
        above = s >= self.low if self.low_inclusive else s > self.low
        below = s <= self.high if self.high_inclusive else s < self.high
        return np.asarray(above & below, dtype=np.bool_)


THRESHOLDS: tuple[Band, ...] = (
    Band("Bearish", -1.0, -0.6, low_inclusive=True, high_inclusive=True),
    Band("Mildly Bearish", -0.6, -0.2, low_inclusive=False, high_inclusive=True),
    Band("Sideways", -0.2, 0.2, low_inclusive=False, high_inclusive=False),
    Band("Mildly Bullish", 0.2, 0.6, low_inclusive=True, high_inclusive=False),
    Band("Bullish", 0.6, 1.0, low_inclusive=True, high_inclusive=True),
)
LABELS: tuple[str, ...] = tuple(band.label for band in THRESHOLDS)


def _to_votes(closes: pd.DataFrame, bull: npt.NDArray[np.bool_], bear: npt.NDArray[np.bool_],
          *inputs: pd.DataFrame) -> pd.DataFrame:
    """Return +1 where bull, -1 where bear, else 0; NaN where any input is NaN."""
    vote = bull.astype(np.float64) - bear.astype(np.float64)
    for frame in inputs:
        np.copyto(vote, np.nan, where=np.isnan(_values(frame)))
    return pd.DataFrame(vote, index=closes.index, columns=closes.columns, copy=False)


def _above(a: Array, b: Array | float, close: Array) -> npt.NDArray[np.bool_]:
    """Return where a exceeds b by more than TOLERANCE times the close."""
    with np.errstate(invalid="ignore"):
        return np.asarray(a - b > TOLERANCE * np.abs(close), dtype=np.bool_)


def _values(frame: pd.DataFrame) -> Array:
    """Return a frame's values as floats."""
    return frame.to_numpy(dtype=np.float64, na_value=np.nan)


def _array(frame: pd.DataFrame) -> Array:
    """Return a frame's values as a C-ordered float array that may be written to."""
    return np.array(frame.to_numpy(dtype=np.float64, na_value=np.nan), order="C")


def _macd_vote(closes: pd.DataFrame, volumes: pd.DataFrame) -> pd.DataFrame:
    """Vote on the MACD line against its signal line and zero."""
    m = ind.macd(closes)
    close, line, sig = _values(closes), _values(m.line), _values(m.signal)
    bull = _above(line, sig, close) & _above(line, 0.0, close)
    bear = _above(sig, line, close) & _above(-line, 0.0, close)
    return _to_votes(closes, bull, bear, m.line, m.signal)


def _rsi_vote(closes: pd.DataFrame, volumes: pd.DataFrame) -> pd.DataFrame:
    """Vote on the RSI against 60 and 40."""
    r = ind.rsi(closes)
    value = _values(r)
    with np.errstate(invalid="ignore"):
        return _to_votes(closes, value > RSI_BULLISH, value < RSI_BEARISH, r)


def _bollinger_vote(closes: pd.DataFrame, volumes: pd.DataFrame) -> pd.DataFrame:
    """Vote on the close against the halfway lines between the middle and outer bands."""
    b = ind.bollinger(closes)
    close, mid = _values(closes), _values(b.middle)
    upper_half = (mid + _values(b.upper)) / 2.0
    lower_half = (mid + _values(b.lower)) / 2.0
    return _to_votes(closes, _above(close, upper_half, close), _above(lower_half, close, close),
                 closes, b.middle)


def _close_vs_sma(window: int) -> Signal:
    """Return a vote on the close against its `window`-bar SMA."""

    def vote(closes: pd.DataFrame, volumes: pd.DataFrame) -> pd.DataFrame:
        avg = ind.sma(closes, window)
        close, mean = _values(closes), _values(avg)
        bull, bear = _above(close, mean, close), _above(mean, close, close)
        return _to_votes(closes, bull, bear, closes, avg)

    return vote


def _sma_cross_vote(closes: pd.DataFrame, volumes: pd.DataFrame) -> pd.DataFrame:
    """Vote on the 50-session SMA against the 200-session SMA."""
    fast, slow = ind.sma(closes, 50), ind.sma(closes, 200)
    close, f, s = _values(closes), _values(fast), _values(slow)
    return _to_votes(closes, _above(f, s, close), _above(s, f, close), fast, slow)


def _obv_vote(closes: pd.DataFrame, volumes: pd.DataFrame) -> pd.DataFrame:
    """Vote on OBV against its SMA when the close moved the same way over the window."""
    flow = ind.obv(closes, volumes)
    flow_avg = ind.sma(flow, OBV_WINDOW)
    earlier = ind.lag(closes, OBV_WINDOW)
    o, avg = _values(flow), _values(flow_avg)
    close, before = _values(closes), _values(earlier)
    with np.errstate(invalid="ignore"):
        bull = (o > avg) & (close > before)
        bear = (o < avg) & (close < before)
    return _to_votes(closes, bull, bear, flow_avg, earlier)


def _kst_vote(closes: pd.DataFrame, volumes: pd.DataFrame) -> pd.DataFrame:
    """Vote on the KST against its signal line and zero."""
    k = ind.kst(closes)
    line, sig = _values(k.line), _values(k.signal)
    with np.errstate(invalid="ignore"):
        bull = (line > sig) & (line > 0)
        bear = (line < sig) & (line < 0)
    return _to_votes(closes, bull, bear, k.line, k.signal)


def _dow_vote(closes: pd.DataFrame, volumes: pd.DataFrame) -> pd.DataFrame:
    """Vote with the Dow-theory trend over two swings of 13 weekly closes."""
    return ind.dow_trend(closes, DOW_WINDOW_WEEKS)


RULES: tuple[Rule, ...] = (
    Rule("macd_daily", "MACD (12, 26, 9)", "daily",
         "MACD line above its signal line and above 0",
         "MACD line below its signal line and below 0", 34, _macd_vote),
    Rule("rsi_daily", "RSI (14, Wilder's smoothing)", "daily",
         "RSI above 60", "RSI below 40", 15, _rsi_vote),
    Rule("bollinger_daily", "Bollinger Bands (20, 2 population standard deviations)", "daily",
         "close above the line halfway between the middle and upper bands (%B above 0.75)",
         "close below the line halfway between the middle and lower bands (%B below 0.25)",
         20, _bollinger_vote),
    Rule("sma50_daily", "50-session SMA", "daily",
         "close above its 50-session SMA", "close below its 50-session SMA",
         50, _close_vs_sma(50)),
    Rule("sma200_daily", "200-session SMA", "daily",
         "close above its 200-session SMA", "close below its 200-session SMA",
         200, _close_vs_sma(200)),
    Rule("sma_cross_daily", "50-session SMA against 200-session SMA", "daily",
         "50-session SMA above the 200-session SMA", "50-session SMA below the 200-session SMA",
         200, _sma_cross_vote),
    Rule("obv_daily", "On-Balance Volume against its 20-session SMA", "daily",
         "OBV above its 20-session SMA and close above the close 20 sessions earlier",
         "OBV below its 20-session SMA and close below the close 20 sessions earlier",
         21, _obv_vote),
    Rule("macd_weekly", "MACD (12, 26, 9) on weekly closes", "weekly",
         "MACD line above its signal line and above 0",
         "MACD line below its signal line and below 0", 34, _macd_vote),
    Rule("kst_weekly",
         "KST (ROC 10/15/20/30, SMA 10/10/10/15, weights 1/2/3/4, signal SMA 9) on weekly closes",
         "weekly",
         "KST above its signal line and above 0", "KST below its signal line and below 0",
         53, _kst_vote),
    Rule("dow_weekly", "Dow theory swings: two windows of 13 weekly closes", "weekly",
         "the last 13 weeks' highest and lowest closes are both above those of the 13 weeks "
         "before (a higher high and a higher low)",
         "the last 13 weeks' highest and lowest closes are both below those of the 13 weeks "
         "before (a lower high and a lower low)", 26, _dow_vote),
    Rule("sma10_monthly", "10-month SMA of monthly closes", "monthly",
         "monthly close above its 10-month SMA", "monthly close below its 10-month SMA",
         10, _close_vs_sma(10)),
)


def votes(closes: pd.DataFrame, volumes: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Return every rule's votes (+1, 0, -1, NaN) by rule name, each shaped like `closes`.

    `closes` and `volumes` are wide frames: session dates ascending by ISIN, NaN where the
    stock has no close. Weekly and monthly votes are carried to the sessions they apply to.
    """
    if not isinstance(closes.index, pd.DatetimeIndex) or not closes.index.is_monotonic_increasing:
        raise ValueError("closes must be indexed by session dates in ascending order")
    if not (closes.index.equals(volumes.index) and closes.columns.equals(volumes.columns)):
        raise ValueError("volumes must have the same dates and ISINs, in the same order, as "
                         "closes; align them with volumes.reindex_like(closes)")
    bars: dict[Timeframe, tuple[ind.Packed, pd.DataFrame]] = {}
    out: dict[str, pd.DataFrame] = {}
    for rule in RULES:
        if rule.timeframe not in bars:
            frame, volume = closes, volumes
            if rule.timeframe != "daily":
                resample = ind.to_weekly if rule.timeframe == "weekly" else ind.to_monthly
                frame, volume = resample(closes, "last"), resample(volumes, "sum")
            packed = ind.Packed.of(frame)
            bars[rule.timeframe] = (packed, packed.pack(volume))
        packed, volume = bars[rule.timeframe]
        vote = _array(rule.vote(packed.packed, volume))
        vote[: rule.min_bars - 1] = np.nan  # packed row i is the stock's (i + 1)-th bar
        on_bars = packed.unpack(vote)
        out[rule.name] = (on_bars if rule.timeframe == "daily"
                          else _on_sessions(on_bars, closes.index))
    return out


def _on_sessions(bar_votes: pd.DataFrame, sessions: pd.DatetimeIndex) -> pd.DataFrame:
    """Carry completed bars' votes to the sessions from their period's last weekday onward."""
    ends = pd.DatetimeIndex(bar_votes.index)
    last_weekday = ends - pd.to_timedelta(np.maximum(ends.day_of_week - 4, 0), unit="D")
    return bar_votes.set_axis(last_weekday).reindex(sessions, method="ffill")


def scores(votes: Mapping[str, pd.DataFrame], *, sessions: int = SMOOTH_SESSIONS,
           min_votes: int = MIN_VOTES) -> pd.DataFrame:
    """Return each stock's score per session: its raw scores averaged over `sessions` sessions.

    The raw score is the mean of a stock's votes on a session, none below `min_votes` votes;
    the score is the mean of the raw scores among the last `sessions` sessions, none where
    the session itself has no raw score (`sessions=1` gives the raw score). Rows are sessions.
    """
    frames = list(votes.values())
    if not frames:
        raise ValueError("scores need at least one rule's votes")
    if sessions < 1 or min_votes < 1:
        raise ValueError(f"sessions ({sessions}) and min_votes ({min_votes}) must be 1 or more")
    first = frames[0]
    for frame in frames[1:]:
        if not (frame.index.equals(first.index) and frame.columns.equals(first.columns)):
            raise ValueError("every rule's votes must have the same dates and ISINs")
    total = np.zeros(first.shape)
    count = np.zeros(first.shape)
    for frame in frames:
        vote = frame.to_numpy(dtype=np.float64, na_value=np.nan)
        present = ~np.isnan(vote)
        total += np.where(present, vote, 0.0)
        count += present
    score = _window_mean(total, count, count >= min_votes, sessions, len(frames))
    return pd.DataFrame(score, index=first.index, columns=first.columns, copy=False)


def _window_mean(total: Array, count: Array, scored: npt.NDArray[np.bool_], sessions: int,
                 rules: int) -> Array:
    """Return the mean of total / count over the last `sessions` rows where scored, else NaN.

    Each total / count becomes a whole number over one common denominator, so the window's
    sum is exact and the mean is rounded once: a mean equal to a cut stays on the cut.
    """
    common = math.lcm(*range(1, rules + 1))
    if common * sessions > 2**53:
        raise ValueError(f"{rules} rules over {sessions} sessions are too many to average "
                         "exactly; use fewer rules or sessions")
    numerator = np.where(scored, total * (common // np.maximum(count, 1.0)), 0.0)
    window_sum = np.zeros(total.shape)
    window_count = np.zeros(total.shape)
    for back in range(min(sessions, total.shape[0])):
        rows = total.shape[0] - back
        window_sum[back:] += numerator[:rows]
        window_count[back:] += scored[:rows]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(scored, window_sum / (common * window_count), np.nan)


def labels(scores: pd.DataFrame) -> pd.DataFrame:
    """Return each score's label (object dtype); None where there is no score."""
    values = scores.to_numpy(dtype=np.float64, na_value=np.nan)
    out = np.full(values.shape, None, dtype=object)
    for band in THRESHOLDS:
        out[band.contains(values)] = band.label
    return pd.DataFrame(out, index=scores.index, columns=scores.columns, dtype=object)


def label_for(score: float) -> str:
    """Return the label of one score in [-1, 1]."""
    for band in THRESHOLDS:
        if band.contains(score):
            return band.label
    if math.isnan(score):
        raise ValueError("a NaN score has no label: the stock has too few votes")
    raise ValueError(f"score {score} is outside [-1, 1]; a score is a mean of votes in -1..+1")


def label_changes(labels_prev: pd.Series, labels_today: pd.Series) -> pd.DataFrame:
    """Return the stocks whose label changed, strongest change first (ties: by ISIN).

    Both series are indexed by ISIN. A stock counts only when it has a label on both days.
    Columns: isin, from, to and steps, the signed number of label steps (Bearish to Mildly
    Bullish is +3).
    """
    rank = {label: i for i, label in enumerate(LABELS)}
    both = pd.DataFrame({FROM_LABEL: labels_prev, TO_LABEL: labels_today}, dtype=object)
    both = both.dropna()
    unknown = sorted(set(both[FROM_LABEL]).union(both[TO_LABEL]) - set(LABELS))
    if unknown:
        raise ValueError(f"unknown label(s) {unknown}; labels are {', '.join(LABELS)}")
    both[STEPS] = both[TO_LABEL].map(rank).astype(int) - both[FROM_LABEL].map(rank).astype(int)
    changed = both.loc[both[STEPS] != 0].rename_axis(C.ISIN).reset_index()
    changed[C.ISIN] = changed[C.ISIN].astype(str)
    changed["_size"] = changed[STEPS].abs()
    ordered: pd.DataFrame = changed.sort_values(["_size", C.ISIN], ascending=[False, True],
                                                kind="stable")
    return ordered.drop(columns="_size").reset_index(drop=True)
