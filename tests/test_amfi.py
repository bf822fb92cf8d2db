"""AMFI's market-cap list: parse, SEBI bands, name helpers, rejections naming file, row, field."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from crafted import Stock, constituents_bytes
from openpyxl import Workbook

from generator import columns as C
from generator.errors import FormatError
from generator.sources import amfi, nse_constituents

NAME = "AverageMarketCapitalization31Dec2024.xlsx"
TITLE = ("Average Market Capitalization of listed companies during the six months ended "
         "31 December 2024")
HEADER = [
    "Sr. No.",
    "Company name",
    "ISIN",
    "BSE Symbol",
    "BSE 6 month Avg Total Market Cap in (Rs. Crs.)",
    "NSE Symbol",
    "NSE 6 month Avg Total Market Cap (Rs. Crs.)",
    "MSEI Symbol",
    "MSEI 6 month Avg Total Market Cap in (Rs Crs.)",
    "Average of All Exchanges (Rs. Cr.)",
    "Categorization as per SEBI Circular dated Oct 6, 2017",
]
EXPECTED = ("'Sr. No.', 'Company name', 'ISIN', 'BSE Symbol', 'NSE Symbol', "
            "'Average of All Exchanges (Rs. Cr.)', "
            "'Categorization as per SEBI Circular dated Oct 6, 2017'")
AVERAGE = "field 'Average of All Exchanges (Rs. Cr.)'"
CATEGORY = "field 'Categorization as per SEBI Circular dated Oct 6, 2017'"
COMPANIES = 300
HEADER_ROW = 3  # a title, a blank row, then the header
SR, COMPANY, ISIN, BSE, NSE, AVG, CAT = 0, 1, 2, 3, 5, 9, 10

Row = list[object]


def isin(rank: int) -> str:
    """Return the made-up ISIN of the company with a rank."""
    return f"INE{rank:06d}A01"


def company(rank: int) -> Row:
    """Return AMFI's row for the company with a rank; every seventh is not listed on NSE."""
    mcap = round(2_000_000 / rank, 2)
    on_nse = rank % 7 != 0
    category = "Large Cap" if rank <= 100 else "Mid Cap" if rank <= 250 else "Small Cap"
    return [rank, f"Company {rank} Ltd", isin(rank), f"BSE{rank}", mcap,
            f"CO{rank}" if on_nse else "-", mcap if on_nse else None, "-", None, mcap, category]


def sheet() -> list[Row]:
    """Return the rows of a list: title, blank row, header, companies, blank row, footnotes."""
    companies = [company(rank) for rank in range(1, COMPANIES + 1)]
    return [[TITLE], [], list(HEADER), *companies, [],
            ["Note: market capitalisation in Rs. crore"], ["*NA - ISIN not available"]]


def row(rank: int) -> int:
    """Return the sheet row number of a rank in sheet()."""
    return HEADER_ROW + rank


def xlsx(tmp_path: Path, rows: list[Row], notes_sheet: bool = False) -> bytes:
    """Write rows to a real workbook (sheet FINAL, optionally after a notes sheet); its bytes."""
    book = Workbook()
    final = book.active
    assert final is not None
    final.title = "FINAL"
    if notes_sheet:
        book.create_sheet("Notes", 0).append(["Large Cap: 1st-100th company"])
    for values in rows:
        final.append(values)
    file = tmp_path / NAME
    book.save(file)
    return file.read_bytes()


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    """Return the parsed standard list."""
    return amfi.parse(xlsx(tmp_path_factory.mktemp("amfi"), sheet()), NAME)


def test_parse_reads_one_row_per_company(tmp_path: Path) -> None:
    frame = amfi.parse(xlsx(tmp_path, sheet()), NAME)
    assert list(frame.columns) == [amfi.RANK, C.NAME, C.ISIN, amfi.BSE_SYMBOL, C.SYMBOL,
                                   amfi.AVG_MCAP_CR, amfi.CATEGORY]
    assert list(frame[amfi.RANK]) == list(range(1, COMPANIES + 1))
    assert frame.iloc[0].to_dict() == {
        amfi.RANK: 1, C.NAME: "Company 1 Ltd", C.ISIN: "INE000001A01", amfi.BSE_SYMBOL: "BSE1",
        C.SYMBOL: "CO1", amfi.AVG_MCAP_CR: 2_000_000.0, amfi.CATEGORY: "Large Cap",
    }
    assert frame.loc[6, C.SYMBOL] == ""  # rank 7 is not listed on NSE: AMFI writes "-"
    assert frame[amfi.CATEGORY].value_counts().to_dict() == {
        "Mid Cap": 150, "Large Cap": 100, "Small Cap": 50}
    assert {name: str(kind) for name, kind in frame.dtypes.items()} == {
        amfi.RANK: "int64", C.NAME: "string", C.ISIN: "string", amfi.BSE_SYMBOL: "string",
        C.SYMBOL: "string", amfi.AVG_MCAP_CR: "float64", amfi.CATEGORY: "string"}


