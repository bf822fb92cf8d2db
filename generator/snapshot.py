"""Load what a day's briefs need from the store into typed objects passed downstream."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from generator import columns as C
from generator.calendar import TradingCalendar
from generator.config import Config
from generator.errors import DataCheckError
from generator.sources import (
    amfi,
    bse_indices,
    exchanges,
    nse_constituents,
    nse_full_bhavdata,
    nse_holidays,
    nse_indices,
    ratings,
)
from generator.store import Store, StoredFile, files_key


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


def load_history(store: Store, until: date,
                 names_by_code: Mapping[str, str] | None = None) -> MarketHistory:
    """Return index closes of every stored session up to `until`.

    `names_by_code` names the BSE indices (config `[bse_indices]`, name -> code inverted).
    """
    names = names_by_code or {}
    stored = store.days("indices")
    sessions = tuple(d for d in stored if d <= until)
    columns = [C.TRADE_DATE, C.INDEX_NAME, C.CLOSE, C.POINTS_CHANGE]
    frames = []
    # A year's index files are parsed once into one cached frame (Store.memo), kept while
    # none of them changes: a day reads one file per year, not one per session.
    for year in sorted({d.year for d in sessions}):
        days = [d for d in stored if d.year == year]
        files = [f for d in days for f in store.files("indices", d)]

        def read(days: list[date] = days) -> pd.DataFrame:
            parts = [table[columns] for day in days
                     for _, table in _index_tables(store, day, names)]
            return (pd.concat(parts, ignore_index=True) if parts
                    else pd.DataFrame(columns=columns))

        key = files_key([f.path for f in files], json.dumps(sorted(names.items())))
        frame = store.memo(f"index_history/{year}", key, read)
        frames.append(frame.loc[pd.to_datetime(frame[C.TRADE_DATE]) <= pd.Timestamp(until)])
    closes = (pd.concat(frames, ignore_index=True) if frames
              else pd.DataFrame(columns=columns))
    return MarketHistory(closes, load_calendar(store), sessions)


def equity_days(store: Store, exchange: str) -> list[date]:
    """Return the stored sessions that have an equity file of the exchange."""
    return [d for d in store.days("equities") if _equity_file(store, exchange, d) is not None]


def day_equities(store: Store, config: Config, day: date) -> pd.DataFrame:
    """Return the rows of the day's equity file (ISINs matched for a sec_bhavdata_full day)."""
    stored = _equity_file(store, config.exchange, day)
    full = stored is not None and nse_full_bhavdata.date_from_name(stored.name) is not None
    lists = _member_lists(store, config, day, [], []) if full else {}
    return _equities(store, config.exchange, day, lists)[1]


def load_day(store: Store, config: Config, day: date) -> MarketDay:
    """Parse everything stored for `day`; raise with file, row and field on bad input."""
    issues: list[str] = []
    list_files: list[StoredFile] = []
    constituents = _member_lists(store, config, day, list_files, issues)
    equities_file, day_equities, note = _equities(store, config.exchange, day, constituents)
    sources = [equities_file]
    if note:
        issues.append(note)

    index_tables = _index_tables(store, day, names_by_code(config))
    if index_tables:
        indices = pd.concat([t for _, t in index_tables], ignore_index=True)
        sources.extend(stored for stored, _ in index_tables)
    else:
        indices = pd.DataFrame(columns=[C.TRADE_DATE, C.INDEX_NAME, C.CLOSE, C.POINTS_CHANGE])
        expected = ", ".join(expected_index_files(config, day))
        issues.append(f"No index close file ({expected}) is stored for {day}.")
    sources.extend(list_files)

    results_name = exchanges.results_file_name(config.exchange, day)
    meetings_file = store.file("board_meetings", day, results_name)
    if meetings_file is None:
        meetings = exchanges.empty_results()
        issues.append(f"No results calendar is stored for {day}.")
    else:
        meetings = store.table(meetings_file, lambda raw, path: exchanges.parse_results(
            config.exchange, raw, path, day_equities))
        sources.append(meetings_file)
    earlier = [d for d in equity_days(store, config.exchange) if d < day]
    previous = None
    if earlier:
        previous = _equities(store, config.exchange, earlier[-1], constituents)[1]
    sources.extend(store.files("ratings", day))
    return MarketDay(day, day_equities, indices, constituents, meetings, tuple(sources),
                     tuple(issues), previous)


def load_ratings(store: Store, until: date) -> pd.DataFrame | None:
    """Return every stored rating of feeds published up to `until`, or None when no feed
    is stored at all."""
    stored_days = store.days("ratings")
    if not stored_days:
        return None
    frames = [store.table(stored, ratings.parse) for d in stored_days if d <= until
              for stored in store.files("ratings", d)]
    return pd.concat(frames, ignore_index=True) if frames else ratings.empty()


