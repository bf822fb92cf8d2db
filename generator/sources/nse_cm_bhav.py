"""NSE's equity bhavcopy before UDiFF (cmDDMONYYYYbhav.csv, inside a zip), up to 2024-07-05.

It has an ISIN column, so it feeds the same pipeline as the UDiFF file. Its header ends
with a comma (an empty last column), dates are DD-MON-YYYY with an upper-case month, and it
carries no company name (the symbol stands in).
"""

from __future__ import annotations

import re
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
    "SYMBOL", "SERIES", "OPEN", "HIGH", "LOW", "CLOSE", "LAST", "PREVCLOSE", "TOTTRDQTY",
    "TOTTRDVAL", "TIMESTAMP", "TOTALTRADES", "ISIN", "",
)
PRICES = {C.OPEN: "OPEN", C.HIGH: "HIGH", C.LOW: "LOW", C.CLOSE: "CLOSE", C.LAST: "LAST",
          C.PREV_CLOSE: "PREVCLOSE"}
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
NAME_PATTERN = re.compile(r"cm(\d{2}[A-Z]{3}\d{4})bhav\.csv", re.IGNORECASE)
# The first session published only in the UDiFF layout.
UDIFF_FROM = date(2024, 7, 8)


def file_name(day: date) -> str:
    """Return the exchange's file name for a trading day (inside the .zip)."""
    return f"cm{day:%d}{MONTHS[day.month - 1]}{day:%Y}bhav.csv"


def date_from_name(name: str) -> date | None:
    """Return the trade date a file name carries, or None."""
    return date_in_name(NAME_PATTERN, name, "%d%b%Y")


def parse(raw: bytes, path: str, expected_date: date | None = None) -> pd.DataFrame:
    """Parse the legacy bhavcopy into the columns the UDiFF parser gives."""
    frame = read_table(decode_text(raw, path), path, HEADER)
    stamps = frame["TIMESTAMP"].str.title()
    day = one_date(dates(frame.assign(TIMESTAMP=stamps), "TIMESTAMP", path, "%d-%b-%Y"),
                   "TIMESTAMP", path, expected_date)
    symbol = plausible.symbols(frame, "SYMBOL", path)
    out = pd.DataFrame(
        {
            C.TRADE_DATE: pd.Series(pd.Timestamp(day), index=frame.index),
            C.ISIN: require_text(frame, "ISIN", path),
            C.SYMBOL: symbol,
            C.SERIES: frame["SERIES"],
            C.NAME: symbol,
            C.INSTRUMENT: "STK",
            C.INSTRUMENT_ID: "",  # the layout has no instrument id
            **{name: plausible.prices(frame, field, path) for name, field in PRICES.items()},
            C.VOLUME: plausible.counts(frame, "TOTTRDQTY", path),
            C.TURNOVER_INR: plausible.amounts(frame, "TOTTRDVAL", path),
            C.TRADES: plausible.counts(frame, "TOTALTRADES", path),
        }
    )
    plausible.check_ranges(out, path, PRICES)
    return out.astype({C.ISIN: "string", C.SYMBOL: "string", C.SERIES: "string",
                       C.NAME: "string", C.INSTRUMENT: "string", C.INSTRUMENT_ID: "string"})
