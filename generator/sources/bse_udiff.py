"""BSE equity bhavcopy in the UDiFF layout (BhavCopy_BSE_CM_0_0_0_YYYYMMDD_F_0000.CSV).

Same 34 columns as NSE's; `FinInstrmId` is the BSE scrip code and `SctySrs` the BSE group
(A, B, T, X, XT, Z, ...). Files come with CRLF line endings.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from generator.sources import nse_udiff
from generator.sources.text import date_in_name

HEADER = nse_udiff.HEADER
NAME_PATTERN = re.compile(r"BhavCopy_BSE_CM_0_0_0_(\d{8})_F_0000\.csv", re.IGNORECASE)


def file_name(day: date) -> str:
    """Return the exchange's file name for a trading day."""
    return f"BhavCopy_BSE_CM_0_0_0_{day:%Y%m%d}_F_0000.CSV"


def date_from_name(name: str) -> date | None:
    """Return the trade date a file name carries, or None."""
    return date_in_name(NAME_PATTERN, name, "%Y%m%d")


def parse(raw: bytes, path: str, expected_date: date | None = None) -> pd.DataFrame:
    """Parse a BSE UDiFF bhavcopy into the same typed columns as NSE's."""
    return nse_udiff.parse(raw, path, expected_date, exchange="BSE")
