"""AMFI's half-yearly list of listed companies ranked by average market capitalisation.

SEBI's circular of 6 Oct 2017 on the categorisation of mutual fund schemes defines the
market-cap segments by rank in this list: 1-100 Large Cap, 101-250 Mid Cap, 251 onwards
Small Cap. AMFI ranks every listed company by its full market capitalisation averaged over the
six months ended 30 Jun or 31 Dec and publishes the list early the next month (Jan, Jul).

Where it is (seen in public code and news pages; not fetched from here):
- listed on https://www.amfiindia.com/otherdata/categorisation-of-stocks (earlier
  /research-information/other-data/categorization-of-stocks);
- named AverageMarketCapitalization<DD><Mon><YYYY>.xlsx, e.g. .../AverageMarketCapitalization
  31Dec2025.xlsx under https://www.amfiindia.com/Themes/Theme1/downloads/ and
  AverageMarketCapitalization30Jun2026.xlsx under https://portal.amfiindia.com/spages/.
  The host and folder move between periods and older names differ (...sixmonthsended
  31Dec2022.xlsx; /uploads/Average_Market_Capitalization_30_Jun2024_<hash>.xlsx), so a
  fetcher takes the link from the listing page; file_name() is the name the store keeps.

Layout (sheet "FINAL" in the 30 Jun 2026 list): row 1 a title ("Average Market
Capitalization of listed companies during the six months ended 30 June 2026"), row 2 the
header, then one row per company in rank order (about 5,000-5,400), sometimes footnotes
("*NA - ISIN not available" in the 31 Dec 2018 list). Header cells: "Sr. No.", "Company name",
"ISIN", "BSE Symbol", "BSE 6 month Avg Total Market Cap in (Rs. Crs.)", "NSE Symbol",
"NSE 6 month Avg Total Market Cap (Rs. Crs.)", "MSEI Symbol", "MSEI 6 month Avg Total Market
Cap in (Rs Crs.)", "Average of All Exchanges (Rs. Cr.)", "Categorization as per SEBI Circular
dated Oct 6, 2017". Variants: "MSE Symbol" in 2018 H1-2019 H1 and 2021 H1; punctuation of the
market-cap headers drifts; from 2025 H2 "-" marks a company not listed on an exchange where
earlier lists leave the cell empty. The all-exchange figure is the mean of the exchanges that
quote the company; in 2021 H1 four adjacent ranks are out of market-cap order, so the rank,
not the figure, decides the segment.

So parse() finds the header row by its cells (case, spacing, line breaks and punctuation
ignored; the market-cap and category headers by their opening words), reads only the columns
it needs, and checks the categories against SEBI's bands. Lists with "NA" ISINs (2018) fail.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import astuple, dataclass
from datetime import date

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from generator import columns as C
from generator.errors import FormatError
from generator.sources import bounded, plausible
from generator.sources.text import refuse_empty_or_web_page

RANK = "rank"
BSE_SYMBOL = "bse_symbol"
AVG_MCAP_CR = "avg_mcap_cr"
CATEGORY = "category"

LARGE_CAP = "Large Cap"
MID_CAP = "Mid Cap"
SMALL_CAP = "Small Cap"
BANDS: dict[str, tuple[int, int | None]] = {
    LARGE_CAP: (1, 100),
    MID_CAP: (101, 250),
    SMALL_CAP: (251, None),
}

NAME_PATTERN = re.compile(r"AverageMarketCapitalization(30Jun|31Dec)(\d{4})\.xlsx", re.IGNORECASE)
HEADER_SEARCH_ROWS = 30
ISIN_LENGTH = 12

_PERIOD_ENDS = {"30jun": (6, 30), "31dec": (12, 31)}
_MONTHS = {6: "Jun", 12: "Dec"}
_CATEGORIES = {"largecap": LARGE_CAP, "midcap": MID_CAP, "smallcap": SMALL_CAP}
_NOT_LISTED = "-"
_OUTPUT = {RANK: "int64", C.NAME: "string", C.ISIN: "string", BSE_SYMBOL: "string",
           C.SYMBOL: "string", AVG_MCAP_CR: "float64", CATEGORY: "string"}  # _Company's order
_ZIP_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NOT_THE_LIST = "this is not AMFI's average market capitalisation list, or its layout changed"


@dataclass(frozen=True)
class _Column:
    """A header cell the parser needs: AMFI's wording and the key it is matched by."""

    label: str
    key: str
    prefix: bool = False

    def matches(self, cell_key: str) -> bool:
        """Return whether a reduced header cell is this column."""
        return cell_key.startswith(self.key) if self.prefix else cell_key == self.key


