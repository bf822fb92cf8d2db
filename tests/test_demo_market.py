"""Tests of the simulated exchange: determinism, file formats, index arithmetic, calendars."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from generator.demo import (
    DEFAULT_SEED,
    DemoMarket,
    simulate_market,
    write_archive,
)
from generator.demo.isin import is_valid_isin, isin_check_digit
from generator.demo.market import CONSTITUENT_FILES
from generator.errors import GeneratorError

START, END = date(2025, 1, 1), date(2025, 1, 31)
Books = list[tuple[date, pd.DataFrame]]
REAL_DATA = Path(__file__).resolve().parents[2] / "shared" / "real-data"
REAL_UDIFF = REAL_DATA / "format-samples__Razalkapil-stockAnalyser" / "nse" / "udiff_20260917.csv"
REAL_MEETINGS = REAL_DATA / "api-samples__BennyThadikaran-NseIndiaApi" / "boardMeetings.json"
UDIFF_HEADER = (
    "TradDt,BizDt,Sgmt,Src,FinInstrmTp,FinInstrmId,ISIN,TckrSymb,SctySrs,XpryDt,"
    "FininstrmActlXpryDt,StrkPric,OptnTp,FinInstrmNm,OpnPric,HghPric,LwPric,ClsPric,LastPric,"
    "PrvsClsgPric,UndrlygPric,SttlmPric,OpnIntrst,ChngInOpnIntrst,TtlTradgVol,TtlTrfVal,"
    "TtlNbOfTxsExctd,SsnId,NewBrdLotQty,Rmks,Rsvd1,Rsvd2,Rsvd3,Rsvd4"
)
UDIFF_ROW = re.compile(
    r"(\d{4}-\d\d-\d\d),\1,CM,NSE,STK,\d+,[A-Z0-9]{12},[A-Z0-9&-]+,[A-Z0-9]*,,,,,"
    r"(?:[^,\"]*|\"(?:[^\"]|\"\")*\"),(?:\d+\.\d\d,){6},\d+\.\d\d,,,"
    r"[1-9]\d*,\d+\.\d\d,[1-9]\d*,F1,[1-9]\d*,,,,,"
)
MEETING_KEYS = [
    "bm_symbol",
    "bm_date",
    "bm_purpose",
    "bm_desc",
    "sm_indusrty",
    "bm_timestamp",
    "sm_name",
    "sm_isin",
    "attachment",
    "diff",
    "sysTime",
]
PRICE_COLUMNS = ["OpnPric", "HghPric", "LwPric", "ClsPric", "LastPric", "PrvsClsgPric", "SttlmPric"]
INDEX_MEMBERS = {
    "Nifty 50": (1, 50),
    "Nifty Next 50": (51, 100),
    "Nifty 100": (1, 100),
    "Nifty Midcap 150": (101, 250),
    "Nifty Smallcap 250": (251, 500),
    "Nifty Microcap 250": (501, 750),
    "Nifty 500": (1, 500),
}


@pytest.fixture(scope="module")
def market() -> DemoMarket:
    """Simulate January 2025 with the default seed."""
    return simulate_market(DEFAULT_SEED, START, END)


@pytest.fixture(scope="module")
def archive(market: DemoMarket, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Write the January market into a fresh folder."""
    folder = tmp_path_factory.mktemp("archive")
    write_archive(market, folder)
    return folder


@pytest.fixture(scope="module")
def books(archive: Path) -> Books:
    """Read the January bhavcopies once."""
    return _bhavcopies(archive)


