"""Bring a day's exchange files from a source into the store, validating before storing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Protocol

from generator.calendar import TradingCalendar
from generator.config import Config
from generator.errors import ConfigError, SourceError
from generator.http import PoliteClient
from generator.sources import (
    demo,
    equities,
    nse,
    nse_board_meetings,
    nse_constituents,
    nse_holidays,
    nse_indices,
    nse_udiff,
)
from generator.store import Store

DAILY_KINDS = ("equities", "indices", "board_meetings")


@dataclass(frozen=True)
class PullReport:
    """What a pull stored: file name -> "new", "same" or "revised"."""

    day: date
    statuses: dict[str, str]


def demo_archive(config: Config) -> Path:
    """Return the folder the demo market publishes its files into."""
    return config.data_dir / "demo-archive"


def ensure_demo_archive(config: Config) -> Path:
    """Return the demo archive, simulating the configured demo market first if it is absent."""
    archive = demo_archive(config)
    if not (archive / nse_holidays.FILE_NAME).is_file():
        settings = config.demo
        write_demo_archive(config, settings.seed, settings.start, settings.end)
    return archive


def write_demo_archive(config: Config, seed: int, start: date, end: date) -> Path:
    """Simulate the demo market and make its archive hold exactly that market's files."""
    from generator.demo import simulate_market, write_archive

    archive = demo_archive(config)
    written = {p.resolve() for p in write_archive(simulate_market(seed, start, end), archive)}
    for path in sorted(archive.rglob("*")):
        if path.is_file() and path.resolve() not in written:
            path.unlink()
    return archive


class Source(Protocol):
    """What pull needs from a provider of exchange files."""

    name: str

    def daily(self, kind: str, day: date) -> tuple[str, bytes, str]:
        """Return name, bytes and origin (URL or "demo") of a day's file."""

    def constituents(self, list_name: str) -> tuple[bytes, str]:
        """Return the bytes and origin of a constituent list."""

    def holidays(self) -> tuple[bytes, str]:
        """Return the bytes and origin of the trading holiday list."""


def source_for(config: Config) -> Source:
    """Return the source the config names."""
    if config.source == demo.SOURCE_NAME:
        return demo.DemoSource(ensure_demo_archive(config))
    if config.source == nse.SOURCE_NAME:
        urls = config.source_urls
        return nse.NseSource(PoliteClient(), urls.get("archives_url", nse.ARCHIVES),
                             urls.get("website_url", nse.WEBSITE))
    raise ConfigError(f"unknown source {config.source!r}; set [source] name to \"demo\" or "
                      "\"nse\"")


def pull_day(config: Config, store: Store, day: date, received_at: datetime,
             source: Source | None = None) -> PullReport:
    """Fetch, validate and store every file a brief for `day` needs."""
    source = source or source_for(config)
    holidays_raw, holidays_origin = source.holidays()
    calendar = TradingCalendar.from_holidays(
        nse_holidays.parse(holidays_raw, holidays_origin)
    )
    if not calendar.is_session(day):
        raise SourceError(f"{day} is not a trading day (weekend or exchange holiday); "
                          "choose a trading day")
    fetched = [(kind, *source.daily(kind, day)) for kind in DAILY_KINDS]
    # Validate everything before storing anything: a bad day leaves the store as it was.
    for kind, name, data, origin in fetched:
        where = origin if origin != demo.SOURCE_NAME else f"{kind}/{name}"
        if kind == "equities":
            equities.parse(data, where, day)
        elif kind == "indices":
            nse_indices.parse(data, where, expected_date=day)
        else:
            nse_board_meetings.parse(data, where)
    lists = {}
    for list_name in sorted({seg.constituents for seg in config.segments}):
        data, origin = source.constituents(list_name)
        nse_constituents.parse(data, origin if origin != demo.SOURCE_NAME else list_name)
        lists[list_name] = (data, origin)

    statuses: dict[str, str] = {}
    for kind, name, data, origin in fetched:
        statuses[name] = store.put_raw(kind, day, name, data, source=origin,
                                       received_at=received_at)
    statuses[nse_holidays.FILE_NAME] = _put_if_changed(
        store, "holidays", day, nse_holidays.FILE_NAME, holidays_raw, holidays_origin,
        received_at,
    )
    for list_name, (data, origin) in lists.items():
        statuses[list_name] = _put_if_changed(
            store, "constituents", day, list_name, data, origin, received_at
        )
    return PullReport(day, statuses)


def _put_if_changed(
    store: Store, kind: str, day: date, name: str, data: bytes, source: str, when: datetime
) -> str:
    """Store a slowly changing file under `day` only if it differs from the version in force."""
    for stored_day in reversed(store.days(kind)):
        if stored_day > day:
            continue
        stored = store.file(kind, stored_day, name)
        if stored is not None:
            if stored.path.read_bytes() == data:
                return "same"
            break
    return store.put_raw(kind, day, name, data, source=source, received_at=when)


def archive_sessions(config: Config) -> list[date]:
    """Return the sessions for which the demo archive holds an equity file."""
    folder = ensure_demo_archive(config) / "equities"
    return sorted(
        d for p in folder.iterdir() if (d := nse_udiff.date_from_name(p.name)) is not None
    )


def latest_session(config: Config, today: date) -> date:
    """Return the newest session up to `today` for which the source has an equity file."""
    if config.source != demo.SOURCE_NAME:
        raw, origin = source_for(config).holidays()
        calendar = TradingCalendar.from_holidays(nse_holidays.parse(raw, origin))
        return today if calendar.is_session(today) else calendar.previous_session(today)
    days = [d for d in archive_sessions(config) if d <= today]
    if not days:
        raise SourceError(f"the demo market has published no session up to {today}; "
                          "check [demo] start and end in the config")
    return days[-1]


@dataclass(frozen=True)
class BackfillStep:
    """One session of a backfill: its position, and what happened to it."""

    index: int
    total: int
    day: date
    outcome: str


def backfill(
    config: Config,
    store: Store,
    start: date,
    end: date,
    received_at: datetime,
    on_step: Callable[[BackfillStep], None],
    source: Source | None = None,
) -> list[BackfillStep]:
    """Pull every session from start to end that the store lacks; stored days are skipped.

    Holidays and weekends are never requested. A rerun after an interruption carries on
    where the last one stopped, since finished days are in the store.
    """
    source = source or source_for(config)
    raw, origin = source.holidays()
    calendar = TradingCalendar.from_holidays(nse_holidays.parse(raw, origin))
    days = calendar.sessions(start, end)
    if not days:
        raise SourceError(f"no trading day from {start} to {end}; check the dates")
    stored = set(store.days("equities"))
    steps = []
    for index, day in enumerate(days, start=1):
        if day in stored:
            outcome = "already stored"
        else:
            report = pull_day(config, store, day, received_at, source)
            revised = sorted(n for n, s in report.statuses.items() if s == "revised")
            outcome = f"pulled; changed files kept as revisions: {', '.join(revised)}" \
                if revised else "pulled"
        step = BackfillStep(index, len(days), day, outcome)
        on_step(step)
        steps.append(step)
    return steps
