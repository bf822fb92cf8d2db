"""Stock pages: every stock a brief has named, its appearances and trend-label history.

Appearances are read from the brief summaries (what the published briefs said); prices
and labels are passed in as frames. Nothing here reads or writes files.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

import pandas as pd

from generator import columns as C
from generator.errors import GeneratorError
from generator.links import stock_path, stock_slug
from generator.narrative import numbers as N
from generator.narrative.render import environment
from generator.pages import brief_path, relative
from generator.summary import BriefSummary

# Label periods listed on a stock page, newest first.
LABEL_PERIODS = 12
# Appearances listed on a stock page, newest first (a stock in the news for ten years would
# otherwise have a page that grows with every brief that names it); the page links a search
# for the rest. Twenty: about a month of a stock in the news, and a day's hundred pages
# stay as quick to build in year ten as in month one (each row is a link MkDocs resolves).
APPEARANCES_SHOWN = 20


@dataclass(frozen=True)
class Appearance:
    """One brief that named a stock, and what it said of it."""

    day: date
    segment: str
    label: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class StockRecord:
    """A stock as the archive knows it: latest name, its newest appearances (newest first,
    at most APPEARANCES_SHOWN), how many there are and the first."""

    symbol: str
    name: str
    appearances: tuple[Appearance, ...]
    count: int
    first: Appearance

    @property
    def path(self) -> str:
        """Return the docs-relative path of the stock's page."""
        return stock_path(self.symbol)

    @property
    def latest(self) -> Appearance:
        """Return the newest appearance."""
        return self.appearances[0]


# What a brief said of a stock, as kept per year of the archive (`appearance_rows`): day,
# segment key, segment label, roles, symbol, the name the brief gave.
Row = tuple[date, str, str, tuple[str, ...], str, str]


@dataclass(frozen=True)
class LabelPeriod:
    """A run of sessions on which a stock carried one trend label."""

    label: str
    first: date
    last: date
    sessions: int


def _transition(entry: Mapping[str, Any]) -> str:
    before = entry.get("from")
    after = entry.get("to")
    return f"{before} → {after}" if before else f"initiated at {after}"


def _rank_role(rank: int, side: str) -> str:
    """Return "Top gainer", "2nd-biggest gainer", ... for a mover's rank (1 = top)."""
    if rank == 1:
        return f"Top {side}"
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix}-biggest {side}"


def summary_roles(summary: BriefSummary) -> dict[str, tuple[str, list[str]]]:
    """Return, per symbol a brief's text names, its latest name and its roles there.

    A stock in the brief's data but not in its text (a label change behind "and N more")
    has no role: its page does not claim the brief.
    """
    named = set(summary.text_symbols())
    found: dict[str, tuple[str, list[str]]] = {}

    def add(entry: Mapping[str, Any], role: str) -> None:
        symbol = str(entry["symbol"])
        if symbol in named:
            found.setdefault(symbol, (str(entry["name"]), []))[1].append(role)

    for side, entries in (("gainer", summary.gainers), ("loser", summary.losers)):
        for rank, entry in enumerate(entries, start=1):
            add(entry, f"{_rank_role(rank, side)}, {N.signed_pct(entry['return_pct'])}")
    for entry in summary.results_due:
        add(entry, f"Results due {N.short_date(date.fromisoformat(entry['date']))}")
    for entry in summary.trend_changes:
        add(entry, f"Trend label {_transition(entry)}")
    for entry in summary.rating_changes:
        add(entry, f"{entry['provider']} rating {_transition(entry)}")
    return found


def stock_records(by_day: Mapping[date, Sequence[BriefSummary]]) -> list[StockRecord]:
    """Return every stock named in the summaries, by symbol, appearances newest first.

    Raises GeneratorError when two symbols would share one page name.
    """
    return records_from_groups([stocks_named(by_day)])


def appearance_rows(by_day: Mapping[date, Sequence[BriefSummary]]) -> list[Row]:
    """Return what the summaries' texts say of each stock they name, newest day first (a
    day's briefs in segment order)."""
    rows: list[Row] = []
    for day in sorted(by_day, reverse=True):
        for summary in by_day[day]:
            for symbol, (name, roles) in summary_roles(summary).items():
                rows.append((day, summary.segment, summary.label, tuple(roles), symbol, name))
    return rows


