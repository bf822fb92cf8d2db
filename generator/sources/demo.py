"""The built-in demo market as a source: files are read from its local archive folder.

The archive holds the demo market in both exchanges' formats, so every profile (NSE or
BSE, constituent lists or AMFI ranks) can run on it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from generator.demo.amfi_file import PUBLICATION_LAG
from generator.errors import SourceError
from generator.sources import amfi, bse_indices, exchanges, nse_holidays, nse_indices, ratings
from generator.sources.fetched import Fetched

SOURCE_NAME = "demo"


def _read(path: Path, day: date | None) -> bytes:
    if not path.is_file():
        when = f" for {day}" if day else ""
        raise SourceError(
            f"{path}: the demo market has no file{when} (not published yet); "
            "run `invoke demo` or choose a day inside the demo range"
        )
    return path.read_bytes()


class DemoSource:
    """The demo archive behind the same interface as the exchange sources."""

    name = SOURCE_NAME

    def __init__(self, archive: Path) -> None:
        self.archive = archive

    def _file(self, kind: str, name: str, day: date | None) -> Fetched:
        return Fetched(kind, name, _read(self.archive / kind / name, day), SOURCE_NAME)

    def equities(self, exchange: str, day: date) -> Fetched:
        """Return the exchange's equity bhavcopy of `day`."""
        return self._file("equities", exchanges.equity_file_name(exchange, day), day)

    def results(self, exchange: str, day: date) -> Fetched:
        """Return the exchange's results calendar as published on `day`."""
        return self._file("board_meetings", exchanges.results_file_name(exchange, day), day)

    def nse_indices(self, day: date) -> Fetched:
        """Return NSE's index close file of `day`."""
        return self._file("indices", nse_indices.file_name(day), day)

    def bse_index(self, code: str, day: date) -> Fetched:
        """Return BSE's history of one index for `day`."""
        return self._file("indices", bse_indices.file_name(code, day), day)

    def constituents(self, list_name: str) -> Fetched:
        """Return a constituent list."""
        return self._file("constituents", list_name, None)

    def amfi(self, day: date) -> Fetched:
        """Return the AMFI list in force on `day`: the newest one published by then."""
        periods = amfi.period_ends_before(day - PUBLICATION_LAG)
        return self._file("amfi", amfi.file_name(periods[0]), day)

    def ratings(self, day: date) -> Fetched | None:
        """Return the demo provider's ratings feed of `day`."""
        return self._file("ratings", ratings.file_name(day), day)

    def holidays(self) -> Fetched:
        """Return the holiday list."""
        path = self.archive / nse_holidays.FILE_NAME
        return Fetched("holidays", nse_holidays.FILE_NAME, _read(path, None), SOURCE_NAME)
