"""Trading holidays and sessions of the demo exchange, fixed by seed and calendar year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

# National holidays on fixed dates (a holiday only when it falls on a weekday).
_FIXED: tuple[tuple[int, int, str], ...] = (
    (1, 26, "Republic Day"),
    (5, 1, "Maharashtra Day"),
    (8, 15, "Independence Day"),
    (10, 2, "Mahatma Gandhi Jayanti"),
    (12, 25, "Christmas"),
)

# Festivals that move every year: description, month window, required weekday (-1: any).
_MOVABLE: tuple[tuple[str, int, int, int], ...] = (
    ("Mahashivratri", 2, 2, -1),
    ("Holi", 3, 3, -1),
    ("Id-Ul-Fitr (Ramadan Eid)", 3, 4, -1),
    ("Shri Mahavir Jayanti", 4, 4, -1),
    ("Good Friday", 3, 4, 4),
    ("Bakri Id", 6, 7, -1),
    ("Ganesh Chaturthi", 8, 9, -1),
    ("Dussehra", 10, 10, -1),
    ("Diwali Laxmi Pujan", 10, 11, -1),
    ("Prakash Gurpurb Sri Guru Nanak Dev", 11, 11, -1),
)


@dataclass(frozen=True)
class Holiday:
    """A weekday on which the exchange is closed."""

    day: date
    description: str


def holidays_for_year(seed: int, year: int) -> list[Holiday]:
    """Return the weekday holidays of `year`, sorted by date."""
    found: dict[date, str] = {}
    for month, dom, text in _FIXED:
        day = date(year, month, dom)
        if day.weekday() < 5:
            found[day] = text
    rng = np.random.default_rng([seed, year, 4711])
    count = int(rng.integers(4, 7))
    order = rng.permutation(len(_MOVABLE))
    for idx in order:
        if count == 0:
            break
        text, first_month, last_month, weekday = _MOVABLE[int(idx)]
        lo = date(year, first_month, 1)
        hi = date(year, last_month + 1, 1) if last_month < 12 else date(year + 1, 1, 1)
        span = (hi - lo).days
        for _ in range(40):
            day = lo + timedelta(days=int(rng.integers(0, span)))
            if day.weekday() < 5 and day not in found and weekday in (-1, day.weekday()):
                found[day] = text
                count -= 1
                break
    return [Holiday(d, found[d]) for d in sorted(found)]


def holidays_between(seed: int, start: date, end: date) -> list[Holiday]:
    """Return every holiday of the calendar years that `start`..`end` touches."""
    out: list[Holiday] = []
    for year in range(start.year, end.year + 1):
        out.extend(holidays_for_year(seed, year))
    return out


def trading_days(start: date, end: date, holidays: list[Holiday]) -> list[date]:
    """Return the sessions from `start` to `end` inclusive: weekdays that are not holidays."""
    closed = {h.day for h in holidays}
    days: list[date] = []
    day = start
    while day <= end:
        if day.weekday() < 5 and day not in closed:
            days.append(day)
        day += timedelta(days=1)
    return days
