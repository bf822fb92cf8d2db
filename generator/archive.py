"""Everything rebuilt across the whole archive after a render: index, segment and stock
pages, feeds, the briefs index and the interactive-chart bundle.

Pages are written from the brief summaries on disk (what was published), plus, for stock
pages, recent closes and trend labels read from the store.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from generator import charts, corrections
from generator import columns as C
from generator.brief_charts import export_specs, with_table
from generator.charts.export import OLD_SPEC_SUFFIX
from generator.config import Config
from generator.downloads import (
    BRIEFS_INDEX,
    INDEX_LATEST,
    YearCount,
    briefs_catalogue,
    briefs_index,
    year_index_path,
)
from generator.feeds import FEED_ALL, FEED_LIMIT, atom_feed, feed_path
from generator.fileio import write_bytes_atomic, write_text_atomic
from generator.pages import (
    CORRECTIONS_PAGE,
    TAGS_PAGE,
    archive_page,
    brief_path,
    corrections_page,
    day_dir,
    day_page,
    day_path,
    home_page,
    methodology_page,
    month_pages,
    month_path,
    segment_page,
    segment_year_page,
    segment_year_path,
    tags_page,
)
from generator.panel import recent_closes
from generator.sitemaps import SITEMAPS, sitemap, sitemap_path
from generator.stock_pages import (
    LabelPeriod,
    StockRecord,
    appearance_rows,
    label_periods,
    records_from_groups,
    stock_page,
    stocks_index,
    stocks_named,
)
from generator.store import Store
from generator.summary import BriefSummary
from generator.summary_archive import Summaries, read_summaries

# Sessions of closes on a stock page's chart (about three months).
STOCK_PRICE_SESSIONS = 63
# The derived table of every company's trend label on every rendered session.
TREND_LABELS = "trend_labels"

# Sessions on a segment page's charts (about a year); each closed year has its own.
ROLLING_SESSIONS = 250
# Hand-written pages listed in the hub pages' sitemap when they are in the docs dir.
STATIC_HUBS = ("about.md", "search.md")


def write_archive(config: Config, store: Store, batch: charts.SvgBatch | None = None,
                  days: Collection[date] | None = None) -> int:
    """Rebuild the archive-wide pages and files; return how many charts were rendered.

    With `days` (the sessions just rendered), only the stock pages of stocks those
    sessions' briefs name are written again (and any that is missing); without, all are.
    With a batch, charts are rendered by its workers and written when it closes."""
    by_day = read_summaries(config)
    rendered = write_index_pages(config, by_day, batch, days)
    write_feeds(config, by_day, days)
    rendered += write_stock_pages(config, store, by_day, batch, days)
    charts.write_vega_bundle(config.docs_dir)
    return rendered


def write_index_pages(config: Config, by_day: Summaries,
                      batch: charts.SvgBatch | None = None,
                      changed: Collection[date] | None = None) -> int:
    """Write the home, day, month, archive, segment and methodology pages.

    With `changed` (the sessions just rendered), only their day pages and their neighbours'
    (whose previous/next links may change) are written again, and any that is missing."""
    docs = config.docs_dir
    days = sorted(by_day)
    near = set() if changed is None else {
        days[j] for i, day in enumerate(days) if day in changed
        for j in (i - 1, i, i + 1) if 0 <= j < len(days)}
    for i, day in enumerate(days):
        if changed is not None and day not in near and (docs / day_path(day)).is_file():
            continue
        previous = days[i - 1] if i > 0 else None
        following = days[i + 1] if i + 1 < len(days) else None
        write_text_atomic(docs / day_path(day), day_page(day, by_day[day], previous, following))
    touched = {day.year for day in (days if changed is None else changed)}
    months = {month_path(day) for day in days}
    fresh = {month_path(day) for day in (days if changed is None else changed)}
    pages = month_pages(by_day, {month for month in months
                                 if month in fresh or not (docs / month).is_file()})
    pages["archive/index.md"] = archive_page(config, by_day)
    rendered = 0
    newest_year = days[-1].year if days else None
    for seg in config.segments:
        mine = [day for day in days if seg.key in by_day.segments(day)]
        # The rolling charts change every day, as their page does: the page carries them.
        embeds, count = _segment_charts(docs / "segments", seg.key, seg.index, seg.label,
                                        _of_segment(by_day, mine[-ROLLING_SESSIONS:], seg.key),
                                        batch, inline_in=docs / f"segments/{seg.key}.md")
        rendered += count
        pages[f"segments/{seg.key}.md"] = segment_page(seg, by_day, embeds,
                                                       feed_path(seg.key))
        years = sorted({day.year for day in mine})
        for year in years:
            path = segment_year_path(seg.key, year)
            closed = year != newest_year
            if closed and year not in touched and (docs / path).is_file():
                continue  # a closed year's page is frozen
            embeds = {}
            if closed:
                embeds, count = _segment_charts(
                    docs / "segments" / seg.key, str(year), seg.index, seg.label,
                    _of_segment(by_day, [d for d in mine if d.year == year], seg.key), batch)
                rendered += count
            pages[path] = segment_year_page(seg, year, by_day, embeds)
        folder = docs / "segments" / seg.key
        for stale in sorted(folder.iterdir()) if folder.is_dir() else []:
            if stale.is_file() and stale.name.split("-")[0].split(".")[0] not in {
                    str(year) for year in years}:
                stale.unlink()
    pages["index.md"] = home_page(config, by_day)
    pages["methodology.md"] = methodology_page(config)
    pages[TAGS_PAGE] = tags_page(config)
    pages[CORRECTIONS_PAGE] = corrections_page(
        config, [(day, c) for day in days for c in corrections.read(docs / day_dir(day))])
    for rel, text in pages.items():
        write_text_atomic(docs / rel, text)
    _write_sitemaps(config, by_day, sorted(set(pages) | months))
    return rendered


def _of_segment(by_day: Summaries, days: Sequence[date], key: str) -> list[BriefSummary]:
    """Return the summaries of one segment on `days`, in their order."""
    return [s for day in days for s in by_day[day] if s.segment == key]


def _write_sitemaps(config: Config, by_day: Summaries, hubs: Sequence[str]) -> None:
    """Write one sitemap per year (day pages, briefs, month pages) and one of the hub
    pages; a year's file changes only when one of its sessions does."""
    docs = config.docs_dir
    years: dict[int, list[tuple[str, date]]] = {}
    for day in by_day:
        entries = years.setdefault(day.year, [])
        entries.append((day_path(day), day))
        entries += [(brief_path(day, key), day) for key in by_day.segments(day)]
    newest = max(by_day, default=None)
    latest_in_month: dict[str, date] = {}
    for day in by_day:
        key = month_path(day)
        latest_in_month[key] = max(day, latest_in_month.get(key, day))
    hub_entries = []
    for page in sorted(set(hubs) | set(STATIC_HUBS)):
        if page in latest_in_month:
            years[latest_in_month[page].year].append((page, latest_in_month[page]))
        elif newest is not None and (page in hubs or (docs / page).is_file()):
            hub_entries.append((page, newest))
    for year, entries in years.items():
        write_text_atomic(docs / sitemap_path(str(year)), sitemap(config.site_url, entries))
    write_text_atomic(docs / sitemap_path("pages"), sitemap(config.site_url, hub_entries))
    keep = {f"{year}.xml" for year in years} | {"pages.xml", "stocks.xml"}
    for stale in (docs / SITEMAPS).glob("*.xml"):
        if stale.name not in keep:
            stale.unlink()


