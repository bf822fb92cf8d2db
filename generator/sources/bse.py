"""BSE's download site and API as a source (fetch does I/O through the polite client).

BSE serves its UDiFF bhavcopy as a plain CSV (not zipped), and answers a day it has not
published (or a holiday) with an HTML page and status 200, which the client reports as
"not published yet". Its API wants the website as Referer.
"""

from __future__ import annotations

from datetime import date

from generator.http import PoliteClient
from generator.sources import bse_indices, bse_results, bse_udiff

SOURCE_NAME = "bse"
WEBSITE = "https://www.bseindia.com"
API = "https://api.bseindia.com"


def equities_url(day: date, base: str = WEBSITE) -> str:
    """Return where BSE publishes a day's equity bhavcopy."""
    return f"{base}/download/BhavCopy/Equity/{bse_udiff.file_name(day)}"


def results_url(base: str = API) -> str:
    """Return the address of BSE's results calendar (forthcoming results)."""
    return f"{base}/BseIndiaAPI/api/Corpforthresults/w"


class BseSource:
    """Fetch a day's files from BSE."""

    name = SOURCE_NAME

    def __init__(self, client: PoliteClient, website: str = WEBSITE, api: str = API) -> None:
        self.client = client
        self.website = website
        self.api = api

    def equities(self, day: date) -> tuple[str, bytes, str]:
        """Return name, bytes and URL of the day's equity bhavcopy."""
        url = equities_url(day, self.website)
        return bse_udiff.file_name(day), self._get(url, "csv"), url

    def index(self, code: str, day: date) -> tuple[str, bytes, str]:
        """Return name, bytes and URL of one index's history for the day."""
        url = bse_indices.url(code, day, day, self.api)
        return bse_indices.file_name(code, day), self._get(url, "csv"), url

    def results(self, day: date) -> tuple[str, bytes, str]:
        """Return name, bytes and URL of the results calendar as fetched on `day`."""
        url = results_url(self.api)
        return bse_results.file_name(day), self._get(url, "json"), url

    def _get(self, url: str, expect: str) -> bytes:
        return self.client.get(url, expect=expect, referer=f"{self.website}/")
