"""Files readers download beside the briefs: a day's constituents as zipped CSVs, and a JSON
index of every brief.

Both are pure builders (the caller writes them) and deterministic: the same inputs give
byte-identical output, and nothing reads the clock.

The CSVs of a day's segments are zipped together (`constituents.csv.zip` in the day's folder,
one member `<segment>-YYYY-MM-DD.csv` per brief, fixed timestamps): a third of the bytes, and
one file a day rather than four (a ten-year site is 10,000 files fewer and a day's publish
changes three files fewer). The exchanges publish their own daily files zipped; spreadsheets
and operating systems open a zip, and pandas reads a member of it
(`pd.read_csv(zipfile.ZipFile(...).open("small-2025-01-31.csv"))`).

The CSV is meant to be opened in spreadsheets, so every text cell that a spreadsheet would
read as a formula (one starting with = + - @, a tab or a carriage return) gets a leading
apostrophe. Number cells are written by this module with fixed decimals and are left alone.
A line break inside a text cell is written as LF (a CR becomes LF), in a quoted cell.
"""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from generator import columns as C
from generator.escape import drop_invisible
from generator.metrics.segment import SegmentDay
from generator.pages import BRIEFS, brief_path, day_dir
from generator.summary import BriefSummary

BRIEFS_INDEX = f"{BRIEFS}/index.json"
# 2: briefs/index.json lists the years and the newest briefs; each year has its own index.
# 3: a brief's "csv" is its zipped constituents CSV (<segment>.csv.zip).
# 4: a brief's "csv" is its day's zip of every segment's CSV (constituents.csv.zip), whose
#    member <segment>-YYYY-MM-DD.csv is the brief's.
INDEX_VERSION = 4
# Briefs listed in briefs/index.json itself (the rest are in the year indexes).
INDEX_LATEST = 40


def year_index_path(year: int) -> str:
    """Return the site-relative path of the JSON index of one year's briefs."""
    return f"{BRIEFS}/{year}/index.json"

DATE = "date"
SEGMENT = "segment"
MOVER = "mover"
MOVER_RANK = "mover_rank"
RESULTS_DATE = "results_date"
TREND_FROM = "trend_from"
TREND_TO = "trend_to"
RATING_CHANGES = "rating_changes"
TRADED = "traded"
CSV_COLUMNS = (
    DATE, SEGMENT, C.SYMBOL, C.NAME, C.ISIN, C.INDUSTRY, C.SERIES, C.CLOSE, C.PREV_CLOSE,
    C.RETURN_PCT, C.VOLUME, TRADED, MOVER, MOVER_RANK, RESULTS_DATE, TREND_FROM, TREND_TO,
    RATING_CHANGES,
)
CSV_ZIP = "constituents.csv.zip"
# Each brief's own zip, as versions before INDEX_VERSION 4 wrote it (removed on a render).
OLD_CSV_ZIP_SUFFIX = ".csv.zip"
# A zip member's timestamp: fixed, so the same CSV gives the same bytes.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
PRICE_DECIMALS = 2
RETURN_DECIMALS = 4
GAINER = "gainer"
LOSER = "loser"
# First characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def check_site_url(site_url: str) -> str:
    """Return site_url if it is an absolute http(s) URL ending with "/", else raise ValueError."""
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or not site_url.endswith("/"):
        raise ValueError(
            f"site_url must be an absolute http(s) URL ending with '/', like "
            f"'https://example.org/market-briefs/'; got {site_url!r}"
        )
    return site_url


def page_url(docs_path: str) -> str:
    """Return the site-relative URL of a docs page with directory URLs: a/b.md -> a/b/."""
    if not docs_path.endswith(".md"):
        raise ValueError(f"{docs_path!r} is not a Markdown page (a docs path ending in .md)")
    stem = docs_path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


def brief_url(day: date, segment_key: str) -> str:
    """Return the site-relative URL of a brief: briefs/YYYY/MM/DD/<key>/."""
    return page_url(brief_path(day, segment_key))


def json_path(day: date, segment_key: str) -> str:
    """Return the docs-relative path of a brief's summary JSON: briefs/YYYY/MM/DD/<key>.json."""
    return f"{day_dir(day)}/{segment_key}.json"


def csv_path(day: date) -> str:
    """Return the docs-relative path of a day's zipped constituents CSVs:
    briefs/YYYY/MM/DD/constituents.csv.zip."""
    return f"{day_dir(day)}/{CSV_ZIP}"


