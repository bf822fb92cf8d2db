"""The brief summaries of the docs dir, by day, a year read only when something asks for it.

A daily publish lists every day and segment of the archive (hub pages count them, sitemaps
name them) but needs the figures of few: the newest sessions, the years it touched. Ten
years are 10,000 summaries; unpickling them all took 0.9 s and computing what they say of
every stock 2.2 s, on every publish. Here the days and segments come from the file names,
a year's summaries are read (from the memo while none of its files changed) when one of its
days is asked for, and what is derived from a whole year (`per_year`) is kept in the memo
beside it under the same key: a closed year costs a listing and one small unpickle.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from stat import S_ISREG
from typing import Any, TypeVar

from generator.config import Config
from generator.pages import BRIEFS
from generator.store import Store, sha256_hex
from generator.summary import BriefSummary

T = TypeVar("T")
ByDay = dict[date, list[BriefSummary]]
# memo(name, build): build() kept in the store's memo under name while the year is unchanged.
YearMemo = Callable[[str, Callable[[], Any]], Any]


class Summaries(Mapping[date, list[BriefSummary]]):
    """Every brief summary by day, oldest day first, in segment order within a day.

    `segments` gives each day's segment keys (known without reading a summary); `loaders`
    each year's summaries; `memos` each year's memo (none: `per_year` computes every time).
    """

    def __init__(self, segments: Mapping[date, Sequence[str]],
                 loaders: Mapping[int, Callable[[], ByDay]],
                 memos: Mapping[int, YearMemo] | None = None) -> None:
        self._segments = {day: tuple(segments[day]) for day in sorted(segments)
                          if segments[day]}
        self._loaders = dict(loaders)
        self._memos = dict(memos or {})
        self._loaded: dict[int, ByDay] = {}

    @classmethod
    def of(cls, by_day: Mapping[date, Sequence[BriefSummary]]) -> Summaries:
        """Return the summaries of an in-memory mapping (tests, a render's own days)."""
        held = {day: list(found) for day, found in by_day.items() if found}
        years: dict[int, ByDay] = {}
        for day in sorted(held):
            years.setdefault(day.year, {})[day] = held[day]
        return cls({day: [s.segment for s in found] for day, found in held.items()},
                   {year: functools.partial(dict, mine) for year, mine in years.items()})

    def __getitem__(self, day: date) -> list[BriefSummary]:
        if day not in self._segments:
            raise KeyError(day)
        return self.year(day.year)[day]

    def __iter__(self) -> Iterator[date]:
        return iter(self._segments)

    def __len__(self) -> int:
        return len(self._segments)

    @property
    def days(self) -> list[date]:
        """Return the days with a summary, oldest first."""
        return list(self._segments)

    @property
    def years(self) -> list[int]:
        """Return the years with a summary, oldest first."""
        return sorted({day.year for day in self._segments})

    def segments(self, day: date) -> tuple[str, ...]:
        """Return the segment keys of a day's summaries, in segment order (none: ())."""
        return self._segments.get(day, ())

    def year(self, year: int) -> ByDay:
        """Return a year's summaries by day (read once, then held)."""
        if year not in self._loaded:
            loader = self._loaders.get(year)
            self._loaded[year] = loader() if loader is not None else {}
        return self._loaded[year]

    def per_year(self, name: str, year: int, build: Callable[[ByDay], T]) -> T:
        """Return build(the year's summaries), kept in the memo while the year's summary
        files are unchanged; `name` says what it is (one name per `build`)."""
        memo = self._memos.get(year)
        if memo is None:
            return build(self.year(year))
        found: T = memo(name, lambda: build(self.year(year)))
        return found


def read_summaries(config: Config) -> Summaries:
    """Return every brief summary in the docs dir (see `Summaries`); a year is read from its
    memo while none of its summary files changed (path, size, time)."""
    root = config.docs_dir / BRIEFS
    if not root.is_dir():
        return Summaries({}, {})
    store = Store(config.data_dir)
    keys = [seg.key for seg in config.segments]
    shape = json.dumps([keys, sorted(f.name for f in dataclasses.fields(BriefSummary))])
    segments: dict[date, list[str]] = {}
    loaders: dict[int, Callable[[], ByDay]] = {}
    memos: dict[int, YearMemo] = {}
    for year, found, lines in _listing(root, keys):
        for day, key, _ in found:
            segments.setdefault(day, []).append(key)
        stamp = sha256_hex("\n".join([shape, *lines]).encode("utf-8"))
        memo = functools.partial(_memo, store, str(year), stamp)
        memos[year] = memo
        loaders[year] = functools.partial(memo, "summaries", functools.partial(_read, found))
    return Summaries(segments, loaders, memos)


def _listing(root: Path, keys: Sequence[str]
             ) -> Iterator[tuple[int, list[tuple[date, str, str]], list[str]]]:
    """Yield each year under root (briefs/) with its summary files (day, segment key,
    path), oldest first,
    and a line per file (path under root, size, time) for its memo key: os.scandir and
    one stat per file, as ten years are 10,000 files listed on every publish."""
    names = [(key, f"{key}.json") for key in keys]

    def numbered(folder: str, digits: int) -> list[tuple[int, str]]:
        with os.scandir(folder) as entries:
            return sorted((int(e.name), e.path) for e in entries
                          if len(e.name) == digits and e.name.isdigit() and e.is_dir())

    for year, year_path in numbered(str(root), 4):
        found: list[tuple[date, str, str]] = []
        lines: list[str] = []
        for month, month_path in numbered(year_path, 2):
            for number, day_path in numbered(month_path, 2):
                try:
                    day = date(year, month, number)
                except ValueError:
                    continue
                for key, name in names:
                    # os functions and str paths, not Path: a third of the time
                    path = os.path.join(day_path, name)  # noqa: PTH118
                    try:
                        stat = os.stat(path)  # noqa: PTH116
                    except FileNotFoundError:
                        continue
                    if not S_ISREG(stat.st_mode):
                        continue
                    found.append((day, key, path))
                    lines.append(f"{year:04d}/{month:02d}/{number:02d}/{name} "
                                 f"{stat.st_size} {stat.st_mtime_ns}")
        if found:
            yield year, found, lines


def _memo(store: Store, year: str, stamp: str, name: str, build: Callable[[], T]) -> T:
    return store.memo_object(f"{name}/{year}", stamp, build)


def _read(found: Sequence[tuple[date, str, str]]) -> ByDay:
    by_day: ByDay = {}
    for day, _, path in found:
        by_day.setdefault(day, []).append(BriefSummary.from_path(Path(path)))
    return by_day
