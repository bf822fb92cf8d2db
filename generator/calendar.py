"""Trading days: weekends and exchange holidays are closed; sessions are counted, not days."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class TradingCalendar:
    """The exchange's calendar: weekdays that are not holidays are sessions."""

    holidays: frozenset[date]

    @classmethod
    def from_holidays(cls, holidays: Iterable[date]) -> TradingCalendar:
        """Build a calendar from a list of holidays."""
        return cls(frozenset(holidays))

    def is_session(self, day: date) -> bool:
        """Return True if the exchange trades on `day`."""
        return day.weekday() < 5 and day not in self.holidays

    def sessions(self, start: date, end: date) -> list[date]:
        """Return the sessions from start to end, both included."""
        days = []
        day = start
        while day <= end:
            if self.is_session(day):
                days.append(day)
            day += timedelta(days=1)
        return days

    def next_sessions(self, day: date, count: int) -> list[date]:
        """Return the `count` sessions after `day` (not including it)."""
        found: list[date] = []
        probe = day
        while len(found) < count:
            probe += timedelta(days=1)
            if self.is_session(probe):
                found.append(probe)
        return found

    def previous_session(self, day: date) -> date:
        """Return the last session before `day`."""
        probe = day - timedelta(days=1)
        while not self.is_session(probe):
            probe -= timedelta(days=1)
        return probe
