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
from generator.snapshot import equity_days
from generator.sources import (
    amfi,
    amfiindia,
    bse,
    demo,
    exchanges,
    nse,
    nse_constituents,
    nse_holidays,
    nse_udiff,
    ratings,
)
from generator.sources.fetched import Fetched
from generator.store import Store


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


EXCHANGES = "exchanges"


class Source(Protocol):
    """What pull needs from a provider of exchange files."""

    name: str

    def equities(self, exchange: str, day: date) -> Fetched:
        """Return the exchange's equity bhavcopy of `day`."""

    def results(self, exchange: str, day: date) -> Fetched:
        """Return the exchange's results calendar as published on `day`."""

    def nse_indices(self, day: date) -> Fetched:
        """Return NSE's index close file of `day`."""

    def bse_index(self, code: str, day: date) -> Fetched:
        """Return BSE's history of one index for `day`."""

    def constituents(self, list_name: str) -> Fetched:
        """Return an NSE index constituent list as published now."""

    def amfi(self, day: date) -> Fetched:
        """Return the AMFI market capitalisation list in force on `day`."""

    def ratings(self, day: date) -> Fetched | None:
        """Return a ratings provider's feed of `day`, or None when the source has none."""

    def holidays(self) -> Fetched:
        """Return the trading holiday list."""


class ExchangeSources:
    """The exchanges' and AMFI's own websites, each through the one polite client."""

    name = EXCHANGES

    def __init__(self, nse_source: nse.NseSource, bse_source: bse.BseSource | None = None,
                 amfi_source: amfiindia.AmfiSource | None = None) -> None:
        self.nse = nse_source
        self.bse = bse_source or bse.BseSource(nse_source.client)
        self.amfi_site = amfi_source or amfiindia.AmfiSource(nse_source.client)

    @classmethod
    def from_urls(cls, client: PoliteClient, urls: dict[str, str]) -> ExchangeSources:
        """Return the sources with hosts overridden by the config's `*_url` settings."""
        return cls(
            nse.NseSource(client, urls.get("archives_url", nse.ARCHIVES),
                          urls.get("website_url", nse.WEBSITE)),
            bse.BseSource(client, urls.get("bse_website_url", bse.WEBSITE),
                          urls.get("bse_api_url", bse.API)),
            amfiindia.AmfiSource(client, (urls["amfi_url"],) if "amfi_url" in urls
                                 else amfiindia.DOWNLOADS),
        )

    def equities(self, exchange: str, day: date) -> Fetched:
        """Return the exchange's equity bhavcopy of `day`."""
        if exchange == "BSE":
            return Fetched("equities", *self.bse.equities(day))
        return Fetched("equities", *self.nse.daily("equities", day))

    def results(self, exchange: str, day: date) -> Fetched:
        """Return the exchange's results calendar as published on `day`."""
        if exchange == "BSE":
            return Fetched("board_meetings", *self.bse.results(day))
        return Fetched("board_meetings", *self.nse.daily("board_meetings", day))

    def nse_indices(self, day: date) -> Fetched:
        """Return NSE's index close file of `day`."""
        return Fetched("indices", *self.nse.daily("indices", day))

    def bse_index(self, code: str, day: date) -> Fetched:
        """Return BSE's history of one index for `day`."""
        return Fetched("indices", *self.bse.index(code, day))

    def constituents(self, list_name: str) -> Fetched:
        """Return an NSE index constituent list."""
        data, url = self.nse.constituents(list_name)
        return Fetched("constituents", list_name, data, url)

    def amfi(self, day: date) -> Fetched:
        """Return the AMFI list in force on `day`."""
        return Fetched("amfi", *self.amfi_site.latest(day))

    def ratings(self, day: date) -> Fetched | None:
        """Return None: no ratings provider publishes a feed here (import one with --from-dir)."""
        return None

    def holidays(self) -> Fetched:
        """Return NSE's trading holiday list (BSE closes on the same days)."""
        data, url = self.nse.holidays()
        return Fetched("holidays", nse_holidays.FILE_NAME, data, url)


def source_for(config: Config) -> Source:
    """Return the source the config names."""
    if config.source == demo.SOURCE_NAME:
        return demo.DemoSource(ensure_demo_archive(config))
    if config.source == EXCHANGES:
        return ExchangeSources.from_urls(PoliteClient(), config.source_urls)
    raise ConfigError(f"unknown source {config.source!r}; set [source] name to \"demo\" or "
                      "\"exchanges\"")


