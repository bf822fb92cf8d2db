"""BSE's equity bhavcopy before UDiFF (EQDDMMYY.CSV inside EQDDMMYY_CSV.ZIP).

The layout has no ISIN and no date column: rows are keyed by BSE scrip code, the trade
date is the file name's, and names and groups are right-padded with spaces. Without ISINs
(BSE published them in a separate EQ_ISINCODE_DDMMYY file) its rows cannot be matched to
segment lists, so the folder import reads and checks it but does not store it.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from generator import columns as C
from generator.sources import plausible
from generator.sources.text import date_in_name, decode_text, read_table, require_text

HEADER = (
    "SC_CODE", "SC_NAME", "SC_GROUP", "SC_TYPE", "OPEN", "HIGH", "LOW", "CLOSE", "LAST",
    "PREVCLOSE", "NO_TRADES", "NO_OF_SHRS", "NET_TURNOV", "TDCLOINDI",
)
PRICES = {C.OPEN: "OPEN", C.HIGH: "HIGH", C.LOW: "LOW", C.CLOSE: "CLOSE", C.LAST: "LAST"}
NAME_PATTERN = re.compile(r"EQ(\d{6})\.csv", re.IGNORECASE)


def date_from_name(name: str) -> date | None:
    """Return the trade date a file name (EQDDMMYY.CSV) carries, or None."""
    return date_in_name(NAME_PATTERN, name, "%d%m%y")


def parse(raw: bytes, path: str, day: date) -> pd.DataFrame:
    """Parse the file into the equity columns (ISIN empty; the date is the file name's)."""
    frame = read_table(decode_text(raw, path), path, HEADER)
    out = pd.DataFrame(
        {
            C.TRADE_DATE: pd.Series(pd.Timestamp(day), index=frame.index),
            C.ISIN: "",
            C.INSTRUMENT_ID: require_text(frame, "SC_CODE", path),
            C.NAME: require_text(frame, "SC_NAME", path),
            C.SERIES: require_text(frame, "SC_GROUP", path),
            C.INSTRUMENT: frame["SC_TYPE"],
            **{name: plausible.prices(frame, field, path) for name, field in PRICES.items()},
            # 0.00 on a first day of trading (new debt issues): no previous close.
            C.PREV_CLOSE: plausible.prices(
                frame, "PREVCLOSE", path, zero_ok=pd.Series(True, index=frame.index)
            ).replace(0.0, float("nan")),
            C.VOLUME: plausible.counts(frame, "NO_OF_SHRS", path),
            C.TURNOVER_INR: plausible.amounts(frame, "NET_TURNOV", path),
            C.TRADES: plausible.counts(frame, "NO_TRADES", path),
        }
    )
    plausible.check_ranges(out, path, PRICES)
    return out.astype({C.ISIN: "string", C.INSTRUMENT_ID: "string", C.NAME: "string",
                       C.SERIES: "string", C.INSTRUMENT: "string"})
