"""Moves that are possible but extreme: flagged in the brief, kept out of its headlines.

A constituent's session return is computed against the exchange's own previous close
(`prev_close`, which the exchange adjusts for corporate actions). A return beyond
±EXTREME_RETURN_PCT, or a close ÷ previous close within RATIO_TOLERANCE_PCT of a common
split or bonus ratio, may be a corporate action the previous close was not adjusted for
(split, bonus, rights) or a data error. Until a maintainer confirms it in the config
(`[checks] confirmed_moves`), such a move counts in breadth (its direction is real or not
known) but is left out of the movers and of the equal-weighted mean and median.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

import pandas as pd

from generator import columns as C
from generator.sources import plausible as refused

# A session return beyond this, either way (in %), is flagged.
EXTREME_RETURN_PCT = 40.0
# Close ÷ previous close after common splits and bonuses (num, den): a 1-for-10, 1-for-5,
# 1-for-4, 1-for-3 or 1-for-2 split (or a 9:1, 4:1, 3:1, 2:1, 1:1 bonus), and the bonuses
# 3:2, 2:3 and 1:2. Their reciprocals (a consolidation, or a reversed adjustment) count too.
SPLIT_RATIOS: tuple[tuple[int, int], ...] = (
    (1, 10), (1, 5), (1, 4), (1, 3), (2, 5), (1, 2), (3, 5), (2, 3),
)
# How near (relative, in %) a price ratio must be to a split ratio to match it.
RATIO_TOLERANCE_PCT = 2.0
# What a confirmed move looks like in the config: "YYYY-MM-DD SYMBOL".
CONFIRMED_FORMAT = "YYYY-MM-DD SYMBOL"
CONFIRMED_ENTRY = re.compile(r"(?P<day>\d{4}-\d{2}-\d{2}) (?P<symbol>[A-Z0-9][A-Z0-9&._-]*)")


@dataclass(frozen=True)
class FlaggedMove:
    """A constituent's move that the plausibility rules flag, and whether it is confirmed."""

    symbol: str
    name: str
    close: float
    prev_close: float
    return_pct: float
    # The split or bonus ratio (num, den) the close ÷ previous close is near, if any.
    ratio: tuple[int, int] | None
    beyond_limit: bool
    confirmed: bool


def split_ratio(return_pct: float) -> tuple[int, int] | None:
    """Return the common split or bonus ratio (num, den) a return's price ratio is near."""
    if not math.isfinite(return_pct):
        return None
    price_ratio = 1.0 + return_pct / 100.0
    for num, den in SPLIT_RATIOS:
        for a, b in ((num, den), (den, num)):
            if abs(price_ratio / (a / b) - 1.0) * 100.0 <= RATIO_TOLERANCE_PCT:
                return (a, b)
    return None


def beyond_limit(return_pct: float) -> bool:
    """Return True for a session return beyond ±EXTREME_RETURN_PCT (inf included)."""
    return not math.isnan(return_pct) and abs(return_pct) > EXTREME_RETURN_PCT


def is_extreme(return_pct: float) -> bool:
    """Return True when the plausibility rules flag a session return (NaN: never)."""
    return beyond_limit(return_pct) or split_ratio(return_pct) is not None


def flag_moves(members: pd.DataFrame, day: date,
               confirmed: Collection[tuple[date, str]] = ()) -> tuple[FlaggedMove, ...]:
    """Return the flagged moves among a segment's members on `day`, by symbol.

    `members` has a row per constituent with symbol, name, close, previous close and
    return (NaN when it did not trade); `confirmed` holds the (day, symbol) pairs the
    config confirms.
    """
    out = []
    for row in members.to_dict("records"):
        change = float(row[C.RETURN_PCT])
        if not is_extreme(change):
            continue
        symbol = str(row[C.SYMBOL])
        out.append(FlaggedMove(
            symbol=symbol,
            name=str(row[C.NAME]),
            close=float(row[C.CLOSE]),
            prev_close=float(row[C.PREV_CLOSE]),
            return_pct=change,
            ratio=split_ratio(change),
            beyond_limit=beyond_limit(change),
            confirmed=(day, symbol) in confirmed,
        ))
    return tuple(sorted(out, key=lambda f: f.symbol))


def unconfirmed(members: pd.DataFrame, flags: Collection[FlaggedMove]) -> pd.Series:
    """Return a mask of the members whose move is flagged and not confirmed."""
    held = {f.symbol for f in flags if not f.confirmed}
    return members[C.SYMBOL].astype(str).isin(held)


def parse_confirmed(entry: str) -> tuple[date, str] | None:
    """Return (day, symbol) of a confirmed-move entry "YYYY-MM-DD SYMBOL", or None if malformed."""
    match = CONFIRMED_ENTRY.fullmatch(entry)
    if match is None:
        return None
    try:
        return date.fromisoformat(match["day"]), match["symbol"]
    except ValueError:
        return None


def published_rules() -> dict[str, str]:
    """Return the thresholds as the methodology page prints them: the flags above, and the
    import's refusals (`sources.plausible`)."""
    return {
        "limit": f"\u00b1{EXTREME_RETURN_PCT:.0f}%",
        "ratios": ", ".join(f"{num}/{den}" for num, den in SPLIT_RATIOS),
        "tolerance": f"{RATIO_TOLERANCE_PCT:.0f}%",
        "format": CONFIRMED_FORMAT,
        "max_price": f"{refused.MAX_PRICE:,.0f}",
        "count_bits": str((refused.MAX_COUNT + 1).bit_length()),
        "close_slack": f"{refused.CLOSE_SLACK:.0%}",
        "index_close_slack": f"{refused.INDEX_CLOSE_SLACK:.0%}",
        "same_day_series": refused.SAME_DAY_SERIES,
    }
