"""Shared checks for exchange text files: decoding, header, row shape, typed columns."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from generator.errors import FormatError

_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body")
MAX_LINE_CHARS = 100_000
"""Longest line a CSV may have (an exchange's lines are under 400 characters)."""
MAX_ROWS = 100_000
"""Most lines a CSV may have (NSE's bhavcopy has about 3,300, BSE's about 5,000)."""
_LINE_END = re.compile(r"\r\n|\r|\n")


def date_in_name(pattern: re.Pattern[str], name: str, fmt: str) -> date | None:
    """Return the date the pattern's first group holds in a file name (strptime `fmt`), or
    None when the name does not match or the date does not exist."""
    match = pattern.fullmatch(name)
    if match is None:
        return None
    try:
        return datetime.strptime(match.group(1), fmt).date()
    except ValueError:
        return None


def refuse_empty_or_web_page(
    raw: bytes,
    path: str,
    expected: str = "exchange data",
    hint: str = "the exchange served a web page (not published yet, or blocked); fetch it again",
) -> None:
    """Refuse an empty file, or an HTML page where `expected` was to be."""
    if not raw.strip():
        raise FormatError(path, "the file is empty", hint="fetch it again once it is published")
    head = raw[:512].lstrip().lower()
    if any(head.startswith(m) or m in head[:200] for m in _HTML_MARKERS):
        raise FormatError(path, f"the file is an HTML page, not {expected}", hint=hint)


def read_json(raw: bytes, path: str) -> Any:
    """Decode a JSON document, naming the line of a syntax error."""
    try:
        return json.loads(decode_text(raw, path))
    except json.JSONDecodeError as exc:
        raise FormatError(path, f"not valid JSON ({exc.msg} at line {exc.lineno})",
                          row=exc.lineno) from None
    except RecursionError:
        raise FormatError(path, "the JSON is nested too deeply to be a data file",
                          hint="this is not the exchange's file; fetch it again") from None


def decode_text(raw: bytes, path: str) -> str:
    """Decode a text file, refusing empty files, HTML pages, NUL bytes and non-UTF-8 bytes."""
    refuse_empty_or_web_page(raw, path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FormatError(
            path, f"byte {exc.start} is not UTF-8 text", row=line, hint="fetch the file again"
        ) from None
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise FormatError(path, f"byte {nul} is a NUL byte, which no text file holds",
                          row=raw[:nul].count(b"\n") + 1,
                          hint="the file is binary or damaged; fetch it again")
    return text


def read_table(text: str, path: str, header: Sequence[str]) -> pd.DataFrame:
    """Read CSV text whose header must equal `header`; every cell as a stripped string.

    Refuses lines longer than MAX_LINE_CHARS, more than MAX_ROWS rows, a quote that is never
    closed, a repeated, missing or unexpected header column, and rows of the wrong width.
    """
    rows = _csv_rows(text, path)
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    found = [name.strip() for name in rows[0]] if rows else []
    if found != list(header):
        problem, field = header_problem(found, header)
        raise FormatError(path, problem, row=1, field=field, hint="this is not the expected layout")
    body = rows[1:]
    if not body:
        raise FormatError(path, "the file has a header but no data rows", row=2)
    for number, row in enumerate(body, start=2):
        if len(row) != len(header):
            if any("\n" in cell or "\r" in cell for cell in row):
                raise FormatError(path, "a quote opened in this row is never closed, so the "
                                  "rows after it run together", row=number,
                                  hint="the file is damaged; fetch it again")
            raise FormatError(
                path,
                f"expected {len(header)} fields, found {len(row)}",
                row=number,
                hint="the file is truncated or its columns are shifted; fetch it again",
            )
    frame = pd.DataFrame(body, columns=list(header), dtype=str)
    for name in header:
        frame[name] = frame[name].str.strip()
    return frame


def header_problem(found: Sequence[str], header: Sequence[str]) -> tuple[str, str | None]:
    """Return what is wrong with a header line, and the column it concerns."""
    repeated = next((name for n, name in enumerate(found) if name in found[:n]), None)
    missing = [name for name in header if name not in found]
    extra = [name for name in found if name not in header]
    if repeated is not None:
        return f"column {repeated!r} appears twice in the header", repeated
    if missing:
        return f"column {missing[0]!r} is missing from the header", missing[0]
    if extra:
        return f"unexpected column {extra[0]!r} in the header", extra[0]
    return "the header columns are in an unexpected order", None


def _csv_rows(text: str, path: str) -> list[list[str]]:
    """Split CSV text into rows, within the line and row limits."""
    _refuse_oversized(text, path)
    rows: list[list[str]] = []
    try:
        rows.extend(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise FormatError(
            path, f"the CSV cannot be read from this row on ({exc}): a quote is never closed "
            "or a field is far too long", row=len(rows) + 1,
            hint="the file is damaged; fetch it again") from None
    return rows


def _refuse_oversized(text: str, path: str) -> None:
    """Refuse text with more than MAX_ROWS lines or a line longer than MAX_LINE_CHARS."""
    if max(text.count("\n"), text.count("\r")) > MAX_ROWS:
        raise FormatError(path, f"the file has more than {MAX_ROWS:,} lines",
                          hint="this is not an exchange file; remove it from the folder")
    start, line = 0, 1
    for match in [*_LINE_END.finditer(text), None]:
        end = match.start() if match else len(text)
        if end - start > MAX_LINE_CHARS:
            raise FormatError(path, f"a line is longer than {MAX_LINE_CHARS:,} characters",
                              row=line, hint="this is not an exchange file; check the file")
        start, line = (match.end() if match else end), line + 1


def first_bad_row(mask: pd.Series) -> int | None:
    """Return the file row number (header = 1) of the first True in mask."""
    hits = mask.to_numpy().nonzero()[0]
    return int(hits[0]) + 2 if len(hits) else None


def require_text(frame: pd.DataFrame, column: str, path: str) -> pd.Series:
    """Return a text column; every row must have a value."""
    row = first_bad_row(frame[column] == "")
    if row is not None:
        raise FormatError(path, "the value is empty", row=row, field=column)
    return frame[column]


def numbers(
    frame: pd.DataFrame,
    column: str,
    path: str,
    *,
    missing: str | None = None,
    positive: bool = False,
    non_negative: bool = False,
) -> pd.Series:
    """Return a float column; `missing` (e.g. "-") marks allowed gaps, which become NaN."""
    text = frame[column]
    gaps = text == missing if missing is not None else pd.Series(False, index=text.index)
    values = pd.to_numeric(text.where(~gaps, None), errors="coerce")
    bad = values.isna() & ~gaps
    row = first_bad_row(bad)
    if row is not None:
        raise FormatError(
            path, f"{text.iloc[row - 2]!r} is not a number", row=row, field=column
        )
    infinite = np.isinf(values.to_numpy(dtype="float64", na_value=np.nan))
    row = first_bad_row(pd.Series(infinite, index=values.index))
    if row is not None:
        raise FormatError(path, f"{text.iloc[row - 2]!r} is not a finite number", row=row,
                          field=column)
    if positive:
        row = first_bad_row(values.le(0) & ~gaps)
        if row is not None:
            raise FormatError(path, f"price {text.iloc[row - 2]} is not positive", row=row,
                              field=column)
    if non_negative:
        row = first_bad_row(values.lt(0) & ~gaps)
        if row is not None:
            raise FormatError(path, f"{text.iloc[row - 2]} is negative", row=row, field=column)
    return values.astype("float64")


def dates(frame: pd.DataFrame, column: str, path: str, fmt: str) -> pd.Series:
    """Return a date column parsed with `fmt` (strptime codes)."""
    parsed: dict[str, date] = {}
    for number, value in enumerate(frame[column], start=2):
        if value not in parsed:
            try:
                parsed[value] = datetime.strptime(value, fmt).date()
            except ValueError:
                raise FormatError(
                    path, f"{value!r} is not a date like {fmt}", row=number, field=column
                ) from None
    return frame[column].map(parsed)


def one_date(values: pd.Series, column: str, path: str, expected: date | None) -> date:
    """Check a file holds a single trade date, equal to `expected` when given."""
    first: date = values.iloc[0]
    row = first_bad_row(values != first)
    if row is not None:
        raise FormatError(
            path, f"a second date {values.iloc[row - 2]} in a file of {first}", row=row,
            field=column,
        )
    if expected is not None and first != expected:
        raise FormatError(
            path, f"the file holds {first}, but its name says {expected}", row=2, field=column,
            hint="the file was mislabelled or fetched for the wrong day",
        )
    return first
