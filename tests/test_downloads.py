"""Downloads beside the briefs: the constituents CSV and the JSON index of every brief."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import scenario

from generator.downloads import (
    BRIEFS_INDEX,
    CSV_COLUMNS,
    brief_url,
    briefs_catalogue,
    briefs_index,
    constituents_csv,
    constituents_zip,
    csv_path,
    json_path,
    neutralise_formula,
    page_url,
    sort_newest_first,
)
from generator.metrics.segment import SegmentDay, compute_day
from generator.snapshot import load_day, load_history, load_ratings
from generator.summary import BriefSummary, summarise

SITE = "https://example.org/market-briefs/"
HOSTILE_NAMES = {
    "ABCO": 'A&B <script>"Co"',
    "UP0001": "=cmd|' /C calc'!A0",
    "UP0002": "+SUM(1,2)",
    "UP0003": "-2+3",
    "UP0004": "@SUM(A1)",
    "UP0006": "\tTabbed Ltd",
    "UP0007": "\rReturn Ltd",
    "UP0008": "Comma, \"Quote\" and\r\nnewline Ltd",
}


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> list[SegmentDay]:
    """The crafted seed day with its trend-label and rating changes, every segment."""
    crafted = scenario.build(tmp_path_factory.mktemp("seed"))
    market = load_day(crafted.store, crafted.config, scenario.DAY)
    history = load_history(crafted.store, scenario.DAY)
    feed = load_ratings(crafted.store, scenario.DAY)
    return compute_day(crafted.config, market, history, scenario.trend_changes(crafted.small),
                       feed)


@pytest.fixture
def small(seed: list[SegmentDay]) -> SegmentDay:
    return next(sd for sd in seed if sd.segment.key == "small")


def _rows(text: str) -> dict[str, dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
    return {row["symbol"]: row for row in reader}


def _hostile(sd: SegmentDay) -> SegmentDay:
    assert sd.members is not None
    members = sd.members.copy()
    symbols = members["symbol"].astype(str)
    members["name"] = [HOSTILE_NAMES.get(s, n) for s, n in zip(symbols, members["name"],
                                                                 strict=True)]
    members.loc[symbols == "UP0009", "industry"] = "=HYPERLINK(\"http://x\")"
    return dataclasses.replace(sd, members=members)


# --- paths ---------------------------------------------------------------------------------


def test_paths_sit_beside_the_brief() -> None:
    day = date(2025, 1, 17)
    assert csv_path(day) == "briefs/2025/01/17/constituents.csv.zip"
    assert json_path(day, "small") == "briefs/2025/01/17/small.json"
    assert brief_url(day, "small") == "briefs/2025/01/17/small/"
    assert BRIEFS_INDEX == "briefs/index.json"


def test_page_url_follows_directory_urls() -> None:
    assert page_url("index.md") == ""
    assert page_url("archive/index.md") == "archive/"
    assert page_url("briefs/2025/01/17/small.md") == "briefs/2025/01/17/small/"
    with pytest.raises(ValueError, match=r"'feeds/all\.xml' is not a Markdown page"):
        page_url("feeds/all.xml")


# --- constituents CSV ----------------------------------------------------------------------


def test_constituents_csv_has_one_row_per_member_sorted_by_symbol(small: SegmentDay) -> None:
    text = constituents_csv(small)
    lines = text.split("\n")
    assert lines[0] == ",".join(CSV_COLUMNS)
    assert lines[-1] == ""  # ends with a line end
    assert "\r" not in text
    rows = list(_rows(text))
    assert len(rows) == 1200
    assert rows == sorted(rows)


def test_constituents_csv_values_fixed_decimals_and_empty_cells(small: SegmentDay) -> None:
    rows = _rows(constituents_csv(small))
    assert rows["ABCO"] == {
        "date": "2026-02-12", "segment": "small", "symbol": "ABCO", "name": scenario.HOSTILE,
        "isin": "INE000001015", "industry": "Textiles", "series": "EQ", "close": "112.99",
        "prev_close": "100.00", "return_pct": "12.9900", "volume": "1000", "traded": "true",
        "mover": "gainer", "mover_rank": "1", "results_date": "", "trend_from": "",
        "trend_to": "", "rating_changes": "",
    }
    idle = rows["IDLE0"]
    assert [idle[c] for c in ("series", "close", "prev_close", "return_pct", "volume")] == [
        "", "", "", "", ""]
    assert idle["traded"] == "false"
    assert rows["STALL"]["return_pct"] == "-16.7800"  # a number, not neutralised
    assert (rows["STALL"]["mover"], rows["STALL"]["mover_rank"]) == ("loser", "1")
    assert (rows["DN0815"]["mover"], rows["DN0815"]["mover_rank"]) == ("loser", "2")
    assert (rows["UP0377"]["mover"], rows["UP0377"]["mover_rank"]) == ("gainer", "2")
    assert rows["FLAT0"]["return_pct"] == "0.0000"


def test_constituents_csv_marks_results_trends_and_ratings(small: SegmentDay) -> None:
    rows = _rows(constituents_csv(small))
    assert rows["UP0005"]["results_date"] == "2026-02-13"
    assert rows["DN0222"]["results_date"] == "2026-02-16"
    assert (rows["UP0020"]["trend_from"], rows["UP0020"]["trend_to"]) == (
        "Sideways", "Mildly Bullish")
    assert (rows["DN0032"]["trend_from"], rows["DN0032"]["trend_to"]) == (
        "Mildly Bullish", "Sideways")
    assert rows["UP0026"]["trend_to"] == ""  # unchanged label
    assert rows["UP0010"]["rating_changes"] == "Crafted Research: Hold -> Buy"
    assert rows["DN0122"]["rating_changes"] == "Crafted Research: Buy -> Sell"
    assert rows["UP0015"]["rating_changes"] == "Crafted Research: none -> Strong Buy"
    assert rows["UP0016"]["rating_changes"] == ""  # re-affirmed


def test_constituents_csv_neutralises_formulas_and_round_trips(small: SegmentDay) -> None:
    text = constituents_csv(_hostile(small))
    rows = _rows(text)
    assert rows["ABCO"]["name"] == 'A&B <script>"Co"'
    assert rows["UP0001"]["name"] == "'=cmd|' /C calc'!A0"
    assert rows["UP0002"]["name"] == "'+SUM(1,2)"
    assert rows["UP0003"]["name"] == "'-2+3"
    assert rows["UP0004"]["name"] == "'@SUM(A1)"
    assert rows["UP0006"]["name"] == "'\tTabbed Ltd"
    assert rows["UP0007"]["name"] == "'\nReturn Ltd"  # CR written as LF, quoted
    assert rows["UP0008"]["name"] == 'Comma, "Quote" and\nnewline Ltd'
    assert rows["UP0009"]["industry"] == "'=HYPERLINK(\"http://x\")"

    frame = pd.read_csv(io.StringIO(text), dtype={"symbol": str, "name": str, "industry": str})
    assert len(frame) == 1200
    by_symbol = frame.set_index("symbol")
    assert by_symbol.loc["UP0008", "name"] == 'Comma, "Quote" and\nnewline Ltd'
    assert by_symbol.loc["UP0001", "name"] == "'=cmd|' /C calc'!A0"
    assert by_symbol.loc["STALL", "return_pct"] == -16.78
    assert by_symbol.loc["ABCO", "close"] == 112.99
    assert pd.isna(by_symbol.loc["IDLE1", "close"])
    assert frame["traded"].dtype == bool
    assert int(frame["traded"].sum()) == 1198
    assert frame["close"].dtype == "float64"


def test_neutralise_formula_leaves_plain_text() -> None:
    assert neutralise_formula("Tata Steel") == "Tata Steel"
    assert neutralise_formula("") == ""
    assert neutralise_formula("=1") == "'=1"
    assert neutralise_formula("x=1") == "x=1"


def test_constituents_csv_is_deterministic_and_independent_of_row_order(
    small: SegmentDay,
) -> None:
    assert small.members is not None
    shuffled = dataclasses.replace(
        small, members=small.members.sample(frac=1, random_state=7).reset_index(drop=True))
    assert constituents_csv(small) == constituents_csv(small) == constituents_csv(shuffled)


def test_constituents_zip_holds_each_segments_csv_under_a_dated_name_and_is_deterministic(
        seed: list[SegmentDay], small: SegmentDay) -> None:
    """One zip a day: a member per segment, in the order given, named by segment and day."""
    assert len(seed) > 1
    data = constituents_zip(seed)
    assert data == constituents_zip(seed)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == [
            f"{sd.segment.key}-{sd.day.isoformat()}.csv" for sd in seed]
        for info, sd in zip(infos, seed, strict=True):
            assert info.compress_type == zipfile.ZIP_DEFLATED
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert archive.read(info).decode("utf-8") == constituents_csv(sd)
        member = archive.open(f"small-{small.day.isoformat()}.csv")
        frame = pd.read_csv(member)
    assert len(frame) == len(small.members)  # type: ignore[arg-type]
    total = sum(len(constituents_csv(sd).encode("utf-8")) for sd in seed)
    assert len(data) < 0.5 * total
    only = constituents_zip([small])
    assert pd.read_csv(io.BytesIO(only), compression="zip").shape == frame.shape


def test_constituents_csv_needs_members(small: SegmentDay) -> None:
    with pytest.raises(ValueError) as caught:
        constituents_csv(dataclasses.replace(small, members=None))
    assert str(caught.value) == (
        "the 'small' segment day of 2026-02-12 has no members table; compute it with "
        "generator.metrics.segment.compute_day, which fills SegmentDay.members")


# --- briefs index --------------------------------------------------------------------------


def _archive(seed: list[SegmentDay]) -> list[BriefSummary]:
    """Return the seed's summaries on three days, in config order per day, oldest first."""
    base = [summarise(sd) for sd in seed]
    return [dataclasses.replace(s, day=day) for day in ("2026-02-10", "2026-02-11",
                                                          "2026-02-12") for s in base]


