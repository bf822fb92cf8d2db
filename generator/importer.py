"""Import a folder of exchange files a maintainer downloaded into the store, as a pull would.

Files are recognised by their header (and name where the format has one), zipped or not;
every file is parsed and checked before anything is stored.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from generator import columns as C
from generator.errors import FormatError, SourceError
from generator.sources import (
    amfi,
    bounded,
    bse_indices,
    bse_legacy,
    bse_udiff,
    equities,
    layouts,
    nse_cm_bhav,
    nse_constituents,
    nse_full_bhavdata,
    nse_holidays,
    nse_indices,
    nse_udiff,
    ratings,
)
from generator.sources.text import date_in_name, decode_text
from generator.store import Store

SOURCE = "folder import"
NOT_READ = "not a file this project reads"
UNDATED = ("amfi", "constituents", "holidays")  # stored under the list date


@dataclass(frozen=True)
class Recognised:
    """A file from the folder: its kind, the day it belongs to, its store name and bytes."""

    kind: str
    day: date | None  # for an AMFI list, the end of the half-year it ranks
    name: str
    data: bytes
    origin: Path


@dataclass(frozen=True)
class ImportReport:
    """What an import stored, and what it passed over and why."""

    stored: dict[str, str]
    skipped: dict[str, str]
    sessions: tuple[date, ...]


def read_member(path: Path) -> tuple[str, bytes]:
    """Return the name and bytes of a file, or of the single CSV/JSON inside a zip.

    Neither may exceed bounded.MAX_FILE_BYTES; a zip member is unpacked in chunks and
    abandoned at the limit, so a zip bomb costs little memory.
    """
    raw = bounded.read_file(path)
    if not path.name.lower().endswith(".zip"):
        return path.name, raw
    return bounded.single_data_file(raw, path)


def recognise(path: Path) -> Recognised | str:
    """Recognise an exchange file by its header; else say why it is passed over."""
    name, data = read_member(path)
    if name.lower().endswith(".xlsx"):
        period = amfi.period_from_name(name)
        if period is None:
            if amfi.NAME_PATTERN.fullmatch(name):
                raise FormatError(path, f"the date in the name {name} does not exist",
                                  hint="name it as AMFI does, e.g. "
                                       "AverageMarketCapitalization31Dec2024.xlsx")
            return NOT_READ
        amfi.parse(data, str(path))
        return Recognised("amfi", period, name, data, path)
    if name.lower().endswith(".json"):
        if name == nse_holidays.FILE_NAME:
            nse_holidays.parse(data, str(path))
            return Recognised("holidays", None, name, data, path)
        return NOT_READ
    text = decode_text(data, str(path))
    head = layouts.lines(text, 2)
    layout = layouts.identify(head[0] if head else [], name, str(path))
    if layout is None:
        return NOT_READ
    _refuse_impossible_name_date(layout, name, path)
    return _parse(layout.key, name, data, path, head)


def _parse(key: str, name: str, data: bytes, path: Path,
           head: list[list[str]]) -> Recognised | str:
    """Parse a file of a known layout; return what to store, or why it is not stored."""
    where = str(path)
    if key == "ratings":
        day = ratings.date_from_name(name)
        if day is None:
            return "a ratings feed: name it ratings_YYYYMMDD.csv (the day it was published)"
        ratings.parse(data, where, day)
        return Recognised("ratings", day, name, data, path)
    if key == "udiff" and len(head) > 1 and head[1][3:4] == ["BSE"]:
        frame = bse_udiff.parse(data, where, bse_udiff.date_from_name(name))
        day = frame[C.TRADE_DATE].iloc[0].date()
        return Recognised("equities", day, bse_udiff.file_name(day), data, path)
    if key == "bse_legacy":
        day = bse_legacy.date_from_name(name)
        if day is None:
            return "a pre-2024 BSE bhavcopy whose name (EQDDMMYY.CSV) does not give its date"
        bse_legacy.parse(data, where, day)
        return ("a pre-2024 BSE bhavcopy: it has no ISIN column, so its rows cannot be matched "
                "to segment lists; import BSE UDiFF files instead")
    if key == "full_bhavdata":
        frame = nse_full_bhavdata.parse(data, where, nse_full_bhavdata.date_from_name(name))
        day = frame[C.TRADE_DATE].iloc[0].date()
        return Recognised("equities", day, nse_full_bhavdata.file_name(day), data, path)
    if key == "bse_index":
        found = bse_indices.from_name(name)
        if found is None:
            return ("a BSE index history: rename it bse_index_<CODE>_DDMMYYYY.csv (one day, "
                    "CODE as in [bse_indices]) so the index it holds is known")
        bse_indices.parse(data, where, found[0], found[1])
        return Recognised("indices", found[1], name, data, path)
    if key == "udiff":
        frame = nse_udiff.parse(data, where, nse_udiff.date_from_name(name))
        day = frame[C.TRADE_DATE].iloc[0].date()
        equities.check_layout("UDiFF", day, where)
        return Recognised("equities", day, nse_udiff.file_name(day), data, path)
    if key == "cm_bhav":
        frame = nse_cm_bhav.parse(data, where, nse_cm_bhav.date_from_name(name))
        day = frame[C.TRADE_DATE].iloc[0].date()
        equities.check_layout("cm bhavcopy", day, where)
        return Recognised("equities", day, nse_cm_bhav.file_name(day), data, path)
    if key == "indices":
        frame = nse_indices.parse(data, where, nse_indices.date_from_name(name))
        day = frame[C.TRADE_DATE].iloc[0].date()
        return Recognised("indices", day, nse_indices.file_name(day), data, path)
    nse_constituents.parse(data, where)
    return Recognised("constituents", None, name, data, path)


def _refuse_impossible_name_date(layout: layouts.Layout, name: str, path: Path) -> None:
    """Refuse a file named as its layout's files are but with a date that does not exist."""
    match = layout.name.fullmatch(name)
    if match is None or layout.key == "constituents":
        return
    if layout.key == "bse_index":
        ok = bse_indices.from_name(name) is not None
    else:
        fmt = {"ratings": "%Y%m%d", "udiff": "%Y%m%d", "bse_legacy": "%d%m%y",
               "full_bhavdata": "%d%m%Y", "cm_bhav": "%d%b%Y", "indices": "%d%m%Y"}[layout.key]
        ok = date_in_name(layout.name, name, fmt) is not None
    if not ok:
        raise FormatError(path, f"the date in the name {name} does not exist",
                          hint="name the file for the day it holds, as the exchange does")


