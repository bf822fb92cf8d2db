"""Load what a day's briefs need from the store into typed objects passed downstream."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from generator import columns as C
from generator.calendar import TradingCalendar
from generator.config import Config
from generator.errors import DataCheckError
from generator.sources import (
    equities,
    nse_board_meetings,
    nse_constituents,
    nse_holidays,
    nse_indices,
)
from generator.store import Store, StoredFile


@dataclass(frozen=True)
class MarketHistory:
    """Index closes of every stored session up to a day, and the trading calendar."""

    index_closes: pd.DataFrame
    calendar: TradingCalendar
    sessions: tuple[date, ...]

    def closes(self, index_name: str) -> pd.Series:
        """Return an index's closes by session date (empty if the index is unknown)."""
        rows = self.index_closes.loc[
            self.index_closes[C.INDEX_NAME].str.casefold() == index_name.casefold()
        ]
        return rows.set_index(C.TRADE_DATE)[C.CLOSE].sort_index()


@dataclass(frozen=True)
class MarketDay:
    """One session's parsed files, with their provenance and any data issues."""

    day: date
    equities: pd.DataFrame
    indices: pd.DataFrame
    constituents: dict[str, pd.DataFrame]
    meetings: pd.DataFrame
    sources: tuple[StoredFile, ...]
    issues: tuple[str, ...] = field(default=())
    previous: pd.DataFrame | None = None  # the prior stored session's equities, if any


def load_calendar(store: Store) -> TradingCalendar:
    """Return the trading calendar from the newest stored holiday list."""
    days = store.days("holidays")
    if not days:
        return inferred_calendar(store.days("equities"))
    stored = store.files("holidays", days[-1])[0]
    return TradingCalendar.from_holidays(
        nse_holidays.parse(stored.path.read_bytes(), str(stored.path))
    )


def inferred_calendar(sessions: list[date]) -> TradingCalendar:
    """Return a calendar whose holidays are the weekdays between stored sessions with no file.

    Used when no holiday list is stored (a folder import): past gaps count as holidays, and
    future days are taken to be sessions unless they fall on a weekend.
    """
    if not sessions:
        raise DataCheckError("the store holds no sessions; run `invoke pull` first")
    stored = set(sessions)
    weekdays = TradingCalendar.from_holidays([]).sessions(sessions[0], sessions[-1])
    return TradingCalendar.from_holidays(d for d in weekdays if d not in stored)


def load_history(store: Store, until: date) -> MarketHistory:
    """Return index closes of every stored session up to `until`."""
    sessions = tuple(d for d in store.days("indices") if d <= until)
    frames = []
    for day in sessions:
        for stored in store.files("indices", day):
            table = store.table(stored, functools.partial(_parse_indices, day=day))
            frames.append(table[[C.TRADE_DATE, C.INDEX_NAME, C.CLOSE, C.POINTS_CHANGE]])
    closes = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=[C.TRADE_DATE, C.INDEX_NAME, C.CLOSE, C.POINTS_CHANGE])
    )
    return MarketHistory(closes, load_calendar(store), sessions)


def load_day(store: Store, config: Config, day: date) -> MarketDay:
    """Parse everything stored for `day`; raise with file, row and field on bad input."""
    equities_file = _one(store, "equities", day, equities.file_name(day))
    day_equities = store.table(equities_file,
                               lambda raw, path: equities.parse(raw, path, day))
    sources = [equities_file]
    issues: list[str] = []

    index_file = store.file("indices", day, nse_indices.file_name(day))
    if index_file is None:
        indices = pd.DataFrame(columns=[C.TRADE_DATE, C.INDEX_NAME, C.CLOSE, C.POINTS_CHANGE])
        issues.append(f"No index close file ({nse_indices.file_name(day)}) is stored for {day}.")
    else:
        indices = store.table(index_file, lambda raw, path: nse_indices.parse(raw, path, day))
        sources.append(index_file)

    constituents: dict[str, pd.DataFrame] = {}
    for list_name in sorted({seg.constituents for seg in config.segments}):
        as_of = _list_day(store, list_name, day)
        if as_of is None:
            raise DataCheckError(
                f"no constituent list {list_name} is stored; run `invoke pull` for {day}"
            )
        stored = _one(store, "constituents", as_of, list_name)
        constituents[list_name] = store.table(stored, nse_constituents.parse)
        sources.append(stored)
        if as_of > day:
            issues.append(f"{list_name} is the list stored on {as_of}; none older was stored.")

    meetings_file = store.file("board_meetings", day, nse_board_meetings.file_name(day))
    if meetings_file is None:
        meetings = nse_board_meetings.parse(b"[]", "empty")
        issues.append(f"No results calendar is stored for {day}.")
    else:
        meetings = store.table(meetings_file, nse_board_meetings.parse)
        sources.append(meetings_file)
    earlier = [d for d in store.days("equities") if d < day]
    previous = None
    if earlier:
        prior = earlier[-1]
        prior_file = _one(store, "equities", prior, equities.file_name(prior))
        previous = store.table(prior_file,
                               lambda raw, path: equities.parse(raw, path, prior))
    return MarketDay(day, day_equities, indices, constituents, meetings, tuple(sources),
                     tuple(issues), previous)


def _parse_indices(raw: bytes, path: str, day: date) -> pd.DataFrame:
    return nse_indices.parse(raw, path, day)


def _one(store: Store, kind: str, day: date, name: str) -> StoredFile:
    stored = store.file(kind, day, name)
    if stored is None:
        raise DataCheckError(f"the store has no {name} for {day}; run `invoke pull --date {day}`")
    return stored


def _list_day(store: Store, list_name: str, day: date) -> date | None:
    """Return the day of the list version in force on `day` (else the oldest stored)."""
    days = [d for d in store.days("constituents") if store.file("constituents", d, list_name)]
    earlier = [d for d in days if d <= day]
    if earlier:
        return earlier[-1]
    return days[0] if days else None
