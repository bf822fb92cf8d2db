"""BSE index history files parse into nse_indices' columns; malformed ones are named precisely."""

from __future__ import annotations

from datetime import date

import pytest
from crafted import index_bytes

from generator import columns as C
from generator.errors import ConfigError, FormatError
from generator.sources import bse_indices, nse_indices

DAY = date(2026, 2, 12)
# BSE's own layout: five header names, every data row ending in a comma.
RAW = (b"Date,Open,High,Low,Close\n"
       b"13-February-2026,83100.10,83250.00,82800.55,82950.30,\n"
       b"12-February-2026,83500.00,83610.25,83020.40,83055.75,\n")
ONE_DAY = b"Date,Open,High,Low,Close\n12-February-2026,83500.00,83610.25,83020.40,83055.75,\n"


def test_bse_index_history_parses_into_nse_index_columns() -> None:
    frame = bse_indices.parse(RAW, "b.csv", "BSE SENSEX")
    nse = nse_indices.parse(index_bytes(DAY, [("Nifty 50", 25000.0, 24900.0)]), "n.csv")
    assert list(frame.columns) == list(nse.columns)
    assert frame.dtypes.equals(nse.dtypes)
    assert [d.date() for d in frame[C.TRADE_DATE]] == [DAY, date(2026, 2, 13)]
    assert frame[C.INDEX_NAME].tolist() == ["BSE SENSEX", "BSE SENSEX"]
    assert frame[C.CLOSE].tolist() == [83055.75, 82950.30]
    assert frame[C.OPEN].iloc[0] == 83500.00
    assert frame[[C.POINTS_CHANGE, C.CHANGE_PCT]].isna().all().all()


def test_bse_index_history_tolerates_header_padding_bom_crlf_and_short_months() -> None:
    raw = ("\ufeffDate, Open ,High,Low,Close,\r\n"
           "12-Feb-2026,83500.00,83610.25,83020.40,83055.75\r\n"
           "3-February-2026,82000.00,82100.00,81900.00,82050.00,\r\n").encode()
    frame = bse_indices.parse(raw, "b.csv", "BSE SENSEX")
    assert [d.date() for d in frame[C.TRADE_DATE]] == [date(2026, 2, 3), DAY]
    assert frame[C.CLOSE].tolist() == [82050.00, 83055.75]


def test_bse_index_history_keeps_a_close_without_open_high_low() -> None:
    raw = b"Date,Open,High,Low,Close\n1-January-1992,,,,1957.33,\n"
    frame = bse_indices.parse(raw, "b.csv", "BSE SENSEX")
    assert frame[[C.OPEN, C.HIGH, C.LOW]].isna().all().all()
    assert frame[C.CLOSE].item() == 1957.33


def test_bse_index_history_accepts_the_day_its_name_says() -> None:
    frame = bse_indices.parse(ONE_DAY, "b.csv", "BSE 500", expected_date=DAY)
    assert frame[C.TRADE_DATE].item().date() == DAY