_SR_NO = _Column("Sr. No.", "sr no")
_COMPANY = _Column("Company name", "company name")
_ISIN = _Column("ISIN", "isin")
_BSE = _Column("BSE Symbol", "bse symbol")
_NSE = _Column("NSE Symbol", "nse symbol")
_AVERAGE = _Column("Average of All Exchanges (Rs. Cr.)", "average of all exchanges", prefix=True)
_CATEGORY = _Column("Categorization as per SEBI Circular dated Oct 6, 2017", "categori",
                    prefix=True)
_COLUMNS = (_SR_NO, _COMPANY, _ISIN, _BSE, _NSE, _AVERAGE, _CATEGORY)
_Fail = Callable[[_Column, str], FormatError]  # builds the error for a column of one row


@dataclass
class _Table:
    """Where the company rows start, which cell holds each column, and the rows below."""

    header_row: int
    index: dict[_Column, int]
    field: dict[_Column, str]
    rows: Iterator[tuple[object, ...]]


@dataclass(frozen=True)
class _Company:
    """One company row, checked."""

    rank: int
    name: str
    isin: str
    bse_symbol: str
    symbol: str
    avg_mcap_cr: float
    category: str


def file_name(period_end: date) -> str:
    """Return the list's file name for the half-year ending on period_end (30 Jun or 31 Dec)."""
    if (period_end.month, period_end.day) not in _PERIOD_ENDS.values():
        raise ValueError(f"{period_end} is not a half-year end (30 Jun or 31 Dec)")
    month = _MONTHS[period_end.month]
    return f"AverageMarketCapitalization{period_end.day}{month}{period_end.year}.xlsx"


def period_from_name(name: str) -> date | None:
    """Return the half-year end a file name carries, or None."""
    match = NAME_PATTERN.fullmatch(name)
    if not match:
        return None
    month, day = _PERIOD_ENDS[match.group(1).lower()]
    try:
        return date(int(match.group(2)), month, day)
    except ValueError:  # year 0
        return None


def period_ends_before(day: date) -> list[date]:
    """Return the two latest half-year ends (30 Jun, 31 Dec) strictly before day, newest first."""
    ends = [date(year, month, end) for year in (day.year, day.year - 1)
            for month, end in ((12, 31), (6, 30))]
    return [end for end in ends if end < day][:2]


def category_for_rank(rank: int) -> str:
    """Return SEBI's segment for a rank: 1-100 Large Cap, 101-250 Mid Cap, 251 on Small Cap."""
    for category, (first, last) in BANDS.items():
        if rank >= first and (last is None or rank <= last):
            return category
    raise ValueError(f"rank {rank} is not a positive rank")


def members(table: pd.DataFrame, first_rank: int, last_rank: int | None = None) -> pd.DataFrame:
    """Return the companies ranked first_rank..last_rank (None: to the end) as a constituent list.

    The columns are those of nse_constituents.parse, so a band of the list can stand in for an
    index's constituents: industry is empty, series is EQ, and the symbol is the NSE symbol
    (empty for a company listed only on BSE).
    """
    if first_rank < 1 or (last_rank is not None and last_rank < first_rank):
        raise ValueError(f"ranks {first_rank}..{last_rank} are not a range of positive ranks")
    keep = table[RANK].ge(first_rank)
    if last_rank is not None:
        keep &= table[RANK].le(last_rank)
    chosen = table.loc[keep]
    out = pd.DataFrame(
        {
            C.NAME: chosen[C.NAME],
            C.INDUSTRY: "",
            C.SYMBOL: chosen[C.SYMBOL],
            C.SERIES: "EQ",
            C.ISIN: chosen[C.ISIN],
        }
    )
    return out.astype("string").reset_index(drop=True)