def test_parse_finds_a_header_with_stray_spacing_case_and_extra_titles(tmp_path: Path) -> None:
    rows = sheet()
    rows[HEADER_ROW - 1] = [
        "Sr.\nNo.", " company NAME ", "ISIN ", "BSE  Symbol", HEADER[4], "NSE\nSymbol", HEADER[6],
        "MSE Symbol", HEADER[8], "AVERAGE of all Exchanges\n(Rs. Cr.)",
        "Categorisation as per SEBI Circular dated Oct 6, 2017 ",
    ]
    rows.insert(0, ["Association of Mutual Funds in India"])
    assert len(amfi.parse(xlsx(tmp_path, rows), NAME)) == COMPANIES
    rows[row(5)][AVG] = "n/a"  # one title row more: rank 5 is on sheet row 9
    with pytest.raises(FormatError) as excinfo:
        amfi.parse(xlsx(tmp_path, rows), NAME)
    assert str(excinfo.value).startswith(
        f"{NAME}, row 9, field 'AVERAGE of all Exchanges (Rs. Cr.)': 'n/a' is not a number")


def test_parse_reads_numbers_and_categories_written_as_text(tmp_path: Path) -> None:
    rows = sheet()
    rows[row(1) - 1][SR] = "1"
    rows[row(2) - 1][SR] = 2.0
    rows[row(2) - 1][AVG] = "1,234.50"
    rows[row(3) - 1][CAT] = "LARGE CAP"
    rows[row(101) - 1][CAT] = " Mid-Cap"
    rows[row(300) - 1][CAT] = "small  cap"
    rows[row(4) - 1][ISIN] = f" {isin(4)} "
    rows[row(4) - 1][COMPANY] = "Company  4\nLtd"
    frame = amfi.parse(xlsx(tmp_path, rows), NAME).set_index(amfi.RANK)
    assert frame.loc[2, amfi.AVG_MCAP_CR] == 1234.5
    assert list(frame.loc[[3, 101, 300], amfi.CATEGORY]) == ["Large Cap", "Mid Cap", "Small Cap"]
    assert (frame.loc[4, C.ISIN], frame.loc[4, C.NAME]) == (isin(4), "Company 4 Ltd")


def test_parse_finds_the_list_after_a_notes_sheet(tmp_path: Path) -> None:
    assert len(amfi.parse(xlsx(tmp_path, sheet(), notes_sheet=True), NAME)) == COMPANIES


def test_parse_stops_at_a_footnote_right_below_the_table(tmp_path: Path) -> None:
    footnotes: list[Row] = [["*NA - ISIN not available"], ["Source: BSE, NSE, MSEI"]]
    rows = [*sheet()[:row(COMPANIES)], *footnotes]
    assert len(amfi.parse(xlsx(tmp_path, rows), NAME)) == COMPANIES


def cell(rank: int, column: int, value: object) -> Callable[[list[Row]], None]:
    """Return an edit that sets one cell of a rank's row."""

    def edit(rows: list[Row]) -> None:
        rows[row(rank) - 1][column] = value

    return edit


def gap_after(rank: int) -> Callable[[list[Row]], None]:
    """Return an edit that puts a blank row below a rank's row."""

    def edit(rows: list[Row]) -> None:
        rows.insert(row(rank), [])

    return edit


def header_cell(column: int, value: str) -> Callable[[list[Row]], None]:
    """Return an edit that renames a header cell."""

    def edit(rows: list[Row]) -> None:
        rows[HEADER_ROW - 1][column] = value

    return edit