def _segment_charts(folder: Path, key: str, index_name: str, label: str,
                    summaries: Sequence[BriefSummary], batch: charts.SvgBatch | None,
                    inline_in: Path | None = None) -> tuple[dict[str, str], int]:
    """Export a segment's index and breadth charts over `summaries`; return embeds and count.

    With `inline_in` (the page that shows them), the charts travel inside the page (see
    `charts.inline_embed_markdown`), drawn here unless the page already carries the same
    spec, and the files an older version wrote for them in `folder` are removed."""
    closes = pd.DataFrame(
        [(s.day, s.index_close) for s in summaries if s.index_close is not None],
        columns=["date", C.CLOSE],
    )
    breadth = pd.DataFrame(
        [(s.day, s.advances, s.declines) for s in summaries],
        columns=["date", "advances", "declines"],
    )
    specs = []
    if len(closes) >= 2:
        specs.append(("index", charts.segment_index_chart(closes, index_name),
                      charts.alt_text_segment_index(closes, index_name),
                      charts.table_segment_index(closes, index_name)))
    if len(breadth) >= 2:
        specs.append(("breadth", charts.segment_breadth_chart(breadth, label),
                      charts.alt_text_segment_breadth(breadth, label),
                      charts.table_segment_breadth(breadth, label)))
    if inline_in is None:
        result = export_specs(specs, folder, key, batch)
        return result.embeds, result.rendered
    held = inline_in.read_text(encoding="utf-8") if inline_in.is_file() else ""
    embeds: dict[str, str] = {}
    rendered = 0
    for kind, chart, alt_text, table in specs:
        # The table travels in the spec, as a brief's: a year of rows, not in the Markdown.
        spec = charts.spec_json(with_table(chart, table))
        svg = charts.inline_svg(held, spec)
        if svg is None:
            svg, rendered = charts.render_svg(spec), rendered + 1
        embeds[kind] = charts.inline_embed_markdown(svg, spec, alt_text)
    for kind in ("index", "breadth"):
        for suffix in (".svg", charts.SPEC_SUFFIX, OLD_SPEC_SUFFIX):
            (folder / f"{key}-{kind}{suffix}").unlink(missing_ok=True)
    (folder / f"{key}{charts.BUNDLE_SUFFIX}").unlink(missing_ok=True)
    return embeds, rendered


