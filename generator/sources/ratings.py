"""Analyst ratings from a provider's feed (ratings_YYYYMMDD.csv): an optional import.

The project invents no rating; it reads the ones a provider publishes. This module holds the
project's published import format, which any provider's export is converted into:

- UTF-8 CSV (a byte-order mark is allowed), comma-separated, with the header line
  `date,isin,rating,provider`;
- one row per rating event, keyed by (date, isin, provider): no key appears twice in a file;
- `date`: the day the provider issued the rating, ISO `YYYY-MM-DD`; never after the date the
  file name carries (`ratings_YYYYMMDD.csv`), since a file cannot hold later ratings;
- `isin`: the company's 12-character ISIN (letters and digits, e.g. `INE002A01018`);
- `rating`: one of Strong Sell, Sell, Hold, Buy, Strong Buy, in any letter case;
- `provider`: the provider's name as it should be credited, not empty.

A row may repeat the provider's previous rating of an ISIN (a re-affirmation); it is read as
given, and `rating_changes` passes over it. A file with only the header means no rating event.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd

from generator import columns as C
from generator.errors import FormatError
from generator.sources.text import date_in_name, dates, decode_text, read_table, require_text

HEADER = ("date", "isin", "rating", "provider")
SCALE = ("Strong Sell", "Sell", "Hold", "Buy", "Strong Buy")
FILE_NAME_PATTERN = re.compile(r"ratings_(\d{8})\.csv", re.IGNORECASE)

# Columns of the parsed feed beyond the shared ones, and of `rating_changes`.
RATING = "rating"
PROVIDER = "provider"
FROM = "from"
TO = "to"
STEPS = "steps"
INITIATED = "initiated"
CHANGE_COLUMNS = (C.SYMBOL, C.NAME, C.ISIN, PROVIDER, FROM, TO, STEPS, INITIATED)

RATING_DTYPE = pd.CategoricalDtype(list(SCALE), ordered=True)
_ISIN = re.compile(r"[A-Z0-9]{12}")
_BY_KEY = {name.casefold(): name for name in SCALE}
_RANK = {name: step for step, name in enumerate(SCALE)}


def file_name(day: date) -> str:
    """Return the store's file name for the ratings feed of a day."""
    return f"ratings_{day:%Y%m%d}.csv"


def date_from_name(name: str) -> date | None:
    """Return the date a file name carries, or None if it is not a ratings file."""
    return date_in_name(FILE_NAME_PATTERN, name, "%Y%m%d")


def empty() -> pd.DataFrame:
    """Return a feed with no rows and the parsed columns' dtypes."""
    return pd.DataFrame(
        {
            C.TRADE_DATE: pd.Series([], dtype="datetime64[ns]"),
            C.ISIN: pd.Series([], dtype="string"),
            RATING: pd.Series([], dtype=RATING_DTYPE),
            PROVIDER: pd.Series([], dtype="string"),
        }
    )


def parse(raw: bytes, path: str, expected_date: date | None = None) -> pd.DataFrame:
    """Parse a ratings feed into one typed row per rating event, in file order."""
    text = decode_text(raw, path)
    if _header_only(text):
        return empty()
    frame = read_table(text, path, HEADER)
    days = dates(frame, "date", path, "%Y-%m-%d")
    if expected_date is not None:
        _fail_first(
            path, days > expected_date, "date", frame["date"],
            lambda value: f"rating dated {value} is after the file's date {expected_date}",
            hint="a file cannot hold ratings issued after its own date; check the file name",
        )
    isins = frame["isin"]
    _fail_first(
        path, ~isins.str.fullmatch(_ISIN.pattern), "isin", isins,
        lambda value: f"ISIN {value!r} is not 12 letters and digits",
        hint="give the company's ISIN, such as INE002A01018",
    )
    keys = frame["rating"].map(lambda value: " ".join(value.split()).casefold())
    _fail_first(
        path, ~keys.isin(list(_BY_KEY)), "rating", frame["rating"],
        lambda value: f"rating {value!r} is not on the scale",
        hint=f"use one of {', '.join(SCALE)} (any letter case)",
    )
    providers = require_text(frame, "provider", path)
    out = pd.DataFrame(
        {
            C.TRADE_DATE: pd.to_datetime(pd.Series(list(days), index=frame.index)).astype(
                "datetime64[ns]"
            ),
            C.ISIN: isins.astype("string"),
            RATING: pd.Categorical(keys.map(_BY_KEY), dtype=RATING_DTYPE),
            PROVIDER: providers.astype("string"),
        }
    )
    repeated = out.duplicated([C.TRADE_DATE, C.ISIN, PROVIDER])
    _fail_first(
        path, repeated, "isin", isins,
        lambda value: f"ISIN {value} is rated twice on one date by one provider",
        hint="keep one row per date, ISIN and provider",
    )
    return out.reset_index(drop=True)