def no_companies(rows: list[Row]) -> None:
    """Keep the title and header, drop the companies, keep the footnotes."""
    rows[HEADER_ROW:] = [[], ["*NA - ISIN not available"]]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (cell(5, ISIN, None), "row 8, field 'ISIN': the ISIN is empty"),
        (cell(5, ISIN, "-"), "row 8, field 'ISIN': the ISIN is empty"),
        (cell(5, ISIN, "INE00000501"),
         "row 8, field 'ISIN': ISIN 'INE00000501' is not 12 characters long"),
        (cell(7, ISIN, isin(5)),
         "row 10, field 'ISIN': ISIN INE000005A01 is listed twice (first at row 8)"),
        (cell(5, SR, "5a"), "row 8, field 'Sr. No.': rank '5a' is not a whole number"),
        (cell(5, SR, 5.5), "row 8, field 'Sr. No.': rank 5.5 is not a whole number"),
        (cell(5, SR, None), "row 8, field 'Sr. No.': rank None is not a whole number"),
        (cell(5, SR, 6), "row 8, field 'Sr. No.': rank 6 where 5 was expected; ranks must run "
                         "1, 2, 3, ... in order"),
        (cell(1, SR, 0), "row 4, field 'Sr. No.': rank 0 where 1 was expected"),
        (cell(5, COMPANY, None), "row 8, field 'Company name': the company name is empty"),
        (cell(5, AVG, "n/a"), f"row 8, {AVERAGE}: 'n/a' is not a number"),
        (cell(5, AVG, "NaN"), f"row 8, {AVERAGE}: 'NaN' is not a number"),
        (cell(5, AVG, -12.5), f"row 8, {AVERAGE}: market cap -12.5 is negative"),
        (cell(5, AVG, None), f"row 8, {AVERAGE}: the market cap is empty"),
        (cell(5, CAT, "Micro Cap"),
         f"row 8, {CATEGORY}: unknown category 'Micro Cap'; expected Large Cap, Mid Cap or "
         "Small Cap"),
        (cell(5, CAT, None), f"row 8, {CATEGORY}: the category is empty"),
        (cell(101, CAT, "Large Cap"),
         f"row 104, {CATEGORY}: rank 101 is Mid Cap under SEBI's bands (1-100 Large Cap, "
         "101-250 Mid Cap, 251 on Small Cap), but the file says Large Cap"),
        (cell(100, CAT, "Mid Cap"), f"row 103, {CATEGORY}: rank 100 is Large Cap under"),
        (cell(251, CAT, "Mid Cap"), f"row 254, {CATEGORY}: rank 251 is Small Cap under"),
        (gap_after(150), "row 155, field 'ISIN': a company row follows the end of the table "
                         "at row 154"),
        (header_cell(ISIN, "ISIN Code"),
         f"row 3, field 'ISIN': the header row lacks the column 'ISIN' (expected {EXPECTED})"),
        (header_cell(CAT, "Segment"),
         "row 3, field 'Categorization as per SEBI Circular dated Oct 6, 2017': the header row "
         "lacks the column"),
        (no_companies, "row 4: the header is followed by no company rows"),
    ],
)
def test_parse_rejects_a_bad_list(
    tmp_path: Path, edit: Callable[[list[Row]], None], message: str
) -> None:
    rows = sheet()
    edit(rows)
    with pytest.raises(FormatError) as excinfo:
        amfi.parse(xlsx(tmp_path, rows), NAME)
    assert str(excinfo.value).startswith(f"{NAME}, {message}")


