"""NSE "full bhavcopy with delivery" (sec_bhavdata_full_DDMMYYYY.csv), the pre-UDiFF layout.

It has no ISIN column: rows are keyed by symbol and series. Every name and value carries a
leading space, dates are DD-Mon-YYYY, turnover is in lakhs and delivery fields may be "-".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

import pandas as pd

from generator import columns as C
from generator.sources import plausible
from generator.sources.text import (
    date_in_name,
    dates,
    decode_text,
    one_date,
    read_table,
    require_text,
)

HEADER = (
    "SYMBOL", "SERIES", "DATE1", "PREV_CLOSE", "OPEN_PRICE", "HIGH_PRICE", "LOW_PRICE",
    "LAST_PRICE", "CLOSE_PRICE", "AVG_PRICE", "TTL_TRD_QNTY", "TURNOVER_LACS", "NO_OF_TRADES",
    "DELIV_QTY", "DELIV_PER",
)
PRICES = {C.OPEN: "OPEN_PRICE", C.HIGH: "HIGH_PRICE", C.LOW: "LOW_PRICE",
          C.CLOSE: "CLOSE_PRICE", C.LAST: "LAST_PRICE", C.PREV_CLOSE: "PREV_CLOSE"}
NAME_PATTERN = re.compile(r"sec_bhavdata_full_(\d{8})\.csv", re.IGNORECASE)
LAKH = 100_000


def file_name(day: date) -> str:
    """Return the exchange's file name for a trading day."""
    return f"sec_bhavdata_full_{day:%d%m%Y}.csv"


def date_from_name(name: str) -> date | None:
    """Return the trade date a file name carries, or None."""
    return date_in_name(NAME_PATTERN, name, "%d%m%Y")


def parse(raw: bytes, path: str, expected_date: date | None = None) -> pd.DataFrame:
    """Parse the file into the equity columns the UDiFF parser gives (without ISIN)."""
    frame = read_table(decode_text(raw, path), path, HEADER)
    day = one_date(dates(frame, "DATE1", path, "%d-%b-%Y"), "DATE1", path, expected_date)
    out = pd.DataFrame(
        {
            C.TRADE_DATE: pd.Series(pd.Timestamp(day), index=frame.index),
            C.SYMBOL: plausible.symbols(frame, "SYMBOL", path),
            C.SERIES: require_text(frame, "SERIES", path),
            **{name: plausible.prices(frame, field, path) for name, field in PRICES.items()},
            C.VOLUME: plausible.counts(frame, "TTL_TRD_QNTY", path),
            C.TURNOVER_INR: plausible.amounts(frame, "TURNOVER_LACS", path) * LAKH,
            C.TRADES: plausible.counts(frame, "NO_OF_TRADES", path),
        }
    )
    plausible.check_ranges(out, path, PRICES)
    return out.astype({C.SYMBOL: "string", C.SERIES: "string"})


def attach_isins(rows: pd.DataFrame, lists: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Return the rows with an ISIN column taken from lists that pair symbols with ISINs.

    The file has no ISIN; a symbol found in a constituent or AMFI list gets that list's
    ISIN, any other row an empty ISIN (so it never counts as a company share). A symbol that
    two lists pair with different ISINs is left unmatched rather than guessed.
    """
    pairs = pd.concat(
        [frame[[C.SYMBOL, C.ISIN]] for frame in lists], ignore_index=True
    ).drop_duplicates()
    pairs = pairs.loc[pairs[C.SYMBOL].astype(str) != ""]
    unique = pairs.loc[~pairs[C.SYMBOL].duplicated(keep=False)]
    isins = unique.set_index(C.SYMBOL)[C.ISIN]
    out = rows.copy()
    out[C.ISIN] = out[C.SYMBOL].map(isins).fillna("").astype("string")
    return out
