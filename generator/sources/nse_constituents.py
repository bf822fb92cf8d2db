"""NSE index constituent lists (ind_nifty100list.csv and the like)."""

from __future__ import annotations

import pandas as pd

from generator import columns as C
from generator.errors import FormatError
from generator.sources import plausible
from generator.sources.text import decode_text, read_table, require_text

HEADER = ("Company Name", "Industry", "Symbol", "Series", "ISIN Code")


def parse(raw: bytes, path: str) -> pd.DataFrame:
    """Parse a constituent list into one row per company, keyed by ISIN."""
    frame = read_table(decode_text(raw, path), path, HEADER)
    out = pd.DataFrame(
        {
            C.NAME: require_text(frame, "Company Name", path),
            C.INDUSTRY: frame["Industry"],
            C.SYMBOL: plausible.symbols(frame, "Symbol", path),
            C.SERIES: frame["Series"],
            C.ISIN: require_text(frame, "ISIN Code", path),
        }
    ).astype("string")
    duplicated = out[C.ISIN].duplicated()
    if duplicated.any():
        row = int(duplicated.to_numpy().nonzero()[0][0]) + 2
        raise FormatError(path, f"ISIN {out[C.ISIN].iloc[row - 2]} is listed twice", row=row,
                          field="ISIN Code")
    return out
