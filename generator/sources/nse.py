"""NSE's own archives and API as a source (fetch does I/O through the polite client)."""

from __future__ import annotations

from datetime import date

from generator.errors import FormatError
from generator.http import PoliteClient
from generator.sources import (
    bounded,
    equities,
    nse_board_meetings,
    nse_cm_bhav,
    nse_indices,
    nse_udiff,
)

SOURCE_NAME = "nse"
ARCHIVES = "https://nsearchives.nseindia.com"
WEBSITE = "https://www.nseindia.com"


def daily_url(kind: str, day: date, base: str = ARCHIVES) -> str:
    """Return where NSE publishes a day's file of this kind."""
    if kind == "equities" and equities.layout_name(day) == "UDiFF":
        return f"{base}/content/cm/{nse_udiff.file_name(day)}.zip"
    if kind == "equities":
        month = nse_cm_bhav.MONTHS[day.month - 1]
        return f"{base}/content/historical/EQUITIES/{day:%Y}/{month}/" \
               f"{nse_cm_bhav.file_name(day)}.zip"
    if kind == "indices":
        return f"{base}/content/indices/{nse_indices.file_name(day)}"
    raise ValueError(f"no daily archive file of kind {kind!r}")


def constituents_url(list_name: str, base: str = ARCHIVES) -> str:
    """Return where NSE publishes an index constituent list."""
    return f"{base}/content/indices/{list_name}"


def api_url(path: str, base: str = WEBSITE) -> str:
    """Return an NSE API address (it needs the cookies of the home page)."""
    return f"{base}/api/{path}"


class NseSource:
    """Fetch a day's files from NSE."""

    name = SOURCE_NAME

    def __init__(self, client: PoliteClient, archives: str = ARCHIVES,
                 website: str = WEBSITE) -> None:
        self.client = client
        self.archives = archives
        self.website = website

    def daily(self, kind: str, day: date) -> tuple[str, bytes, str]:
        """Return name, bytes and URL of a day's file (the bhavcopy unzipped)."""
        if kind == "board_meetings":
            url = api_url("corporate-board-meetings?index=equities", self.website)
            body = self.client.get(url, expect="json", warm_up=f"{self.website}/")
            return nse_board_meetings.file_name(day), body, url
        url = daily_url(kind, day, self.archives)
        if kind == "equities":
            body = self.client.get(url, expect="zip", referer=f"{self.website}/")
            with bounded.open_zip(body, url) as archive:
                name = equities.file_name(day)
                info = next((i for i in archive.infolist() if i.filename == name), None)
                if info is None:
                    raise FormatError(url, f"the zip holds {archive.namelist()}, not {name}",
                                      hint="the archive served another day's file")
                return name, bounded.read_member(archive, info, url), url
        return nse_indices.file_name(day), self.client.get(url, expect="csv"), url

    def constituents(self, list_name: str) -> tuple[bytes, str]:
        """Return the bytes and URL of a constituent list."""
        url = constituents_url(list_name, self.archives)
        return self.client.get(url, expect="csv"), url

    def holidays(self) -> tuple[bytes, str]:
        """Return the bytes and URL of the trading holiday list."""
        url = api_url("holiday-master?type=trading", self.website)
        return self.client.get(url, expect="json", warm_up=f"{self.website}/"), url
