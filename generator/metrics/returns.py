"""Index returns over sessions and the ranking of segments against benchmarks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from generator.calendar import TradingCalendar


@dataclass(frozen=True)
class IndexMove:
    """An index's close and its returns over one session and over a window of sessions."""

    index_name: str
    close: float
    change_pct: float
    window_pct: float | None
    window_sessions: int

    @property
    def window_complete(self) -> bool:
        """Return True when the window return spans the sessions asked for."""
        return self.window_pct is not None


def pct_change(new: float, old: float) -> float:
    """Return the percentage change from old to new."""
    return (new / old - 1.0) * 100.0


def index_move(
    index_name: str,
    closes: pd.Series,
    points_change: float,
    day: date,
    calendar: TradingCalendar,
    window: int = 5,
) -> IndexMove:
    """Return the index's move on `day`.

    `closes` holds the index's stored closes by session date. The one-session return uses
    the exchange's own points change (previous close = close - points change). The
    window return compares with the close `window` sessions earlier; with less history it
    spans the sessions on record (`window_sessions` says how many) and `window_pct` is
    None only when there is no earlier close at all.
    """
    close = float(closes.loc[pd.Timestamp(day)])
    change = pct_change(close, close - points_change)
    earlier = closes.loc[closes.index < pd.Timestamp(day)]
    start = day
    for _ in range(window):
        start = calendar.previous_session(start)
    in_window = earlier.loc[earlier.index >= pd.Timestamp(start)]
    if in_window.empty:
        return IndexMove(index_name, close, change, None, 0)
    first_day = in_window.index[0].date()
    sessions = len(calendar.sessions(first_day, day)) - 1
    return IndexMove(index_name, close, change, pct_change(close, float(in_window.iloc[0])),
                     sessions)


@dataclass(frozen=True)
class Ranked:
    """One entry in the day's ranking of segments and benchmarks."""

    label: str
    kind: str
    change_pct: float
    rank: int


def rank_moves(entries: Sequence[tuple[str, str, float]]) -> list[Ranked]:
    """Rank (label, kind, change) entries by change, best first; ties share a rank."""
    ordered = sorted(entries, key=lambda e: (-round(e[2], 6), e[0]))
    ranked: list[Ranked] = []
    for position, (label, kind, change) in enumerate(ordered, start=1):
        same = ranked and round(ranked[-1].change_pct, 6) == round(change, 6)
        rank = ranked[-1].rank if same else position
        ranked.append(Ranked(label, kind, change, rank))
    return ranked
