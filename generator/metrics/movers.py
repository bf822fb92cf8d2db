"""Top gainers and losers, and the equal-weighted view of a segment's constituents."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from generator import columns as C

MOVER_COLUMNS = [C.SYMBOL, C.NAME, C.CLOSE, C.PREV_CLOSE, C.RETURN_PCT]


@dataclass(frozen=True)
class ConstituentStats:
    """Equal-weighted mean and median return of the constituents that traded."""

    mean_pct: float | None
    median_pct: float | None
    traded: int


def top_movers(members: pd.DataFrame, count: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the `count` best and worst constituents by return (ties: by symbol).

    Only constituents that traded and moved count: a gainer rose, a loser fell.
    """
    moved = members.dropna(subset=[C.RETURN_PCT])
    gainers = moved.loc[moved[C.RETURN_PCT] > 0].sort_values(
        [C.RETURN_PCT, C.SYMBOL], ascending=[False, True], kind="stable"
    )
    losers = moved.loc[moved[C.RETURN_PCT] < 0].sort_values(
        [C.RETURN_PCT, C.SYMBOL], ascending=[True, True], kind="stable"
    )
    return (
        gainers.head(count)[MOVER_COLUMNS].reset_index(drop=True),
        losers.head(count)[MOVER_COLUMNS].reset_index(drop=True),
    )


def constituent_stats(members: pd.DataFrame) -> ConstituentStats:
    """Return the equal-weighted mean and median return of the traded constituents."""
    returns = members[C.RETURN_PCT].dropna()
    if returns.empty:
        return ConstituentStats(None, None, 0)
    return ConstituentStats(float(returns.mean()), float(returns.median()), len(returns))