def pull_day(config: Config, store: Store, day: date, received_at: datetime,
             source: Source | None = None) -> PullReport:
    """Fetch, validate and store every file a brief for `day` needs.

    What is fetched follows the config: the equity bhavcopy and results calendar of
    `[source] exchange`, NSE's index closes unless every index is a BSE one, BSE's history
    of each index named in `[bse_indices]`, the constituent lists and the AMFI list the
    segments use, and the holiday list.
    """
    source = source or source_for(config)
    holidays = source.holidays()
    calendar = TradingCalendar.from_holidays(nse_holidays.parse(holidays.data, holidays.origin))
    if not calendar.is_session(day):
        raise SourceError(f"{day} is not a trading day (weekend or exchange holiday); "
                          "choose a trading day")
    exchange = config.exchange
    daily = [source.equities(exchange, day), source.results(exchange, day),
             *_index_files(config, source, day)]
    lists = [source.constituents(name) for name in
             sorted({s.constituents for s in config.segments if s.constituents})]
    if any(s.amfi_ranks for s in config.segments):
        lists.append(source.amfi(day))
    feed = source.ratings(day)
    if feed is not None:
        daily.append(feed)
    # Validate everything before storing anything: a bad day leaves the store as it was.
    day_equities = exchanges.parse_equities(exchange, daily[0].data, _where(daily[0]), day)
    exchanges.parse_results(exchange, daily[1].data, _where(daily[1]), day_equities)
    for item in daily[2:]:
        if item.kind == "ratings":
            ratings.parse(item.data, _where(item), day)
        else:
            exchanges.parse_index_file(item.name, item.data, _where(item), day)
    for item in lists:
        if item.kind == "amfi":
            amfi.parse(item.data, _where(item))
        else:
            nse_constituents.parse(item.data, _where(item))

    statuses = {item.name: store.put_raw(item.kind, day, item.name, item.data,
                                         source=item.origin, received_at=received_at)
                for item in daily}
    for item in [holidays, *lists]:
        statuses[item.name] = _put_if_changed(store, item, day, received_at)
    return PullReport(day, statuses)


def pull_again(config: Config, store: Store, day: date, received_at: datetime,
               source: Source | None = None) -> PullReport:
    """Fetch a published session's own files again (the equity bhavcopy and index closes,
    which an exchange may re-issue) and keep each that validates and changed, as a new
    revision; the results calendar and lists are not re-read (they change by nature)."""
    source = source or source_for(config)
    daily = [source.equities(config.exchange, day), *_index_files(config, source, day)]
    exchanges.parse_equities(config.exchange, daily[0].data, _where(daily[0]), day)
    for item in daily[1:]:
        exchanges.parse_index_file(item.name, item.data, _where(item), day)
    return PullReport(day, {item.name: store.put_raw(item.kind, day, item.name, item.data,
                                                     source=item.origin,
                                                     received_at=received_at)
                            for item in daily})


def _index_files(config: Config, source: Source, day: date) -> list[Fetched]:
    """Return the index close files of `day` the config's indices are read from."""
    files = [source.nse_indices(day)] if config.needs_nse_indices else []
    return files + [source.bse_index(code, day) for code in config.bse_codes_used]


def source_calendar(source: Source) -> TradingCalendar:
    """Return the trading calendar of the source's holiday list."""
    holidays = source.holidays()
    return TradingCalendar.from_holidays(nse_holidays.parse(holidays.data, holidays.origin))


def _where(item: Fetched) -> str:
    """Return how an error names a fetched file: its URL, or its archive path for the demo."""
    return item.origin if item.origin != demo.SOURCE_NAME else f"{item.kind}/{item.name}"


def _put_if_changed(store: Store, item: Fetched, day: date, when: datetime) -> str:
    """Store a slowly changing file under `day` only if it differs from the version in force."""
    for stored_day in reversed(store.days(item.kind)):
        if stored_day > day:
            continue
        stored = store.file(item.kind, stored_day, item.name)
        if stored is not None:
            if stored.path.read_bytes() == item.data:
                return "same"
            break
    return store.put_raw(item.kind, day, item.name, item.data, source=item.origin,
                         received_at=when)


def archive_sessions(config: Config) -> list[date]:
    """Return the sessions for which the demo archive holds an equity file."""
    folder = ensure_demo_archive(config) / "equities"
    return sorted(
        d for p in folder.iterdir() if (d := nse_udiff.date_from_name(p.name)) is not None
    )


def latest_session(config: Config, today: date, source: Source | None = None) -> date:
    """Return the newest session up to `today` for which the source has an equity file."""
    if config.source != demo.SOURCE_NAME:
        calendar = source_calendar(source or source_for(config))
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
    days = source_calendar(source).sessions(start, end)
    if not days:
        raise SourceError(f"no trading day from {start} to {end}; check the dates")
    # A day whose pull was cut short (killed, or failed midway) is pulled again.
    stored = set(equity_days(store, config.exchange)) - store.interrupted()
    steps = []
    for index, day in enumerate(days, start=1):
        if day in stored:
            outcome = "already stored"
        else:
            with store.pulling(day):
                report = pull_day(config, store, day, received_at, source)
            revised = sorted(n for n, s in report.statuses.items() if s == "revised")
            outcome = f"pulled; changed files kept as revisions: {', '.join(revised)}" \
                if revised else "pulled"
        step = BackfillStep(index, len(days), day, outcome)
        on_step(step)
        steps.append(step)
    return steps