def parse(raw: bytes, path: str) -> pd.DataFrame:
    """Parse the list into one row per company in rank order, with its checked SEBI category."""
    _refuse_non_workbook(raw, path)
    workbook = _open(raw, path)
    try:
        companies = _read_companies(_find_table(workbook, path), path)
    finally:
        workbook.close()
    frame = pd.DataFrame([astuple(c) for c in companies], columns=list(_OUTPUT))
    return frame.astype(_OUTPUT)


def _refuse_non_workbook(raw: bytes, path: str) -> None:
    """Refuse empty files, HTML pages, old .xls workbooks and anything that is not a zip."""
    refuse_empty_or_web_page(
        raw, path, "AMFI's workbook",
        hint="AMFI served a web page (moved, not published yet, or blocked); fetch it again")
    if raw.startswith(_XLS_MAGIC):
        raise FormatError(path, "the file is an old .xls workbook, not .xlsx",
                          hint="fetch the .xlsx list from AMFI's listing page")
    if not raw.startswith(_ZIP_MAGIC):
        raise FormatError(path, "the file is not an xlsx workbook (it is not a zip archive)",
                          hint="fetch the file again")
    bounded.check_members(raw, path, "the file is not a readable xlsx workbook (not a valid zip)")


def _open(raw: bytes, path: str) -> Workbook:
    """Open the workbook read-only, with formulas as their saved values."""
    try:
        return load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise FormatError(path, f"the file is not a readable xlsx workbook ({exc})",
                          hint="the download is damaged or not the list; fetch it again") from None


def _find_table(workbook: Workbook, path: str) -> _Table:
    """Find the header row in the first rows of any sheet; name what is missing when none fits."""
    closest: tuple[int, int, list[_Column]] | None = None  # (matched, row, missing)
    for sheet in workbook.worksheets:
        if not isinstance(sheet, ReadOnlyWorksheet):
            continue
        sheet.reset_dimensions()  # the stored sheet size can be wrong; read every row
        rows = sheet.iter_rows(values_only=True)
        for number, row in enumerate(rows, start=1):
            if number > HEADER_SEARCH_ROWS:
                break
            index, field = _match_header(row)
            if len(index) == len(_COLUMNS):
                return _Table(number, index, field, rows)
            if len(index) >= 2 and (closest is None or len(index) > closest[0]):
                closest = (len(index), number, [c for c in _COLUMNS if c not in index])
    expected = ", ".join(repr(c.label) for c in _COLUMNS)
    if closest is not None:
        _, number, missing = closest
        raise FormatError(
            path, f"the header row lacks the column {missing[0].label!r} (expected {expected})",
            row=number, field=missing[0].label, hint=_NOT_THE_LIST,
        )
    raise FormatError(
        path, f"no header row with the columns {expected} in the first {HEADER_SEARCH_ROWS} rows",
        hint=_NOT_THE_LIST,
    )


def _match_header(row: tuple[object, ...]) -> tuple[dict[_Column, int], dict[_Column, str]]:
    """Return, for each needed column found in a row, its cell index and its text."""
    index: dict[_Column, int] = {}
    field: dict[_Column, str] = {}
    for position, cell in enumerate(row):
        if not isinstance(cell, str):
            continue
        key = " ".join(re.findall(r"[a-z0-9]+", cell.lower()))
        for column in _COLUMNS:
            if column not in index and column.matches(key):
                index[column] = position
                field[column] = " ".join(cell.split())
    return index, field


def _read_companies(table: _Table, path: str) -> list[_Company]:
    """Read the company rows up to the first row without ISIN, market cap and category."""
    companies: list[_Company] = []
    first_row_of: dict[str, int] = {}
    number = table.header_row
    for number, row in enumerate(table.rows, start=table.header_row + 1):
        if _ends_table(row, table):
            break
        company = _company(row, number, table, path, expected_rank=len(companies) + 1)
        if company.isin in first_row_of:
            raise FormatError(
                path, f"ISIN {company.isin} is listed twice (first at row "
                f"{first_row_of[company.isin]})", row=number, field=table.field[_ISIN],
            )
        first_row_of[company.isin] = number
        companies.append(company)
    if not companies:
        raise FormatError(path, "the header is followed by no company rows",
                          row=table.header_row + 1, hint="fetch the file again")
    _refuse_rows_after_end(table, number, path)
    return companies