def rating_changes(history: pd.DataFrame, day: date, members: pd.DataFrame) -> pd.DataFrame:
    """Return the members' rating changes and initiations of `day`, upgrades first.

    Each rating dated `day` is compared with the same provider's latest earlier rating of the
    same ISIN in `history` (parsed feeds, concatenated); re-affirmations are left out. `steps`
    counts scale steps, positive for an upgrade; a first rating has `from` None, `steps` 0 and
    `initiated` True. Rows run from the largest upgrade to the largest downgrade, then the
    initiations, each group by symbol and provider.
    """
    firms = members[[C.ISIN, C.SYMBOL, C.NAME]].drop_duplicates(C.ISIN)
    target = pd.Timestamp(day)
    when = pd.to_datetime(history[C.TRADE_DATE]).dt.normalize()
    keep = (when <= target) & history[C.ISIN].isin(firms[C.ISIN].astype(str))
    history, when = history.loc[keep], when.loc[keep]
    events = pd.DataFrame(
        {
            "when": when,
            C.ISIN: history[C.ISIN].astype(str),
            PROVIDER: history[PROVIDER].astype(str),
            "step": history[RATING].astype(str).map(_RANK).astype("float64"),
        }
    )
    events = events.drop_duplicates(["when", C.ISIN, PROVIDER], keep="last")
    events = events.sort_values(["when"], kind="stable")
    today = events[events["when"] == target]
    before = events[events["when"] < target].drop_duplicates([C.ISIN, PROVIDER], keep="last")
    merged = today.merge(
        before[[C.ISIN, PROVIDER, "step"]], on=[C.ISIN, PROVIDER], how="left",
        suffixes=("", "_before"),
    )
    initiated = merged["step_before"].isna()
    steps = (merged["step"] - merged["step_before"].fillna(merged["step"])).astype(int)
    merged = merged.assign(steps=steps, initiated=initiated)
    merged = merged[initiated | (steps != 0)]
    merged = merged.merge(
        firms.astype({C.ISIN: str, C.SYMBOL: str, C.NAME: str}), on=C.ISIN, how="left"
    )
    group = np.where(merged[INITIATED], 2, np.where(merged[STEPS] > 0, 0, 1))
    merged = merged.assign(
        group=group, order=np.where(group == 0, -merged[STEPS], merged[STEPS])
    ).sort_values(["group", "order", C.SYMBOL, PROVIDER], kind="stable")
    merged = merged.reset_index(drop=True)
    out = pd.DataFrame(
        {
            C.SYMBOL: merged[C.SYMBOL].astype(object),
            C.NAME: merged[C.NAME].astype(object),
            C.ISIN: merged[C.ISIN].astype(object),
            PROVIDER: merged[PROVIDER].astype(object),
            FROM: pd.Series(
                [None if pd.isna(s) else SCALE[int(s)] for s in merged["step_before"]],
                index=merged.index, dtype=object,
            ),
            TO: pd.Series([SCALE[int(s)] for s in merged["step"]], index=merged.index,
                          dtype=object),
            STEPS: merged[STEPS].astype("int64"),
            INITIATED: merged[INITIATED].astype(bool),
        },
        columns=list(CHANGE_COLUMNS),
    )
    return out.reset_index(drop=True)


def _header_only(text: str) -> bool:
    """Return whether the text is exactly the expected header and no data rows."""
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    return len(rows) == 1 and [cell.strip() for cell in rows[0]] == list(HEADER)


def _fail_first(
    path: str,
    bad: pd.Series,
    field: str,
    values: pd.Series,
    problem: Callable[[object], str],
    *,
    hint: str,
) -> None:
    """Raise a FormatError naming the first row where `bad` is True, if any."""
    hits = bad.fillna(True).to_numpy(dtype=bool).nonzero()[0]
    if not len(hits):
        return
    at = int(hits[0])
    raise FormatError(path, problem(values.iloc[at]), row=at + 2, field=field, hint=hint)
