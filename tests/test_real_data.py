"""Real exchange files from ../shared/real-data parse with the same parsers as the demo's."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from generator import columns as C
from generator.metrics.universe import company_shares
from generator.sources import (
    nse_board_meetings,
    nse_constituents,
    nse_holidays,
    nse_indices,
    nse_udiff,
)

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-data"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-data is absent")


def _files(pattern: str) -> list[Path]:
    return sorted(REAL.glob(pattern)) if REAL.is_dir() else []


@pytest.mark.parametrize("path", _files("nse-udiff-cm__*/CM_UDiFF_*.csv"), ids=lambda p: p.name)
def test_real_udiff_bhavcopy_parses(path: Path) -> None:
    frame = nse_udiff.parse(path.read_bytes(), str(path))
    assert len(frame) > 3000
    assert (frame[C.CLOSE] > 0).all()
    shares = company_shares(frame)
    assert shares[C.ISIN].str.startswith("INE").all()
    assert 1900 < len(shares) < len(frame)


def test_real_udiff_sample_with_raw_decimals_parses() -> None:
    path = REAL / "format-samples__Razalkapil-stockAnalyser/nse/udiff_20260917.csv"
    frame = nse_udiff.parse(path.read_bytes(), str(path))
    assert frame.loc[frame[C.SYMBOL] == "360ONE", C.CLOSE].item() == 1061.30


@pytest.mark.parametrize("path", _files("format-samples__*/nse/ind_close_all_*.csv"),
                         ids=lambda p: p.name)
def test_real_index_close_file_parses(path: Path) -> None:
    frame = nse_indices.parse(path.read_bytes(), str(path))
    nifty = frame.loc[frame[C.INDEX_NAME] == "Nifty 50"].iloc[0]
    assert nifty[C.CLOSE] > 20000


@pytest.mark.parametrize("path", _files("nse-index-constituents/*/*.csv"),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_real_constituent_list_parses(path: Path) -> None:
    frame = nse_constituents.parse(path.read_bytes(), str(path))
    assert len(frame) >= 50
    real = frame[C.ISIN].str.match(r"^INE[0-9A-Z]{9}$")
    # NSE lists placeholder "Dummy ..." rows (ISIN DUM...) around demergers.
    assert frame.loc[~real, C.ISIN].str.startswith("DUM").all()


def test_real_board_meetings_and_holidays_parse() -> None:
    api = REAL / "api-samples__BennyThadikaran-NseIndiaApi"
    meetings = nse_board_meetings.parse((api / "boardMeetings.json").read_bytes(), "bm")
    assert meetings["is_results"].all()
    assert nse_holidays.parse((api / "holidays.json").read_bytes(), "h")[0].isoformat() == (
        "2023-01-26"
    )


FULL = "nse-sec-bhavdata-full__kiranfor2004-NSE_Downloader"


@pytest.mark.parametrize("path", _files(f"{FULL}/sec_bhavdata_full_*.csv"), ids=lambda p: p.name)
def test_real_full_bhavdata_agrees_with_udiff_on_every_eq_stock(path: Path) -> None:
    from generator.sources import nse_full_bhavdata

    day = nse_full_bhavdata.date_from_name(path.name)
    assert day is not None
    full = nse_full_bhavdata.parse(path.read_bytes(), str(path), expected_date=day)
    udiff_path = REAL / "nse-udiff-cm__arun12341234-nse_server" / f"CM_UDiFF_{day:%Y%m%d}.csv"
    udiff = nse_udiff.parse(udiff_path.read_bytes(), str(udiff_path), expected_date=day)
    key = [C.SYMBOL, C.SERIES]
    both = full.loc[full[C.SERIES] == "EQ"].merge(udiff.loc[udiff[C.SERIES] == "EQ"], on=key,
                                                   suffixes=("_full", "_udiff"))
    assert len(both) > 1900
    for column in (C.CLOSE, C.PREV_CLOSE):
        differ = both.loc[(both[f"{column}_full"] - both[f"{column}_udiff"]).abs() > 0.005]
        assert differ.empty, differ[[*key, f"{column}_full", f"{column}_udiff"]].head()


def test_real_bse_udiff_sample_parses_and_is_not_taken_for_nse() -> None:
    from generator.errors import FormatError
    from generator.sources import bse_udiff

    path = REAL / "format-samples__Razalkapil-stockAnalyser/bse/udiff_20260917.CSV"
    frame = bse_udiff.parse(path.read_bytes(), str(path))
    assert frame.loc[frame[C.SYMBOL] == "ABB", C.CLOSE].item() == 7129.00
    assert set(frame[C.SERIES]) <= {"A", "B", "T", "X", "XT", "Z", "M", "MT", "P", "R", "W"}
    with pytest.raises(FormatError, match="field 'Src': Src is 'BSE', not 'NSE'"):
        nse_udiff.parse(path.read_bytes(), str(path))


def test_real_legacy_bse_bhavcopy_parses_and_the_import_says_why_it_is_not_stored(
        tmp_path: Path) -> None:
    from generator.importer import import_dir
    from generator.sources import bse_legacy
    from generator.store import Store

    path = REAL / "bse-legacy-eq__ShubhamNagure-BhavCopy-Report-Analysis" / "EQ060521.CSV"
    frame = bse_legacy.parse(path.read_bytes(), str(path), date(2021, 5, 6))
    abb = frame.loc[frame[C.INSTRUMENT_ID] == "500002"].iloc[0]
    assert (abb[C.NAME], abb[C.SERIES], abb[C.CLOSE], abb[C.PREV_CLOSE]) == (
        "ABB LTD.", "A", 1381.40, 1370.95)
    assert frame[C.PREV_CLOSE].isna().sum() == 5  # first-day debt listings print 0.00
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(path, folder / path.name)
    report = import_dir(Store(tmp_path / "data"), folder, datetime(2021, 5, 6, tzinfo=UTC))
    assert "no ISIN column" in report.skipped[str(folder / path.name)]
    assert not report.stored


@pytest.mark.parametrize("day", ["2026-01-02", "2026-01-09"])
def test_derived_weekly_file_agrees_with_our_udiff_parse(day: str) -> None:
    """A third party's collated Friday file (not exchange format) as a cross-check: every
    EQ row's open and close equal what our parser reads from the exchange's UDiFF file."""
    import csv

    derived = REAL / "derived-weekly-2026__rahulkanadia-bhavcopypro/2026_Equity_Bhavcopy.csv"
    with derived.open(newline="") as handle:
        rows = {r["Ticker"]: r for r in csv.DictReader(handle, skipinitialspace=True)
                if r["Date"] == day}
    path = REAL / "nse-udiff-cm__arun12341234-nse_server" / f"CM_UDiFF_{day.replace('-', '')}.csv"
    ours = nse_udiff.parse(path.read_bytes(), str(path))
    ours = ours.loc[ours[C.SERIES] == "EQ"].set_index(C.SYMBOL)
    assert len(rows) > 2300 and set(rows) == set(ours.index)
    for symbol, row in rows.items():
        assert float(row["Close"]) == pytest.approx(ours.at[symbol, C.CLOSE], abs=0.005)
        assert float(row["Open"]) == pytest.approx(ours.at[symbol, C.OPEN], abs=0.005)