def csv_member_name(day: date, segment_key: str) -> str:
    """Return the name of the CSV inside the zip: <key>-YYYY-MM-DD.csv (unique when the
    zips of many days are unpacked into one folder)."""
    return f"{segment_key}-{day.isoformat()}.csv"


def constituents_zip(seg_days: Sequence[SegmentDay]) -> bytes:
    """Return `constituents_csv` of each segment day zipped together, in the given order,
    byte for byte the same for the same segment days: one deflated member per segment (see
    `csv_member_name`), each dated 1980-01-01, the zip format's first day."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for sd in seg_days:
            info = zipfile.ZipInfo(csv_member_name(sd.day, sd.segment.key),
                                   date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, constituents_csv(sd).encode("utf-8"), compresslevel=9)
    return out.getvalue()


def sort_newest_first(summaries: Iterable[BriefSummary]) -> list[BriefSummary]:
    """Return the summaries newest day first; briefs of one day keep their given order.

    Raises ValueError when a segment has two summaries for one day.
    """
    items = list(summaries)
    seen: set[tuple[str, str]] = set()
    for s in items:
        key = (s.day, s.segment)
        if key in seen:
            raise ValueError(f"two summaries of the {s.segment!r} brief of {s.day}; "
                             "pass each brief once")
        seen.add(key)
    return sorted(items, key=lambda s: s.date, reverse=True)


def neutralise_formula(text: str) -> str:
    """Return text with a leading apostrophe if a spreadsheet would read it as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def constituents_csv(sd: SegmentDay) -> str:
    """Return one CSV row per constituent of the segment day, sorted by symbol.

    Prices have 2 decimals and returns 4; a missing figure is an empty cell. `mover` is
    "gainer" or "loser" for the stocks the brief names as top movers (`mover_rank` their
    place, 1 = largest move), `results_date` the board meeting within the brief's horizon,
    `trend_from`/`trend_to` the day's trend-label change and `rating_changes` the day's
    rating changes ("Provider: Hold -> Buy", several joined with "; ").
    """
    if sd.members is None:
        raise ValueError(
            f"the {sd.segment.key!r} segment day of {sd.day} has no members table; compute it "
            "with generator.metrics.segment.compute_day, which fills SegmentDay.members"
        )
    movers = _movers(sd)
    results = _results(sd.results)
    trends = _trends(sd.trend_changes)
    ratings = _ratings(sd.rating_changes)
    members = sd.members.assign(_symbol=sd.members[C.SYMBOL].astype(str))
    members = members.sort_values(["_symbol", C.ISIN], kind="stable")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in members.to_dict("records"):
        symbol = str(row["_symbol"])
        mover, rank = movers.get(symbol, ("", ""))
        trend_from, trend_to = trends.get(symbol, ("", ""))
        cells = [
            _text(sd.day.isoformat()),
            _text(sd.segment.key),
            _text(row[C.SYMBOL]),
            _text(row[C.NAME]),
            _text(row[C.ISIN]),
            _text(row.get(C.INDUSTRY)),
            _text(row.get(C.SERIES)),
            _number(row[C.CLOSE], PRICE_DECIMALS),
            _number(row[C.PREV_CLOSE], PRICE_DECIMALS),
            _number(row[C.RETURN_PCT], RETURN_DECIMALS),
            _number(row[C.VOLUME], 0),
            _flag(row[TRADED]),
            _text(mover),
            rank,
            _text(results.get(symbol, "")),
            _text(trend_from),
            _text(trend_to),
            _text(ratings.get(symbol, "")),
        ]
        writer.writerow(cells)
    return out.getvalue()


def briefs_index(summaries: Iterable[BriefSummary], site_url: str) -> str:
    """Return the JSON index of the given briefs (a year's), newest first, for programs
    that read the site.

    Each entry holds the brief's key figures, its page URL (site-relative and absolute), the
    paths of its JSON and CSV downloads and every symbol it names. Nothing in it depends on
    when it was built.
    """
    check_site_url(site_url)
    ordered = sort_newest_first(summaries)
    days = sorted({s.day for s in ordered})
    document = {
        "version": INDEX_VERSION,
        "site_url": site_url,
        "generated_from": {
            "summaries": f"{BRIEFS}/YYYY/MM/DD/<segment>.json",
            "briefs": len(ordered),
            "first_day": days[0] if days else None,
            "last_day": days[-1] if days else None,
        },
        "briefs": [_index_entry(s, site_url) for s in ordered],
    }
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False,
                      allow_nan=False) + "\n"


@dataclass(frozen=True)
class YearCount:
    """A year of the archive as the catalogue lists it: its briefs and first and last day."""

    year: int
    briefs: int
    first_day: date
    last_day: date