def _files(folder: Path) -> dict[str, bytes]:
    """Return every file under `folder` keyed by its relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _bhavcopies(folder: Path) -> Books:
    """Read every written bhavcopy as text columns, oldest first."""
    out = []
    for path in sorted((folder / "equities").glob("*.csv")):
        stamp = path.name.split("_")[6]
        day = date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:]))
        out.append((day, pd.read_csv(path, dtype=str, keep_default_na=False)))
    return out


def test_write_archive_same_seed_is_byte_identical(archive: Path, tmp_path: Path) -> None:
    write_archive(simulate_market(DEFAULT_SEED, START, END), tmp_path)
    first, second = _files(archive), _files(tmp_path)
    assert sorted(first) == sorted(second)
    assert all(first[name] == second[name] for name in first)


def test_write_archive_other_seed_differs(archive: Path, tmp_path: Path) -> None:
    write_archive(simulate_market(DEFAULT_SEED + 1, START, END), tmp_path)
    first, other = _files(archive), _files(tmp_path)
    shared = sorted(set(first) & set(other) - {"holidays.json"})
    assert shared
    assert all(first[name] != other[name] for name in shared if "equities" in name)
    assert first["constituents/ind_nifty50list.csv"] != other["constituents/ind_nifty50list.csv"]


def test_write_archive_rerun_leaves_mtimes_unchanged(market: DemoMarket, tmp_path: Path) -> None:
    written = write_archive(market, tmp_path)
    assert written == sorted(written)
    assert set(written) == {p for p in tmp_path.rglob("*") if p.is_file()}
    old = 1_000_000_000
    for path in written:
        os.utime(path, ns=(old, old))
    written[0].write_bytes(b"damaged")
    assert write_archive(market, tmp_path) == written
    assert written[0].stat().st_mtime_ns != old
    assert all(p.stat().st_mtime_ns == old for p in written[1:])
    assert not list(tmp_path.rglob("*.tmp"))


def test_write_archive_longer_range_keeps_earlier_files(archive: Path, tmp_path: Path) -> None:
    write_archive(simulate_market(DEFAULT_SEED, START, date(2025, 2, 14)), tmp_path)
    first, longer = _files(archive), _files(tmp_path)
    assert set(first) < set(longer)
    assert [name for name in first if first[name] != longer[name]] == []


def test_simulate_market_rejects_reversed_range() -> None:
    with pytest.raises(GeneratorError, match="before it starts"):
        simulate_market(DEFAULT_SEED, END, START)


def test_archive_layout_has_one_file_per_session(market: DemoMarket, archive: Path) -> None:
    names = set(_files(archive))
    for day in market.trading_days:
        assert f"equities/BhavCopy_NSE_CM_0_0_0_{day:%Y%m%d}_F_0000.csv" in names
        assert f"indices/ind_close_all_{day:%d%m%Y}.csv" in names
        assert f"board_meetings/board_meetings_{day:%Y%m%d}.json" in names
        assert f"equities/BhavCopy_BSE_CM_0_0_0_{day:%Y%m%d}_F_0000.CSV" in names
        assert f"board_meetings/bse_results_{day:%Y%m%d}.json" in names
        assert f"ratings/ratings_{day:%Y%m%d}.csv" in names
        for code in ("SENSEX", "LRGCAP", "MIDCAP", "SMLCAP"):
            assert f"indices/bse_index_{code}_{day:%d%m%Y}.csv" in names
    assert {f"constituents/{n}" for n in CONSTITUENT_FILES} <= names
    # AMFI lists in force over January 2025: June 2024's, then December 2024's from 10 Jan.
    assert {n for n in names if n.startswith("amfi/")} == {
        "amfi/AverageMarketCapitalization30Jun2024.xlsx",
        "amfi/AverageMarketCapitalization31Dec2024.xlsx"}
    assert "holidays.json" in names
    assert len(names) == 10 * len(market.trading_days) + len(CONSTITUENT_FILES) + 2 + 1


def test_isin_check_digit_known_examples() -> None:
    for isin in ("INE117A01022", "INE002A01018", "INF579M01BB5", "IN0020200104"):
        assert is_valid_isin(isin)
        assert isin_check_digit(isin[:11]) == isin[11]
        wrong = isin[:11] + str((int(isin[11]) + 1) % 10)
        assert not is_valid_isin(wrong)
    assert not is_valid_isin("INE117A0102")
    assert not is_valid_isin("ine117a01022")


def test_bhavcopy_isins_valid_and_unique_per_series(books: Books) -> None:
    for _, rows in books:
        assert rows["ISIN"].map(is_valid_isin).all()
        assert not rows.duplicated(["ISIN", "SctySrs"]).any()
        assert not rows.duplicated(["TckrSymb", "SctySrs"]).any()


def test_bhavcopy_header_equals_real_header(archive: Path) -> None:
    for path in (archive / "equities").glob("*.csv"):
        assert path.read_bytes().split(b"\n", 1)[0].decode() == UDIFF_HEADER
    if not REAL_UDIFF.exists():
        pytest.skip("real-data samples not present (fresh clone)")
    assert REAL_UDIFF.read_text().split("\n", 1)[0].strip() == UDIFF_HEADER


def test_bhavcopy_rows_have_the_real_shape(archive: Path) -> None:
    lines = [
        line
        for path in sorted((archive / "equities").glob("*.csv"))
        for line in path.read_text().split("\n")[1:-1]
    ]
    assert all(UDIFF_ROW.fullmatch(line) for line in lines)
    assert any(",A&B <CO> *LTD* | X," in line for line in lines)
    if not REAL_UDIFF.exists():
        pytest.skip("real-data samples not present (fresh clone)")
    real = REAL_UDIFF.read_text().splitlines()[1:]
    assert real and all(UDIFF_ROW.fullmatch(line) for line in real)


def test_bhavcopy_fixed_fields_like_nse(books: Books) -> None:
    for day, rows in books:
        assert (rows["TradDt"] == f"{day:%Y-%m-%d}").all()
        assert (rows["BizDt"] == rows["TradDt"]).all()
        assert set(rows["Sgmt"]) == {"CM"} and set(rows["Src"]) == {"NSE"}
        assert set(rows["FinInstrmTp"]) == {"STK"} and set(rows["SsnId"]) == {"F1"}
        empty = [
            "XpryDt",
            "FininstrmActlXpryDt",
            "StrkPric",
            "OptnTp",
            "UndrlygPric",
            "OpnIntrst",
            "ChngInOpnIntrst",
            "Rmks",
            "Rsvd1",
            "Rsvd2",
            "Rsvd3",
            "Rsvd4",
        ]
        assert (rows[empty] == "").all().all()
        keys = list(zip(rows["TckrSymb"], rows["SctySrs"], strict=True))
        assert keys == sorted(keys)


def test_equities_skip_holidays_and_weekends(archive: Path, books: Books) -> None:
    listed = json.loads((archive / "holidays.json").read_text())["CM"]
    closed = {pd.Timestamp(h["tradingDate"]).date() for h in listed}
    for day, _ in books:
        assert day.weekday() < 5 and day not in closed


def test_equities_absent_on_republic_day_2026(tmp_path: Path) -> None:
    market = simulate_market(DEFAULT_SEED, date(2026, 1, 22), date(2026, 1, 28))
    write_archive(market, tmp_path)
    days = {p.name.split("_")[6] for p in (tmp_path / "equities").glob("*.csv")}
    assert days == {"20260122", "20260123", "20260127", "20260128"}
    listed = json.loads((tmp_path / "holidays.json").read_text())
    assert {
        "tradingDate": "26-Jan-2026",
        "weekDay": "Monday",
        "description": "Republic Day",
        "Sr_no": 1,
    } in listed["CM"]
    assert listed["FO"] == listed["CM"]


def test_index_close_equals_cap_weighted_constituents(
    market: DemoMarket, archive: Path, books: Books
) -> None:
    eq = [rows[(rows["SctySrs"] == "EQ") & rows["ISIN"].str.startswith("INE")] for _, rows in books]
    last: dict[str, float] = {}
    for rows in eq:
        for sym, prev in zip(rows["TckrSymb"], rows["PrvsClsgPric"].astype(float), strict=True):
            last.setdefault(sym, prev)
    marks = []
    for rows in eq:
        last = {**last, **dict(zip(rows["TckrSymb"], rows["ClsPric"].astype(float), strict=True))}
        marks.append(last)
    closes = [
        pd.read_csv(archive / "indices" / f"ind_close_all_{day:%d%m%Y}.csv")
        .set_index("Index Name")["Closing Index Value"]
        .astype(float)
        for day, _ in books
    ]
    firms = market.companies
    for name, (lo, hi) in INDEX_MEMBERS.items():
        members = firms[firms["rank"].between(lo, hi)]
        shares = dict(zip(members["symbol"], members["shares"].astype(float), strict=True))
        for t in range(1, len(books)):
            cap_now = sum(s * marks[t][sym] for sym, s in shares.items())
            cap_before = sum(s * marks[t - 1][sym] for sym, s in shares.items())
            expected = closes[t - 1][name] * cap_now / cap_before
            assert closes[t][name] == pytest.approx(expected, rel=1e-4)


def test_index_close_file_format(archive: Path) -> None:
    text = (archive / "indices" / "ind_close_all_02012025.csv").read_text()
    lines = text.split("\n")
    assert lines[0] == (
        "Index Name,Index Date,Open Index Value,High Index Value,"
        "Low Index Value,Closing Index Value,Points Change,Change(%),Volume,"
        "Turnover (Rs. Cr.),P/E,P/B,Div Yield"
    )
    assert text.endswith("\n") and "\r" not in text
    rows = {line.split(",")[0]: line.split(",") for line in lines[1:] if line}
    assert set(INDEX_MEMBERS) | {"India VIX", "Nifty50 Dividend Points"} == set(rows)
    assert rows["India VIX"][8:] == ["-"] * 5
    assert rows["Nifty50 Dividend Points"][2:5] == ["-"] * 3
    for fields in rows.values():
        assert fields[1] == "02-01-2025"
        assert not re.match(r"-?0\.", fields[7])
        if fields[0] != "Nifty50 Dividend Points":
            low, high = float(fields[4]), float(fields[3])
            assert low <= float(fields[2]) <= high and low <= float(fields[5]) <= high
    frame = pd.read_csv(io.StringIO(text), na_values="-")
    change = frame["Points Change"] / (frame["Closing Index Value"] - frame["Points Change"])
    assert ((100 * change).round(2) - frame["Change(%)"]).abs().max() <= 0.011


def test_bhavcopy_carries_non_company_rows(books: Books) -> None:
    _, rows = books[0]
    series = rows["SctySrs"]
    assert (rows["ISIN"].str.startswith("INF") & (series == "EQ")).sum() > 100
    for code in ("GB", "GS", "BE", "SM", ""):
        assert (series == code).any(), code
    assert rows.loc[series == "GB", "ISIN"].str.startswith("IN00").all()
    assert rows.loc[series == "", "ISIN"].str.match(r"INE\w{4}0[78]").all()
    assert (series.str.fullmatch(r"N\d") & rows["ISIN"].str.startswith("INE")).any()
    assert rows.loc[series == "SM", "NewBrdLotQty"].astype(int).gt(1).all()


def test_bhavcopy_block_deal_shares_isin_with_eq_row(
    books: Books,
) -> None:
    days = [rows for _, rows in books if (rows["SctySrs"] == "BL").any()]
    assert days
    block = days[0][days[0]["SctySrs"] == "BL"].iloc[0]
    twin = days[0][(days[0]["TckrSymb"] == block["TckrSymb"]) & (days[0]["SctySrs"] == "EQ")]
    assert twin["ISIN"].tolist() == [block["ISIN"]]


def test_constituents_hostile_name_in_smallcap_list(archive: Path) -> None:
    raw = (archive / "constituents" / "ind_niftysmallcap250list.csv").read_text()
    rows = list(csv.reader(io.StringIO(raw)))
    assert rows[0] == ["Company Name", "Industry", "Symbol", "Series", "ISIN Code"]
    assert len(rows) == 251 and all(len(r) == 5 for r in rows)
    hostile = [r for r in rows if r[2] == "AANDB"]
    assert hostile and hostile[0][0] == "A&B <Co> *Ltd* | x"
    assert re.search(r"^A&B <Co> \*Ltd\* \| x,[^,]+,AANDB,EQ,INE\w{9}$", raw, re.MULTILINE)
    names = [r[0] for r in rows[1:]]
    assert names == sorted(names)
    assert "\r" not in raw and raw.endswith("\n")


def test_constituents_follow_start_ranks(market: DemoMarket, archive: Path) -> None:
    sizes = {
        "ind_nifty50list.csv": 50,
        "ind_nifty100list.csv": 100,
        "ind_niftymidcap150list.csv": 150,
        "ind_niftysmallcap250list.csv": 250,
        "ind_niftymicrocap250_list.csv": 250,
        "ind_nifty500list.csv": 500,
    }
    for name, size in sizes.items():
        listed = pd.read_csv(archive / "constituents" / name, dtype=str, keep_default_na=False)
        assert len(listed) == size and (listed["Series"] == "EQ").all()
    caps = market.companies.assign(cap=lambda f: f["shares"] * f["price0"])
    assert caps["cap"].is_monotonic_decreasing


def test_bhavcopy_microcap_constituent_sometimes_missing(archive: Path, books: Books) -> None:
    micro = set(pd.read_csv(archive / "constituents" / "ind_niftymicrocap250_list.csv")["Symbol"])
    missing = [len(micro - set(rows["TckrSymb"])) for _, rows in books]
    assert max(missing) > 0
    unchanged = []
    for _, rows in books:
        mine = rows[rows["TckrSymb"].isin(micro) & (rows["SctySrs"] == "EQ")]
        unchanged.append(int((mine["ClsPric"] == mine["PrvsClsgPric"]).sum()))
    assert max(unchanged) > 0


def test_bhavcopy_prices_have_two_decimals(books: Books) -> None:
    for _, rows in books:
        for column in [*PRICE_COLUMNS, "TtlTrfVal"]:
            assert rows[column].str.fullmatch(r"\d+\.\d{2}").all(), column
        for column in ("TtlTradgVol", "TtlNbOfTxsExctd", "FinInstrmId", "NewBrdLotQty"):
            assert rows[column].str.fullmatch(r"[1-9]\d*").all(), column


def test_bhavcopy_low_close_high_ordered(books: Books) -> None:
    for _, rows in books:
        p = rows[PRICE_COLUMNS].astype(float)
        inner = p[["OpnPric", "ClsPric", "LastPric"]]
        assert (p["LwPric"] <= inner.min(axis=1)).all()
        assert (inner.max(axis=1) <= p["HghPric"]).all()
        assert (rows["TtlTrfVal"].astype(float) > 0).all()


def test_bhavcopy_prev_close_is_last_traded_close(books: Books) -> None:
    last: dict[tuple[str, str], str] = {}
    for _, rows in books:
        for key, prev, close in zip(
            zip(rows["TckrSymb"], rows["SctySrs"], strict=True),
            rows["PrvsClsgPric"],
            rows["ClsPric"],
            strict=True,
        ):
            if key in last and key[1] != "BL":
                assert prev == last[key], key
            last[key] = close


def test_board_meetings_parse_with_sample_keys(archive: Path) -> None:
    keys = MEETING_KEYS
    if REAL_MEETINGS.exists():
        keys = list(json.loads(REAL_MEETINGS.read_text())[0])
    seen = 0
    for path in sorted((archive / "board_meetings").glob("board_meetings_*.json")):
        raw = path.read_text(encoding="utf-8")
        meetings = json.loads(raw)
        assert raw == json.dumps(meetings, indent=2, ensure_ascii=False) + "\n"
        day = date(int(path.stem[-8:-4]), int(path.stem[-4:-2]), int(path.stem[-2:]))
        held = [pd.Timestamp(m["bm_date"]).date() for m in meetings]
        assert all(day <= d <= day + timedelta(days=30) for d in held)
        order = [(d, m["bm_symbol"]) for d, m in zip(held, meetings, strict=True)]
        assert order == sorted(order)
        for meeting in meetings:
            assert list(meeting) == keys
            assert pd.Timestamp(meeting["bm_timestamp"]).date() <= day
            assert is_valid_isin(meeting["sm_isin"])
        seen += len(meetings)
    assert seen > 0


def test_board_meetings_cluster_in_results_season(archive: Path) -> None:
    folder = archive / "board_meetings"
    meetings = json.loads((folder / "board_meetings_20250127.json").read_text())
    results = [m for m in meetings if "period ended December 2024" in m["bm_purpose"]]
    assert len(results) > 100
    every = [m for p in folder.glob("board_meetings_*.json") for m in json.loads(p.read_text())]
    hostile = [m for m in every if m["bm_symbol"] == "AANDB"]
    assert hostile and hostile[0]["sm_name"] == "A&B <Co> *Ltd* | x"
