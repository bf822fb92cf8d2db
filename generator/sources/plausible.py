"""Plausibility rules for exchange values: what no real file can hold is refused.

Every parser that reads prices, traded quantities or symbols goes through these rules, so
a file either holds believable values or is refused with its file, row and field named.
The rules were checked against real NSE and BSE files (../shared/real-data): they reject
only what is impossible, not what is merely unusual. What the exchanges legitimately send:

- a close outside the day's low-high range on a T0 (same-day settlement) row: its close is
  the close of the stock's normal series, up to 1.5% away from the T0 row's only trade (16
  such rows in 34 UDiFF days, the same in sec_bhavdata_full; no row of any other series lies
  off its range). An index close is computed from the constituents' closing prices, not from
  the ticks that give its high and low, so it gets a small slack (none was off in the files);
- a zero close for a dividend points index (Nifty50 Dividend Points restarts at 0.0 on the
  first day of the financial year);
- a zero previous close in BSE's pre-2024 bhavcopy on an instrument's first day (read as
  "no previous close" by that parser);
- zero traded quantity, trades and turnover.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from generator import columns as C
from generator.errors import FormatError
from generator.sources.text import first_bad_row, numbers

MAX_PRICE = 10_000_000.0
"""Highest believable price per share or index level, 1 crore (the dearest share is ~1.5 lakh)."""

MAX_COUNT = 2**63 - 1
"""Largest traded quantity or trade count: it must fit in a signed 64-bit integer."""

CLOSE_SLACK = 0.20
"""How far (20%, NSE's widest daily price band) a T0 row's close may lie outside its range."""

INDEX_CLOSE_SLACK = 0.01
"""How far (1%) an index close may lie outside the day's low-high (it is computed apart)."""

SAME_DAY_SERIES = "T0"
"""The series whose close is another series' close (NSE's same-day settlement)."""

_ROUNDING = 1e-9  # relative: a close equal to a bound, read from text, compares equal

SYMBOL_PATTERN = re.compile(r"[A-Za-z0-9&_.\-]{1,32}")
"""A symbol: 1 to 32 of A-Z a-z 0-9 & - _ . (with at least one letter or digit)."""

_ALNUM = re.compile(r"[A-Za-z0-9]")
_WHOLE = re.compile(r"\+?\d+(\.0*)?")
FIX_FILE = "the file is damaged or was edited; fetch the exchange's file again"


def prices(frame: pd.DataFrame, column: str, path: str, *, missing: str | None = None,
           zero_ok: pd.Series | None = None) -> pd.Series:
    """Return a price column: each a finite number above 0 and at most MAX_PRICE.

    `missing` marks allowed gaps (NaN); `zero_ok` marks rows where 0 is a real value.
    """
    values = numbers(frame, column, path, missing=missing)
    allowed_zero = zero_ok if zero_ok is not None else pd.Series(False, index=values.index)
    _refuse(values.le(0) & ~(values.eq(0) & allowed_zero), frame, column, path,
            "price {} is not positive")
    _refuse(values.gt(MAX_PRICE), frame, column, path,
            f"price {{}} is above {MAX_PRICE:,.0f}, more than any share or index is worth")
    return values


def amounts(frame: pd.DataFrame, column: str, path: str) -> pd.Series:
    """Return a money column (turnover): each a finite number, 0 or more."""
    values = numbers(frame, column, path)
    _refuse(values.lt(0), frame, column, path, "{} is negative")
    return values


def counts(frame: pd.DataFrame, column: str, path: str) -> pd.Series:
    """Return a quantity or trade count column: each a whole number from 0 to MAX_COUNT."""
    text = frame[column]
    _refuse(~text.str.fullmatch(_WHOLE.pattern), frame, column, path,
            "{!r} is not a whole number of 0 or more")
    digits = text.str.lstrip("+").str.split(".", n=1).str[0].str.lstrip("0")
    digits = digits.where(digits != "", "0")
    too_long = digits.str.len().gt(len(str(MAX_COUNT)))
    short = digits.where(~too_long, "0")
    _refuse(too_long | short.map(lambda d: int(d) > MAX_COUNT), frame, column, path,
            "{} does not fit in a 64-bit count")
    return short.map(int).astype("int64")


def symbols(frame: pd.DataFrame, column: str, path: str) -> pd.Series:
    """Return a symbol column: each 1-32 of A-Z a-z 0-9 & - _ . with a letter or digit."""
    text = frame[column]
    bad = ~text.str.fullmatch(SYMBOL_PATTERN.pattern) | ~text.str.contains(_ALNUM.pattern)
    _refuse(bad, frame, column, path,
            "symbol {!r} is not 1-32 letters, digits and & - _ . with a letter or digit")
    return text


def check_symbol(value: str, path: str, row: int, field: str) -> None:
    """Refuse one symbol that breaks the rule of `symbols`."""
    if not (SYMBOL_PATTERN.fullmatch(value) and _ALNUM.search(value)):
        raise FormatError(path, f"symbol {value!r} is not 1-32 letters, digits and & - _ . "
                          "with a letter or digit", row=row, field=field, hint=FIX_FILE)


def check_ranges(out: pd.DataFrame, path: str, fields: dict[str, str], *,
                 index: bool = False) -> None:
    """Refuse a row whose low is above its high, or whose open, last or close is off range.

    `out` holds the parsed C.OPEN, C.HIGH, C.LOW, C.CLOSE (and C.LAST) columns in file
    order; `fields` names the file's column for each. Open, last and close lie within
    [low, high], but for a T0 row's close (up to CLOSE_SLACK outside) and an index close
    (`index`, up to INDEX_CLOSE_SLACK): see the module's docstring. Gaps (NaN) are not
    compared.
    """
    low, high = out[C.LOW], out[C.HIGH]
    row = first_bad_row(low.gt(high))
    if row is not None:
        at = row - 2
        raise FormatError(path, f"low {low.iloc[at]} is above high {high.iloc[at]}", row=row,
                          field=fields[C.LOW], hint=FIX_FILE)
    for name in (C.OPEN, C.LAST):
        if name in fields:
            _off_range(out[name], low, high, pd.Series(0.0, index=out.index), path,
                       fields[name])
    slack = pd.Series(INDEX_CLOSE_SLACK if index else 0.0, index=out.index)
    if C.SERIES in out:
        same_day = out[C.SERIES].astype(str).str.strip().str.upper().eq(SAME_DAY_SERIES)
        slack = slack.where(~same_day, CLOSE_SLACK)
    _off_range(out[C.CLOSE], low, high, slack, path, fields[C.CLOSE])


def _off_range(values: pd.Series, low: pd.Series, high: pd.Series, slack: pd.Series,
               path: str, field: str) -> None:
    """Refuse the first value outside [low, high] widened by each row's `slack`."""
    wide = slack + _ROUNDING
    bad = values.lt(low * (1 - wide)) | values.gt(high * (1 + wide))
    row = first_bad_row(bad)
    if row is not None:
        at = row - 2
        beyond = f" by more than {slack.iloc[at]:.0%}" if slack.iloc[at] else ""
        raise FormatError(path, f"{values.iloc[at]} lies outside the day's range "
                          f"{low.iloc[at]}-{high.iloc[at]}{beyond}", row=row, field=field,
                          hint=FIX_FILE)


def _refuse(bad: pd.Series, frame: pd.DataFrame, column: str, path: str, problem: str) -> None:
    """Raise for the first True in `bad`, formatting `problem` with the file's text."""
    row = first_bad_row(pd.Series(np.asarray(bad.fillna(False), dtype=bool), index=bad.index))
    if row is not None:
        raise FormatError(path, problem.format(frame[column].iloc[row - 2]), row=row,
                          field=column, hint=FIX_FILE)
