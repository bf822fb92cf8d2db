"""Parsers reject files that do not match their format, naming file, row and field."""

from __future__ import annotations

from datetime import date

import pytest
from crafted import Stock, constituents_bytes, index_bytes, udiff_bytes

from generator import columns as C
from generator.errors import FormatError
from generator.sources import nse_board_meetings, nse_constituents, nse_indices, nse_udiff

DAY = date(2025, 1, 2)
GOOD = udiff_bytes(DAY, [Stock("INE000A01011", "AAA", "A & Co", 10.0, 11.0),
                         Stock("INE000B01011", "BBB", "Bee, Ltd", 20.0, 19.5)])


def test_udiff_parses_typed_columns() -> None:
    frame = nse_udiff.parse(GOOD, "f.csv", expected_date=DAY)
    assert list(frame[C.SYMBOL]) == ["AAA", "BBB"]
    assert list(frame[C.CLOSE]) == [11.0, 19.5]
    assert frame[C.NAME].iloc[1] == "BEE, LTD"
    assert str(frame[C.VOLUME].dtype) == "int64"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (GOOD.replace(b"2025-01-02,2025-01-02,CM,NSE,STK,2",
                      b"2025-01-03,2025-01-03,CM,NSE,STK,2"),
         "f.csv, row 3, field 'TradDt': a second date 2025-01-03 in a file of 2025-01-02"),
        (GOOD.replace(b",F1,1,,,,,\n", b",F1,1,,,,\n", 1),
         "f.csv, row 2: expected 34 fields, found 33"),
        (GOOD.replace(b",11.00,11.00,", b",-11.00,11.00,", 1),
         "f.csv, row 2, field 'ClsPric': price -11.00 is not positive"),
        (GOOD.replace(b"A & CO", b"A \xe9 CO"), "f.csv, row 2: byte"),
        (GOOD.replace(b",11.00,11.00,", b",0.00,11.00,", 1),
         "f.csv, row 2, field 'ClsPric': price 0.00 is not positive"),
        (GOOD.replace(b",11.00,11.00,", b",NaN,11.00,", 1),
         "f.csv, row 2, field 'ClsPric': 'NaN' is not a number"),
        (GOOD.replace(b"ClsPric", b"ClosePrice", 1),
         "f.csv, row 1, field 'ClsPric': column 'ClsPric' is missing from the header"),
        (GOOD.replace(b"TckrSymb,SctySrs", b"SctySrs,TckrSymb", 1),
         "f.csv, row 1: the header columns are in an unexpected order"),
        (GOOD.replace(b"INE000A01011", b""), "f.csv, row 2, field 'ISIN': the value is empty"),
        (GOOD.replace(b"INE000B01011", b"INE000A01011"),
         "f.csv, row 3, field 'ISIN': ISIN INE000A01011 in series 'EQ' appears twice"),
        (GOOD.split(b"\n")[0] + b"\n", "f.csv, row 2: the file has a header but no data rows"),
    ],
)
def test_udiff_rejects_malformed_files(raw: bytes, message: str) -> None:
    with pytest.raises(FormatError) as excinfo:
        nse_udiff.parse(raw, "f.csv", expected_date=DAY)
    assert str(excinfo.value).startswith(message)


def test_udiff_rejects_a_file_for_another_day() -> None:
    with pytest.raises(FormatError, match="holds 2025-01-02, but its name says 2025-01-03"):
        nse_udiff.parse(GOOD, "f.csv", expected_date=date(2025, 1, 3))


def test_index_file_reads_nse_number_quirks() -> None:
    raw = index_bytes(DAY, [("Nifty 50", 23270.6, 23217.6)]) + (
        b"India VIX,02-01-2025,13.1675,13.1675,12.1375,12.29,-0.88,-6.66,-,-,-,-,-\n"
    )
    frame = nse_indices.parse(raw, "i.csv", expected_date=DAY)
    assert frame[C.CHANGE_PCT].round(2).tolist() == [0.23, -6.66]
    assert frame[C.POINTS_CHANGE].iloc[0] == pytest.approx(53.0)


def test_index_file_rejects_a_repeated_index() -> None:
    raw = index_bytes(DAY, [("Nifty 50", 10.0, 9.0), ("NIFTY 50", 10.0, 9.0)])
    with pytest.raises(FormatError, match="row 3, field 'Index Name': index 'NIFTY 50' appears"):
        nse_indices.parse(raw, "i.csv")


def test_constituents_reject_a_repeated_isin() -> None:
    stock = Stock("INE000A01011", "AAA", "A Ltd", 1.0, 1.0)
    with pytest.raises(FormatError, match="row 3, field 'ISIN Code': ISIN INE000A01011 is"):
        nse_constituents.parse(constituents_bytes([stock, stock]), "l.csv")


def test_board_meetings_reject_a_bad_date() -> None:
    raw = b'[{"bm_symbol": "A", "bm_date": "2025-01-02", "bm_purpose": "Results", ' \
          b'"sm_name": "A", "sm_isin": "INE000A01011"}]'
    with pytest.raises(FormatError, match="row 1, field 'bm_date'"):
        nse_board_meetings.parse(raw, "bm.json")
