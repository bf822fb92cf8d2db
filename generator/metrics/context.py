"""Today's figures against the segment's own history: breadth rank, streaks, records.

Every series here is indexed by session date, ascending, one entry per trading session, so
"N sessions back" counts entries; NaN means the figure is unknown that session. Results
carry the values compared and the history searched, so that a sentence such as "the
weakest breadth in 40 sessions" can be checked against them and never claims more history
than there is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

Array = npt.NDArray[np.float64]
Kind = Literal["high", "low"]

PERCENTILE_SESSIONS = 250
MONTH_SESSIONS = 21


@dataclass(frozen=True)
class Extreme:
    """How far back one must go to find a session as high (or as low) as today.

    `sessions_back` is the distance in sessions to the most recent earlier session whose
    value is at least as high ("high") or at least as low ("low") as today's, dated `since`
    with `since_value`; None when no earlier session is, and then today is the most extreme
    of all `history` earlier sessions with a value. `beaten` is how many earlier sessions
    with a value today strictly exceeds (in the kind's direction) back to that session: the
    text may say "highest in `beaten + 1` sessions" (today included) or "since `since`".
    """

    kind: Kind
    day: pd.Timestamp
    value: float
    sessions_back: int | None
    since: pd.Timestamp | None
    since_value: float | None
    beaten: int
    history: int


@dataclass(frozen=True)
class BreadthContext:
    """Today's advance/decline ratio ranked in its last sessions, and its nearest equal.

    The ratio is advances / declines; +inf when nothing declined but something advanced;
    none (NaN, and `ratio` None) when nothing advanced or declined, and such sessions are
    left out of every comparison. `percentile` is 100 * `at_or_below` / `rated`: the share
    of the sessions with a ratio among the last `window` sessions (today included; `covered`
    of them exist) whose ratio is at most today's. `skipped` sessions in the window had no
    ratio. `weakest` and `strongest` search the whole history given.
    """

    day: pd.Timestamp
    advances: int
    declines: int
    ratio: float | None
    percentile: float | None
    at_or_below: int
    rated: int
    skipped: int
    window: int
    covered: int
    first_session: pd.Timestamp
    weakest: Extreme | None
    strongest: Extreme | None


@dataclass(frozen=True)
class Streak:
    """The index's run of consecutive up (or down) sessions ending today.

    `direction` is +1 (up), -1 (down) or 0 (today unchanged, or no previous close); an
    unchanged close breaks a run. `sessions` counts the run's sessions (0 with direction 0);
    `base_day` and `base_close` are the session before the run, so `change_pct` is the
    run's whole move. `open_ended` is True when the run reaches back to the first known
    close (the series' start or a session after a NaN): the true run may be longer.
    """

    day: pd.Timestamp
    close: float
    direction: int
    sessions: int
    base_day: pd.Timestamp | None
    base_close: float | None
    open_ended: bool

    @property
    def change_pct(self) -> float | None:
        """Return the run's move from the base close to today's close, in percent."""
        if self.base_close is None or self.sessions == 0:
            return None
        return (self.close / self.base_close - 1.0) * 100.0


@dataclass(frozen=True)
class PeriodReturn:
    """The index's return from the close `sessions` sessions before today to today's."""

    day: pd.Timestamp
    close: float
    sessions: int
    start_day: pd.Timestamp
    start_close: float

    @property
    def return_pct(self) -> float:
        """Return close / start close - 1, in percent."""
        return (self.close / self.start_close - 1.0) * 100.0


@dataclass(frozen=True)
class CloseRecords:
    """Today's index close against its earlier highs and lows."""

    high: Extreme
    low: Extreme


def ad_ratios(advances: pd.Series, declines: pd.Series) -> pd.Series:
    """Return advances / declines per session: +inf with no declines, NaN with neither."""
    _check_aligned(advances, declines)
    adv = advances.to_numpy(dtype=np.float64)
    dec = declines.to_numpy(dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(dec > 0, adv / dec, np.where(adv > 0, np.inf, np.nan))
    return pd.Series(ratio, index=advances.index, dtype=np.float64)


def breadth_context(
    advances: pd.Series, declines: pd.Series, day: date, window: int = PERCENTILE_SESSIONS
) -> BreadthContext:
    """Rank today's A/D ratio in its last `window` sessions and find its nearest equals.

    `advances` and `declines` are the daily counts by session (e.g. the table of
    `breadth_depth.advance_decline`, whose history is of today's members); sessions after
    `day` are ignored. See `BreadthContext` for the definitions.
    """
    if window < 1:
        raise ValueError(f"the percentile window must hold at least 1 session, not {window}")
    ratios = ad_ratios(advances, declines)
    values, stamp = _upto(ratios, day)
    today = values[-1]
    part = values[-window:]
    rated = part[~np.isnan(part)]
    at_or_below = int((rated <= today).sum())
    has_ratio = not np.isnan(today)
    dates = ratios.index[: len(values)]
    return BreadthContext(
        day=stamp,
        advances=int(advances.loc[stamp]),
        declines=int(declines.loc[stamp]),
        ratio=float(today) if has_ratio else None,
        percentile=100.0 * at_or_below / len(rated) if has_ratio else None,
        at_or_below=at_or_below if has_ratio else 0,
        rated=len(rated),
        skipped=len(part) - len(rated),
        window=window,
        covered=len(part),
        first_session=pd.Timestamp(dates[-len(part)]),
        weakest=_extreme(values, dates, "low"),
        strongest=_extreme(values, dates, "high"),
    )


def extreme(values: pd.Series, day: date, kind: Kind) -> Extreme | None:
    """Return how far back a value as high (or low) as `day`'s lies; None if `day`'s is NaN."""
    array, _ = _upto(values, day)
    return _extreme(array, values.index[: len(array)], kind)


def close_records(index_closes: pd.Series, day: date) -> CloseRecords | None:
    """Return today's index close against its earlier closes; None without a close today.

    The high (low) says how many sessions back the index last closed at or above (at or
    below) today's close: "the highest close in `high.beaten + 1` sessions".
    """
    array, _ = _upto(index_closes, day)
    dates = index_closes.index[: len(array)]
    high, low = _extreme(array, dates, "high"), _extreme(array, dates, "low")
    if high is None or low is None:
        return None
    return CloseRecords(high=high, low=low)


def streak(index_closes: pd.Series, day: date) -> Streak | None:
    """Return the index's run of up or down sessions ending on `day`; None without a close.

    Each session's change is its close against the previous session's close; see `Streak`.
    """
    array, stamp = _upto(index_closes, day)
    close = float(array[-1])
    if np.isnan(close):
        return None
    change = np.sign(np.diff(array))  # NaN where either close is unknown
    last = change[-1] if len(change) else np.nan
    if np.isnan(last) or last == 0.0:
        return Streak(stamp, close, 0, 0, None, None, open_ended=bool(np.isnan(last)))
    other = np.flatnonzero(change != last)  # NaN != last too: an unknown change ends the run
    start = int(other[-1]) + 1 if len(other) else 0  # first change of the run
    base = float(array[start])
    open_ended = start == 0 or bool(np.isnan(change[start - 1]))
    return Streak(
        day=stamp, close=close, direction=int(last), sessions=len(change) - start,
        base_day=pd.Timestamp(index_closes.index[start]), base_close=base,
        open_ended=open_ended,
    )


def period_return(
    index_closes: pd.Series, day: date, sessions: int = MONTH_SESSIONS
) -> PeriodReturn | None:
    """Return the index's return over the last `sessions` sessions (21: one month).

    Today's close against the close `sessions` sessions earlier; None with less history or
    when either close is NaN.
    """
    array, stamp = _upto(index_closes, day)
    if len(array) <= sessions or np.isnan(array[-1]) or np.isnan(array[-1 - sessions]):
        return None
    return PeriodReturn(
        day=stamp, close=float(array[-1]), sessions=sessions,
        start_day=pd.Timestamp(index_closes.index[len(array) - 1 - sessions]),
        start_close=float(array[-1 - sessions]),
    )


def _upto(values: pd.Series, day: date) -> tuple[Array, pd.Timestamp]:
    """Return the series' values up to and including `day`, and `day` as a Timestamp."""
    if not (values.index.is_monotonic_increasing and values.index.is_unique):
        raise ValueError("the series must have one entry per session in ascending date "
                         "order; sort with .sort_index() and drop duplicate dates")
    stamp = pd.Timestamp(day)
    if stamp not in values.index:
        raise ValueError(f"{stamp.date()} is not a session of the series; pass a date from "
                         "its index")
    rows = int(values.index.searchsorted(stamp)) + 1
    return values.to_numpy(dtype=np.float64, na_value=np.nan)[:rows], stamp


def _extreme(values: Array, dates: pd.Index, kind: Kind) -> Extreme | None:
    """Find the last earlier value at least as extreme as the last one; None if it is NaN."""
    today = values[-1]
    if np.isnan(today):
        return None
    earlier = values[:-1]
    known = ~np.isnan(earlier)
    as_extreme = earlier >= today if kind == "high" else earlier <= today
    found = np.flatnonzero(as_extreme)
    history = int(known.sum())
    if not len(found):
        return Extreme(kind, pd.Timestamp(dates[-1]), float(today), None, None, None,
                       beaten=history, history=history)
    at = int(found[-1])
    return Extreme(
        kind=kind, day=pd.Timestamp(dates[-1]), value=float(today),
        sessions_back=len(earlier) - at, since=pd.Timestamp(dates[at]),
        since_value=float(earlier[at]), beaten=int(known[at + 1:].sum()), history=history,
    )


def _check_aligned(advances: pd.Series, declines: pd.Series) -> None:
    """Raise unless both series have the same sessions in the same order."""
    if not advances.index.equals(declines.index):
        raise ValueError("advances and declines must have the same sessions in the same "
                         "order; take both from one advance_decline table")
