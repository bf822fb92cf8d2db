"""Real NSE files imported with `invoke pull --from-dir`, rendered and built into briefs."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from crafted import config_for
from site_project import copy_static_pages
from test_cli import invoke
from test_real_data import REAL

from generator.escape import escape_md

UDIFF = REAL / "nse-udiff-cm__arun12341234-nse_server"
LIST = REAL / "nse-index-constituents/Hspatel1312-Stock-scanner/ind_niftysmallcap250list.csv"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-data is absent")


def _independent_count(day_file: Path, isins: list[str]) -> dict[str, object]:
    """Count breadth and movers straight from the CSV, without the project's code."""
    rows: dict[str, dict[str, str]] = {}
    with day_file.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["SctySrs"] in ("EQ", "BE", "BZ") and row["ISIN"].startswith("INE"):
                kept = rows.get(row["ISIN"])
                if kept is None or row["SctySrs"] == "EQ":
                    rows[row["ISIN"]] = row
    counts = {"advances": 0, "declines": 0, "unchanged": 0, "not_traded": 0}
    moves = []
    for isin in isins:
        row = rows.get(isin)
        if row is None or float(row["TtlTradgVol"]) == 0:
            counts["not_traded"] += 1
            continue
        close, prev = float(row["ClsPric"]), float(row["PrvsClsgPric"])
        counts["advances" if close > prev else "declines" if close < prev else "unchanged"] += 1
        moves.append((close / prev - 1, row["TckrSymb"]))
    best = sorted((m for m in moves if m[0] > 0), key=lambda m: (-m[0], m[1]))[:5]
    worst = sorted((m for m in moves if m[0] < 0), key=lambda m: (m[0], m[1]))[:5]
    return {**counts, "gainers": [s for _, s in best], "losers": [s for _, s in worst]}


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("real")
    folder = root / "downloads"
    folder.mkdir()
    for path in sorted(UDIFF.glob("CM_UDiFF_2025120*.csv")) + sorted(
        UDIFF.glob("CM_UDiFF_202512[1-3]*.csv")) + sorted(UDIFF.glob("CM_UDiFF_2026*.csv")):
        shutil.copyfile(path, folder / path.name)
    shutil.copyfile(LIST, folder / LIST.name)
    (folder / "notes.txt").write_text("not an exchange file\n")
    config_for(root, [{"key": "small", "label": "Small caps", "index": "Nifty Smallcap 250",
                       "constituents": LIST.name}], [])
    copy_static_pages(root / "site_src")
    config = str(root / "brief.toml")
    result = invoke("pull", "--config", config, "--from-dir", str(folder))
    assert result.returncode == 0, result.stderr
    assert "imported 25 files, 24 sessions" in result.stdout
    assert "skipped" in result.stdout and "notes.txt" in result.stdout
    for task in ("render", "build"):
        result = invoke(task, "--config", config)
        assert result.returncode == 0, result.stderr
    return root


def test_import_renders_a_brief_per_session(imported: Path) -> None:
    briefs = sorted((imported / "site_src/briefs").glob("*/*/*/small.md"))
    assert len(briefs) == 24
    assert (imported / "site/briefs/2026/01/09/small/index.html").is_file()
    text = briefs[-1].read_text()
    assert "close is missing for this session" in text
    assert escape_md("No index close file (ind_close_all_09012026.csv) is stored") in text


@pytest.mark.parametrize("day", ["20251208", "20251231", "20260101", "20260109"])
def test_import_breadth_and_movers_match_an_independent_count(imported: Path, day: str) -> None:
    with LIST.open(newline="") as handle:
        isins = [r["ISIN Code"] for r in csv.DictReader(handle)]
    expected = _independent_count(UDIFF / f"CM_UDiFF_{day}.csv", isins)
    folder = imported / f"site_src/briefs/{day[:4]}/{day[4:6]}/{day[6:]}"
    summary = json.loads((folder / "small.json").read_text())
    got = {key: summary[key] for key in ("advances", "declines", "unchanged", "not_traded")}
    got["gainers"] = [m["symbol"] for m in summary["gainers"]]
    got["losers"] = [m["symbol"] for m in summary["losers"]]
    assert got == expected
    text = (folder / "small.md").read_text()
    assert f"{expected['advances']} advanced, {expected['declines']} declined" in text


FULL = REAL / "nse-sec-bhavdata-full__kiranfor2004-NSE_Downloader"
AUG_LIST = REAL / "nse-index-constituents/anantaam-market-data-dataset/ind_niftysmallcap250list.csv"


def _import_and_render(root: Path, files: list[Path]) -> Path:
    folder = root / "downloads"
    folder.mkdir(parents=True)
    for path in [*files, AUG_LIST]:
        shutil.copyfile(path, folder / path.name)
    config_for(root, [{"key": "small", "label": "Small caps", "index": "Nifty Smallcap 250",
                       "constituents": AUG_LIST.name}], [])
    config = str(root / "brief.toml")
    for args in (("pull", "--from-dir", str(folder)), ("render",)):
        result = invoke(*args, "--config", config)
        assert result.returncode == 0, result.stderr
    return root / "site_src" / "briefs"


def test_full_bhavdata_days_give_the_same_breadth_as_the_udiff_days(
        tmp_path: Path) -> None:
    """The August 2025 days imported as sec_bhavdata_full only (no ISIN, matched by symbol
    through the list) give the same breadth as the same days imported as UDiFF."""
    full = _import_and_render(tmp_path / "full", sorted(FULL.glob("sec_bhavdata_full_*.csv")))
    udiff = _import_and_render(tmp_path / "udiff", sorted(UDIFF.glob("CM_UDiFF_202508*.csv")))
    days = sorted(p.parent for p in full.glob("*/*/*/small.json"))
    assert len(days) == 10
    for day in days:
        a = json.loads((day / "small.json").read_text())
        b = json.loads((udiff / day.relative_to(full) / "small.json").read_text())
        for key in ("advances", "declines", "unchanged", "not_traded", "gainers", "losers"):
            assert a[key] == b[key], (day, key)
    brief = (days[-1] / "small.md").read_text()
    assert "matched to ISINs by symbol" in brief
