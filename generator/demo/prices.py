"""Daily prices of every instrument: a factor model, price bands, ticks and thin trading."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

Array = np.ndarray[Any, np.dtype[np.float64]]
Mask = np.ndarray[Any, np.dtype[np.bool_]]

# From this day NSE quotes shares below ₹250 in 1-paisa ticks (5 paise before).
FINE_TICK_FROM = date(2025, 6, 10)
MARKET_VOL = 0.009
_FINE_TICK_KINDS = ("gold", "gsec", "tbill", "bond", "debt")
_EPS = 1e-7


# The per-session bhavcopy fields of PricePaths, in file order.
SESSION_FIELDS = ("open", "high", "low", "close", "last", "prev_close", "settle", "volume",
                  "turnover", "trades")


@dataclass(frozen=True, eq=False)
class PricePaths:
    """Sessions x instruments arrays; NaN where an instrument did not trade."""

    open: Array
    high: Array
    low: Array
    close: Array
    last: Array
    prev_close: Array
    settle: Array
    volume: Array
    turnover: Array
    trades: Array
    traded: Mask
    mark: Array  # last known price after each session (close, or the carried close)
    mark0: Array  # closes of the session before the first one
    market_return: Array  # the market factor per session, drives India VIX


def tick_sizes(price: Array, day: date, fine: Mask) -> Array:
    """Return the tick of each price on `day`."""
    small = price < (250.0 if day >= FINE_TICK_FROM else 1.0)
    return np.where(fine | small, 0.01, 0.05)


def to_tick(value: Array, tick: Array, how: str = "round") -> Array:
    """Round `value` to a multiple of `tick` (`round`, `floor` or `ceil`), kept at 2 decimals."""
    steps = value / tick
    if how == "floor":
        steps = np.floor(steps + _EPS)
    elif how == "ceil":
        steps = np.ceil(steps - _EPS)
    else:
        steps = np.round(steps)
    return np.round(steps * tick, 2)


def simulate_prices(universe: pd.DataFrame, days: list[date], seed: int) -> PricePaths:
    """Simulate every session of `days` for every row of `universe`."""
    rng = np.random.default_rng([seed, 2, days[0].toordinal() if days else 0])
    n_days, n = len(days), len(universe)
    col = {
        name: universe[name].to_numpy(dtype=float)
        for name in (
            "beta",
            "size_load",
            "sector_load",
            "gold_load",
            "drift",
            "idio_vol",
            "band",
            "trade_prob",
            "stale_prob",
            "turnover",
            "ticket",
            "lot",
            "price0",
        )
    }
    sector = universe["sector"].to_numpy(dtype=int)
    fine = universe["kind"].isin(_FINE_TICK_KINDS).to_numpy()
    n_sectors = int(sector.max()) + 1
    out = {
        k: np.full((n_days, n), np.nan)
        for k in (*SESSION_FIELDS, "mark")
    }
    traded_all = np.zeros((n_days, n), dtype=bool)
    market = np.zeros(n_days)
    first_tick = tick_sizes(col["price0"], days[0] if days else FINE_TICK_FROM, fine)
    mark0 = to_tick(col["price0"], first_tick)
    prev, fair = mark0.copy(), mark0.copy()
    for t, day in enumerate(days):
        m = 0.0002 + MARKET_VOL * float(rng.standard_t(5)) / np.sqrt(5 / 3)
        sectors = np.append(rng.normal(0, 0.005, n_sectors), 0.0)
        shock = np.clip(rng.standard_t(3, n) / np.sqrt(3), -8, 8)
        ret = (
            col["beta"] * m
            + col["size_load"] * rng.normal(0, 0.004)
            + col["sector_load"] * sectors[sector]
            + col["drift"]
            + col["gold_load"] * rng.normal(0.0004, 0.008)
            + col["idio_vol"] * shock
        )
        fair = np.maximum(fair * (1 + np.maximum(ret, -0.6)), 0.3)
        market[t] = m
        traded = rng.random(n) < col["trade_prob"]
        stale = traded & (rng.random(n) < col["stale_prob"])
        tick = tick_sizes(prev, day, fine)
        up = to_tick(prev * (1 + col["band"]), tick, "floor")
        down = np.maximum(to_tick(prev * (1 - col["band"]), tick, "ceil"), tick)
        close = np.where(stale, prev, to_tick(np.clip(fair, down, up), tick))
        vol = col["idio_vol"] + 0.5 * MARKET_VOL * col["beta"]
        move = close / prev - 1
        opening = prev * (1 + 0.35 * move + rng.normal(0, 0.3, n) * vol)
        opening = np.where(stale, prev, np.clip(to_tick(opening, tick), down, up))
        wide = np.abs(rng.normal(0, 0.45, (2, n))) * vol
        quiet = rng.integers(0, 3, (2, n)) * tick
        high = np.where(
            stale,
            prev + quiet[0],
            to_tick(np.maximum(opening, close) * (1 + wide[0]), tick, "ceil"),
        )
        low = np.where(
            stale,
            prev - quiet[1],
            to_tick(np.minimum(opening, close) * (1 - wide[1]), tick, "floor"),
        )
        high = np.minimum(high, up)
        low = np.maximum(low, down)
        jitter = np.where(rng.random(n) < 0.4, 0.0, np.round(rng.normal(0, 1.5, n)))
        last = np.clip(np.round(close + jitter * tick * ~stale, 2), low, high)
        settle = np.where(
            rng.random(n) < 0.5,
            close,
            np.clip(np.round(close * (1 + rng.normal(0, 3e-4, n)), 2), low, high),
        )
        vwap = (opening + high + low + 2 * close) / 5
        activity = np.exp(rng.normal(0, 0.35, n)) * (1 + 8 * np.abs(move))
        lots = np.where(
            stale,
            rng.integers(1, 20, n),
            np.maximum(np.round(col["turnover"] * activity / vwap / col["lot"]), 1),
        )
        volume = lots * col["lot"]
        turnover = np.round(volume * vwap, 2)
        trades = np.clip(
            np.round(turnover / col["ticket"] * np.exp(rng.normal(0, 0.2, n))), 1, lots
        )
        for key, value in (
            ("open", opening),
            ("high", high),
            ("low", low),
            ("close", close),
            ("last", last),
            ("prev_close", prev),
            ("settle", settle),
            ("volume", volume),
            ("turnover", turnover),
            ("trades", trades),
        ):
            out[key][t] = np.where(traded, value, np.nan)
        # A move the band held back is half made up the next days, not all carried on.
        fair = np.where(traded & ~stale, close + 0.5 * (fair - close), fair)
        prev = np.where(traded, close, prev)
        out["mark"][t] = prev
        traded_all[t] = traded
    paths = PricePaths(**out, traded=traded_all, mark0=mark0, market_return=market)
    block_rng = np.random.default_rng([seed, 4, days[0].toordinal() if days else 0])
    _block_deals(universe, paths, days, fine, block_rng)
    return paths


def _block_deals(
    universe: pd.DataFrame,
    paths: PricePaths,
    days: list[date],
    fine: Mask,
    rng: np.random.Generator,
) -> None:
    """Turn `BL` rows into single block trades near their parent's price."""
    kinds = universe["kind"].to_numpy()
    symbols = universe["symbol"].to_numpy()
    series = universe["series"].to_numpy()
    parents = universe["parent"].to_numpy() if "parent" in universe else np.full(len(kinds), "")
    all_shares = universe["shares"].to_numpy(dtype=float)
    for j in np.flatnonzero(kinds == "block").tolist():
        p = int(np.flatnonzero((symbols == parents[j]) & (series == "EQ"))[0])
        shares = float(all_shares[j])
        for t, day in enumerate(days):
            paths.traded[t, j] &= bool(paths.traded[t, p])
            if not paths.traded[t, j]:
                for arr in (
                    paths.open,
                    paths.high,
                    paths.low,
                    paths.close,
                    paths.last,
                    paths.prev_close,
                    paths.settle,
                    paths.volume,
                    paths.turnover,
                    paths.trades,
                ):
                    arr[t, j] = np.nan
                paths.mark[t, j] = paths.mark[t - 1, j] if t else paths.mark0[j]
                continue
            ref = np.array([paths.prev_close[t, p]])
            tick = tick_sizes(ref, day, fine[[p]])
            price = float(to_tick(ref * (1 + rng.normal(0, 0.01)), tick)[0])
            volume = float(round(shares * rng.uniform(2e-4, 1e-3)))
            for arr in (paths.open, paths.high, paths.low, paths.close, paths.last, paths.settle):
                arr[t, j] = price
            paths.prev_close[t, j] = paths.prev_close[t, p]
            paths.volume[t, j] = volume
            paths.turnover[t, j] = round(volume * price, 2)
            paths.trades[t, j] = 1.0
            paths.mark[t, j] = price
