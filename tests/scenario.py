"""The seed brief's day as crafted exchange files: 1,200 small caps, 378 up and 816 down."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from crafted import (
    Stock,
    config_for,
    constituents_bytes,
    holidays_bytes,
    index_bytes,
    isin,
    meetings_bytes,
    put,
    udiff_bytes,
)

from generator.config import Config
from generator.metrics import trend
from generator.store import Store

DAYS = [date(2026, 2, 5), date(2026, 2, 6), date(2026, 2, 9), date(2026, 2, 10),
        date(2026, 2, 11), date(2026, 2, 12)]
DAY = DAYS[-1]
HOSTILE = "A&B <Co> *Ltd* | x"
# Small-cap index: +1.95% over five sessions, +2.52% on the last one.
SMALL_CLOSES = [10000.00, 10100.00, 9980.00, 9900.00, 9944.40, 10195.00]


@dataclass(frozen=True)
class Scenario:
    """A store and config holding the crafted sessions."""

    config: Config
    store: Store
    small: list[Stock]
    large: list[Stock]


def small_caps() -> list[Stock]:
    """Return 1,200 constituents: 378 advance, 816 decline, 4 unchanged, 2 not traded."""
    stocks = [Stock(isin(1), "ABCO", HOSTILE, 100.0, 112.99)]
    stocks += [Stock(isin(1 + i), f"UP{i:04d}", f"Riser {i} Ltd", 100.0, 100.0 + 0.01 * i)
               for i in range(1, 378)]
    stocks.append(Stock(isin(400), "STALL", "Stallwart India Ltd", 100.0, 83.22))
    stocks += [Stock(isin(400 + i), f"DN{i:04d}", f"Faller {i} Ltd", 100.0, 100.0 - 0.01 * i)
               for i in range(1, 816)]
    stocks += [Stock(isin(2000 + i), f"FLAT{i}", f"Level {i} Ltd", 50.0, 50.0) for i in range(4)]
    stocks += [Stock(isin(3000 + i), f"IDLE{i}", f"Quiet {i} Ltd", 20.0, None) for i in range(2)]
    return stocks


def large_caps() -> list[Stock]:
    """Return 20 large caps, each up 0.5%."""
    return [Stock(isin(5000 + i), f"BIG{i}", f"Bigco {i} Ltd", 1000.0, 1005.0) for i in range(20)]


def build(root: Path) -> Scenario:
    """Write the crafted sessions into a store under root."""
    config = config_for(
        root,
        [
            {"key": "large", "label": "Large caps", "index": "BSE LargeCap",
             "constituents": "large.csv"},
            {"key": "small", "label": "Small caps", "index": "BSE SmallCap",
             "constituents": "bse_smallcap_list.csv"},
        ],
        [{"label": "Sensex", "index": "BSE Sensex"}, {"label": "Nifty 50", "index": "Nifty 50"}],
    )
    store = Store(config.data_dir)
    small, large = small_caps(), large_caps()
    put(store, "holidays", DAYS[0], "holidays.json", holidays_bytes())
    put(store, "constituents", DAYS[0], "bse_smallcap_list.csv", constituents_bytes(small))
    put(store, "constituents", DAYS[0], "large.csv", constituents_bytes(large))
    for i, day in enumerate(DAYS):
        prev_small = SMALL_CLOSES[i - 1] if i else 9990.00
        rows = [
            ("BSE SmallCap", SMALL_CLOSES[i], prev_small),
            ("BSE LargeCap", 9000.0 + 40 * i, 9000.0 + 40 * i - 36.0),
            ("BSE Sensex", 80000.0 + 200 * i, 80000.0 + 200 * i - 200.0),
            ("Nifty 50", 25000.0 + 77.5 * i, 25000.0 + 77.5 * i - 77.27),
        ]
        put(store, "indices", day, f"ind_close_all_{day:%d%m%Y}.csv", index_bytes(day, rows))
    put(store, "equities", DAY, f"BhavCopy_NSE_CM_0_0_0_{DAY:%Y%m%d}_F_0000.csv",
        udiff_bytes(DAY, small + large))
    meetings = [(small[5], date(2026, 2, 13)), (small[600], date(2026, 2, 16)),
                (small[7], date(2026, 2, 25)), (small[8], date(2026, 2, 12))]
    put(store, "board_meetings", DAY, f"board_meetings_{DAY:%Y%m%d}.json",
        meetings_bytes(meetings))
    for day, rows in ratings_feed(small).items():
        put(store, "ratings", day, f"ratings_{day:%Y%m%d}.csv", rows)
    return Scenario(config, store, small, large)


RATER = "Crafted Research"
# (index into small_caps(), rating on 5 Feb, rating on 12 Feb); None: no rating that day.
RATING_EVENTS = [(10, "Hold", "Buy"), (11, "Hold", "Buy"), (12, "Hold", "Buy"),
                 (13, "Hold", "Buy"), (14, "Hold", "Buy"), (500, "Buy", "Sell"),
                 (15, None, "Strong Buy"), (16, "Hold", "Hold")]


def ratings_feed(small: list[Stock]) -> dict[date, bytes]:
    """Return the crafted ratings files: five upgrades to Buy, one downgrade, one initiation
    and one re-affirmation on the seed's day."""
    files = {}
    for day, column in ((DAYS[0], 1), (DAY, 2)):
        lines = ["date,isin,rating,provider"]
        for event in RATING_EVENTS:
            rating = event[column]
            if rating is not None:
                lines.append(f"{day},{small[int(event[0])].isin},{rating},{RATER}")
        files[day] = ("\n".join(lines) + "\n").encode()
    return files


# (index into small_caps(), label on 11 Feb, label on 12 Feb)
LABEL_EVENTS = [(20, "Sideways", "Mildly Bullish"), (21, "Sideways", "Mildly Bullish"),
                (22, "Mildly Bearish", "Mildly Bullish"), (23, "Mildly Bullish", "Bullish"),
                (24, "Sideways", "Mildly Bullish"), (25, "Bearish", "Sideways"),
                (410, "Mildly Bullish", "Sideways"), (26, "Bullish", "Bullish")]


def trend_changes(small: list[Stock]) -> pd.DataFrame:
    """Return the day's label changes of the crafted labels, as `trend.label_changes` gives."""
    isins = [small[i].isin for i, _, _ in LABEL_EVENTS]
    before = pd.Series([b for _, b, _ in LABEL_EVENTS], index=isins, dtype=object)
    after = pd.Series([a for _, _, a in LABEL_EVENTS], index=isins, dtype=object)
    return trend.label_changes(before, after)