def zipped(name: str, data: bytes) -> bytes:
    """Return a zip archive holding one file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "the file is empty"),
        (b"  <!DOCTYPE html><html><head><title>Page not found</title></head></html>",
         "the file is an HTML page, not AMFI's workbook; AMFI served a web page"),
        (b"Sr. No.,Company name,ISIN\n1,A Ltd,INE000001A01\n",
         "the file is not an xlsx workbook (it is not a zip archive)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "the file is an old .xls workbook"),
        (zipped("hello.txt", b"hi"), "the file is not a readable xlsx workbook"),
        (b"PK\x03\x04" + bytes(100), "the file is not a readable xlsx workbook"),
    ],
)
def test_parse_rejects_a_file_that_is_not_a_workbook(raw: bytes, message: str) -> None:
    with pytest.raises(FormatError) as excinfo:
        amfi.parse(raw, NAME)
    assert str(excinfo.value).startswith(f"{NAME}: {message}")


def test_parse_rejects_a_truncated_download(tmp_path: Path) -> None:
    raw = xlsx(tmp_path, sheet())
    with pytest.raises(FormatError, match=f"^{NAME}: the file is not a readable xlsx workbook"):
        amfi.parse(raw[: len(raw) // 2], NAME)


def test_parse_rejects_a_workbook_without_the_header(tmp_path: Path) -> None:
    rows: list[Row] = [[TITLE], ["Rank", "Company"], *([n, f"Co {n}"] for n in range(1, 40))]
    with pytest.raises(FormatError) as excinfo:
        amfi.parse(xlsx(tmp_path, rows), NAME)
    assert str(excinfo.value) == (
        f"{NAME}: no header row with the columns {EXPECTED} in the first 30 rows; this is not "
        "AMFI's average market capitalisation list, or its layout changed")


def test_members_cut_the_list_by_sebi_bands(table: pd.DataFrame) -> None:
    large = amfi.members(table, *amfi.BANDS[amfi.LARGE_CAP])
    mid = amfi.members(table, *amfi.BANDS[amfi.MID_CAP])
    small = amfi.members(table, *amfi.BANDS[amfi.SMALL_CAP])
    assert (len(large), len(mid), len(small)) == (100, 150, 50)
    assert (mid[C.ISIN].iloc[0], mid[C.ISIN].iloc[-1]) == (isin(101), isin(250))
    assert list(small[C.ISIN]) == [isin(rank) for rank in range(251, COMPANIES + 1)]
    assert small.iloc[1].to_dict() == {C.NAME: "Company 252 Ltd", C.INDUSTRY: "", C.SYMBOL: "",
                                       C.SERIES: "EQ", C.ISIN: isin(252)}
    assert list(amfi.members(table, 99, 101)[C.SYMBOL]) == ["CO99", "CO100", "CO101"]
    assert amfi.members(table, 301).empty


def test_members_have_the_columns_of_a_constituent_list(table: pd.DataFrame) -> None:
    listed = nse_constituents.parse(
        constituents_bytes([Stock("INE000001A01", "CO1", "Company 1 Ltd", 1.0, 1.0)]), "c.csv")
    band = amfi.members(table, 1, 1)
    assert list(band.columns) == list(listed.columns)
    assert list(band.dtypes) == list(listed.dtypes)
    assert band.drop(columns=C.INDUSTRY).equals(listed.drop(columns=C.INDUSTRY))


@pytest.mark.parametrize(("first", "last"), [(0, 100), (101, 100)])
def test_members_refuse_a_range_that_is_not_one(table: pd.DataFrame, first: int,
                                                last: int) -> None:
    with pytest.raises(ValueError, match=f"ranks {first}..{last} are not a range"):
        amfi.members(table, first, last)


@pytest.mark.parametrize(
    ("rank", "category"),
    [(1, "Large Cap"), (100, "Large Cap"), (101, "Mid Cap"), (250, "Mid Cap"),
     (251, "Small Cap"), (5400, "Small Cap")],
)
def test_category_for_rank_follows_sebi_bands(rank: int, category: str) -> None:
    assert amfi.category_for_rank(rank) == category


@pytest.mark.parametrize(
    ("period_end", "name"),
    [(date(2024, 12, 31), "AverageMarketCapitalization31Dec2024.xlsx"),
     (date(2025, 6, 30), "AverageMarketCapitalization30Jun2025.xlsx")],
)
def test_file_name_and_period_from_name_round_trip(period_end: date, name: str) -> None:
    assert amfi.file_name(period_end) == name
    assert amfi.period_from_name(name) == period_end


def test_file_name_refuses_a_day_that_ends_no_half_year() -> None:
    with pytest.raises(ValueError, match="2025-03-31 is not a half-year end"):
        amfi.file_name(date(2025, 3, 31))


@pytest.mark.parametrize(
    "name",
    ["AverageMarketCapitalization31Jun2024.xlsx", "AverageMarketCapitalization31Dec2024.pdf",
     "Average_Market_Capitalization_30_Jun2024_2a1ab4c1d8.xlsx", "ind_nifty100list.csv"],
)
def test_period_from_name_ignores_other_names(name: str) -> None:
    assert amfi.period_from_name(name) is None


@pytest.mark.parametrize(
    ("day", "ends"),
    [
        (date(2025, 1, 10), [date(2024, 12, 31), date(2024, 6, 30)]),
        (date(2025, 1, 1), [date(2024, 12, 31), date(2024, 6, 30)]),
        (date(2024, 12, 31), [date(2024, 6, 30), date(2023, 12, 31)]),
        (date(2024, 7, 1), [date(2024, 6, 30), date(2023, 12, 31)]),
        (date(2024, 6, 30), [date(2023, 12, 31), date(2023, 6, 30)]),
        (date(2024, 3, 15), [date(2023, 12, 31), date(2023, 6, 30)]),
    ],
)
def test_period_ends_before_gives_the_two_latest_half_years(day: date, ends: list[date]) -> None:
    assert amfi.period_ends_before(day) == ends
