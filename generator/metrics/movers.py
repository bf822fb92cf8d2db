"""Top gainers and losers, and the equal-weighted view of a segment's constituents."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from generator import columns as C

MOVER_COLUMNS = [C.SYMBOL, C.NAME, C.CLOSE, C.PREV_CLOSE, C.RETURN_PCT]


@dataclass(frozen=True)
class ConstituentStats:
    """Equal-weighted mean and median return of the constituents that traded.

    `left_out` counts the traded constituents whose flagged move (see
    `metrics.plausibility`) is not in the figures; `traded` counts those that are.
    """

    mean_pct: float | None
    median_pct: float | None
    traded: int
    left_out: int = 0


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


def constituent_stats(members: pd.DataFrame,
                      leave_out: pd.Series | None = None) -> ConstituentStats:
    """Return the equal-weighted mean and median return of the traded constituents.

    Members where the boolean mask `leave_out` is True are not in the figures.
    """
    returns = members[C.RETURN_PCT]
    left_out = 0
    if leave_out is not None:
        left_out = int(returns.loc[leave_out].notna().sum())
        returns = returns.loc[~leave_out]
    returns = returns.dropna()
    if returns.empty:
        return ConstituentStats(None, None, 0, left_out)
    return ConstituentStats(float(returns.mean()), float(returns.median()), len(returns),
                            left_out)
