"""The simulated market: instruments, sessions, prices, index levels and calendars, in memory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from generator.demo.holidays import Holiday, holidays_between, trading_days
from generator.demo.indices import compute_indices
from generator.demo.meetings import plan_meetings
from generator.demo.prices import SESSION_FIELDS, PricePaths, simulate_prices
from generator.demo.universe import build_universe
from generator.errors import ConfigError

DEFAULT_SEED = 20250101
DEFAULT_START = date(2025, 1, 1)
DEFAULT_END = date(2025, 4, 11)
MAX_RANGE_DAYS = 5 * 366

# Constituent list file -> (first rank, last rank) by market cap at the start date.
CONSTITUENT_FILES: dict[str, tuple[int, int]] = {
    "ind_nifty50list.csv": (1, 50),
    "ind_nifty100list.csv": (1, 100),
    "ind_niftymidcap150list.csv": (101, 250),
    "ind_niftysmallcap250list.csv": (251, 500),
    "ind_niftymicrocap250_list.csv": (501, 750),
    "ind_nifty500list.csv": (1, 500),
}


@dataclass(frozen=True, eq=False)
class DemoMarket:
    """Everything the demo exchange publishes over one date range, before it is written."""

    seed: int
    start: date
    end: date
    trading_days: tuple[date, ...]
    holidays: tuple[Holiday, ...]
    instruments: pd.DataFrame  # one row per bhavcopy instrument+series, sorted like the file
    prices: PricePaths  # sessions x instruments, rows aligned with `instruments`
    index_levels: pd.DataFrame  # one row per session and index
    meetings: pd.DataFrame  # board meetings with their JSON fragments

    @property
    def companies(self) -> pd.DataFrame:
        """Return the EQ-series companies with market-cap rank and shares, largest first."""
        eq = self.instruments[(self.instruments["kind"] == "company")]
        return eq.sort_values("rank").reset_index(drop=True)

    def constituents(self, file_name: str) -> pd.DataFrame:
        """Return the members of one constituent list, sorted by company name as NSE does."""
        lo, hi = CONSTITUENT_FILES[file_name]
        firms = self.companies
        members = firms[firms["rank"].between(lo, hi)]
        return members.sort_values("name", kind="stable").reset_index(drop=True)

    def equities(self, day: date) -> pd.DataFrame:
        """Return the bhavcopy rows of one session (instruments that traded that day)."""
        t = self.trading_days.index(day)
        traded = self.prices.traded[t]
        columns = ["fin_id", "isin", "symbol", "series", "bhav_name", "lot"]
        frame: pd.DataFrame = self.instruments.loc[traded, columns].copy()
        for name in SESSION_FIELDS:
            frame[name] = getattr(self.prices, name)[t, traded]
        return frame.reset_index(drop=True)


def simulate_market(seed: int, start: date, end: date) -> DemoMarket:
    """Simulate the market from `start` to `end` inclusive; pure and deterministic per seed."""
    if end < start:
        raise ConfigError(
            f"demo range ends ({end}) before it starts ({start}); set [demo] end on or after start"
        )
    if (end - start).days > MAX_RANGE_DAYS:
        raise ConfigError(
            f"demo range {start}..{end} is longer than five years; shorten [demo] start..end"
        )
    holidays = holidays_between(seed, start, end)
    days = trading_days(start, end, holidays)
    universe = build_universe(seed)
    universe = universe.sort_values(["symbol", "series"], kind="stable").reset_index(drop=True)
    prices = simulate_prices(universe, days, seed)
    return DemoMarket(
        seed=seed,
        start=start,
        end=end,
        trading_days=tuple(days),
        holidays=tuple(holidays),
        instruments=universe,
        prices=prices,
        index_levels=compute_indices(universe, prices, days, seed),
        meetings=plan_meetings(universe, seed, start, end),
    )
