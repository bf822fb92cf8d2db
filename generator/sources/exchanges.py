"""Which stored files a brief reads, by exchange: the equity bhavcopy and results calendar.

NSE's equity file is the layout its date calls for (UDiFF from 2024-07-08, the cm bhavcopy
before); BSE's is its UDiFF file. Index closes come from NSE's daily file and, for the
indices named in `[bse_indices]`, from BSE's index history, one file per index and day.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd

from generator import columns as C
from generator.sources import (
    bse_indices,
    bse_results,
    bse_udiff,
    equities,
    nse_board_meetings,
    nse_indices,
)


def equity_file_name(exchange: str, day: date) -> str:
    """Return the name of the exchange's equity bhavcopy for `day`."""
    return bse_udiff.file_name(day) if exchange == "BSE" else equities.file_name(day)


def parse_equities(exchange: str, raw: bytes, path: str, day: date) -> pd.DataFrame:
    """Parse the exchange's equity bhavcopy of `day`."""
    if exchange == "BSE":
        return bse_udiff.parse(raw, path, day)
    return equities.parse(raw, path, day)


def results_file_name(exchange: str, day: date) -> str:
    """Return the store's name of the exchange's results calendar fetched on `day`."""
    if exchange == "BSE":
        return bse_results.file_name(day)
    return nse_board_meetings.file_name(day)


def parse_results(exchange: str, raw: bytes, path: str, day_equities: pd.DataFrame
                  ) -> pd.DataFrame:
    """Parse a results calendar; BSE's names scrip codes, matched to ISINs via the bhavcopy."""
    if exchange == "BSE":
        return bse_results.parse(raw, path, bse_results.scrip_isins(day_equities))
    return nse_board_meetings.parse(raw, path)


def empty_results() -> pd.DataFrame:
    """Return a results calendar with no meetings."""
    return nse_board_meetings.parse(b"[]", "empty")


def parse_index_file(name: str, raw: bytes, path: str, day: date) -> pd.DataFrame:
    """Parse a stored index close file of either exchange into the same columns.

    A BSE file's rows are named by the index code; `name_indices` gives them the names
    the config uses (kept out of the parse so a cached table never holds a stale name).
    """
    found = bse_indices.from_name(name)
    if found is None:
        return nse_indices.parse(raw, path, day)
    code, _ = found
    return bse_indices.parse(raw, path, code, day)


def name_indices(frame: pd.DataFrame, names_by_code: Mapping[str, str]) -> pd.DataFrame:
    """Return index rows with BSE codes replaced by the names the config gives them."""
    if not names_by_code:
        return frame
    renamed = frame.copy()
    renamed[C.INDEX_NAME] = renamed[C.INDEX_NAME].map(
        lambda n: names_by_code.get(n, n)).astype("string")
    return renamed
