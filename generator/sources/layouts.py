"""The CSV layouts the folder import reads, told apart by their header line (and name).

A header equal to a layout's is that layout. A header that holds most of a layout's
columns (more than half, and at least three) is taken as that layout gone wrong, and a
file named as a layout's file must have its header: both are refused naming the column,
rather than passed over as a file the project does not read.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

from generator.errors import FormatError
from generator.sources import (
    bse_indices,
    bse_legacy,
    bse_udiff,
    nse_cm_bhav,
    nse_constituents,
    nse_full_bhavdata,
    nse_indices,
    nse_udiff,
    ratings,
)
from generator.sources.text import header_problem

_LINE_END = re.compile(r"\r\n|\r|\n")
_CONSTITUENTS_NAME = re.compile(r"ind_\w+list\.csv", re.IGNORECASE)
_HINT = "give the file the exchange's own columns (download it again)"


@dataclass(frozen=True)
class Layout:
    """A CSV layout: its key, how a message names it, its header and its file name."""

    key: str
    label: str
    header: tuple[str, ...]
    name: re.Pattern[str]


LAYOUTS = (
    Layout("ratings", "ratings feed", ratings.HEADER, ratings.FILE_NAME_PATTERN),
    Layout("udiff", "UDiFF bhavcopy", nse_udiff.HEADER, nse_udiff.NAME_PATTERN),
    Layout("udiff", "UDiFF bhavcopy", bse_udiff.HEADER, bse_udiff.NAME_PATTERN),
    Layout("bse_legacy", "pre-2024 BSE bhavcopy", bse_legacy.HEADER, bse_legacy.NAME_PATTERN),
    Layout("full_bhavdata", "sec_bhavdata_full bhavcopy", nse_full_bhavdata.HEADER,
           nse_full_bhavdata.NAME_PATTERN),
    Layout("bse_index", "BSE index history", bse_indices.HEADER, bse_indices.NAME_PATTERN),
    Layout("cm_bhav", "cm bhavcopy", nse_cm_bhav.HEADER, nse_cm_bhav.NAME_PATTERN),
    Layout("indices", "ind_close_all index file", nse_indices.HEADER, nse_indices.NAME_PATTERN),
    Layout("constituents", "constituent list", nse_constituents.HEADER, _CONSTITUENTS_NAME),
)


def lines(text: str, count: int) -> list[list[str]]:
    """Return the first `count` lines of CSV text as stripped fields (fewer if it is short)."""
    found: list[str] = []
    start = 0
    for match in _LINE_END.finditer(text):
        found.append(text[start:match.start()])
        start = match.end()
        if len(found) == count:
            break
    if len(found) < count and start < len(text):
        found.append(text[start:])
    return [_fields(line) for line in found]


def _fields(line: str) -> list[str]:
    """Return one CSV line's fields, stripped."""
    try:
        row = next(csv.reader([line]), [])
    except csv.Error:
        row = line.split(",")
    return [cell.strip() for cell in row]


def identify(header: list[str], name: str, path: str) -> Layout | None:
    """Return the layout a header line is, refuse a near miss, or None for other files."""
    for layout in LAYOUTS:
        if _exact(header, layout):
            return layout
    named = next((layout for layout in LAYOUTS if layout.name.fullmatch(name)), None)
    near = max(LAYOUTS, key=lambda layout: _matched(header, layout))
    if named is None and _is_near(header, near):
        named = near
    if named is None:
        return None
    problem, field = header_problem(_trimmed(header), _names(named))
    if field is None and _trimmed(header) == _names(named):
        problem = "the header is not exactly the layout's (check its empty columns)"
    raise FormatError(path, f"{problem} of a {named.label}", row=1, field=field, hint=_HINT)


def _exact(header: list[str], layout: Layout) -> bool:
    """Return whether a header is the layout's (BSE's index history adds empty columns)."""
    if layout.key == "bse_index":
        return _trimmed(header)[:len(layout.header)] == list(layout.header)
    return tuple(header) == layout.header


def _names(layout: Layout) -> list[str]:
    """Return the layout's column names without the empty ones."""
    return [name for name in layout.header if name]


def _trimmed(header: list[str]) -> list[str]:
    """Return header names without trailing empty ones."""
    names = list(header)
    while names and not names[-1]:
        names.pop()
    return names


def _matched(header: list[str], layout: Layout) -> int:
    """Return how many of the layout's column names the header holds."""
    return len(set(_names(layout)) & set(header))


def _is_near(header: list[str], layout: Layout) -> bool:
    """Return whether a header holds most of a layout's columns (more than half, 3 or more)."""
    matched = _matched(header, layout)
    return matched >= 3 and matched * 2 > len(_names(layout))