def year_counts(summaries: Iterable[BriefSummary]) -> list[YearCount]:
    """Return the years of the given briefs, oldest first (see `YearCount`)."""
    days: dict[int, list[date]] = {}
    for summary in summaries:
        days.setdefault(summary.date.year, []).append(summary.date)
    return [YearCount(year, len(mine), min(mine), max(mine)) for year, mine in sorted(days.items())]


def briefs_catalogue(summaries: Iterable[BriefSummary], site_url: str,
                     years: Sequence[YearCount] | None = None) -> str:
    """Return briefs/index.json: each year with its brief count, dates and index file, and
    the newest briefs (entries as in a year's index). Its size does not grow with the
    archive; a year's index (`briefs_index`) lists all of that year's briefs.

    With `years` (of the whole archive), `summaries` need only hold the newest briefs."""
    check_site_url(site_url)
    ordered = sort_newest_first(summaries)
    counts = year_counts(ordered) if years is None else years
    document = {
        "version": INDEX_VERSION,
        "site_url": site_url,
        "years": [{"year": y.year, "briefs": y.briefs, "first_day": y.first_day.isoformat(),
                   "last_day": y.last_day.isoformat(), "index": year_index_path(y.year)}
                  for y in sorted(counts, key=lambda y: y.year, reverse=True)],
        "latest": [_index_entry(s, site_url) for s in ordered[:INDEX_LATEST]],
    }
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False,
                      allow_nan=False) + "\n"


def _index_entry(s: BriefSummary, site_url: str) -> dict[str, Any]:
    url = brief_url(s.date, s.segment)
    return {
        "date": s.day,
        "segment": s.segment,
        "label": s.label,
        "index": s.index,
        "headline": s.headline,
        "url": url,
        "absolute_url": site_url + url,
        "data": {"json": json_path(s.date, s.segment), "csv": csv_path(s.date),
                 "csv_member": csv_member_name(s.date, s.segment)},
        "change_pct": _finite(s.change_pct),
        "window_pct": _finite(s.window_pct),
        "window_sessions": s.window_sessions,
        "advances": s.advances,
        "declines": s.declines,
        "ad_ratio": _finite(s.ad_ratio),
        "symbols": s.text_symbols(),
    }


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _movers(sd: SegmentDay) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for role, frame in ((GAINER, sd.gainers), (LOSER, sd.losers)):
        for rank, symbol in enumerate(frame[C.SYMBOL].astype(str), start=1):
            found.setdefault(symbol, (role, str(rank)))
    return found


def _results(frame: pd.DataFrame) -> dict[str, str]:
    found: dict[str, str] = {}
    for row in frame.sort_values(C.MEETING_DATE, kind="stable").to_dict("records"):
        found.setdefault(str(row[C.SYMBOL]), pd.Timestamp(row[C.MEETING_DATE]).date().isoformat())
    return found


def _trends(frame: pd.DataFrame | None) -> dict[str, tuple[str, str]]:
    if frame is None:
        return {}
    return {str(r[C.SYMBOL]): (str(r["from"]), str(r["to"])) for r in frame.to_dict("records")}


def _ratings(frame: pd.DataFrame | None) -> dict[str, str]:
    if frame is None:
        return {}
    parts: dict[str, list[str]] = {}
    for r in frame.sort_values([C.SYMBOL, "provider"], kind="stable").to_dict("records"):
        before = "none" if _missing(r["from"]) else str(r["from"])
        parts.setdefault(str(r[C.SYMBOL]), []).append(f"{r['provider']}: {before} -> {r['to']}")
    return {symbol: "; ".join(changes) for symbol, changes in parts.items()}


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _text(value: Any) -> str:
    if _missing(value):
        return ""
    # Line breaks become LF, which the csv module always quotes; it leaves a lone CR
    # unquoted when lines end with LF (Python 3.11), and that would split the row.
    # Bidirectional and zero-width characters are dropped first: a hidden one must not
    # put a formula's first character out of sight of neutralise_formula.
    text = drop_invisible(str(value))
    return neutralise_formula(text).replace("\r\n", "\n").replace("\r", "\n")


def _number(value: Any, decimals: int) -> str:
    if _missing(value) or not math.isfinite(float(value)):
        return ""
    text = f"{float(value):.{decimals}f}"
    return text.removeprefix("-") if float(text) == 0.0 else text


def _flag(value: Any) -> str:
    if _missing(value):
        return ""
    return "true" if bool(value) else "false"
