"""BSE index history (the CSV of /BseIndiaAPI/api/ProduceCSVForDate/w), one file per index.

The request names the index by BSE's short code (`strIndex=SENSEX`) and a date range
(`dtFromDate=DD/MM/YYYY&dtToDate=DD/MM/YYYY`); it needs `Referer: https://www.bseindia.com/`.
The store keeps one day's answer per file, `bse_index_<CODE>_DDMMYYYY.csv`.

Layout, as seen in public copies of the raw answer (no sample sits in ../shared/real-data):

* Header `Date,Open,High,Low,Close` (five names, no BOM seen) and data rows ending in a
  comma, so each row has a sixth, empty field: `1-January-2005,6626.49,6684.77,6626.49,
  6679.20,` in mebinmathewlab/files_for_testing, Aniket2002/NASSCOM, yash3004/stock_prediction,
  ViVas970811/Advanced_data_science_capstone and BhupeshChouhan/openai-quickstart-python
  (rows to 16-November-2023), all named `CSVForDate.csv`, BSE's download name. A loader that
  read such a file with pandas' `index_col=0` had to rename its `Date` column to `Close`
  (the shift a short header causes).
* Dates `%d-%B-%Y` with the day not zero-padded (`3-January-2005`); the parser of
  hanishkvc/prgs-fin-finfoolserrandkvc `indexes.py` reads them with `%d-%B-%Y` and checks
  that the first line starts `Date,Open,High`. Values carry two decimals. Before 1993 some
  rows have no open, high or low (`1-January-1992,,,,1957.33,`); the close is always there.
* Copies re-saved by a spreadsheet differ: `03-Jan-22` (two-digit year), trailing zeros
  dropped, and no trailing comma or a computed sixth column (kky-ykk/Expiry-Date-Determiner,
  Abhigyan-singh2001/Stock-Market-Prediction-Using-Numerical-and-Textual-Analysis,
  ImAprat18/Sentiment_Analysis_Mutual_Funds). This parser takes three-letter months and a
  header with trailing empty names, but rejects two-digit years and a filled sixth column.
* Codes seen in public code: SENSEX (many), BSE500 (a BSE 500 benchmark service and its
  notes), BSE100 and BSEMID (a download report that found them working), BSE200, BSESML,
  SI1000, SIBANK and INFRA (a code list also used with BSE's IndexArchDaily API). No code for
  SmallCap or LargeCap (BSESMLCAP, LRGCAP) was found; take codes from the network requests of
  bseindia.com/indices/IndexArchiveData.html.
* The file does not name its index, and that report found names it guessed wrongly answered
  with Sensex's data, so the code-to-name mapping given to `parse` is the only identity check.
  BSE answers a day without a session with HTTP 200 and an HTML page (a project that probed
  holidays and Saturdays saw the same 14,287-byte page), which `parse` rejects.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime

import pandas as pd

from generator import columns as C
from generator.errors import ConfigError, FormatError
from generator.sources import plausible
from generator.sources.text import decode_text, one_date

BASE = "https://api.bseindia.com"
HEADER = ("Date", "Open", "High", "Low", "Close")
DATE_FORMATS = ("%d-%B-%Y", "%d-%b-%Y")
NAME_PATTERN = re.compile(r"bse_index_([A-Z0-9]+)_(\d{8})\.csv")
_CODE = re.compile(r"[A-Z0-9]+")


def _checked(code: str) -> str:
    """Return an index code usable in a URL and a file name, or raise ConfigError."""
    if not _CODE.fullmatch(code):
        raise ConfigError(f"BSE index code {code!r} is not letters and digits; use the "
                          "strIndex code as BSE spells it, e.g. SENSEX or BSE500")
    return code


def url(code: str, start: date, end: date, base: str = BASE) -> str:
    """Return the address of an index's history from `start` to `end`, both included."""
    return (f"{base}/BseIndiaAPI/api/ProduceCSVForDate/w?strIndex={_checked(code)}"
            f"&dtFromDate={start:%d/%m/%Y}&dtToDate={end:%d/%m/%Y}")


