"""Deeper breadth of a segment on one session: averages, 52-week extremes, A/D line, gap.

Inputs shared by every function here: `closes` and `prev_closes` are wide frames with the
same session dates (ascending, one row per trading session) and the same ISIN columns; NaN
means the stock has no close that session, or the exchange published no previous close.
`members` is the segment's list of ISINs on `day`. Every figure, the daily history of
advances and declines included, is computed for today's members only: a stock that left the
segment before `day` counts on no session, one that joined recently counts on the sessions
before it joined. A member with no column in `closes` is reported as `missing`.

Corporate actions: the exchange's previous close is adjusted for splits, bonuses and rights,
so advances and declines (close against the published previous close) stay right across
them. Closes on record are not adjusted, so a moving average or a 52-week extreme spanning
an adjustment compares unlike prices: a member whose window holds a session where the
published previous close differs from its previous close on record by more than
`PRICE_TOLERANCE` is left out of that figure and counted as `adjusted`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd

from generator.metrics import indicators as ind
from generator.metrics.trend import TOLERANCE

Array = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]

SMA_SHORT = 50
SMA_LONG = 200
HIGH_LOW_SESSIONS = 250
MCCLELLAN_FAST = 19
MCCLELLAN_SLOW = 39
PRICE_TOLERANCE = 0.005
NARROW_MIN_MOVE_PCT = 0.25
NARROW_GAP_PP = 0.5

ADVANCES = "advances"
DECLINES = "declines"
UNCHANGED = "unchanged"
NET = "net"
AD_LINE = "ad_line"
MCCLELLAN = "mcclellan"


@dataclass(frozen=True)
class AboveAverage:
    """How many members closed above their `window`-session simple moving average.

    Every member falls in exactly one of counted, short_history (a close today but fewer
    than `window` closes on record), adjusted (a price adjustment inside the window),
    not_traded (no close today) and missing (no column in the frame).
    """

    window: int
    members: int
    counted: int
    above: int
    short_history: int
    adjusted: int
    not_traded: int
    missing: int

    @property
    def pct(self) -> float | None:
        """Return the share of counted members above their average, in percent."""
        return 100.0 * self.above / self.counted if self.counted else None


@dataclass(frozen=True)
class HighsLows:
    """Members at a new `window`-session closing high or low today.

    `sessions` is how many sessions the frame holds up to today; with fewer than `window`
    no member is counted. The members fall into the same five groups as in `AboveAverage`.
    """

    window: int
    sessions: int
    members: int
    counted: int
    short_history: int
    adjusted: int
    not_traded: int
    missing: int
    high_isins: tuple[str, ...]
    low_isins: tuple[str, ...]

    @property
    def highs(self) -> int:
        """Return how many counted members closed at their window high."""
        return len(self.high_isins)

    @property
    def lows(self) -> int:
        """Return how many counted members closed at their window low."""
        return len(self.low_isins)


@dataclass(frozen=True, eq=False)
class AdvanceDecline:
    """Daily advances and declines of today's members, the A/D line and McClellan oscillator.

    `table` is indexed by session and has the columns ADVANCES, DECLINES, UNCHANGED (ints),
    NET (advances - declines), AD_LINE (running sum of NET from the window's first session)
    and MCCLELLAN (float, NaN until both EMAs have their seed).
    """

    table: pd.DataFrame
    members: int
    missing: int

    @property
    def day(self) -> pd.Timestamp:
        """Return the last session of the table."""
        return pd.Timestamp(self.table.index[-1])

    @property
    def sessions(self) -> int:
        """Return how many sessions the table covers."""
        return len(self.table)

    @property
    def mcclellan(self) -> float | None:
        """Return today's McClellan oscillator, or None before it has a value."""
        value = float(self.table[MCCLELLAN].iloc[-1])
        return None if np.isnan(value) else value


@dataclass(frozen=True)
class ParticipationGap:
    """The equal-weighted mean return of members today against the index's return."""

    day: pd.Timestamp
    counted: int
    equal_weight_pct: float
    index_close: float
    index_prev_close: float
    index_pct: float

    @property
    def gap_pp(self) -> float:
        """Return equal-weighted mean return minus index return, in percentage points."""
        return self.equal_weight_pct - self.index_pct


@dataclass(frozen=True, eq=False)
class BreadthDepth:
    """Every deeper-breadth figure of a segment on one session."""

    day: pd.Timestamp
    above_short: AboveAverage
    above_long: AboveAverage
    highs_lows: HighsLows
    advance_decline: AdvanceDecline
    gap: ParticipationGap | None


@dataclass(frozen=True, eq=False)
class _Panel:
    """Today's members' closes up to `day`, as arrays, with their adjustment flags.

    `moved` is 1.0 on a close whose published previous close differs from the stock's
    previous close on record by more than PRICE_TOLERANCE, 0.0 on other closes (the first
    close on record, or one without a published previous close, included) and NaN where
    there is no close. `packed` holds the closes packed once for the indicators, and
    `moved_packed` the flags in the same packed order.
    """

    day: pd.Timestamp
    frame: pd.DataFrame
    close: Array
    prev: Array
    packed: ind.Packed
    moved: Array
    moved_packed: Array
    members: int
    missing: int

    @property
    def sessions(self) -> int:
        """Return how many sessions the panel holds."""
        return len(self.close)

    def last_on_record(self, packed_values: Array) -> Array:
        """Return a packed indicator's value on today's close; NaN without a close today."""
        count = self.packed.valid.sum(axis=0)
        row = np.maximum(count - 1, 0)
        value = packed_values[row, np.arange(packed_values.shape[1])]
        return np.where(np.isnan(self.close[-1]), np.nan, value)


def compute_breadth_depth(
    closes: pd.DataFrame,
    prev_closes: pd.DataFrame,
    members: Iterable[str],
    index_closes: pd.Series,
    day: date,
    ad_sessions: int | None = None,
) -> BreadthDepth:
    """Return every deeper-breadth figure of the members on `day`."""
    p = _panel(closes, prev_closes, members, day)
    return BreadthDepth(
        day=p.day,
        above_short=_above_average(p, SMA_SHORT),
        above_long=_above_average(p, SMA_LONG),
        highs_lows=_highs_lows(p, HIGH_LOW_SESSIONS),
        advance_decline=_advance_decline(p, ad_sessions),
        gap=_participation_gap(p, index_closes),
    )


def above_average(
    closes: pd.DataFrame,
    prev_closes: pd.DataFrame,
    members: Iterable[str],
    day: date,
    window: int,
) -> AboveAverage:
    """Count members whose close is above the SMA of their last `window` closes on record.

    The SMA is `indicators.sma`: a member counts once it has `window` closes on record (NaN
    sessions skipped) and a close today. Above means the close exceeds the SMA by more than
    `trend.TOLERANCE` times the close, the rule the trend votes use, so a flat price whose
    SMA carries rounding is not above it.
    """
    return _above_average(_panel(closes, prev_closes, members, day), window)


def highs_lows(
    closes: pd.DataFrame,
    prev_closes: pd.DataFrame,
    members: Iterable[str],
    day: date,
    window: int = HIGH_LOW_SESSIONS,
) -> HighsLows:
    """Find members whose close today is the highest or lowest of the last `window` sessions.

    The window is the last `window` sessions (rows) of the frame, today included; sessions
    without a close are skipped. A member counts when the frame holds `window` sessions, it
    closed today and it has a close on the window's first session or earlier (listed for the
    whole window). A close equal to the window's highest (lowest) close counts as a high
    (low): it is the highest close of the window.
    """
    return _highs_lows(_panel(closes, prev_closes, members, day), window)


def advance_decline(
    closes: pd.DataFrame,
    prev_closes: pd.DataFrame,
    members: Iterable[str],
    day: date,
    sessions: int | None = None,
) -> AdvanceDecline:
    """Return daily advances and declines of today's members over the last `sessions`.

    The window is the last `sessions` sessions up to `day` (all sessions when None or more
    than the frame holds). On each session a member advances when its close is above the
    published previous close, declines when below, is unchanged when equal, and is not
    counted without both. The A/D line is the running sum of advances - declines from the
    window's first session. The McClellan oscillator is EMA19 - EMA39 of advances -
    declines (classic, not ratio-adjusted), each EMA as `indicators.ema`: seeded with the
    mean of its first 19 (39) values, so the oscillator starts on the window's 39th session
    and its values depend, fading, on where the window starts.
    """
    return _advance_decline(_panel(closes, prev_closes, members, day), sessions)


def participation_gap(
    closes: pd.DataFrame,
    prev_closes: pd.DataFrame,
    members: Iterable[str],
    index_closes: pd.Series,
    day: date,
) -> ParticipationGap | None:
    """Return the members' equal-weighted mean return today against the index's return.

    A member's return is close / published previous close - 1, over members with both
    today; the index return is its close on `day` against its close on the frame's previous
    session. None without such a member, without `day` and the previous session in
    `index_closes`, or when either index close is NaN.
    """
    return _participation_gap(_panel(closes, prev_closes, members, day), index_closes)


def narrow(gap: ParticipationGap) -> bool:
    """Return True when the index's move today was carried by few members (`narrow_move`)."""
    return narrow_move(gap.index_pct, gap.equal_weight_pct)


def narrow_move(index_pct: float, equal_weight_pct: float) -> bool:
    """Return True when an index move of `index_pct` was carried by few members.

    The rule: the index moved by at least NARROW_MIN_MOVE_PCT (smaller moves are noise) and
    either the equal-weighted mean moved the other way or not at all, or it trailed the
    index in the index's direction by at least NARROW_GAP_PP percentage points. An index
    that fell 1% while the typical member fell 2% is broad weakness, not narrow.
    """
    if abs(index_pct) < NARROW_MIN_MOVE_PCT:
        return False
    sign = 1.0 if index_pct > 0 else -1.0
    gap_pp = equal_weight_pct - index_pct
    return bool(sign * equal_weight_pct <= 0.0 or -sign * gap_pp >= NARROW_GAP_PP)


def _panel(
    closes: pd.DataFrame, prev_closes: pd.DataFrame, members: Iterable[str], day: date
) -> _Panel:
    """Cut the members' closes and previous closes up to `day` and flag adjustments."""
    if not (closes.index.equals(prev_closes.index)
            and closes.columns.equals(prev_closes.columns)):
        raise ValueError("prev_closes must have the same dates and ISINs, in the same order, "
                         "as closes; align them with prev_closes.reindex_like(closes)")
    if not (closes.index.is_monotonic_increasing and closes.index.is_unique):
        raise ValueError("closes must have one row per session in ascending date order; "
                         "sort with closes.sort_index() and drop duplicate dates")
    stamp = pd.Timestamp(day)
    if stamp not in closes.index:
        raise ValueError(f"{stamp.date()} is not a session of closes; pass a date from "
                         "closes.index")
    rows = int(closes.index.searchsorted(stamp)) + 1
    wanted = list(dict.fromkeys(members))
    where = closes.columns.get_indexer(pd.Index(wanted))
    cols = where[where >= 0]
    frame = closes.iloc[:rows, cols]
    close = _array(frame)
    prev = _array(prev_closes.iloc[:rows, cols])
    packed = ind.Packed.of(frame)
    prior = _array(ind.lag(packed.packed, 1))
    with np.errstate(invalid="ignore"):
        flags = np.abs(_array(packed.pack(prev_closes.iloc[:rows, cols])) - prior)
        moved_packed = np.where(np.isnan(packed.values), np.nan,
                                (flags > PRICE_TOLERANCE).astype(np.float64))
    moved = _array(packed.unpack(moved_packed))
    return _Panel(stamp, frame, close, prev, packed, moved, moved_packed, len(wanted),
                  int((where < 0).sum()))


def _array(frame: pd.DataFrame) -> Array:
    """Return a frame's values as a C-ordered float array (NaN for missing)."""
    return np.ascontiguousarray(frame.to_numpy(dtype=np.float64, na_value=np.nan))


def _above_average(p: _Panel, window: int) -> AboveAverage:
    """Count members above their `window`-close SMA on the panel's last session."""
    today = p.close[-1]
    average = p.last_on_record(_array(ind.sma(p.packed.packed, window)))
    enough = ~np.isnan(average)
    adjusted = enough & _moved_in_last(p, window)
    counted = enough & ~adjusted
    with np.errstate(invalid="ignore"):
        above = counted & (today - average > TOLERANCE * np.abs(today))
    traded = ~np.isnan(today)
    return AboveAverage(
        window=window, members=p.members, counted=int(counted.sum()), above=int(above.sum()),
        short_history=int((traded & ~enough).sum()), adjusted=int(adjusted.sum()),
        not_traded=int((~traded).sum()), missing=p.missing,
    )


def _moved_in_last(p: _Panel, window: int) -> Mask:
    """Return which members had an adjustment on their last `window` - 1 closes on record."""
    if window < 2:
        return np.zeros(p.close.shape[1], dtype=np.bool_)
    moved = pd.DataFrame(p.moved_packed, copy=False)
    share = p.last_on_record(_array(ind.sma(moved, window - 1)))
    return np.asarray(share > 0.0, dtype=np.bool_)


def _highs_lows(p: _Panel, window: int) -> HighsLows:
    """Find members at a `window`-session closing high or low on the panel's last session."""
    today = p.close[-1]
    traded = ~np.isnan(today)
    empty = np.zeros_like(traded)
    enough, adjusted, high, low = empty, empty, empty, empty
    if p.sessions >= window:
        valid = ~np.isnan(p.close)
        first = np.where(valid.any(axis=0), valid.argmax(axis=0), p.sessions)
        enough = traded & (first <= p.sessions - window)
        block = p.close[-window:]
        seen = np.cumsum(~np.isnan(block), axis=0)
        moves = np.where(seen >= 2, np.nan_to_num(p.moved[-window:]), 0.0)
        adjusted = enough & (moves.sum(axis=0) > 0.0)
        counted = enough & ~adjusted
        high = counted & (today >= np.fmax.reduce(block, axis=0))
        low = counted & (today <= np.fmin.reduce(block, axis=0))
    isins = p.frame.columns
    return HighsLows(
        window=window, sessions=p.sessions, members=p.members,
        counted=int((enough & ~adjusted).sum()), short_history=int((traded & ~enough).sum()),
        adjusted=int(adjusted.sum()), not_traded=int((~traded).sum()), missing=p.missing,
        high_isins=tuple(str(i) for i in isins[high]),
        low_isins=tuple(str(i) for i in isins[low]),
    )


def _advance_decline(p: _Panel, sessions: int | None) -> AdvanceDecline:
    """Count each session's advances and declines and derive the A/D line and oscillator."""
    if sessions is not None and sessions < 1:
        raise ValueError(f"the A/D window must hold at least 1 session, not {sessions}; "
                         "pass None for all sessions on record")
    start = 0 if sessions is None else max(0, p.sessions - sessions)
    close, prev = p.close[start:], p.prev[start:]
    advances = (close > prev).sum(axis=1)
    declines = (close < prev).sum(axis=1)
    net = advances - declines
    flow = pd.DataFrame({NET: net.astype(np.float64)})
    oscillator = ind.ema(flow, MCCLELLAN_FAST) - ind.ema(flow, MCCLELLAN_SLOW)
    table = pd.DataFrame(
        {
            ADVANCES: advances,
            DECLINES: declines,
            UNCHANGED: (close == prev).sum(axis=1),
            NET: net,
            AD_LINE: np.cumsum(net),
            MCCLELLAN: oscillator[NET].to_numpy(),
        },
        index=p.frame.index[start:],
    )
    return AdvanceDecline(table=table, members=p.members, missing=p.missing)


def _participation_gap(p: _Panel, index_closes: pd.Series) -> ParticipationGap | None:
    """Compare the members' equal-weighted mean return today with the index's return."""
    today, prev = p.close[-1], p.prev[-1]
    with np.errstate(invalid="ignore"):
        both = ~np.isnan(today) & (prev > 0.0)
    if not both.any() or p.sessions < 2:
        return None
    before = pd.Timestamp(p.frame.index[-2])
    if p.day not in index_closes.index or before not in index_closes.index:
        return None
    close, prev_close = float(index_closes.loc[p.day]), float(index_closes.loc[before])
    if np.isnan(close) or np.isnan(prev_close) or prev_close <= 0.0:
        return None
    mean = float(np.mean(today[both] / prev[both] - 1.0)) * 100.0
    return ParticipationGap(
        day=p.day, counted=int(both.sum()), equal_weight_pct=mean, index_close=close,
        index_prev_close=prev_close, index_pct=(close / prev_close - 1.0) * 100.0,
    )
