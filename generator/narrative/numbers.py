"""How figures are printed in briefs: fixed decimals, explicit signs, no locale."""

from __future__ import annotations

from datetime import date

MINUS = "\u2212"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def signed_pct(value: float) -> str:
    """Return a percentage with its sign: +2.52%, −16.78%, 0.00%."""
    text = f"{abs(value):.2f}%"
    if text == "0.00%":
        return text
    return f"+{text}" if value > 0 else f"{MINUS}{text}"


def abs_pct(value: float) -> str:
    """Return the size of a percentage without sign: 2.52%."""
    return f"{abs(value):.2f}%"


def signed_points(value: float) -> str:
    """Return a difference in percentage points with its sign: +1.20 pp."""
    return signed(value, 2) + " pp"


def signed(value: float, decimals: int) -> str:
    """Return a number with its sign and fixed decimals: +12.3, −4.5, 0.0 (zero unsigned)."""
    text = f"{abs(value):.{decimals}f}"
    if float(text) == 0.0:
        return text
    return f"+{text}" if value > 0 else f"{MINUS}{text}"


def level(value: float) -> str:
    """Return an index level or price with thousands separators: 16,842.10."""
    return f"{value:,.2f}"


def ratio(value: float) -> str:
    """Return a ratio with two decimals: 0.46."""
    return f"{value:.2f}"


def count(value: int) -> str:
    """Return a count with thousands separators."""
    return f"{value:,}"


def long_date(day: date) -> str:
    """Return a date like Thursday 2 January 2025."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: date) -> str:
    """Return a date like 2 Jan 2025."""
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def month_name(year: int, month: int) -> str:
    """Return a month like January 2025."""
    return f"{MONTHS[month - 1]} {year}"