def file_name(code: str, day: date) -> str:
    """Return the store's name for one index's history of one trading day."""
    return f"bse_index_{_checked(code)}_{day:%d%m%Y}.csv"


def from_name(name: str) -> tuple[str, date] | None:
    """Return the index code and date a file name carries, or None."""
    match = NAME_PATTERN.fullmatch(name)
    if match is None:
        return None
    try:
        day = datetime.strptime(match.group(2), "%d%m%Y").date()
    except ValueError:
        return None
    return match.group(1), day


def _rows(text: str, path: str) -> pd.DataFrame:
    """Return the body as stripped strings under HEADER, each row holding five fields."""
    rows = list(csv.reader(io.StringIO(text)))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    found = [cell.strip() for cell in rows[0]] if rows else []
    while found and not found[-1]:
        found.pop()
    if found != list(HEADER):
        missing = [name for name in HEADER if name not in found]
        extra = [name for name in found if name not in HEADER]
        field = missing[0] if missing else extra[0] if extra else None
        problem = (f"column {field!r} is missing from the header" if missing
                   else f"the header is {','.join(found)!r}, not {','.join(HEADER)!r}")
        raise FormatError(path, problem, row=1, field=field,
                          hint="this is not BSE's index history layout")
    if len(rows) < 2:
        raise FormatError(path, "the file has a header but no data rows", row=2,
                          hint="BSE published no value for these dates; fetch it again later")
    body = []
    for number, row in enumerate(rows[1:], start=2):
        cells = [cell.strip() for cell in row]
        if len(cells) < len(HEADER):
            raise FormatError(path, f"expected {len(HEADER)} fields, found {len(cells)}",
                              row=number, hint="the file is truncated; fetch it again")
        if any(cells[len(HEADER):]):
            extra_cell = next(cell for cell in cells[len(HEADER):] if cell)
            raise FormatError(path, f"unexpected value {extra_cell!r} after the Close column",
                              row=number, hint="the columns are shifted or the file was edited")
        body.append(cells[: len(HEADER)])
    return pd.DataFrame(body, columns=list(HEADER), dtype=str)


def _date(value: str) -> date | None:
    """Return a date written like 3-January-2005 or 3-Jan-2005, or None."""
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _dates(frame: pd.DataFrame, path: str) -> pd.Series:
    """Return the Date column parsed, refusing bad and repeated dates."""
    rows: dict[date, int] = {}
    for number, value in enumerate(frame["Date"], start=2):
        day = _date(value)
        if day is None:
            raise FormatError(path, f"{value!r} is not a date like 3-January-2005", row=number,
                              field="Date")
        if day in rows:
            raise FormatError(path, f"date {day} appears twice (first in row {rows[day]})",
                              row=number, field="Date")
        rows[day] = number
    return pd.Series(list(rows), index=frame.index)


def parse(raw: bytes, path: str, index_name: str,
          expected_date: date | None = None) -> pd.DataFrame:
    """Parse an index history into one typed row per date, in date order.

    Columns match nse_indices.parse; points and percent change are NaN (the file lacks
    them). With `expected_date`, the file must hold that one date only.
    """
    frame = _rows(decode_text(raw, path), path)
    days = _dates(frame, path)
    if expected_date is not None:
        one_date(days, "Date", path, expected_date)
    nothing = pd.Series(float("nan"), index=frame.index, dtype="float64")
    out = pd.DataFrame(
        {
            C.TRADE_DATE: days.map(pd.Timestamp),
            C.INDEX_NAME: pd.Series(index_name, index=frame.index, dtype="string"),
            C.OPEN: plausible.prices(frame, "Open", path, missing=""),
            C.HIGH: plausible.prices(frame, "High", path, missing=""),
            C.LOW: plausible.prices(frame, "Low", path, missing=""),
            C.CLOSE: plausible.prices(frame, "Close", path),
            C.POINTS_CHANGE: nothing,
            C.CHANGE_PCT: nothing.copy(),
        }
    )
    plausible.check_ranges(out, path, {C.OPEN: "Open", C.HIGH: "High", C.LOW: "Low",
                                       C.CLOSE: "Close"}, index=True)
    return out.sort_values(C.TRADE_DATE, kind="stable").reset_index(drop=True)
