"""Before 2024-07-08 NSE published cmDDMONYYYYbhav.csv: chosen by date, confirmed by header."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from crafted import (
    Stock,
    cm_bhav_bytes,
    config_for,
    constituents_bytes,
    holidays_bytes,
    index_bytes,
    meetings_bytes,
    udiff_bytes,
)
from exchange_server import Route, exchange_server

from generator import columns as C
from generator.errors import FormatError
from generator.http import HttpSettings, PoliteClient
from generator.pull import ExchangeSources, pull_day
from generator.sources import equities, nse_cm_bhav
from generator.sources.nse import NseSource, daily_url
from generator.store import Store

OLD = date(2024, 7, 5)
NEW = date(2024, 7, 8)
STOCKS = [Stock("INE000A01011", "AAA", "A Ltd", 10.0, 11.0),
          Stock("INE000B01011", "BBB", "B Ltd", 20.0, 19.0, series="BE")]


def test_layout_is_chosen_by_date() -> None:
    assert equities.file_name(OLD) == "cm05JUL2024bhav.csv"
    assert equities.file_name(NEW) == "BhavCopy_NSE_CM_0_0_0_20240708_F_0000.csv"
    assert daily_url("equities", OLD, "http://x").endswith(
        "/content/historical/EQUITIES/2024/JUL/cm05JUL2024bhav.csv.zip")
    assert nse_cm_bhav.date_from_name("cm05JUL2024bhav.csv") == OLD


def test_legacy_bhavcopy_parses_to_the_udiff_columns() -> None:
    frame = equities.parse(cm_bhav_bytes(OLD, STOCKS), "cm.csv", OLD)
    udiff = equities.parse(udiff_bytes(NEW, STOCKS), "u.csv", NEW)
    assert list(frame.columns) == list(udiff.columns)
    assert list(frame[C.ISIN]) == ["INE000A01011", "INE000B01011"]
    assert list(frame[C.CLOSE]) == [11.0, 19.0]


@pytest.mark.parametrize(
    ("raw", "day", "message"),
    [
        (udiff_bytes(OLD, STOCKS), OLD, "the file has the UDiFF layout, but 2024-07-05 was "
                                        "published as cm bhavcopy"),
        (cm_bhav_bytes(NEW, STOCKS), NEW, "the file has the cm bhavcopy layout, but "
                                          "2024-07-08 was published as UDiFF"),
    ],
)
def test_a_file_in_the_other_layout_is_rejected(raw: bytes, day: date, message: str) -> None:
    with pytest.raises(FormatError) as excinfo:
        equities.parse(raw, "f.csv", day)
    assert message in str(excinfo.value)


def test_pull_of_a_legacy_day_fetches_the_historical_archive(tmp_path: Path) -> None:
    name = nse_cm_bhav.file_name(OLD)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, cm_bhav_bytes(OLD, STOCKS))
    routes = {
        "/": Route(body=b"<html></html>", content_type="text/html", sets_cookie=True),
        "/api/holiday-master?type=trading": Route(body=holidays_bytes(),
                                                  content_type="application/json"),
        "/api/corporate-board-meetings?index=equities": Route(
            body=meetings_bytes([]), content_type="application/json"),
        f"/content/historical/EQUITIES/2024/JUL/{name}.zip": Route(
            body=buffer.getvalue(), content_type="application/zip"),
        "/content/indices/ind_close_all_05072024.csv": Route(
            body=index_bytes(OLD, [("Nifty 50", 10.0, 9.0)])),
        "/content/indices/list.csv": Route(body=constituents_bytes(STOCKS)),
    }
    config = config_for(tmp_path, [{"key": "s", "label": "S", "index": "Nifty 50",
                                    "constituents": "list.csv"}], [])
    store = Store(config.data_dir)
    client = PoliteClient(HttpSettings(min_interval_s=0.0, retries=0))
    with exchange_server(routes) as base, client:
        pull_day(config, store, OLD, datetime(2024, 7, 5, 19, tzinfo=UTC),
                 ExchangeSources(NseSource(client, base, base)))
    assert [f.name for f in store.files("equities", OLD)] == [name]
