"""The BSE profile end to end: BSE bhavcopy, BSE index history, BSE results calendar and
segments by AMFI ranks, fetched over HTTP from a real server on 127.0.0.1 and from the
demo market, with the briefs' figures checked against an independent count."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from exchange_server import Route, exchange_server
from openpyxl import load_workbook
from site_project import copy_static_pages

from generator.config import Config, load_config
from generator.demo import simulate_market
from generator.demo.archive import archive_files
from generator.http import HttpSettings, NotPublishedError, PoliteClient
from generator.pipeline import render_days, stored_sessions
from generator.pull import ExchangeSources, pull_day
from generator.site import build_site
from generator.sources import amfi, bse_indices, bse_results, bse_udiff, nse_indices
from generator.store import Store

REPO = Path(__file__).resolve().parents[1]
START, END = date(2025, 1, 1), date(2025, 1, 10)
WHEN = datetime(2025, 1, 10, 19, tzinfo=UTC)
BSE_GROUPS = {"A", "B", "T", "X", "XT", "Z", "ZP", "P"}


@pytest.fixture(scope="module")
def archive() -> dict[str, bytes]:
    """The demo market's files for a short range, keyed by their path in the archive."""
    market = simulate_market(20250101, START, END)
    return {str(path): data for path, data in archive_files(market)}


def _profile(root: Path, **urls: str) -> Config:
    """Return the repo's BSE profile with its paths under root (and hosts overridden)."""
    config = load_config(REPO / "profiles" / "bse.toml")
    return dataclasses.replace(config, root=root, data_dir=root / "data",
                               docs_dir=root / "site_src", site_dir=root / "site",
                               source_urls=urls)


def _routes(archive: dict[str, bytes], day: date) -> dict[str, Route]:
    """Serve one session's files at the paths NSE, BSE and AMFI publish them under."""
    routes = {
        "/": Route(body=b"<html></html>", content_type="text/html", sets_cookie=True),
        "/api/holiday-master?type=trading": Route(body=archive["holidays.json"],
                                                  content_type="application/json"),
        f"/content/indices/{nse_indices.file_name(day)}": Route(
            body=archive[f"indices/{nse_indices.file_name(day)}"]),
        f"/download/BhavCopy/Equity/{bse_udiff.file_name(day)}": Route(
            body=archive[f"equities/{bse_udiff.file_name(day)}"]),
        "/BseIndiaAPI/api/Corpforthresults/w": Route(
            body=archive[f"board_meetings/{bse_results.file_name(day)}"],
            content_type="application/json"),
    }
    for code in ("SENSEX", "LRGCAP", "MIDCAP", "SMLCAP"):
        path = bse_indices.url(code, day, day, "")
        routes[path] = Route(body=archive[f"indices/{bse_indices.file_name(code, day)}"])
    for name, data in archive.items():
        period = amfi.period_from_name(name.removeprefix("amfi/"))
        if period is not None and (day - period).days >= 10:  # AMFI publishes ~10 days later
            routes[f"/{name[5:]}"] = Route(body=data, content_type="application/octet-stream")
    return routes


def _pull(config: Config, routes: dict[str, Route], day: date) -> dict[str, str]:
    client = PoliteClient(HttpSettings(min_interval_s=0.0, retries=0))
    with exchange_server(routes) as base, client:
        hosts = ("archives_url", "website_url", "bse_website_url", "bse_api_url", "amfi_url")
        urls = dict.fromkeys(hosts, base)
        source = ExchangeSources.from_urls(client, urls)
        return pull_day(config, Store(config.data_dir), day, WHEN, source).statuses


def test_pull_of_the_bse_profile_fetches_each_file_with_bses_referer(
        tmp_path: Path, archive: dict[str, bytes]) -> None:
    day = date(2025, 1, 9)
    config = _profile(tmp_path)
    routes = _routes(archive, day)
    statuses = _pull(config, routes, day)
    assert statuses == {
        bse_udiff.file_name(day): "new",
        bse_results.file_name(day): "new",
        nse_indices.file_name(day): "new",  # for the Nifty 50 benchmark
        **{bse_indices.file_name(c, day): "new" for c in ("LRGCAP", "MIDCAP", "SENSEX",
                                                         "SMLCAP")},
        "holidays.json": "new",
        # The Dec 2024 list is not out on 9 Jan (404): the Jun 2024 one is in force.
        amfi.file_name(date(2024, 6, 30)): "new",
    }
    bhav = routes[f"/download/BhavCopy/Equity/{bse_udiff.file_name(day)}"]
    assert bhav.hits[0]["Referer"].endswith("/")
    store = Store(config.data_dir)
    assert [f.name for f in store.files("amfi", day)] == [amfi.file_name(date(2024, 6, 30))]


def test_the_new_amfi_list_is_taken_once_it_is_published(
        tmp_path: Path, archive: dict[str, bytes]) -> None:
    day = date(2025, 1, 10)
    statuses = _pull(_profile(tmp_path), _routes(archive, day), day)
    assert amfi.file_name(date(2024, 12, 31)) in statuses
    assert amfi.file_name(date(2024, 6, 30)) not in statuses