def _edit(old: bytes, new: bytes) -> bytes:
    assert old in RAW
    return RAW.replace(old, new, 1)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "b.csv: the file is empty"),
        (b"\n  \n", "b.csv: the file is empty"),
        (b"<!DOCTYPE html><html><head><title>BSE</title></head></html>",
         "b.csv: the file is an HTML page, not exchange data"),
        (_edit(b"Low,Close", b"Low,Last"),
         "b.csv, row 1, field 'Close': column 'Close' is missing from the header"),
        (_edit(b"Low,Close", b"Low,Close,Change"),
         "b.csv, row 1, field 'Change': the header is 'Date,Open,High,Low,Close,Change', "
         "not 'Date,Open,High,Low,Close'"),
        (_edit(b"Open,High", b"High,Open"),
         "b.csv, row 1: the header is 'Date,High,Open,Low,Close', not "),
        (b"Date,Open,High,Low,Close\n", "b.csv, row 2: the file has a header but no data rows"),
        (_edit(b"12-February-2026", b"2026-02-12"),
         "b.csv, row 3, field 'Date': '2026-02-12' is not a date like 3-January-2005"),
        (_edit(b"12-February-2026", b"12-Feb-26"),
         "b.csv, row 3, field 'Date': '12-Feb-26' is not a date like 3-January-2005"),
        (_edit(b"13-February-2026", b"12-Feb-2026"),
         "b.csv, row 3, field 'Date': date 2026-02-12 appears twice (first in row 2)"),
        (_edit(b",82950.30,", b",0.00,"),
         "b.csv, row 2, field 'Close': price 0.00 is not positive"),
        (_edit(b",82950.30,", b",-82950.30,"),
         "b.csv, row 2, field 'Close': price -82950.30 is not positive"),
        (_edit(b",82950.30,", b",n/a,"), "b.csv, row 2, field 'Close': 'n/a' is not a number"),
        (_edit(b",82950.30,", b",,"), "b.csv, row 2, field 'Close': '' is not a number"),
        (_edit(b",83250.00,", b",abc,"), "b.csv, row 2, field 'High': 'abc' is not a number"),
        (_edit(b",82950.30,\n", b"\n"), "b.csv, row 2: expected 5 fields, found 4"),
        (_edit(b",82950.30,\n", b",82950.30,-149.80\n"),
         "b.csv, row 2: unexpected value '-149.80' after the Close column"),
        (_edit(b"13-February-2026", b"13-Fxb-2026"),
         "b.csv, row 2, field 'Date': '13-Fxb-2026' is not a date like 3-January-2005"),
    ],
)
def test_bse_index_history_rejects_malformed_files(raw: bytes, message: str) -> None:
    with pytest.raises(FormatError) as excinfo:
        bse_indices.parse(raw, "b.csv", "BSE SENSEX")
    assert str(excinfo.value).startswith(message)


def test_bse_index_history_rejects_a_file_for_another_day() -> None:
    with pytest.raises(FormatError) as excinfo:
        bse_indices.parse(ONE_DAY, "b.csv", "BSE SENSEX", expected_date=date(2026, 2, 13))
    assert str(excinfo.value).startswith(
        "b.csv, row 2, field 'Date': the file holds 2026-02-12, but its name says 2026-02-13")


def test_bse_index_history_of_one_day_rejects_a_second_date() -> None:
    with pytest.raises(FormatError) as excinfo:
        bse_indices.parse(RAW, "b.csv", "BSE SENSEX", expected_date=date(2026, 2, 13))
    assert str(excinfo.value).startswith(
        "b.csv, row 3, field 'Date': a second date 2026-02-12 in a file of 2026-02-13")


def test_bse_index_url_asks_for_the_range_in_day_first_dates() -> None:
    assert bse_indices.url("SENSEX", date(2026, 2, 2), DAY) == (
        "https://api.bseindia.com/BseIndiaAPI/api/ProduceCSVForDate/w?strIndex=SENSEX"
        "&dtFromDate=02/02/2026&dtToDate=12/02/2026")
    assert bse_indices.url("BSE500", DAY, DAY, base="http://127.0.0.1:8000").startswith(
        "http://127.0.0.1:8000/BseIndiaAPI/api/ProduceCSVForDate/w?strIndex=BSE500&")


def test_bse_index_file_name_round_trips() -> None:
    name = bse_indices.file_name("BSE500", DAY)
    assert name == "bse_index_BSE500_12022026.csv"
    assert bse_indices.from_name(name) == ("BSE500", DAY)
    assert bse_indices.from_name("ind_close_all_12022026.csv") is None
    assert bse_indices.from_name("bse_index_SENSEX_31022026.csv") is None
    assert bse_indices.from_name("bse_index_SENSEX_12022026.json") is None


@pytest.mark.parametrize("code", ["", "S&P BSE 500", "bse_500", "sensex"])
def test_bse_index_code_must_be_capitals_and_digits(code: str) -> None:
    with pytest.raises(ConfigError, match="is not letters and digits; use the strIndex code"):
        bse_indices.file_name(code, DAY)
