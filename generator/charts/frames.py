"""Check chart inputs and derive the rows, labels and number formats every chart shares."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date

import pandas as pd

from generator import columns as col

# Derived columns written into the chart data.
DIRECTION = "direction"
DATE = "date"
DAY_LABEL = "day_label"
SESSION = "session"
CLOSE_LABEL = "close_label"
IS_LAST = "is_last"

GAIN, LOSS, FLAT = "gain", "loss", "flat"
DIRECTIONS = (GAIN, LOSS, FLAT)

MINUS = "\u2212"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Date ticks of a session axis: up to this many sessions, one tick every few sessions
# labelled with the day; beyond, ticks on the first session of a month.
_DAY_TICKS = 7
_DAY_TICK_SESSIONS = 70
_MONTH_TICKS = 6
_MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60)


def signed_pct(value: float) -> str:
    """Format a percentage with two decimals, a sign and the Unicode minus: +2.52%, −0.80%."""
    digits = f"{abs(value):.2f}"
    if digits == "0.00":
        return "0.00%"
    return f"{'+' if value > 0 else MINUS}{digits}%"


def direction_of(value: float) -> str:
    """Classify a return as gain, loss or flat the same way its printed label reads."""
    label = signed_pct(value)
    if label.startswith("+"):
        return GAIN
    return LOSS if label.startswith(MINUS) else FLAT


def format_close(value: float) -> str:
    """Format an index level with thousands separators and two decimals: 17,420.55."""
    return f"{value:,.2f}".replace("-", MINUS)


def format_count(value: int) -> str:
    """Format a count with thousands separators: 1,234."""
    return f"{value:,}"


def signed_count(value: int) -> str:
    """Format a count with a sign and the Unicode minus: +120, −438, 0."""
    if value == 0:
        return "0"
    return f"{'+' if value > 0 else MINUS}{abs(value):,}"


def format_date(iso_day: str, *, year: bool = True) -> str:
    """Format a YYYY-MM-DD day as 11 Nov 2024 (or 11 Nov), independent of the locale."""
    day = date.fromisoformat(iso_day)
    short = f"{day.day} {_MONTHS[day.month - 1]}"
    return f"{short} {day.year}" if year else short


def session_ticks(days: Sequence[str]) -> tuple[list[int], list[str]]:
    """Return the sessions that get a tick on a session axis and their labels.

    `days` are the sessions' YYYY-MM-DD dates, oldest first. A few months or less: every
    few sessions, ending on the last, labelled 11 Nov. Longer: the first session of every
    month, or of every 2nd, 3rd, 6th... month, labelled Mar, with the year on the first tick
    and on January.
    """
    count = len(days)
    starts = [i for i in range(1, count) if days[i][:7] != days[i - 1][:7]]
    if count <= _DAY_TICK_SESSIONS or not starts:
        every = max(1, math.ceil(count / _DAY_TICKS))
        ticks = list(range(count - 1, -1, -every))[::-1]
        return ticks, [format_date(days[i], year=False) for i in ticks]
    months = {i: int(days[i][:4]) * 12 + int(days[i][5:7]) - 1 for i in starts}
    step = next((s for s in _MONTH_STEPS
                 if sum(1 for i in starts if months[i] % s == 0) <= _MONTH_TICKS),
                _MONTH_STEPS[-1])
    ticks = [i for i in starts if months[i] % step == 0] or starts[:1]
    labels = []
    for n, i in enumerate(ticks):
        month, year = _MONTHS[months[i] % 12], days[i][:4]
        if step >= 12:
            labels.append(year)
        else:
            labels.append(f"{month} {year}" if n == 0 or month == "Jan" else month)
    return ticks, labels


def require(df: pd.DataFrame, names: Iterable[str], what: str) -> None:
    """Raise ValueError naming the columns a chart input lacks, or if it has no rows."""
    missing = [name for name in names if name not in df.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {', '.join(missing)}; pass them in")
    if df.empty:
        raise ValueError(f"{what}: no rows; skip this chart when there is no data")


def finite(values: pd.Series, what: str) -> list[float]:
    """Return the values as floats, raising ValueError if any is missing or infinite."""
    floats = [float(v) for v in values]
    if not all(math.isfinite(v) for v in floats):
        raise ValueError(f"{what}: missing or infinite values; drop those rows first")
    return floats


def unique(values: list[str], what: str) -> None:
    """Raise ValueError if a label repeats (each label is one bar)."""
    seen = sorted(v for v, n in Counter(values).items() if n > 1)
    if seen:
        raise ValueError(f"{what}: repeated label(s) {', '.join(seen)}; each must appear once")


def iso_days(values: pd.Series) -> list[str]:
    """Return dates (date, Timestamp or ISO text) as YYYY-MM-DD strings."""
    return [str(v) for v in pd.to_datetime(values).dt.strftime("%Y-%m-%d")]


def history_rows(
    df: pd.DataFrame, date_column: str = col.TRADE_DATE, what: str = "index history"
) -> pd.DataFrame:
    """Return session number, date (YYYY-MM-DD), close and labels, oldest session first."""
    require(df, (date_column, col.CLOSE), what)
    days = iso_days(df[date_column])
    unique(days, what)
    closes = finite(df[col.CLOSE], what)
    frame = pd.DataFrame({DATE: days, col.CLOSE: closes})
    frame = frame.sort_values(DATE, kind="mergesort").reset_index(drop=True)
    frame.insert(0, SESSION, range(len(frame)))
    frame[DAY_LABEL] = [format_date(d) for d in frame[DATE]]
    frame[CLOSE_LABEL] = [format_close(v) for v in frame[col.CLOSE]]
    frame[IS_LAST] = [i == len(frame) - 1 for i in range(len(frame))]
    return frame
