"""NSE board meetings calendar (the JSON of /api/corporate-board-meetings)."""

from __future__ import annotations

import re
from datetime import date, datetime

import pandas as pd

from generator import columns as C
from generator.errors import FormatError
from generator.sources import plausible
from generator.sources.text import date_in_name, read_json

NAME_PATTERN = re.compile(r"board_meetings_(\d{8})\.json", re.IGNORECASE)
_REQUIRED = ("bm_symbol", "bm_date", "bm_purpose", "sm_name", "sm_isin")
_RESULTS = re.compile(r"financial results|\bresults\b", re.IGNORECASE)


def file_name(day: date) -> str:
    """Return the store's file name for the calendar fetched on a trading day."""
    return f"board_meetings_{day:%Y%m%d}.json"


def date_from_name(name: str) -> date | None:
    """Return the fetch date a file name carries, or None."""
    return date_in_name(NAME_PATTERN, name, "%Y%m%d")


def parse(raw: bytes, path: str) -> pd.DataFrame:
    """Parse the board meetings list into one row per meeting, flagging results meetings."""
    items = read_json(raw, path)
    if not isinstance(items, list):
        raise FormatError(path, "expected a JSON list of meetings")
    records = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise FormatError(path, "a meeting is not a JSON object", row=number)
        for key in _REQUIRED:
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise FormatError(path, "the value is missing", row=number, field=key)
        plausible.check_symbol(item["bm_symbol"].strip(), path, number, "bm_symbol")
        try:
            when = datetime.strptime(item["bm_date"], "%d-%b-%Y").date()
        except ValueError:
            raise FormatError(path, f"{item['bm_date']!r} is not a date like 30-Oct-2023",
                              row=number, field="bm_date") from None
        records.append(
            {
                C.SYMBOL: item["bm_symbol"].strip(),
                C.ISIN: item["sm_isin"].strip(),
                C.NAME: item["sm_name"].strip(),
                C.MEETING_DATE: pd.Timestamp(when),
                C.PURPOSE: item["bm_purpose"].strip(),
            }
        )
    frame = pd.DataFrame.from_records(
        records, columns=[C.SYMBOL, C.ISIN, C.NAME, C.MEETING_DATE, C.PURPOSE]
    )
    frame[C.MEETING_DATE] = pd.to_datetime(frame[C.MEETING_DATE])
    frame["is_results"] = frame[C.PURPOSE].str.contains(_RESULTS).astype(bool)
    return frame.astype({C.SYMBOL: "string", C.ISIN: "string", C.NAME: "string",
                         C.PURPOSE: "string"})
