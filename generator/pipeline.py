"""Render briefs for a range of sessions: load and check everything, then write pages."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from generator import columns as C
from generator import corrections
from generator.archive import TREND_LABELS, write_archive
from generator.brief_charts import write_brief_charts
from generator.chart_memo import CHART_MEMO, ChartMemo
from generator.charts import SvgBatch
from generator.config import Config
from generator.downloads import CSV_ZIP, OLD_CSV_ZIP_SUFFIX, constituents_zip
from generator.errors import DataCheckError
from generator.feeds import feed_path
from generator.fileio import write_bytes_atomic, write_text_atomic
from generator.metrics.segment import SegmentDay, compute_day
from generator.narrative.check import (
    InconsistentBriefError,
    Problem,
    check_brief,
    prose_sentences,
)
from generator.narrative.render import render_brief
from generator.pages import BRIEFS, brief_path, day_dir, relative
from generator.panel import TrendHistory, load_panel, trend_history
from generator.snapshot import (
    MarketDay,
    equity_days,
    load_day,
    load_history,
    load_ratings,
    names_by_code,
)
from generator.store import Store
from generator.summary import BriefSummary, summarise
from generator.summary_archive import read_summaries

GENERATED = ("index.md", "methodology.md", "tags.md", BRIEFS, "archive", "segments", "stocks",
             "feeds", "assets", "sitemaps")


@dataclass(frozen=True)
class RenderReport:
    """What a render wrote."""

    days: tuple[date, ...]
    briefs: int
    charts_rendered: int
    charts_reused: int


def stored_sessions(store: Store, exchange: str = "NSE") -> list[date]:
    """Return the sessions whose equity file of the exchange is stored."""
    return equity_days(store, exchange)


def select_days(store: Store, start: date | None, end: date | None,
                exchange: str = "NSE") -> list[date]:
    """Return the stored sessions between start and end (inclusive; open ends allowed)."""
    days = [
        d for d in stored_sessions(store, exchange)
        if (start is None or d >= start) and (end is None or d <= end)
    ]
    if not days:
        span = f"{start or 'the start'} to {end or 'the end'}"
        raise DataCheckError(f"no stored sessions from {span}; run `invoke pull` first")
    return days


def render_days(
    config: Config, store: Store, days: list[date], *, only: bool = False, hubs: bool = True,
    svg_workers: int | None = None,
) -> RenderReport:
    """Write the briefs of `days` and rebuild the index pages of the whole archive.

    Every day is loaded and computed, and every brief's text checked against its data
    (`narrative.check`), before anything is written, so bad input or a brief that disagrees
    with its data leaves the docs dir exactly as it was. With `only`, briefs of other days
    are removed from the docs dir, so the archive holds exactly `days`. Without `hubs`, the
    archive-wide pages are left for a later `write_archive`. A brief keeps the correction
    notes recorded beside it. `svg_workers` bounds the processes drawing charts (see
    `charts.SvgBatch`; 1 draws them in this process).
    """
    computed, trends = compute_days(config, store, days)
    docs = config.docs_dir
    notes = {market.day: corrections.read(docs / day_dir(market.day))
             for market, _ in computed}
    problems = [
        (brief_path(sd.day, sd.segment.key), found)
        for market, seg_days in computed for sd in seg_days
        if (found := check_brief(brief_text(sd, market, {}), sd))
    ]
    if problems:
        raise InconsistentBriefError(problems)
    # Only the labels of the sessions rendered: a published session's labels never change.
    labels = trends.long()
    store.put_derived(TREND_LABELS, labels.loc[
        labels[C.TRADE_DATE].isin(pd.DatetimeIndex([pd.Timestamp(d) for d in days]))])

    rendered = reused = briefs = 0
    memo = ChartMemo(store.root / CHART_MEMO, docs)
    with SvgBatch(workers=svg_workers) as batch:
        for market, seg_days in computed:
            folder = docs / day_dir(market.day)
            for sd in seg_days:
                key = sd.segment.key
                charts = write_brief_charts(sd, folder, key, batch, memo)
                rendered += charts.rendered
                reused += charts.reused
                page = brief_path(sd.day, key)
                write_text_atomic(docs / page, brief_text(
                    sd, market, charts.embeds,
                    corrections.for_segment(notes[market.day], key)))
                write_text_atomic(folder / f"{key}.json",
                                  summarise(sd, market.sources).to_json())
                # Written by older versions, plain or one zip a brief; the day's zip
                # replaces them.
                for old in (f"{key}.csv", f"{key}{OLD_CSV_ZIP_SUFFIX}"):
                    (folder / old).unlink(missing_ok=True)
                briefs += 1
            if seg_days:
                write_bytes_atomic(folder / CSV_ZIP, constituents_zip(seg_days))
        if only:
            keep = {day_dir(day) for day in days}
            root = docs / BRIEFS
            for folder in sorted(root.glob("*/*/*")):
                if folder.relative_to(docs).as_posix() not in keep:
                    shutil.rmtree(folder)
        if hubs:
            rendered += write_archive(config, store, batch, days)
    return RenderReport(tuple(days), briefs, rendered, reused)


def find_corrections(config: Config, store: Store, days: list[date],
                     published: date) -> dict[date, list[corrections.Correction]]:
    """Compute the published briefs of `days` again from the store; return, by day, the
    corrections of those that differ from what was published (figures, sentences or
    source files), dated `published`."""
    found: dict[date, list[corrections.Correction]] = {}
    computed, _ = compute_days(config, store, days) if days else ([], None)
    docs = config.docs_dir
    for market, seg_days in computed:
        for sd in seg_days:
            page = docs / brief_path(sd.day, sd.segment.key)
            summary = page.with_suffix(".json")
            if not (page.is_file() and summary.is_file()):
                continue
            change = corrections.compare(
                BriefSummary.from_path(summary), summarise(sd, market.sources),
                prose_sentences(page.read_text(encoding="utf-8")),
                prose_sentences(brief_text(sd, market, {})), published)
            if change is not None:
                found.setdefault(market.day, []).append(change)
    return found


def compute_days(
    config: Config, store: Store, days: list[date]
) -> tuple[list[tuple[MarketDay, list[SegmentDay]]], TrendHistory]:
    """Load and compute every segment of `days`, with the trend history they were read from."""
    history = load_history(store, max(days), names_by_code(config))
    panel = load_panel(store, config, min(days), max(days))
    trends = trend_history(panel)
    feed = load_ratings(store, max(days))
    computed: list[tuple[MarketDay, list[SegmentDay]]] = []
    for day in days:
        market = load_day(store, config, day)
        computed.append((market, compute_day(config, market, history, trends.changes(day),
                                             feed, panel)))
    return computed, trends


def check_archive(config: Config, store: Store) -> tuple[int, list[tuple[str, list[Problem]]]]:
    """Check every published brief's text against its data recomputed from the store.

    Returns how many briefs were checked and, per brief with problems, what they are. A
    brief whose day is no longer in the store is reported too.
    """
    published = sorted(read_summaries(config))
    if not published:
        raise DataCheckError(f"no published briefs in {config.docs_dir}; run `invoke render` "
                             "first")
    stored = set(stored_sessions(store, config.exchange))
    missing = [day for day in published if day not in stored]
    found: list[tuple[str, list[Problem]]] = [
        (day_dir(day), [Problem("(whole day)", str(day), "is published but not in the store; "
                                "its figures cannot be checked")]) for day in missing
    ]
    checked = 0
    days = [day for day in published if day in stored]
    computed, _ = compute_days(config, store, days) if days else ([], None)
    for _, seg_days in computed:
        for sd in seg_days:
            page = brief_path(sd.day, sd.segment.key)
            path = config.docs_dir / page
            if not path.is_file():
                continue
            checked += 1
            if problems := check_brief(path.read_text(encoding="utf-8"), sd):
                found.append((page, problems))
    return checked, found


def brief_text(sd: SegmentDay, market: MarketDay, embeds: dict[str, str],
               notes: Sequence[corrections.Correction] = ()) -> str:
    """Return a brief's Markdown with its chart embeds and correction notes."""
    page = brief_path(sd.day, sd.segment.key)
    return render_brief(sd, embeds, market.sources, relative(page, "methodology.md"),
                        relative(page, feed_path(sd.segment.key)), notes)


def clean_generated(config: Config) -> None:
    """Remove every generated page and chart from the docs dir (hand-written pages stay)."""
    for name in GENERATED:
        path: Path = config.docs_dir / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.is_file():
            path.unlink()
