"""AMFI's website as a source of the half-yearly average market capitalisation list.

AMFI publishes the list for the half-year ending 30 June or 31 December a few days after
it ends; the list in force on a day is the newest one published before it. Fetching for
a day tries the last half-year before it, then the one before that, each on AMFI's
current download folder and then on the older one (the files moved hosts in 2026).
"""

from __future__ import annotations

from datetime import date

from generator.http import NotPublishedError, PoliteClient
from generator.sources import amfi

SOURCE_NAME = "amfi"
DOWNLOADS = (
    "https://portal.amfiindia.com/spages",
    "https://www.amfiindia.com/Themes/Theme1/downloads",
)


def list_url(period_end: date, base: str) -> str:
    """Return where a download folder holds the list of the half-year ending `period_end`."""
    return f"{base}/{amfi.file_name(period_end)}"


class AmfiSource:
    """Fetch the AMFI list in force on a day."""

    name = SOURCE_NAME

    def __init__(self, client: PoliteClient, bases: tuple[str, ...] = DOWNLOADS) -> None:
        self.client = client
        self.bases = bases

    def latest(self, day: date) -> tuple[str, bytes, str]:
        """Return name, bytes and URL of the newest list published for a period before `day`."""
        problems = []
        for period in amfi.period_ends_before(day):
            for base in self.bases:
                url = list_url(period, base)
                try:
                    return amfi.file_name(period), self.client.get(url, expect="zip"), url
                except NotPublishedError as exc:
                    problems.append(str(exc))
        raise NotPublishedError("; ".join(problems))
