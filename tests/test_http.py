"""The polite client and the NSE source against a real server on 127.0.0.1."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from crafted import (
    Stock,
    config_for,
    constituents_bytes,
    holidays_bytes,
    index_bytes,
    meetings_bytes,
    udiff_bytes,
)
from exchange_server import Route, exchange_server

from generator.errors import FormatError, SourceError
from generator.http import HttpSettings, NotPublishedError, PoliteClient
from generator.pull import ExchangeSources, pull_day
from generator.sources.bounded import MAX_FILE_BYTES
from generator.sources.nse import NseSource
from generator.store import Store

FAST = HttpSettings(timeout_s=0.5, retries=2, backoff_s=0.01, min_interval_s=0.0)
DAY = date(2025, 1, 2)
WHEN = datetime(2025, 1, 2, 19, 0, tzinfo=UTC)
STOCKS = [Stock("INE000A01011", "AAA", "A Ltd", 10.0, 11.0)]
HTML = b"<!DOCTYPE html><html><body>Resource not found</body></html>"


def _nse(client: PoliteClient, base: str) -> ExchangeSources:
    return ExchangeSources(NseSource(client, base, base))


def _zip(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def _client(sleeps: list[float] | None = None) -> PoliteClient:
    record = sleeps if sleeps is not None else []
    return PoliteClient(FAST, sleep=record.append)


def test_client_sends_browser_headers_and_returns_the_body() -> None:
    routes = {"/f.csv": Route(body=b"a,b\n1,2\n")}
    with exchange_server(routes) as base, _client() as client:
        assert client.get(f"{base}/f.csv", expect="csv") == b"a,b\n1,2\n"
    assert "Mozilla" in routes["/f.csv"].hits[0]["User-Agent"]


@pytest.mark.parametrize(
    ("route", "error", "message"),
    [
        (Route(status=404, body=b"gone"), NotPublishedError, "not published yet (404)"),
        (Route(status=403, body=b"no"), SourceError, "the server refused the request (403)"),
        (Route(body=HTML, content_type="text/html"), NotPublishedError,
         "the server sent a web page instead of the file"),
        (Route(body=HTML, content_type="application/zip"), NotPublishedError,
         "the server sent a web page instead of the file"),
        (Route(body=_zip("a.csv", b"x" * 5000)[:40], content_type="application/zip"),
         SourceError, "the zip is broken (truncated download?)"),
        (Route(body=b"", content_type="text/csv"), NotPublishedError, "an empty file"),
        (Route(body=_zip("a.csv", b"0" * (MAX_FILE_BYTES + 1)), content_type="application/zip"),
         SourceError, "a.csv inside the zip is larger than 64 MB"),
        (Route(body=b"1" * (MAX_FILE_BYTES + 1)), SourceError,
         "the server sent more than 64 MB"),
        (Route(body=b"a\n", delay_s=1.5), SourceError, "ReadTimeout after 3 attempts"),
        (Route(body=b"a\n", fail_first=9), SourceError, "HTTP 503 after 3 attempts"),
    ],
    ids=["404", "403", "html", "html-as-zip", "truncated-zip", "empty", "zip-bomb",
         "too-large", "slow", "down"],
)
def test_client_reports_each_failure_clearly(
    route: Route, error: type[Exception], message: str
) -> None:
    expect = "zip" if route.content_type == "application/zip" else "csv"
    with exchange_server({"/f": route}) as base, _client() as client, \
            pytest.raises(error) as excinfo:
        client.get(f"{base}/f", expect=expect)
    assert message in str(excinfo.value)
    assert str(excinfo.value).startswith(f"{base}/f: ")


def test_client_retries_5xx_with_growing_backoff() -> None:
    sleeps: list[float] = []
    routes = {"/f": Route(body=b"ok\n", fail_first=2)}
    with exchange_server(routes) as base, _client(sleeps) as client:
        assert client.get(f"{base}/f", expect="csv") == b"ok\n"
    assert sleeps == [0.01, 0.02]
    assert len(routes["/f"].hits) == 3


def test_client_warms_up_cookies_once_for_the_api() -> None:
    routes = {"/": Route(body=b"<html>home</html>", content_type="text/html",
                         sets_cookie=True),
              "/api/x": Route(body=b"[]", content_type="application/json", needs_cookie=True)}
    with exchange_server(routes) as base, _client() as client:
        for _ in range(2):
            assert client.get(f"{base}/api/x", expect="json", warm_up=f"{base}/") == b"[]"
    assert len(routes["/"].hits) == 1
    assert routes["/api/x"].hits[0]["Referer"] == f"{base}/"


def test_client_keeps_a_minimum_interval_between_requests() -> None:
    sleeps: list[float] = []
    ticks = iter([100.0, 100.2, 105.0])
    client = PoliteClient(HttpSettings(min_interval_s=1.0), sleep=sleeps.append,
                          clock=lambda: next(ticks))
    with exchange_server({"/f": Route(body=b"a\n")}) as base, client:
        for _ in range(3):
            client.get(f"{base}/f", expect="csv")
    assert sleeps == [pytest.approx(0.8)]


def _nse_routes(day: date, stocks: list[Stock]) -> dict[str, Route]:
    udiff = f"BhavCopy_NSE_CM_0_0_0_{day:%Y%m%d}_F_0000.csv"
    return {
        "/": Route(body=b"<html></html>", content_type="text/html", sets_cookie=True),
        "/api/holiday-master?type=trading": Route(body=holidays_bytes(),
                                                  content_type="application/json",
                                                  needs_cookie=True),
        "/api/corporate-board-meetings?index=equities": Route(
            body=meetings_bytes([(stocks[0], date(2025, 1, 3))]),
            content_type="application/json", needs_cookie=True),
        f"/content/cm/{udiff}.zip": Route(body=_zip(udiff, udiff_bytes(day, stocks)),
                                          content_type="application/zip"),
        f"/content/indices/ind_close_all_{day:%d%m%Y}.csv": Route(
            body=index_bytes(day, [("Nifty 50", 10.0, 9.0)])),
        "/content/indices/list.csv": Route(body=constituents_bytes(stocks)),
    }


def test_pull_from_nse_stores_every_file_with_its_url(tmp_path: Path) -> None:
    config = config_for(tmp_path, [{"key": "s", "label": "S", "index": "Nifty 50",
                                    "constituents": "list.csv"}], [])
    store = Store(config.data_dir)
    with exchange_server(_nse_routes(DAY, STOCKS)) as base, _client() as client:
        report = pull_day(config, store, DAY, WHEN, _nse(client, base))
    assert set(report.statuses.values()) == {"new"}
    stored = store.files("equities", DAY)[0]
    assert stored.source == f"{base}/content/cm/{stored.name}.zip"
    meta = json.loads(Path(f"{stored.path}.meta.json").read_text())
    assert meta["received_at"] == "2025-01-02T19:00:00+00:00"
    assert store.file("board_meetings", DAY, "board_meetings_20250102.json") is not None


def test_pull_of_a_day_not_published_stores_nothing(tmp_path: Path) -> None:
    config = config_for(tmp_path, [{"key": "s", "label": "S", "index": "Nifty 50",
                                    "constituents": "list.csv"}], [])
    routes = _nse_routes(DAY, STOCKS)
    routes = {k: v for k, v in routes.items() if "BhavCopy" not in k}
    with exchange_server(routes) as base, _client() as client, \
            pytest.raises(NotPublishedError, match=r"not published yet \(404\)"):
        pull_day(config, Store(config.data_dir), DAY, WHEN, _nse(client, base))
    assert not config.data_dir.exists()


def test_pull_rejects_a_zip_holding_another_days_file(tmp_path: Path) -> None:
    config = config_for(tmp_path, [{"key": "s", "label": "S", "index": "Nifty 50",
                                    "constituents": "list.csv"}], [])
    routes = _nse_routes(DAY, STOCKS)
    udiff = f"BhavCopy_NSE_CM_0_0_0_{DAY:%Y%m%d}_F_0000.csv"
    routes[f"/content/cm/{udiff}.zip"] = Route(
        body=_zip("BhavCopy_NSE_CM_0_0_0_20250101_F_0000.csv", udiff_bytes(DAY, STOCKS)),
        content_type="application/zip")
    with exchange_server(routes) as base, _client() as client, \
            pytest.raises(FormatError, match=r"the zip holds .*20250101.*, not .*20250102"):
        pull_day(config, Store(config.data_dir), DAY, WHEN, _nse(client, base))
    assert not config.data_dir.exists()


def test_invoke_pull_of_an_unpublished_day_exits_1_and_stores_nothing(tmp_path: Path) -> None:
    from test_cli import invoke

    routes = {k: v for k, v in _nse_routes(DAY, STOCKS).items() if "BhavCopy" not in k}
    with exchange_server(routes) as base:
        (tmp_path / "brief.toml").write_text(
            f'[source]\nname = "exchanges"\narchives_url = "{base}"\nwebsite_url = "{base}"\n\n'
            '[[segments]]\nkey = "s"\nlabel = "S"\nindex = "Nifty 50"\n'
            'constituents = "list.csv"\n', encoding="utf-8")
        result = invoke("pull", "--config", str(tmp_path / "brief.toml"), "--date",
                        DAY.isoformat())
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"error: {base}/content/cm/BhavCopy_NSE_CM_0_0_0_20250102_F_0000.csv.zip: "
        "not published yet (404); try again later"
    )
    assert not (tmp_path / "data").exists()
