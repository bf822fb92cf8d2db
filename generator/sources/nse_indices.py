"""NSE daily index closes (ind_close_all_DDMMYYYY.csv)."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from generator import columns as C
from generator.errors import FormatError
from generator.sources import plausible
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
    "Index Name", "Index Date", "Open Index Value", "High Index Value", "Low Index Value",
    "Closing Index Value", "Points Change", "Change(%)", "Volume", "Turnover (Rs. Cr.)",
    "P/E", "P/B", "Div Yield",
)
RANGE_FIELDS = {C.OPEN: "Open Index Value", C.HIGH: "High Index Value",
                C.LOW: "Low Index Value", C.CLOSE: "Closing Index Value"}
# An index of dividends paid since the financial year began: it closes at 0.0 on its first day.
DIVIDEND_POINTS = "Dividend Points"
NAME_PATTERN = re.compile(r"ind_close_all_(\d{8})\.csv", re.IGNORECASE)


def file_name(day: date) -> str:
    """Return the exchange's file name for a trading day."""
    return f"ind_close_all_{day:%d%m%Y}.csv"


def date_from_name(name: str) -> date | None:
    """Return the date a file name carries, or None if it is not an index close file."""
    return date_in_name(NAME_PATTERN, name, "%d%m%Y")


def parse(raw: bytes, path: str, expected_date: date | None = None) -> pd.DataFrame:
    """Parse the index close file into one typed row per index ("-" becomes NaN)."""
    frame = read_table(decode_text(raw, path), path, HEADER)
    day = one_date(dates(frame, "Index Date", path, "%d-%m-%Y"), "Index Date", path,
                   expected_date)
    names = require_text(frame, "Index Name", path)
    duplicated = names.str.casefold().duplicated()
    if duplicated.any():
        row = int(duplicated.to_numpy().nonzero()[0][0]) + 2
        raise FormatError(path, f"index {names.iloc[row - 2]!r} appears twice", row=row,
                          field="Index Name")
    dividend_points = names.str.contains(DIVIDEND_POINTS, case=False, regex=False)
    out = pd.DataFrame(
        {
            C.TRADE_DATE: pd.Series(pd.Timestamp(day), index=frame.index),
            C.INDEX_NAME: names.astype("string"),
            C.OPEN: plausible.prices(frame, "Open Index Value", path, missing="-"),
            C.HIGH: plausible.prices(frame, "High Index Value", path, missing="-"),
            C.LOW: plausible.prices(frame, "Low Index Value", path, missing="-"),
            C.CLOSE: plausible.prices(frame, "Closing Index Value", path,
                                      zero_ok=dividend_points),
            C.POINTS_CHANGE: numbers(frame, "Points Change", path, missing="-"),
            C.CHANGE_PCT: numbers(frame, "Change(%)", path, missing="-"),
        }
    )
    plausible.check_ranges(out, path, RANGE_FIELDS, index=True)
    return out
