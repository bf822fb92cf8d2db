"""Index levels chained from constituent caps (fixed shares), India VIX and dividend points."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from generator.demo.prices import MARKET_VOL, PricePaths

# Index name -> (first rank, last rank, base level, P/E, P/B, dividend yield).
INDEX_RANKS: dict[str, tuple[int, int, float, float, float, float]] = {
    "Nifty 50": (1, 50, 23600.0, 22.1, 3.55, 1.28),
    "Nifty Next 50": (51, 100, 63500.0, 24.3, 3.9, 1.15),
    "Nifty 100": (1, 100, 24200.0, 22.6, 3.62, 1.25),
    "Nifty Midcap 150": (101, 250, 20300.0, 40.2, 5.4, 0.72),
    "Nifty Smallcap 250": (251, 500, 17000.0, 31.5, 4.1, 0.63),
    "Nifty Microcap 250": (501, 750, 23000.0, 29.8, 4.3, 0.52),
    "Nifty 500": (1, 500, 22000.0, 24.6, 3.9, 1.12),
}
DIVIDEND_POINTS = "Nifty50 Dividend Points"
VIX = "India VIX"
INDEX_COLUMNS = (
    "trade_date",
    "index_name",
    "open",
    "high",
    "low",
    "close",
    "points_change",
    "change_pct",
    "volume",
    "turnover_cr",
    "pe",
    "pb",
    "div_yield",
)


def compute_indices(
    universe: pd.DataFrame, paths: PricePaths, days: list[date], seed: int
) -> pd.DataFrame:
    """Return one row per session and index, NaN where NSE prints `-`."""
    anchor = days[0].toordinal() if days else 0
    rows: list[tuple[object, ...]] = []
    rank = universe["rank"].to_numpy()
    shares = universe["shares"].to_numpy(dtype=float)
    # One random stream per series, so a longer range leaves earlier sessions unchanged.
    for number, (name, (lo, hi, base, pe, pb, dy)) in enumerate(INDEX_RANKS.items()):
        rng = np.random.default_rng([seed, 3, anchor, number])
        members = np.flatnonzero((rank >= lo) & (rank <= hi))
        rows.extend(
            index_rows(
                name,
                members,
                shares[members],
                paths,
                days,
                rng,
                base * float(np.exp(rng.normal(0, 0.01))),
                (pe, pb, dy),
            )
        )
    rows.extend(_dividend_points(days, np.random.default_rng([seed, 3, anchor, 100])))
    rows.extend(_vix(paths, days, np.random.default_rng([seed, 3, anchor, 101])))
    frame = pd.DataFrame(rows, columns=list(INDEX_COLUMNS))
    order = {n: i for i, n in enumerate([*INDEX_RANKS, DIVIDEND_POINTS, VIX])}
    frame["_order"] = frame["index_name"].map(order)
    frame = frame.sort_values(["trade_date", "_order"], kind="stable").drop(columns="_order")
    return frame.reset_index(drop=True)


def index_rows(
    name: str,
    members: np.ndarray,
    shares: np.ndarray,
    paths: PricePaths,
    days: list[date],
    rng: np.random.Generator,
    prev_level: float,
    ratios: tuple[float, float, float],
) -> list[tuple[object, ...]]:
    """Chain an index level from its constituents' closes: level x cap today / cap before."""
    prev_level = round(prev_level * (1 + float(rng.normal(0, 0.004))), 2)
    prev_cap = float(np.dot(shares, paths.mark0[members]))
    first_level: float | None = None
    rows: list[tuple[object, ...]] = []
    for t, day in enumerate(days):
        marks = paths.mark[t, members]
        before = paths.mark[t - 1, members] if t else paths.mark0[members]
        traded = paths.traded[t, members]
        cap = float(np.dot(shares, marks))
        level = round(prev_level * cap / prev_cap, 2)
        opens = np.where(traded, paths.open[t, members], before)
        open_level = round(prev_level * float(np.dot(shares, opens)) / prev_cap, 2)
        spread = np.abs(rng.normal(0, 0.25 * MARKET_VOL, 2))
        high = round(max(open_level, level) * (1 + spread[0]), 2)
        low = round(min(open_level, level) * (1 - spread[1]), 2)
        points = round(level - prev_level, 2)
        first_level = first_level or level
        growth = level / first_level
        rows.append(
            (
                day,
                name,
                open_level,
                high,
                low,
                level,
                points,
                round(100 * points / prev_level, 2),
                float(np.nansum(paths.volume[t, members])),
                round(float(np.nansum(paths.turnover[t, members])) / 1e7, 2),
                round(ratios[0] * growth, 2),
                round(ratios[1] * growth, 2),
                round(ratios[2] / growth, 2),
            )
        )
        prev_level, prev_cap = level, cap
    return rows


def _dividend_points(days: list[date], rng: np.random.Generator) -> list[tuple[object, ...]]:
    """Accumulate Nifty 50 dividend points over the financial year (reset each 1 April)."""
    rows: list[tuple[object, ...]] = []
    if not days:
        return rows
    fy_start = date(days[0].year if days[0].month >= 4 else days[0].year - 1, 4, 1)
    value = round(300 * (days[0] - fy_start).days / 365 * float(rng.uniform(0.8, 1.2)), 2)
    fy = fy_start.year
    for day in days:
        day_fy = day.year if day.month >= 4 else day.year - 1
        if day_fy != fy:
            fy, value, change = day_fy, 0.0, 0.0
        else:
            step = round(float(rng.uniform(0.3, 9.0)), 2) if rng.random() < 0.15 else 0.0
            value, change = round(value + step, 2), step
        nan = float("nan")
        rows.append(
            (day, DIVIDEND_POINTS, nan, nan, nan, value, change, nan, nan, nan, nan, nan, nan)
        )
    return rows


def _vix(paths: PricePaths, days: list[date], rng: np.random.Generator) -> list[tuple[object, ...]]:
    """Return India VIX: mean-reverting, rising when the market falls."""
    rows: list[tuple[object, ...]] = []
    prev = round(14.5 * float(np.exp(rng.normal(0, 0.1))), 2)
    for t, day in enumerate(days):
        log_v = (
            np.log(prev)
            + 0.08 * (np.log(14.5) - np.log(prev))
            - 4.0 * float(paths.market_return[t])
            + float(rng.normal(0, 0.04))
        )
        close = round(float(np.exp(log_v)), 2)
        opening = _quarter_tick(prev * float(np.exp(rng.normal(0, 0.03))))
        high = _quarter_tick(max(opening, close) * (1 + abs(float(rng.normal(0, 0.03)))))
        low = _quarter_tick(min(opening, close) * (1 - abs(float(rng.normal(0, 0.03)))))
        high, low = max(high, close, opening), min(low, close, opening)
        points = round(close - prev, 2)
        nan = float("nan")
        rows.append(
            (
                day,
                VIX,
                opening,
                high,
                low,
                close,
                points,
                round(100 * points / prev, 2),
                nan,
                nan,
                nan,
                nan,
                nan,
            )
        )
        prev = close
    return rows


def _quarter_tick(value: float) -> float:
    """Round to the 0.0025 steps India VIX is quoted in."""
    return round(round(value / 0.0025) * 0.0025, 4)
