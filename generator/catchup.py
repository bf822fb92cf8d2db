"""Catch-up: which sessions a publish must bring in, pulling them, and re-reading the newest
published sessions' files to catch a re-issued one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from generator.calendar import TradingCalendar
from generator.config import Config
from generator.errors import GeneratorError
from generator.pull import Source, pull_again, pull_day
from generator.snapshot import equity_days
from generator.store import Store

Say = Callable[[str], None]


class SinceError(GeneratorError):
    """`--since` names a day after the last session to publish."""


def sessions_to_publish(calendar: TradingCalendar, published: Sequence[date],
                        since: date | None, target: date) -> list[date]:
    """Return the sessions not yet published from `since` (default: the day after the last
    published session) up to `target`, oldest first; holidays are not sessions."""
    if since is not None and since > target:
        raise SinceError(f"--since {since} is after the last session to publish, {target}; "
                         "choose an earlier date")
    start = since if since is not None else published[-1] + timedelta(days=1)
    done = set(published)
    return [day for day in calendar.sessions(start, target) if day not in done]


def pull_sessions(config: Config, store: Store, source: Source, days: Sequence[date],
                  when: datetime, say: Say) -> tuple[list[date], tuple[date, GeneratorError]
                                                     | None]:
    """Pull the sessions the store lacks, in order, stopping at the first that fails.

    A session whose pull was killed midway is pulled again (files already stored stay as
    they are). Return the sessions ready to render (pulled now or stored before) and the
    failure.
    """
    stored = set(equity_days(store, config.exchange)) - store.interrupted()
    ready: list[date] = []
    for index, day in enumerate(days, start=1):
        if day not in stored:
            try:
                with store.pulling(day):
                    pull_day(config, store, day, when, source)
            except GeneratorError as exc:
                say(f"[{index}/{len(days)}] {day}: not pulled")
                return ready, (day, exc)
            say(f"[{index}/{len(days)}] {day}: pulled")
        ready.append(day)
    return ready, None


def check_again(config: Config, store: Store, source: Source, days: Sequence[date],
                when: datetime, notes: list[str], say: Say) -> set[date]:
    """Fetch published sessions' own files again; return the days with a re-issued file.

    A file that cannot be fetched or read now is noted and left as it was stored.
    """
    revised = set()
    for day in days:
        try:
            report = pull_again(config, store, day, when, source)
        except GeneratorError as exc:
            notes.append(f"{day} could not be checked for re-issued files: {exc}")
            continue
        names = sorted(n for n, status in report.statuses.items() if status == "revised")
        if names:
            say(f"{day}: the exchange re-issued {', '.join(names)}")
            revised.add(day)
    return revised