# A stock in a group of summaries (a year of the archive): how many appearances, the newest
# (at most APPEARANCES_SHOWN, newest first) and the oldest.
Named = tuple[int, tuple[Row, ...], Row]


def stocks_named(by_day: Mapping[date, Sequence[BriefSummary]]) -> dict[str, Named]:
    """Return, per symbol the summaries' texts name, its appearances there (see `Named`):
    what a year contributes to the stock records, small enough to keep per year."""
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in appearance_rows(by_day):
        grouped[row[4]].append(row)
    return {symbol: (len(rows), tuple(rows[:APPEARANCES_SHOWN]), rows[-1])
            for symbol, rows in grouped.items()}


def records_from_groups(groups: Iterable[Mapping[str, Named]]) -> list[StockRecord]:
    """Return the stock records of groups of named stocks (`stocks_named`), newest group
    first, by symbol.

    Raises GeneratorError when two symbols would share one page name.
    """
    shown: dict[str, list[Row]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    oldest: dict[str, Row] = {}
    for group in groups:
        for symbol, (count, newest, first) in group.items():
            counts[symbol] += count
            oldest[symbol] = first
            mine = shown[symbol]
            if len(mine) < APPEARANCES_SHOWN:
                mine += newest[:APPEARANCES_SHOWN - len(mine)]
    slugs: dict[str, str] = {}
    for symbol in sorted(counts):
        slug = stock_slug(symbol)
        if slug in slugs:
            raise GeneratorError(f"symbols {slugs[slug]!r} and {symbol!r} would share the page "
                                 f"stocks/{slug}.md; rename one in generator/links.py rules")
        slugs[slug] = symbol
    return [StockRecord(symbol, shown[symbol][0][5],
                        tuple(Appearance(*row[:4]) for row in shown[symbol]),
                        counts[symbol], Appearance(*oldest[symbol][:4]))
            for symbol in sorted(counts)]


def label_periods(labels: pd.DataFrame, limit: int = LABEL_PERIODS,
                  until: date | None = None) -> list[LabelPeriod]:
    """Return a stock's runs of equal trend labels, newest first, at most `limit`.

    `labels` has the columns trade_date and label, one row per labelled session; with
    `until`, only sessions up to that day count (a stock page shows its labels up to its
    latest brief, so the page of a stock no brief names again stays as it is).
    """
    if until is not None:
        labels = labels.loc[pd.to_datetime(labels[C.TRADE_DATE]) <= pd.Timestamp(until)]
    if labels.empty:
        return []
    ordered = labels.sort_values(C.TRADE_DATE, kind="stable")
    periods: list[LabelPeriod] = []
    for day, label in zip(pd.to_datetime(ordered[C.TRADE_DATE]), ordered["label"], strict=True):
        stamp = day.date()
        if periods and periods[-1].label == label:
            last = periods[-1]
            periods[-1] = LabelPeriod(label, last.first, stamp, last.sessions + 1)
        else:
            periods.append(LabelPeriod(str(label), stamp, stamp, 1))
    return periods[::-1][:limit]


def stock_page(record: StockRecord, price_chart: str, periods: Sequence[LabelPeriod],
               as_of: date, price_sessions: int) -> str:
    """Return the Markdown of a stock's page; `price_chart` is its chart embed or ""."""
    here = record.path
    # One link a row, to the brief: the segment is plain text (its page is a click away
    # from the brief), as MkDocs resolves and checks every link of a page it builds.
    rows = [(a, relative(here, brief_path(a.day, a.segment))) for a in record.appearances]
    return environment().get_template("stock.md.j2").render(
        stock=record,
        first=record.first,
        latest_link=rows[0][1],
        rows=rows,
        earlier=record.count - len(rows),
        search_link=f"{relative(here, 'search.md')}?q={quote(record.symbol, safe='')}",
        price_chart=price_chart,
        price_sessions=price_sessions,
        as_of=as_of,
        periods=periods,
        methodology_link=relative(here, "methodology.md"),
    )


def stocks_index(records: Sequence[StockRecord]) -> str:
    """Return stocks/index.md: every stock with a page, by symbol."""
    here = "stocks/index.md"
    rows = [
        (r, relative(here, r.path), relative(here, brief_path(r.latest.day, r.latest.segment)))
        for r in records
    ]
    return environment().get_template("stocks.md.j2").render(stocks=rows)