def test_briefs_index_lists_every_brief_newest_first(seed: list[SegmentDay]) -> None:
    summaries = _archive(seed)
    index = json.loads(briefs_index(summaries, SITE))
    assert [(b["date"], b["segment"]) for b in index["briefs"]] == [
        ("2026-02-12", "large"), ("2026-02-12", "small"), ("2026-02-11", "large"),
        ("2026-02-11", "small"), ("2026-02-10", "large"), ("2026-02-10", "small")]
    assert index["version"] == 4
    assert index["site_url"] == SITE
    assert index["generated_from"] == {
        "summaries": "briefs/YYYY/MM/DD/<segment>.json", "briefs": 6,
        "first_day": "2026-02-10", "last_day": "2026-02-12"}


def test_briefs_index_entry_holds_figures_links_and_symbols(seed: list[SegmentDay]) -> None:
    index = json.loads(briefs_index(_archive(seed), SITE))
    small = next(b for b in index["briefs"] if b["segment"] == "small")
    large = next(b for b in index["briefs"] if b["segment"] == "large")
    assert small == {
        "date": "2026-02-12",
        "segment": "small",
        "label": "Small caps",
        "index": "BSE SmallCap",
        "headline": "Small caps rise 2.52%, best of two segments; breadth weak (A/D 0.46)",
        "url": "briefs/2026/02/12/small/",
        "absolute_url": SITE + "briefs/2026/02/12/small/",
        "data": {"json": "briefs/2026/02/12/small.json",
                 "csv": "briefs/2026/02/12/constituents.csv.zip",
                 "csv_member": "small-2026-02-12.csv"},
        "change_pct": 2.52,
        "window_pct": 1.95,
        "window_sessions": 5,
        "advances": 378,
        "declines": 816,
        "ad_ratio": 0.4632,
        # The stocks the text names: UP0024, the sixth trend upgrade, is behind "and 1 more".
        "symbols": ["ABCO", "DN0032", "DN0122", "DN0222", "DN0812", "DN0813", "DN0814",
                    "DN0815", "STALL", "UP0005", "UP0010", "UP0011", "UP0012", "UP0013",
                    "UP0014", "UP0015", "UP0020", "UP0021", "UP0022", "UP0023",
                    "UP0025", "UP0374", "UP0375", "UP0376", "UP0377"],
    }
    assert large["ad_ratio"] is None  # nothing declined
    assert large["declines"] == 0