def write_feeds(config: Config, by_day: Summaries,
                changed: Collection[date] | None = None) -> None:
    """Write the Atom feeds (all briefs, one per segment) and the JSON indexes of briefs:
    the catalogue and the index of each year of `changed` (all when None) or missing.
    Only the newest briefs and those years are read."""
    docs = config.docs_dir
    if by_day:
        write_bytes_atomic(docs / FEED_ALL, atom_feed(
            _newest(by_day, FEED_LIMIT), title="Market briefs: all segments",
            feed_path=FEED_ALL, site_url=config.site_url))
        for seg in config.segments:
            mine = _newest(by_day, FEED_LIMIT, seg.key)
            if mine:
                path = feed_path(seg.key)
                write_bytes_atomic(docs / path, atom_feed(
                    mine, title=f"Market briefs: {seg.label}", feed_path=path,
                    site_url=config.site_url))
    counts: dict[int, list[date]] = {}
    for day in by_day:
        counts.setdefault(day.year, []).extend([day] * len(by_day.segments(day)))
    write_text_atomic(docs / BRIEFS_INDEX, briefs_catalogue(
        _newest(by_day, INDEX_LATEST), config.site_url,
        [YearCount(year, len(mine), mine[0], mine[-1]) for year, mine in counts.items()]))
    touched = None if changed is None else {day.year for day in changed}
    for year in by_day.years:
        index = docs / year_index_path(year)
        if touched is None or year in touched or not index.is_file():
            write_text_atomic(index, briefs_index(
                [s for found in by_day.year(year).values() for s in found], config.site_url))


def _newest(by_day: Summaries, limit: int, key: str | None = None) -> list[BriefSummary]:
    """Return at least the newest `limit` briefs (of segment `key`), newest day first,
    reading only the days they are on."""
    found: list[BriefSummary] = []
    for day in reversed(by_day.days):
        if len(found) >= limit:
            break
        found += [s for s in by_day[day] if key is None or s.segment == key]
    return found