def expected_index_files(config: Config, day: date) -> list[str]:
    """Return the index close files the config's segments and benchmarks need for `day`."""
    nse = [nse_indices.file_name(day)] if config.needs_nse_indices else []
    return nse + [bse_indices.file_name(code, day) for code in config.bse_codes_used]


def names_by_code(config: Config) -> dict[str, str]:
    """Return the config's BSE index names keyed by their BSE code."""
    return {code: name for name, code in config.bse_index_codes.items()}


def _index_tables(store: Store, day: date, names: Mapping[str, str]
                  ) -> list[tuple[StoredFile, pd.DataFrame]]:
    """Return every stored index close file of the day with its rows (BSE ones named)."""
    out = []
    for stored in store.files("indices", day):
        table = store.table(stored, functools.partial(_parse_index, stored.name, day))
        if bse_indices.from_name(stored.name) is not None:
            table = exchanges.name_indices(table, names)
        out.append((stored, table))
    return out


def _parse_index(name: str, day: date, raw: bytes, path: str) -> pd.DataFrame:
    return exchanges.parse_index_file(name, raw, path, day)


def _equity_file(store: Store, exchange: str, day: date) -> StoredFile | None:
    """Return the day's equity file: the exchange's own layout, else NSE's sec_bhavdata_full."""
    stored = store.file("equities", day, exchanges.equity_file_name(exchange, day))
    if stored is None and exchange == "NSE":
        stored = store.file("equities", day, nse_full_bhavdata.file_name(day))
    return stored


def _equities(store: Store, exchange: str, day: date, lists: Mapping[str, pd.DataFrame]
              ) -> tuple[StoredFile, pd.DataFrame, str]:
    """Return the day's equity file, its rows, and a note when ISINs had to be matched."""
    stored = _equity_file(store, exchange, day)
    if stored is None:
        name = exchanges.equity_file_name(exchange, day)
        raise DataCheckError(f"the store has no {name} for {day}; run `invoke pull --date {day}`")
    if nse_full_bhavdata.date_from_name(stored.name) is None:
        frame = store.table(stored, lambda raw, path: exchanges.parse_equities(
            exchange, raw, path, day))
        return stored, frame, ""
    rows = store.table(stored, lambda raw, path: nse_full_bhavdata.parse(raw, path, day))
    frame = nse_full_bhavdata.attach_isins(rows, lists.values())
    found = int((frame[C.ISIN] != "").sum())
    note = (f"The day's equity file is {stored.name}, which has no ISIN column: its rows were "
            f"matched to ISINs by symbol through the segment lists ({found} of {len(frame)} "
            "rows matched); a constituent whose symbol changed is counted as not traded.")
    return stored, frame, note


def _member_lists(store: Store, config: Config, day: date, sources: list[StoredFile],
                  issues: list[str]) -> dict[str, pd.DataFrame]:
    """Return each segment's member list in force on `day`, keyed by Segment.members_key."""
    lists: dict[str, pd.DataFrame] = {}
    for seg in sorted(config.segments, key=lambda s: s.members_key):
        if seg.members_key in lists:
            continue
        if seg.amfi_ranks is None:
            stored = _list_in_force(store, "constituents", seg.constituents or "", day, issues)
            lists[seg.members_key] = store.table(stored, nse_constituents.parse)
        else:
            stored = _list_in_force(store, "amfi", None, day, issues)
            table = store.table(stored, amfi.parse)
            lists[seg.members_key] = amfi.members(table, *seg.amfi_ranks)
        if stored not in sources:
            sources.append(stored)
    return lists


def _list_in_force(store: Store, kind: str, name: str | None, day: date,
                   issues: list[str]) -> StoredFile:
    """Return the newest list stored on or before `day` (else the oldest, noted as an issue).

    `name` None takes any file of the kind (AMFI lists are named by their period).
    """
    def pick(d: date) -> StoredFile | None:
        if name is not None:
            return store.file(kind, d, name)
        files = store.files(kind, d)
        return max(files, key=lambda f: amfi.period_from_name(f.name) or date.min,
                   default=None)

    found = {d: f for d in store.days(kind) if (f := pick(d)) is not None}
    label = name or f"{kind} list"
    if not found:
        raise DataCheckError(f"no {label} is stored; run `invoke pull` for {day}")
    earlier = [d for d in found if d <= day]
    as_of = earlier[-1] if earlier else min(found)
    if as_of > day:
        issues.append(f"{label} is the list stored on {as_of}; none older was stored.")
    return found[as_of]