def test_briefs_index_is_stable_pretty_json(seed: list[SegmentDay]) -> None:
    summaries = _archive(seed)
    text = briefs_index(summaries, SITE)
    assert text == briefs_index(list(summaries), SITE)
    assert text == briefs_index(summaries[4:] + summaries[:4], SITE)  # days in any order
    assert text.endswith("}\n")
    assert text.startswith('{\n "briefs": [\n  {\n   "absolute_url": ')


def test_briefs_index_keeps_text_unescaped(seed: list[SegmentDay]) -> None:
    summary = dataclasses.replace(summarise(seed[1]), headline="Small caps — A&B <Co> rise")
    text = briefs_index([summary], SITE)
    assert '"headline": "Small caps — A&B <Co> rise"' in text


def test_briefs_catalogue_lists_years_and_the_newest_briefs(seed: list[SegmentDay]) -> None:
    summaries = _archive(seed)
    catalogue = json.loads(briefs_catalogue(summaries, SITE))
    assert catalogue["version"] == 4 and catalogue["site_url"] == SITE
    assert catalogue["years"] == [{"year": 2026, "briefs": 6, "first_day": "2026-02-10",
                                   "last_day": "2026-02-12", "index": "briefs/2026/index.json"}]
    assert catalogue["latest"] == json.loads(briefs_index(summaries, SITE))["briefs"]
    assert json.loads(briefs_catalogue([], SITE)) == {
        "version": 4, "site_url": SITE, "years": [], "latest": []}


