"""Which bhavcopy rows are company shares, and how a segment's constituents match them."""

from __future__ import annotations

import pandas as pd

from generator import columns as C

COMPANY_ISIN_PREFIX = "INE"
# NSE series, and BSE groups (BSE's UDiFF puts the group where NSE puts the series).
COMPANY_SERIES = {"NSE": ("EQ", "BE", "BZ"), "BSE": ("A", "B", "T", "X", "XT", "Z", "ZP", "P")}
SME_SERIES = {"NSE": ("SM", "ST"), "BSE": ("M", "MT", "MS", "TS")}
TRADED = "traded"


def company_shares(equities: pd.DataFrame, sme: bool = False,
                   exchange: str = "NSE") -> pd.DataFrame:
    """Keep company shares only: INE ISINs in the exchange's equity series, one row per ISIN.

    ETFs (INF), gold bonds and G-secs (IN0), bonds (other series or groups) are dropped; the
    SME series count only for an SME segment. When a company has rows in several of these
    series the first in the listed order wins (on NSE: EQ, then BE, BZ, SM, ST).
    """
    series = COMPANY_SERIES[exchange] + (SME_SERIES[exchange] if sme else ())
    keep = equities[C.ISIN].str.startswith(COMPANY_ISIN_PREFIX) & equities[C.SERIES].isin(series)
    shares = equities.loc[keep].copy()
    shares["_rank"] = shares[C.SERIES].map({s: i for i, s in enumerate(series)})
    shares = shares.sort_values([C.ISIN, "_rank"], kind="stable")
    return shares.drop_duplicates(C.ISIN).drop(columns="_rank").reset_index(drop=True)


def segment_members(constituents: pd.DataFrame, shares: pd.DataFrame) -> pd.DataFrame:
    """Return one row per constituent with its day's prices, return and whether it traded.

    A constituent is matched by ISIN. One with no row in the day's file, or a row with
    zero volume, did not trade: its return is missing (NaN), never zero. Placeholder rows
    that are not company shares (NSE's "Dummy ..." entries with DUM ISINs) are left out.
    """
    constituents = constituents.loc[constituents[C.ISIN].str.startswith(COMPANY_ISIN_PREFIX)]
    day = shares[[C.ISIN, C.SYMBOL, C.SERIES, C.CLOSE, C.PREV_CLOSE, C.VOLUME]].rename(
        columns={C.SYMBOL: "_day_symbol", C.SERIES: "_day_series"}
    )
    members = constituents[[C.ISIN, C.NAME, C.INDUSTRY, C.SYMBOL]].merge(
        day, on=C.ISIN, how="left", validate="one_to_one"
    )
    members[TRADED] = members[C.VOLUME].fillna(0).gt(0)
    members[C.SYMBOL] = members["_day_symbol"].fillna(members[C.SYMBOL])
    members[C.SERIES] = members["_day_series"]
    ratio = members[C.CLOSE] / members[C.PREV_CLOSE]
    members[C.RETURN_PCT] = ((ratio - 1.0) * 100.0).where(members[TRADED])
    return members.drop(columns=["_day_symbol", "_day_series"])


def adjusted_prices(shares: pd.DataFrame, prior: pd.DataFrame,
                    exchange: str = "NSE") -> pd.DataFrame:
    """Return the shares whose previous close differs from the prior session's close.

    The exchange adjusts the previous close for corporate actions (splits, bonuses,
    rights); such a stock's return is real but not comparable with an unadjusted series,
    so the brief lists it and keeps it out of the movers. Columns: ISIN, symbol, the
    published previous close and the prior session's close.
    """
    before = company_shares(prior, exchange=exchange)[[C.ISIN, C.SERIES, C.CLOSE]].rename(
        columns={C.CLOSE: "prior_close"})
    both = shares[[C.ISIN, C.SYMBOL, C.SERIES, C.PREV_CLOSE]].merge(
        before, on=[C.ISIN, C.SERIES], how="inner")
    differs = (both[C.PREV_CLOSE] - both["prior_close"]).abs() > 0.005
    return both.loc[differs].sort_values(C.SYMBOL, kind="stable").reset_index(drop=True)