def _ends_table(row: tuple[object, ...], table: _Table) -> bool:
    """Return whether a row is past the table: blank, or a footnote without company data."""
    return all(_text(_cell(row, table.index[c])) == "" for c in (_ISIN, _AVERAGE, _CATEGORY))


def _refuse_rows_after_end(table: _Table, end: int, path: str) -> None:
    """Refuse a company row below the end of the table: a gap would drop every row after it."""
    for number, row in enumerate(table.rows, start=end + 1):
        if all(_text(_cell(row, table.index[c])) for c in (_ISIN, _CATEGORY)):
            raise FormatError(
                path, f"a company row follows the end of the table at row {end}", row=number,
                field=table.field[_ISIN], hint="the table has a gap; check the file",
            )


def _company(row: tuple[object, ...], number: int, table: _Table, path: str,
             expected_rank: int) -> _Company:
    """Check one company row and return it."""

    def value(column: _Column) -> object:
        return _cell(row, table.index[column])

    def fail(column: _Column, problem: str) -> FormatError:
        return FormatError(path, problem, row=number, field=table.field[column])

    rank = _whole(value(_SR_NO))
    if rank is None:
        raise fail(_SR_NO, f"rank {value(_SR_NO)!r} is not a whole number")
    if rank != expected_rank:
        raise fail(_SR_NO, f"rank {rank} where {expected_rank} was expected; ranks must run "
                           "1, 2, 3, ... in order")
    name = _text(value(_COMPANY))
    if not name:
        raise fail(_COMPANY, "the company name is empty")
    isin = _text(value(_ISIN))
    if not isin:
        raise fail(_ISIN, "the ISIN is empty")
    if len(isin) != ISIN_LENGTH:
        raise fail(_ISIN, f"ISIN {isin!r} is not {ISIN_LENGTH} characters long")
    symbol = _text(value(_NSE))
    if symbol:
        plausible.check_symbol(symbol, path, number, table.field[_NSE])
    avg_mcap_cr = _market_cap(value(_AVERAGE), fail)
    category = _category(value(_CATEGORY), rank, fail)
    return _Company(rank, name, isin, _text(value(_BSE)), symbol, avg_mcap_cr, category)


def _market_cap(value: object, fail: _Fail) -> float:
    """Return a market cap in crore; it must be a number and not negative."""
    if _text(value) == "":
        raise fail(_AVERAGE, "the market cap is empty")
    number = _number(value)
    if number is None:
        raise fail(_AVERAGE, f"{value!r} is not a number")
    if number < 0:
        raise fail(_AVERAGE, f"market cap {value} is negative")
    return number


def _category(value: object, rank: int, fail: _Fail) -> str:
    """Return the category spelled as SEBI does; it must be the one SEBI's bands give the rank."""
    text = _text(value)
    if not text:
        raise fail(_CATEGORY, "the category is empty")
    category = _CATEGORIES.get(re.sub(r"[^a-z]", "", text.lower()))
    if category is None:
        raise fail(_CATEGORY, f"unknown category {text!r}; expected "
                              f"{LARGE_CAP}, {MID_CAP} or {SMALL_CAP}")
    expected = category_for_rank(rank)
    if category != expected:
        raise fail(_CATEGORY, f"rank {rank} is {expected} under SEBI's bands (1-100 Large Cap, "
                              f"101-250 Mid Cap, 251 on Small Cap), but the file says {text}")
    return category


def _cell(row: tuple[object, ...], position: int) -> object:
    """Return a cell of a row, None past the row's last stored cell."""
    return row[position] if position < len(row) else None


def _text(value: object) -> str:
    """Return a cell as text with spacing collapsed; empty for None and AMFI's "-" placeholder."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    return "" if text == _NOT_LISTED else text


def _number(value: object) -> float | None:
    """Return a cell as a finite number (text with thousands commas allowed), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.replace(",", "").strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _whole(value: object) -> int | None:
    """Return a cell as a whole number, else None."""
    number = _number(value)
    return int(number) if number is not None and number.is_integer() else None
