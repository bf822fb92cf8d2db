"""Bring a day's exchange files from a source into the store, validating before storing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from generator.calendar import TradingCalendar
from generator.config import Config
from generator.errors import ConfigError, SourceError
from generator.sources import (
    demo,
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


def pull_day(config: Config, store: Store, day: date, received_at: datetime) -> PullReport:
    """Fetch, validate and store every file a brief for `day` needs."""
    if config.source != demo.SOURCE_NAME:
        raise ConfigError(
            f"source {config.source!r} is not available yet; set [source] name = \"demo\""
        )
    archive = ensure_demo_archive(config)
    holidays_raw = demo.fetch_holidays(archive)
    calendar = TradingCalendar.from_holidays(
        nse_holidays.parse(holidays_raw, str(archive / nse_holidays.FILE_NAME))
    )
    if not calendar.is_session(day):
        raise SourceError(f"{day} is not a trading day (weekend or exchange holiday); "
                          "choose a trading day")
    fetched: list[tuple[str, str, bytes]] = []
    for kind in DAILY_KINDS:
        name, data = demo.fetch_daily(archive, kind, day)
        fetched.append((kind, name, data))
    # Validate everything before storing anything: a bad day leaves the store as it was.
    for kind, name, data in fetched:
        where = str(archive / kind / name)
        if kind == "equities":
            nse_udiff.parse(data, where, expected_date=day)
        elif kind == "indices":
            nse_indices.parse(data, where, expected_date=day)
        else:
            nse_board_meetings.parse(data, where)
    lists = sorted({seg.constituents for seg in config.segments})
    list_bytes = {}
    for list_name in lists:
        data = demo.fetch_constituents(archive, list_name)
        nse_constituents.parse(data, str(archive / "constituents" / list_name))
        list_bytes[list_name] = data

    statuses: dict[str, str] = {}
    source = demo.SOURCE_NAME
    for kind, name, data in fetched:
        statuses[name] = store.put_raw(kind, day, name, data, source=source,
                                       received_at=received_at)
    statuses[nse_holidays.FILE_NAME] = _put_if_changed(
        store, "holidays", day, nse_holidays.FILE_NAME, holidays_raw, source, received_at
    )
    for list_name, data in list_bytes.items():
        statuses[list_name] = _put_if_changed(
            store, "constituents", day, list_name, data, source, received_at
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
    days = [d for d in archive_sessions(config) if d <= today]
    if not days:
        raise SourceError(f"the demo market has published no session up to {today}; "
                          "check [demo] start and end in the config")
    return days[-1]
