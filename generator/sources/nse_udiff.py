"""NSE equity bhavcopy in the UDiFF layout (BhavCopy_NSE_CM_0_0_0_YYYYMMDD_F_0000.csv)."""

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
    one_date,
    read_table,
    require_text,
)

HEADER = (
    "TradDt", "BizDt", "Sgmt", "Src", "FinInstrmTp", "FinInstrmId", "ISIN", "TckrSymb",
    "SctySrs", "XpryDt", "FininstrmActlXpryDt", "StrkPric", "OptnTp", "FinInstrmNm",
    "OpnPric", "HghPric", "LwPric", "ClsPric", "LastPric", "PrvsClsgPric", "UndrlygPric",
    "SttlmPric", "OpnIntrst", "ChngInOpnIntrst", "TtlTradgVol", "TtlTrfVal",
    "TtlNbOfTxsExctd", "SsnId", "NewBrdLotQty", "Rmks", "Rsvd1", "Rsvd2", "Rsvd3", "Rsvd4",
)
PRICES = {C.OPEN: "OpnPric", C.HIGH: "HghPric", C.LOW: "LwPric", C.CLOSE: "ClsPric",
          C.LAST: "LastPric", C.PREV_CLOSE: "PrvsClsgPric"}
NAME_PATTERN = re.compile(r"BhavCopy_NSE_CM_0_0_0_(\d{8})_F_0000\.csv", re.IGNORECASE)


def file_name(day: date) -> str:
    """Return the exchange's file name for a trading day."""
    return f"BhavCopy_NSE_CM_0_0_0_{day:%Y%m%d}_F_0000.csv"


def date_from_name(name: str) -> date | None:
    """Return the trade date a file name carries, or None if it is not a UDiFF name."""
    return date_in_name(NAME_PATTERN, name, "%Y%m%d")


def parse(
    raw: bytes, path: str, expected_date: date | None = None, exchange: str = "NSE"
) -> pd.DataFrame:
    """Parse a UDiFF bhavcopy into one typed row per instrument and series.

    NSE and BSE share the 34 columns; the `Src` column says whose file it is, and a file
    of the other exchange is rejected.
    """
    frame = read_table(decode_text(raw, path), path, HEADER)
    other = frame["Src"] != exchange
    if other.any():
        row = int(other.to_numpy().nonzero()[0][0]) + 2
        raise FormatError(path, f"Src is {frame['Src'].iloc[row - 2]!r}, not {exchange!r}: "
                          "this is another exchange's bhavcopy", row=row, field="Src")
    trade = dates(frame, "TradDt", path, "%Y-%m-%d")
    day = one_date(trade, "TradDt", path, expected_date)
    out = pd.DataFrame(
        {
            C.TRADE_DATE: pd.Series(pd.Timestamp(day), index=frame.index),
            C.ISIN: require_text(frame, "ISIN", path),
            C.SYMBOL: plausible.symbols(frame, "TckrSymb", path),
            C.SERIES: frame["SctySrs"],
            C.NAME: frame["FinInstrmNm"],
            C.INSTRUMENT: frame["FinInstrmTp"],
            C.INSTRUMENT_ID: frame["FinInstrmId"],
            **{name: plausible.prices(frame, field, path) for name, field in PRICES.items()},
            C.VOLUME: plausible.counts(frame, "TtlTradgVol", path),
            C.TURNOVER_INR: plausible.amounts(frame, "TtlTrfVal", path),
            C.TRADES: plausible.counts(frame, "TtlNbOfTxsExctd", path),
        }
    )
    plausible.check_ranges(out, path, PRICES)
    repeated = out.duplicated([C.ISIN, C.SERIES])
    if repeated.any():
        row = int(repeated.to_numpy().nonzero()[0][0]) + 2
        raise FormatError(path, f"ISIN {out[C.ISIN].iloc[row - 2]} in series "
                          f"{out[C.SERIES].iloc[row - 2]!r} appears twice", row=row, field="ISIN")
    return out.astype({C.ISIN: "string", C.SYMBOL: "string", C.SERIES: "string",
                       C.NAME: "string", C.INSTRUMENT: "string", C.INSTRUMENT_ID: "string"})