def test_a_bse_day_not_published_yet_stores_nothing(tmp_path: Path,
                                                    archive: dict[str, bytes]) -> None:
    day = date(2025, 1, 9)
    routes = _routes(archive, day)
    # BSE answers a day it has not published with a web page and status 200.
    routes[f"/download/BhavCopy/Equity/{bse_udiff.file_name(day)}"] = Route(
        body=b"<!DOCTYPE html><html><body>File not found</body></html>",
        content_type="text/html")
    config = _profile(tmp_path)
    with pytest.raises(NotPublishedError, match="web page instead of the file"):
        _pull(config, routes, day)
    assert not config.data_dir.exists()


def _members(archive: dict[str, bytes], day: date, first: int, last: int) -> set[str]:
    """ISINs ranked first..last in the AMFI list in force on `day`, read with openpyxl."""
    period = amfi.period_ends_before(date.fromordinal(day.toordinal() - 10))[0]
    book = load_workbook(io.BytesIO(archive[f"amfi/{amfi.file_name(period)}"]), read_only=True)
    rows = list(book.worksheets[0].iter_rows(min_row=3, values_only=True))
    return {str(r[2]) for r in rows if r[0] is not None and first <= int(str(r[0])) <= last}


def _bse_close(archive: dict[str, bytes], code: str, day: date) -> float:
    text = archive[f"indices/{bse_indices.file_name(code, day)}"].decode()
    return float(text.splitlines()[1].split(",")[4])


def test_demo_bse_briefs_match_an_independent_count(tmp_path: Path,
                                                     archive: dict[str, bytes]) -> None:
    config = dataclasses.replace(_profile(tmp_path), source="demo")
    demo_dir = config.data_dir / "demo-archive"
    for name, data in archive.items():
        (demo_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (demo_dir / name).write_bytes(data)
    store = Store(config.data_dir)
    sessions = sorted(d for name in archive if (d := bse_udiff.date_from_name(
        name.rsplit("/", 1)[-1])) is not None)
    for day in sessions:
        pull_day(config, store, day, WHEN)
    days = stored_sessions(store, "BSE")
    assert days == sessions
    render_days(config, store, days, only=True)

    day, prior = days[-1], days[-2]
    summary = json.loads((config.docs_dir / f"briefs/{day:%Y/%m/%d}/small.json").read_text())
    members = _members(archive, day, 251, 1000)
    rows = list(csv.DictReader(io.StringIO(
        archive[f"equities/{bse_udiff.file_name(day)}"].decode())))
    moves = [float(r["ClsPric"]) - float(r["PrvsClsgPric"]) for r in rows
             if r["ISIN"] in members and r["SctySrs"] in BSE_GROUPS
             and int(r["TtlTradgVol"]) > 0]
    assert summary["index"] == "BSE SmallCap"
    assert summary["advances"] == sum(m > 0 for m in moves)
    assert summary["declines"] == sum(m < 0 for m in moves)
    expected = (_bse_close(archive, "SMLCAP", day) / _bse_close(archive, "SMLCAP", prior)
                - 1) * 100
    assert summary["change_pct"] == pytest.approx(expected, abs=5e-4)

    first = json.loads((config.docs_dir / f"briefs/{days[0]:%Y/%m/%d}/small.json").read_text())
    assert first["change_pct"] is None  # no earlier BSE close stored: no move, and it says so
    brief = (config.docs_dir / f"briefs/{days[0]:%Y/%m/%d}/small.md").read_text()
    assert "close of the previous session" in brief
    methodology = (config.docs_dir / "methodology.md").read_text()
    assert "BSE group" in methodology and "AMFI" in methodology
    copy_static_pages(config.docs_dir)
    site = build_site(config, REPO / "mkdocs.yml")  # mkdocs build --strict
    assert (site / f"briefs/{day:%Y/%m/%d}/small/index.html").is_file()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('[source]\nexchange = "LSE"\n', "[source] exchange must be one of NSE, BSE"),
        ('[bse_indices]\n"Sensex" = ""\n', "[bse_indices] maps an index name to its BSE code"),
    ],
)
def test_profile_settings_are_checked(tmp_path: Path, extra: str, message: str) -> None:
    from generator.errors import ConfigError

    path = tmp_path / "brief.toml"
    path.write_text(extra + '[[segments]]\nkey = "s"\nlabel = "S"\nindex = "I"\n'
                    "amfi_ranks = [251]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_config(path)


@pytest.mark.parametrize("ranks", ["[0, 5]", "[10, 5]", "[1, 2, 3]", '["a"]'])
def test_amfi_ranks_must_be_a_range(tmp_path: Path, ranks: str) -> None:
    from generator.errors import ConfigError

    path = tmp_path / "brief.toml"
    path.write_text(f'[[segments]]\nkey = "s"\nlabel = "S"\nindex = "I"\namfi_ranks = {ranks}\n',
                    encoding="utf-8")
    with pytest.raises(ConfigError, match="amfi_ranks must be"):
        load_config(path)
