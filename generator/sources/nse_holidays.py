"""NSE trading holiday list (the JSON of /api/holiday-master?type=trading)."""

from __future__ import annotations

from datetime import date, datetime

from generator.errors import FormatError
from generator.sources.text import read_json

FILE_NAME = "holidays.json"


def parse(raw: bytes, path: str, segment: str = "CM") -> list[date]:
    """Return the sorted holidays of the equity segment (key "CM")."""
    data = read_json(raw, path)
    if not isinstance(data, dict) or not isinstance(data.get(segment), list):
        raise FormatError(path, f"no {segment!r} list of holidays", field=segment)
    days = set()
    for number, item in enumerate(data[segment], start=1):
        value = item.get("tradingDate") if isinstance(item, dict) else None
        try:
            days.add(datetime.strptime(str(value), "%d-%b-%Y").date())
        except ValueError:
            raise FormatError(path, f"{value!r} is not a date like 26-Jan-2023", row=number,
                              field="tradingDate") from None
    return sorted(days)