def list_files(folder: Path) -> list[Path]:
    """Return the regular files under `folder`, refusing a link that leads outside it."""
    root = folder.resolve()
    found: list[Path] = []
    for current, dirs, files in os.walk(folder, followlinks=False):
        for entry in sorted(dirs + files):
            path = Path(current) / entry
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                raise FormatError(path, f"a link to {path.resolve()}, outside the folder",
                                  hint="copy the file itself into the folder")
            if entry in files and path.is_file():
                found.append(path)
    return sorted(found)


def import_dir(store: Store, folder: Path, received_at: datetime,
               list_date: date | None = None, run_date: date | None = None) -> ImportReport:
    """Check every file under `folder`, then store the recognised ones.

    Constituent lists, AMFI lists and holiday lists carry no date: they are stored under
    `list_date`, or else under the first session imported. A file dated after `run_date`
    (by default the date of `received_at`, which the task layer reads from the clock) is
    refused. Every check runs before the first file is stored.
    """
    if not folder.is_dir():
        raise SourceError(f"{folder}: not a folder; pass the folder holding the downloaded files")
    today = run_date or received_at.date()
    found: list[Recognised] = []
    skipped: dict[str, str] = {}
    for path in list_files(folder):
        item = recognise(path)
        if isinstance(item, str):
            skipped[str(path)] = item
        else:
            found.append(item)
    sessions = sorted({r.day for r in found if r.kind == "equities" and r.day})
    seen: dict[tuple[str, date | None, str], Path] = {}
    for item in found:
        if item.day is not None and item.day > today:
            raise FormatError(item.origin, f"the file is dated {item.day}, after the import's "
                              f"run date {today}", hint="check its name and dates; remove it "
                              "from the folder or import it on or after that day")
        key = (item.kind, item.day if item.kind != "amfi" else None, item.name)
        if key in seen:
            raise FormatError(item.origin, f"holds the same {item.kind} file as {seen[key]}",
                              hint="keep one of the two in the folder")
        seen[key] = item.origin
    undated_day = list_date or (sessions[0] if sessions else None)
    dated: list[tuple[Recognised, date]] = []
    for item in found:
        day = item.day if item.kind not in UNDATED else undated_day
        if day is None:
            raise SourceError(f"{item.origin}: no session in the folder to date this list by; "
                              "pass --list-date")
        dated.append((item, day))
    stored: dict[str, str] = {}
    for item, day in dated:
        stored[str(item.origin)] = store.put_raw(item.kind, day, item.name, item.data,
                                                 source=f"{SOURCE} of {item.origin.name}",
                                                 received_at=received_at)
    return ImportReport(stored, skipped, tuple(sessions))
