"""BSE's results calendar parses into nse_board_meetings' columns, ISINs found by scrip code."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from crafted import Stock, udiff_bytes

from generator import columns as C
from generator.errors import FormatError
from generator.sources import bse_results, bse_udiff, nse_board_meetings

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-data"
DAY = date(2025, 1, 2)
ITEMS: list[dict[str, object]] = [
    {"scrip_Code": "521070", "short_name": "ALOKTEXT", "Long_Name": "ALOK INDUSTRIES LTD.",
     "meeting_date": "23 Oct 2023",
     "URL": "https://www.bseindia.com/stock-share-price/alok-industries-ltd/aloktext/521070/"},
    {"scrip_Code": " 500002 ", "short_name": "ABB ", "Long_Name": "ABB INDIA LIMITED",
     "meeting_date": "7 November 2023"},
]
GOOD = json.dumps(ITEMS).encode()
NSE = json.dumps([{"bm_symbol": "ABB", "bm_date": "07-Nov-2023", "bm_purpose": "Financial Results",
                   "sm_name": "ABB India Limited", "sm_isin": "INE117A01022"}]).encode()


def _bse_udiff(stocks: list[Stock]) -> bytes:
    return udiff_bytes(DAY, stocks).replace(b",CM,NSE,", b",CM,BSE,")


def test_bse_results_parse_into_board_meeting_columns() -> None:
    frame = bse_results.parse(GOOD, "r.json", {"500002": "INE117A01022"})
    nse = nse_board_meetings.parse(NSE, "n.json")
    assert list(frame.columns) == list(nse.columns)
    assert frame.dtypes.equals(nse.dtypes)
    assert frame[C.SYMBOL].tolist() == ["ALOKTEXT", "ABB"]
    assert frame[C.ISIN].tolist() == ["", "INE117A01022"]
    assert frame[C.NAME].tolist() == ["ALOK INDUSTRIES LTD.", "ABB INDIA LIMITED"]
    assert [d.date() for d in frame[C.MEETING_DATE]] == [date(2023, 10, 23), date(2023, 11, 7)]
    assert frame[C.PURPOSE].tolist() == ["Financial Results"] * 2
    assert frame["is_results"].tolist() == [True, True]


def test_bse_results_empty_list_has_board_meeting_dtypes() -> None:
    frame = bse_results.parse(b"[]", "r.json", {})
    assert frame.empty
    assert frame.dtypes.equals(nse_board_meetings.parse(b"[]", "n.json").dtypes)


def _with(number: int, **changes: object) -> bytes:
    items = [dict(item) for item in ITEMS]
    for key, value in changes.items():
        if value is None:
            del items[number - 1][key]
        else:
            items[number - 1][key] = value
    return json.dumps(items).encode()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "r.json: the file is empty"),
        (b"<html><body>Access denied</body></html>",
         "r.json: the file is an HTML page, not exchange data"),
        (b'[{"scrip_Code": "521070",\n', "r.json, row 2: not valid JSON (Expecting"),
        (b'{"Table": []}', "r.json: expected a JSON list of meetings, found dict"),
        (b'[{"scrip_Code": "1", "short_name": "A", "Long_Name": "A", "meeting_date": '
         b'"1 Jan 2024"}, "ABB"]', "r.json, row 2: a meeting is not a JSON object"),
        (_with(1, scrip_Code=None), "r.json, row 1, field 'scrip_Code': the value is missing"),
        (_with(2, short_name=None), "r.json, row 2, field 'short_name': the value is missing"),
        (_with(2, Long_Name="  "), "r.json, row 2, field 'Long_Name': the value is blank"),
        (_with(1, scrip_Code=521070), "r.json, row 1, field 'scrip_Code': expected text, "
                                      "found 521070"),
        (_with(2, meeting_date=""), "r.json, row 2, field 'meeting_date': the value is blank"),
        (_with(2, meeting_date="2023-11-07"),
         "r.json, row 2, field 'meeting_date': '2023-11-07' is not a date like 23 Oct 2023"),
        (_with(1, meeting_date="31 Feb 2024"),
         "r.json, row 1, field 'meeting_date': '31 Feb 2024' is not a date like 23 Oct 2023"),
    ],
)
def test_bse_results_reject_malformed_files(raw: bytes, message: str) -> None:
    with pytest.raises(FormatError) as excinfo:
        bse_results.parse(raw, "r.json", {})
    assert str(excinfo.value).startswith(message)


def test_bse_results_file_name_round_trips() -> None:
    assert bse_results.file_name(DAY) == "bse_results_20250102.json"
    assert bse_results.date_from_name("bse_results_20250102.json") == DAY
    assert bse_results.date_from_name("board_meetings_20250102.json") is None
    assert bse_results.date_from_name("bse_results_20250231.json") is None


def test_scrip_isins_maps_bse_scrip_codes_of_the_bhavcopy() -> None:
    raw = _bse_udiff([Stock("INE000A01011", "AAA", "A Ltd", 10.0, 11.0),
                      Stock("INE000B01011", "BBB", "B Ltd", 20.0, 19.5)])
    assert bse_results.scrip_isins(bse_udiff.parse(raw, "u.csv", DAY)) == {
        "1": "INE000A01011", "2": "INE000B01011"}


def test_scrip_isins_leaves_out_a_code_with_two_isins() -> None:
    raw = _bse_udiff([Stock("INE000A01011", "AAA", "A Ltd", 10.0, 11.0),
                      Stock("INE000B01011", "BBB", "B Ltd", 20.0, 19.5),
                      Stock("INE000C01011", "CCC", "C Ltd", 5.0, 5.5)])
    raw = raw.replace(b",STK,2,INE000B01011,", b",STK,1,INE000B01011,")
    assert bse_results.scrip_isins(bse_udiff.parse(raw, "u.csv", DAY)) == {"3": "INE000C01011"}


def test_scrip_isins_needs_the_instrument_id_column() -> None:
    with pytest.raises(ValueError, match="the bhavcopy has no 'instrument_id' column"):
        bse_results.scrip_isins(pd.DataFrame({C.ISIN: ["INE000A01011"]}))


real = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-data is absent")


@real
def test_real_bse_result_calendar_parses_like_nse_board_meetings() -> None:
    path = REAL / "api-samples__BennyThadikaran-BseIndiaApi" / "resultCalendar.json"
    frame = bse_results.parse(path.read_bytes(), str(path), {"521070": "INE270A01029"})
    nse_path = REAL / "api-samples__BennyThadikaran-NseIndiaApi" / "boardMeetings.json"
    nse = nse_board_meetings.parse(nse_path.read_bytes(), str(nse_path))
    assert frame.dtypes.equals(nse.dtypes)
    row = frame.iloc[0]
    assert (row[C.SYMBOL], row[C.ISIN], row[C.NAME]) == (
        "ALOKTEXT", "INE270A01029", "ALOK INDUSTRIES LTD.")
    assert row[C.MEETING_DATE] == pd.Timestamp(2023, 10, 23)
    assert bool(row["is_results"])


@real
def test_real_bse_bhavcopy_maps_scrip_codes_to_isins() -> None:
    path = REAL / "format-samples__Razalkapil-stockAnalyser" / "bse" / "udiff_20260917.CSV"
    isins = bse_results.scrip_isins(bse_udiff.parse(path.read_bytes(), str(path)))
    assert len(isins) == 50
    assert isins["500002"] == "INE117A01022"
