"""BSE results calendar (the JSON of /BseIndiaAPI/api/Corpforthresults/w).

A list of meetings, each `{"scrip_Code": "521070", "short_name": "ALOKTEXT", "Long_Name":
"ALOK INDUSTRIES LTD.", "meeting_date": "23 Oct 2023", "URL": "https://www.bseindia.com/..."}`
(the sample kept by BennyThadikaran/BseIndiaApi, copied to ../shared/real-data). Every entry
is a results meeting; it names no ISIN, so the scrip code is matched to one through the BSE
bhavcopy, whose `FinInstrmId` is the scrip code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import pandas as pd

from generator import columns as C
from generator.errors import FormatError
from generator.sources.text import date_in_name, read_json

NAME_PATTERN = re.compile(r"bse_results_(\d{8})\.json", re.IGNORECASE)
PURPOSE = "Financial Results"
DATE_FORMATS = ("%d %b %Y", "%d %B %Y")
_REQUIRED = ("scrip_Code", "short_name", "Long_Name", "meeting_date")
_COLUMNS = [C.SYMBOL, C.ISIN, C.NAME, C.MEETING_DATE, C.PURPOSE]


def file_name(day: date) -> str:
    """Return the store's file name for the calendar fetched on a trading day."""
    return f"bse_results_{day:%Y%m%d}.json"


def date_from_name(name: str) -> date | None:
    """Return the fetch date a file name carries, or None."""
    return date_in_name(NAME_PATTERN, name, "%Y%m%d")


def scrip_isins(bhavcopy: pd.DataFrame) -> dict[str, str]:
    """Map the scrip codes of a parsed BSE bhavcopy to their ISINs.

    A code listed with two different ISINs is left out, so its meetings read as unmatched.
    """
    if C.INSTRUMENT_ID not in bhavcopy.columns:
        raise ValueError(f"the bhavcopy has no {C.INSTRUMENT_ID!r} column (FinInstrmId); "
                         "pass the frame bse_udiff.parse returns")
    pairs = pd.DataFrame({"code": bhavcopy[C.INSTRUMENT_ID].astype("string").str.strip(),
                          "isin": bhavcopy[C.ISIN].astype("string").str.strip()})
    pairs = pairs.loc[pairs["code"].fillna("").ne("") & pairs["isin"].fillna("").ne("")]
    pairs = pairs.drop_duplicates()
    pairs = pairs.loc[~pairs["code"].duplicated(keep=False)]
    return {str(code): str(isin) for code, isin in zip(pairs["code"], pairs["isin"],
                                                        strict=True)}


def _items(raw: bytes, path: str) -> list[Any]:
    """Return the decoded JSON list of meetings."""
    items = read_json(raw, path)
    if not isinstance(items, list):
        raise FormatError(path, f"expected a JSON list of meetings, found {type(items).__name__}",
                          hint="BSE answered with something else (an error or a web page)")
    return items


def _text(item: dict[str, Any], key: str, number: int, path: str) -> str:
    """Return a required text value of a meeting, stripped."""
    value = item.get(key)
    if value is None:
        raise FormatError(path, "the value is missing", row=number, field=key)
    if not isinstance(value, str):
        raise FormatError(path, f"expected text, found {value!r}", row=number, field=key)
    if not value.strip():
        raise FormatError(path, "the value is blank", row=number, field=key)
    return value.strip()


def _meeting_date(value: str, number: int, path: str) -> date:
    """Return a meeting date written like 23 Oct 2023."""
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise FormatError(path, f"{value!r} is not a date like 23 Oct 2023", row=number,
                      field="meeting_date")


def parse(raw: bytes, path: str, scrip_isins: Mapping[str, str]) -> pd.DataFrame:
    """Parse the results calendar into nse_board_meetings.parse's columns, one row a meeting.

    The ISIN comes from `scrip_isins` (scrip code to ISIN); it is "" for a code not in it.
    """
    records = []
    for number, item in enumerate(_items(raw, path), start=1):
        if not isinstance(item, dict):
            raise FormatError(path, "a meeting is not a JSON object", row=number)
        values = {key: _text(item, key, number, path) for key in _REQUIRED}
        records.append(
            {
                C.SYMBOL: values["short_name"],
                C.ISIN: scrip_isins.get(values["scrip_Code"], ""),
                C.NAME: values["Long_Name"],
                C.MEETING_DATE: pd.Timestamp(_meeting_date(values["meeting_date"], number,
                                                           path)),
                C.PURPOSE: PURPOSE,
            }
        )
    frame = pd.DataFrame.from_records(records, columns=_COLUMNS)
    frame[C.MEETING_DATE] = pd.to_datetime(frame[C.MEETING_DATE])
    frame["is_results"] = pd.Series(True, index=frame.index, dtype=bool)
    return frame.astype({C.SYMBOL: "string", C.ISIN: "string", C.NAME: "string",
                         C.PURPOSE: "string"})
