"""The built-in demo market as a source: files are read from its local archive folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from generator.errors import SourceError
from generator.sources import nse_board_meetings, nse_holidays, nse_indices, nse_udiff

SOURCE_NAME = "demo"

_FOLDERS = {
    "equities": ("equities", nse_udiff.file_name),
    "indices": ("indices", nse_indices.file_name),
    "board_meetings": ("board_meetings", nse_board_meetings.file_name),
}


def fetch_daily(archive: Path, kind: str, day: date) -> tuple[str, bytes]:
    """Return the name and bytes of a day's file of this kind from the demo archive."""
    folder, name_for = _FOLDERS[kind]
    name = name_for(day)
    return name, _read(archive / folder / name, day)


def fetch_constituents(archive: Path, list_name: str) -> bytes:
    """Return the bytes of a constituent list from the demo archive."""
    return _read(archive / "constituents" / list_name, None)


def fetch_holidays(archive: Path) -> bytes:
    """Return the bytes of the holiday list from the demo archive."""
    return _read(archive / nse_holidays.FILE_NAME, None)


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

    def daily(self, kind: str, day: date) -> tuple[str, bytes, str]:
        """Return name, bytes and origin of a day's file."""
        name, data = fetch_daily(self.archive, kind, day)
        return name, data, SOURCE_NAME

    def constituents(self, list_name: str) -> tuple[bytes, str]:
        """Return the bytes and origin of a constituent list."""
        return fetch_constituents(self.archive, list_name), SOURCE_NAME

    def holidays(self) -> tuple[bytes, str]:
        """Return the bytes and origin of the holiday list."""
        return fetch_holidays(self.archive), SOURCE_NAME
