"""Read a file, or the one data file inside a zip, without ever holding more than a limit.

The limits are far above what an exchange publishes (NSE's UDiFF bhavcopy is about 0.6 MB
and 3,300 rows, the AMFI workbook under 1 MB) and low enough that a hostile file costs
little memory: a zip member is read in chunks and abandoned at the limit, whatever size
the zip declares for it.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from typing import IO

from generator.errors import FormatError

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest file, or uncompressed zip member, read (64 MB; real exchange files are < 1 MB)."""

MAX_ZIP_MEMBERS = 100
"""Most entries a zip may list (an xlsx workbook holds about a dozen)."""

CHUNK_BYTES = 1024 * 1024
"""How much of a zip member is decompressed at a time."""

DATA_SUFFIXES = (".csv", ".json")
DAMAGED = "not a valid zip file (truncated?)"
_ZIP_MAGIC = b"PK\x03\x04"
_TOO_BIG = f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, the limit for one file"
_ZIP_FAILURES = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
                 NotImplementedError, RuntimeError, KeyError)


def read_file(path: Path) -> bytes:
    """Return a file's bytes, refusing one larger than MAX_FILE_BYTES before reading it."""
    with path.open("rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise FormatError(path, f"the file is {_TOO_BIG}",
                          hint="this is not an exchange file; remove it from the folder")
    return data


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str | Path) -> bytes:
    """Return one zip member's bytes, decompressed in chunks and refused at MAX_FILE_BYTES."""
    if info.flag_bits & 0x1:
        raise FormatError(where, f"{info.filename} inside the zip is encrypted",
                          hint="download the exchange's own (unencrypted) zip again")
    if info.file_size > MAX_FILE_BYTES:
        raise FormatError(where, f"{info.filename} inside the zip is {_TOO_BIG}",
                          hint="this is not an exchange file; remove it from the folder")
    out = io.BytesIO()
    try:
        with archive.open(info) as member:
            _copy_bounded(member, out, info.filename, where)
    except FormatError:
        raise
    except _ZIP_FAILURES as exc:
        raise FormatError(where, f"{info.filename} inside the zip cannot be unpacked ({exc})",
                          hint="the zip is damaged; download it again") from None
    return out.getvalue()


def _copy_bounded(member: IO[bytes], out: io.BytesIO, name: str, where: str | Path) -> None:
    """Copy a stream in chunks, refusing it once it passes MAX_FILE_BYTES."""
    while chunk := member.read(CHUNK_BYTES):
        out.write(chunk)
        if out.tell() > MAX_FILE_BYTES:
            raise FormatError(where, f"{name} inside the zip unpacks to {_TOO_BIG}",
                              hint="this is not an exchange file; remove it from the folder")


def open_zip(data: bytes, where: str | Path, damaged: str = DAMAGED) -> zipfile.ZipFile:
    """Open zip bytes, refusing a damaged zip and one listing more than MAX_ZIP_MEMBERS."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_FAILURES:
        raise FormatError(where, damaged, hint="download it again") from None
    if len(archive.infolist()) > MAX_ZIP_MEMBERS:
        archive.close()
        raise FormatError(where, f"the zip lists more than {MAX_ZIP_MEMBERS} files",
                          hint="this is not an exchange download; remove it from the folder")
    return archive


def check_members(data: bytes, where: str | Path, damaged: str = DAMAGED) -> None:
    """Check that every member of a zip (such as an xlsx workbook) unpacks within the limit."""
    with open_zip(data, where, damaged) as archive:
        for info in archive.infolist():
            if not info.is_dir():
                read_member(archive, info, where)


def single_data_file(data: bytes, where: str | Path) -> tuple[str, bytes]:
    """Return the name and bytes of the one CSV or JSON file a downloaded zip holds."""
    with open_zip(data, where) as archive:
        files = [i for i in archive.infolist() if not i.is_dir()]
        if not files:
            raise FormatError(where, "the zip is empty", hint="download it again")
        nested = [i.filename for i in files if i.filename.lower().endswith(".zip")]
        if nested:
            raise FormatError(where, f"the zip holds another zip ({nested[0]})",
                              hint="unzip it and import the exchange file itself")
        members = [i for i in files if i.filename.lower().endswith(DATA_SUFFIXES)]
        if len(members) != 1:
            raise FormatError(where, "expected one CSV or JSON file inside, found "
                              f"{[m.filename for m in members]}",
                              hint="unzip it and import the file itself")
        body = read_member(archive, members[0], where)
    if body.startswith(_ZIP_MAGIC):
        raise FormatError(where, f"{members[0].filename} inside the zip is itself a zip",
                          hint="unzip it and import the exchange file itself")
    return Path(members[0].filename).name, body
