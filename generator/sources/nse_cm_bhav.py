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
from generator.sources.text import (
    date_in_name,
    dates,
    decode_text,
    numbers,
    one_date,
    read_table,
    require_text,
)

HEADER = (
    "SYMBOL", "SERIES", "OPEN", "HIGH", "LOW", "CLOSE", "LAST", "PREVCLOSE", "TOTTRDQTY",
    "TOTTRDVAL", "TIMESTAMP", "TOTALTRADES", "ISIN", "",
)
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
    symbol = require_text(frame, "SYMBOL", path)
    out = pd.DataFrame(
        {
            C.TRADE_DATE: pd.Series(pd.Timestamp(day), index=frame.index),
            C.ISIN: require_text(frame, "ISIN", path),
            C.SYMBOL: symbol,
            C.SERIES: frame["SERIES"],
            C.NAME: symbol,
            C.INSTRUMENT: "STK",
            C.INSTRUMENT_ID: "",  # the layout has no instrument id
            C.OPEN: numbers(frame, "OPEN", path, positive=True),
            C.HIGH: numbers(frame, "HIGH", path, positive=True),
            C.LOW: numbers(frame, "LOW", path, positive=True),
            C.CLOSE: numbers(frame, "CLOSE", path, positive=True),
            C.LAST: numbers(frame, "LAST", path, positive=True),
            C.PREV_CLOSE: numbers(frame, "PREVCLOSE", path, positive=True),
            C.VOLUME: numbers(frame, "TOTTRDQTY", path, non_negative=True).astype("int64"),
            C.TURNOVER_INR: numbers(frame, "TOTTRDVAL", path, non_negative=True),
            C.TRADES: numbers(frame, "TOTALTRADES", path, non_negative=True).astype("int64"),
        }
    )
    return out.astype({C.ISIN: "string", C.SYMBOL: "string", C.SERIES: "string",
                       C.NAME: "string", C.INSTRUMENT: "string", C.INSTRUMENT_ID: "string"})