def test_briefs_index_of_nothing_is_empty() -> None:
    assert json.loads(briefs_index([], SITE)) == {
        "version": 4, "site_url": SITE, "briefs": [],
        "generated_from": {"summaries": "briefs/YYYY/MM/DD/<segment>.json", "briefs": 0,
                           "first_day": None, "last_day": None}}


@pytest.mark.parametrize("url", ["https://example.org", "example.org/", "/briefs/",
                                 "ftp://example.org/"])
def test_briefs_index_needs_an_absolute_site_url_with_slash(url: str) -> None:
    with pytest.raises(ValueError) as caught:
        briefs_index([], url)
    assert str(caught.value) == (
        "site_url must be an absolute http(s) URL ending with '/', like "
        f"'https://example.org/market-briefs/'; got {url!r}")


def test_sort_newest_first_refuses_a_brief_twice(seed: list[SegmentDay]) -> None:
    summary = summarise(seed[0])
    with pytest.raises(ValueError) as caught:
        sort_newest_first([summary, summary])
    assert str(caught.value) == (
        "two summaries of the 'large' brief of 2026-02-12; pass each brief once")


def test_briefs_index_reads_summaries_written_to_disk(seed: list[SegmentDay],
                                                      tmp_path: Path) -> None:
    path = tmp_path / "small.json"
    path.write_text(summarise(seed[1]).to_json(), encoding="utf-8")
    assert briefs_index([BriefSummary.from_path(path)], SITE) == briefs_index(
        [summarise(seed[1])], SITE)