def write_stock_pages(config: Config, store: Store, by_day: Summaries,
                      batch: charts.SvgBatch | None = None,
                      days: Collection[date] | None = None) -> int:
    """Write the page of every stock named in a brief of `days` (all days when None, and
    any page that is missing), and the stock list; return charts rendered. Pages of stocks
    no longer named are removed.

    A page shows what the briefs said of the stock, its closes and its trend labels up to
    its latest brief, so the page of a stock no brief of `days` names is as it was: a day's
    publish writes the pages of that day's stocks only, whatever the size of the archive.
    """
    docs = config.docs_dir
    folder = docs / "stocks"
    # A year's rows are kept in the memo beside its summaries: a closed year is not read.
    records = records_from_groups(by_day.per_year("stocks-named", year, stocks_named)
                                  for year in reversed(by_day.years))
    if not records:
        return 0
    as_of = max(by_day)
    named = None if days is None else {
        row[4] for row in appearance_rows({day: by_day[day] for day in days if day in by_day})}
    todo = [r for r in records
            if named is None or r.symbol in named or not (docs / r.path).is_file()]
    keep: set[str] = {"index.md"}
    rewritten = {r.symbol for r in todo}
    for record in records:
        stem = Path(record.path).stem
        keep.add(f"{stem}.md")
        if record.symbol not in rewritten:
            # A page written by an older version and not written again names its chart's
            # files (the chart is inline in pages written now).
            keep.update({f"{stem}-price.svg", f"{stem}-price{charts.SPEC_SUFFIX}",
                         f"{stem}-price{OLD_SPEC_SUFFIX}"})
    rendered = 0
    closes: pd.DataFrame = pd.DataFrame()
    isins: Mapping[str, str] = {}
    labels: Mapping[str, pd.DataFrame] = {}
    if todo:
        first = min(r.latest.day for r in todo)
        closes, isins = recent_closes(store, config, first, as_of, STOCK_PRICE_SESSIONS)
        labels = _labels_by_isin(store, as_of, {isins[r.symbol] for r in todo
                                                if r.symbol in isins})
    for record in todo:
        isin = isins.get(record.symbol)
        window = (closes[isin].loc[:pd.Timestamp(record.latest.day)].tail(STOCK_PRICE_SESSIONS)
                  if isin in closes else None)
        periods = (label_periods(labels.get(isin, _NO_LABELS), until=record.latest.day)
                   if isin else [])
        rendered += _write_stock_page(docs / record.path, record, window, periods, batch)
    write_text_atomic(folder / "index.md", stocks_index(records))
    write_text_atomic(docs / sitemap_path("stocks"), sitemap(
        config.site_url, [(r.path, r.latest.day) for r in records] + [("stocks/index.md", as_of)]))
    for stale in folder.iterdir():
        if stale.is_file() and stale.name not in keep:
            stale.unlink()
    return rendered


_NO_LABELS = pd.DataFrame(columns=[C.TRADE_DATE, "label"])


def _labels_by_isin(store: Store, as_of: date,
                    isins: Collection[str]) -> Mapping[str, pd.DataFrame]:
    """Return the stored trend labels of `isins` up to `as_of` (trade_date, label)."""
    table = store.derived(TREND_LABELS, C.ISIN, sorted(isins)) if isins else None
    if table is None or table.empty:
        return {}
    table = table.loc[pd.to_datetime(table[C.TRADE_DATE]) <= pd.Timestamp(as_of)]
    return {str(isin): rows[[C.TRADE_DATE, "label"]]
            for isin, rows in table.groupby(C.ISIN, sort=False)}


def _write_stock_page(page: Path, record: StockRecord, closes: pd.Series | None,
                      periods: Sequence[LabelPeriod], batch: charts.SvgBatch | None) -> int:
    """Write a stock's page with its recent closes as a chart inside the page (see
    `charts.inline_embed_markdown`); return 1 if a chart was rendered. With a batch, the
    chart is rendered by its workers and the page written when the batch ends."""

    def text(embed: str) -> str:
        return stock_page(record, embed, periods, record.latest.day, STOCK_PRICE_SESSIONS)

    if closes is None or closes.dropna().size < 2:
        write_text_atomic(page, text(""))
        return 0
    frame = closes.dropna().rename(C.CLOSE).rename_axis(C.TRADE_DATE).reset_index()
    args = (frame, record.symbol, record.name)
    spec = charts.spec_json(charts.stock_price_spec(*args))
    alt_text = charts.alt_text_stock_price(*args)
    table = charts.table_stock_price(*args).markdown()

    def page_text(svg: str) -> str:
        return text(charts.inline_embed_markdown(svg, spec, alt_text, table))

    drawn = charts.inline_svg(page.read_text(encoding="utf-8"), spec) if page.is_file() else None
    if drawn is not None:  # the same closes as the page already shows: no render
        write_text_atomic(page, page_text(drawn))
        return 0
    if batch is None:
        write_text_atomic(page, page_text(charts.render_svg(spec)))
    else:
        batch.add_page(page, spec, page_text)
    return 1
