"""Import a folder of exchange files a maintainer downloaded into the store, as a pull would.

Files are recognised by their header (and name where the format has one), zipped or not;
every file is parsed and checked before anything is stored.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from generator import columns as C
from generator.errors import FormatError, SourceError
from generator.sources import (
    amfi,
    bse_indices,
    bse_legacy,
    bse_udiff,
    equities,
    nse_cm_bhav,
    nse_constituents,
    nse_full_bhavdata,
    nse_holidays,
    nse_indices,
    nse_udiff,
    ratings,
)
from generator.sources.text import decode_text
from generator.store import Store

SOURCE = "folder import"
NOT_READ = "not a file this project reads"


@dataclass(frozen=True)
class Recognised:
    """A file from the folder: its kind, the day it belongs to, its store name and bytes."""

    kind: str
    day: date | None
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
    """Return the name and bytes of a file, or of the single CSV/JSON inside a zip."""
    raw = path.read_bytes()
    if not path.name.lower().endswith(".zip"):
        return path.name, raw
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = [m for m in archive.namelist() if m.lower().endswith((".csv", ".json"))]
            if len(members) != 1:
                raise FormatError(path, f"expected one CSV or JSON file inside, found {members}",
                                  hint="unzip it and import the file itself")
            return Path(members[0]).name, archive.read(members[0])
    except zipfile.BadZipFile:
        raise FormatError(path, "not a valid zip file (truncated?)",
                          hint="download it again") from None


def recognise(path: Path) -> Recognised | str:
    """Recognise an exchange file by its header; else say why it is passed over."""
    name, data = read_member(path)
    if name.lower().endswith(".xlsx"):
        if amfi.period_from_name(name) is None:
            return NOT_READ
        amfi.parse(data, str(path))
        return Recognised("amfi", None, name, data, path)
    if name.lower().endswith(".json"):
        if name == nse_holidays.FILE_NAME:
            nse_holidays.parse(data, str(path))
            return Recognised("holidays", None, name, data, path)
        return NOT_READ
    text = decode_text(data, str(path))
    header = tuple(h.strip() for h in text.split("\n", 1)[0].strip().split(","))
    if header == ratings.HEADER:
        day = ratings.date_from_name(name)
        if day is None:
            return "a ratings feed: name it ratings_YYYYMMDD.csv (the day it was published)"
        ratings.parse(data, str(path), day)
        return Recognised("ratings", day, name, data, path)
    if header == nse_udiff.HEADER and ",BSE," in text.split("\n", 2)[1]:
        frame = bse_udiff.parse(data, str(path), bse_udiff.date_from_name(name))
        day = frame[C.TRADE_DATE].iloc[0].date()
        return Recognised("equities", day, bse_udiff.file_name(day), data, path)
    if header == bse_legacy.HEADER:
        day = bse_legacy.date_from_name(name)
        if day is None:
            return "a pre-2024 BSE bhavcopy whose name (EQDDMMYY.CSV) does not give its date"
        bse_legacy.parse(data, str(path), day)
        return ("a pre-2024 BSE bhavcopy: it has no ISIN column, so its rows cannot be matched "
                "to segment lists; import BSE UDiFF files instead")
    if header == nse_full_bhavdata.HEADER:
        frame = nse_full_bhavdata.parse(data, str(path), nse_full_bhavdata.date_from_name(name))
        day = frame[C.TRADE_DATE].iloc[0].date()
        return Recognised("equities", day, nse_full_bhavdata.file_name(day), data, path)
    if header[:len(bse_indices.HEADER)] == bse_indices.HEADER:  # BSE adds an empty column
        found = bse_indices.from_name(name)
        if found is None:
            return ("a BSE index history: rename it bse_index_<CODE>_DDMMYYYY.csv (one day, "
                    "CODE as in [bse_indices]) so the index it holds is known")
        bse_indices.parse(data, str(path), found[0], found[1])
        return Recognised("indices", found[1], name, data, path)
    if header == nse_udiff.HEADER:
        frame = nse_udiff.parse(data, str(path), nse_udiff.date_from_name(name))
        day = frame[C.TRADE_DATE].iloc[0].date()
        equities.check_layout("UDiFF", day, str(path))
        return Recognised("equities", day, nse_udiff.file_name(day), data, path)
    if header == nse_cm_bhav.HEADER:
        frame = nse_cm_bhav.parse(data, str(path), nse_cm_bhav.date_from_name(name))
        day = frame[C.TRADE_DATE].iloc[0].date()
        equities.check_layout("cm bhavcopy", day, str(path))
        return Recognised("equities", day, nse_cm_bhav.file_name(day), data, path)
    if header == nse_indices.HEADER:
        frame = nse_indices.parse(data, str(path), nse_indices.date_from_name(name))
        day = frame[C.TRADE_DATE].iloc[0].date()
        return Recognised("indices", day, nse_indices.file_name(day), data, path)
    if header == nse_constituents.HEADER:
        nse_constituents.parse(data, str(path))
        return Recognised("constituents", None, name, data, path)
    return NOT_READ


def import_dir(store: Store, folder: Path, received_at: datetime,
               list_date: date | None = None) -> ImportReport:
    """Check every file under `folder`, then store the recognised ones.

    Constituent lists, AMFI lists and holiday lists carry no date: they are stored under
    `list_date`, or else under the first session imported.
    """
    if not folder.is_dir():
        raise SourceError(f"{folder}: not a folder; pass the folder holding the downloaded files")
    found: list[Recognised] = []
    skipped: dict[str, str] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        item = recognise(path)
        if isinstance(item, str):
            skipped[str(path)] = item
        else:
            found.append(item)
    sessions = sorted({r.day for r in found if r.kind == "equities" and r.day})
    seen: dict[tuple[str, date | None, str], Path] = {}
    for item in found:
        key = (item.kind, item.day, item.name)
        if key in seen:
            raise FormatError(item.origin, f"holds the same {item.kind} file as {seen[key]}",
                              hint="keep one of the two in the folder")
        seen[key] = item.origin
    undated_day = list_date or (sessions[0] if sessions else None)
    stored: dict[str, str] = {}
    for item in found:
        day = item.day or undated_day
        if day is None:
            raise SourceError(f"{item.origin}: no session in the folder to date this list by; "
                              "pass --list-date")
        stored[str(item.origin)] = store.put_raw(item.kind, day, item.name, item.data,
                                                 source=f"{SOURCE} of {item.origin.name}",
                                                 received_at=received_at)
    return ImportReport(stored, skipped, tuple(sessions))
