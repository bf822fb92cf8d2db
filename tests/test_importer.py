"""Folder import: files recognised by header, zipped or not; a bad file stores nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from crafted import Stock, constituents_bytes, index_bytes, udiff_bytes, write_folder, zip_bytes

from generator.errors import FormatError
from generator.importer import import_dir
from generator.store import Store

DAY = date(2025, 1, 2)
WHEN = datetime(2025, 1, 2, 19, 0, tzinfo=UTC)
STOCKS = [Stock("INE000A01011", "AAA", "A Ltd", 10.0, 11.0)]
UDIFF_NAME = "BhavCopy_NSE_CM_0_0_0_20250102_F_0000.csv"




def test_import_recognises_zipped_and_renamed_files(tmp_path: Path) -> None:
    folder = write_folder(tmp_path, {
        f"{UDIFF_NAME}.zip": zip_bytes({UDIFF_NAME: udiff_bytes(DAY, STOCKS)}),
        "renamed.csv": index_bytes(DAY, [("Nifty 50", 10.0, 9.0)]),
        "ind_nifty50list.csv": constituents_bytes(STOCKS),
        "readme.txt": b"hello\n",
        "bse.csv": udiff_bytes(DAY, STOCKS).replace(b",CM,NSE,", b",CM,BSE,"),
    })
    store = Store(tmp_path / "data")
    report = import_dir(store, folder, WHEN)
    assert report.sessions == (DAY,)
    assert sorted(Path(p).name for p in report.stored) == [
        f"{UDIFF_NAME}.zip", "bse.csv", "ind_nifty50list.csv", "renamed.csv"]
    assert report.skipped == {str(folder / "readme.txt"): "not a file this project reads"}
    assert store.file("equities", DAY, "BhavCopy_BSE_CM_0_0_0_20250102_F_0000.CSV") is not None
    assert store.file("equities", DAY, UDIFF_NAME) is not None
    assert store.file("indices", DAY, "ind_close_all_02012025.csv") is not None
    assert store.file("constituents", DAY, "ind_nifty50list.csv") is not None


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("x.csv.zip", zip_bytes({"a.csv": b"a\n", "b.csv": b"b\n"}),
         "expected one CSV or JSON file inside, found ['a.csv', 'b.csv']"),
        ("x.csv.zip", zip_bytes({"a.csv": udiff_bytes(DAY, STOCKS)})[:60],
         "not a valid zip file (truncated?)"),
        ("ind_close_all_03012025.csv", index_bytes(DAY, [("Nifty 50", 10.0, 9.0)]),
         "the file holds 2025-01-02, but its name says 2025-01-03"),
        (UDIFF_NAME, udiff_bytes(DAY, STOCKS).replace(b"11.00,11.00,10.00", b"11.00,nan,10.00"),
         "field 'LastPric': 'nan' is not a number"),
        (UDIFF_NAME, udiff_bytes(DAY, STOCKS).decode().encode("utf-16"),
         "is not UTF-8 text"),
    ],
)
def test_import_rejects_a_bad_file_and_stores_nothing(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    good = {"ind_nifty50list.csv": constituents_bytes(STOCKS)}
    folder = write_folder(tmp_path, {**good, name: data})
    store = Store(tmp_path / "data")
    with pytest.raises(FormatError) as excinfo:
        import_dir(store, folder, WHEN)
    assert str(folder / name) in str(excinfo.value)
    assert message in str(excinfo.value)
    assert not (tmp_path / "data").exists()


def test_import_refuses_two_copies_of_one_day(tmp_path: Path) -> None:
    data = udiff_bytes(DAY, STOCKS)
    folder = write_folder(tmp_path, {UDIFF_NAME: data, "copy.csv": data})
    with pytest.raises(FormatError, match="holds the same equities file as"):
        import_dir(Store(tmp_path / "data"), folder, WHEN)


def test_import_takes_full_bhavdata_amfi_lists_and_named_bse_index_files(
        tmp_path: Path) -> None:
    from generator.demo import simulate_market
    from generator.demo.amfi_file import render_amfi_list
    from generator.demo.bse_files import bse_index_levels, render_bse_index

    market = simulate_market(1, date(2025, 1, 1), date(2025, 1, 3))
    bse_index = render_bse_index(bse_index_levels(market), "Sensex", DAY)
    full = (" SYMBOL, SERIES, DATE1, PREV_CLOSE, OPEN_PRICE, HIGH_PRICE, LOW_PRICE, "
            "LAST_PRICE, CLOSE_PRICE, AVG_PRICE, TTL_TRD_QNTY, TURNOVER_LACS, NO_OF_TRADES, "
            "DELIV_QTY, DELIV_PER\nAAA, EQ, 02-Jan-2025, 10.00, 10.00, 11.00, 10.00, 11.00, "
            "11.00, 10.50, 100, 0.01, 5, 50, 50.00\n").lstrip().encode()
    folder = write_folder(tmp_path, {
        "sec_bhavdata_full_02012025.csv": full,
        "AverageMarketCapitalization31Dec2024.xlsx": render_amfi_list(market,
                                                                     date(2024, 12, 31)),
        "bse_index_SENSEX_02012025.csv": bse_index,
        "CSVForDate.csv": bse_index,
    })
    store = Store(tmp_path / "data")
    report = import_dir(store, folder, WHEN)
    assert report.sessions == (DAY,)
    assert store.file("equities", DAY, "sec_bhavdata_full_02012025.csv") is not None
    assert store.file("amfi", DAY, "AverageMarketCapitalization31Dec2024.xlsx") is not None
    assert store.file("indices", DAY, "bse_index_SENSEX_02012025.csv") is not None
    assert "rename it bse_index_<CODE>_DDMMYYYY.csv" in report.skipped[
        str(folder / "CSVForDate.csv")]


def test_import_takes_a_ratings_feed_named_by_its_day(tmp_path: Path) -> None:
    feed = b"date,isin,rating,provider\n2025-01-02,INE000A01011,Buy,Some Research\n"
    folder = write_folder(tmp_path, {
        UDIFF_NAME: udiff_bytes(DAY, STOCKS),
        "ratings_20250102.csv": feed,
        "export.csv": feed,
    })
    store = Store(tmp_path / "data")
    report = import_dir(store, folder, WHEN)
    assert store.file("ratings", DAY, "ratings_20250102.csv") is not None
    assert "name it ratings_YYYYMMDD.csv" in report.skipped[str(folder / "export.csv")]
