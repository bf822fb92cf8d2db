"""The demo market in BSE's formats: UDiFF bhavcopy, index history and results calendar.

The demo companies are listed on both exchanges at the same prices. BSE's file carries
one row per company share (no ETFs or bonds), the BSE group where NSE has the series,
and a six-digit scrip code; it is written with CRLF line endings like the real file.
The BSE indices are chained from the same simulated caps as the NSE ones.
"""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd

from generator.demo.indices import INDEX_COLUMNS, index_rows
from generator.demo.market import DemoMarket
from generator.narrative.numbers import MONTHS
from generator.sources import nse_udiff

# Index name -> (BSE code, first rank, last rank, base level, P/E, P/B, dividend yield).
BSE_INDICES: dict[str, tuple[str, int, int, float, float, float, float]] = {
    "Sensex": ("SENSEX", 1, 30, 77800.0, 22.4, 3.6, 1.2),
    "BSE LargeCap": ("LRGCAP", 1, 100, 9100.0, 22.8, 3.6, 1.2),
    "BSE MidCap": ("MIDCAP", 101, 250, 43500.0, 39.0, 5.2, 0.7),
    "BSE SmallCap": ("SMLCAP", 251, 1000, 51200.0, 31.0, 4.0, 0.6),
}
_GROUP_BY_SERIES = {"BE": "T", "BZ": "Z", "SM": "M", "ST": "MT"}
_SERIES_ORDER = ("EQ", "BE", "BZ", "SM", "ST")


def scrip_codes(market: DemoMarket) -> dict[str, str]:
    """Return each company share's BSE scrip code by ISIN (500001 upwards, by ISIN order)."""
    shares = market.instruments.loc[market.instruments["series"].isin(_SERIES_ORDER)]
    isins = sorted(set(shares["isin"].astype(str)))
    return {isin: str(500001 + i) for i, isin in enumerate(isins)}


def render_bse_bhavcopy(market: DemoMarket, day: date) -> bytes:
    """Return BSE's UDiFF bhavcopy of one session."""
    rows = market.equities(day)
    rows = rows.loc[rows["series"].isin(_SERIES_ORDER)].copy()
    rows["_order"] = rows["series"].map({s: i for i, s in enumerate(_SERIES_ORDER)})
    rows = rows.sort_values(["isin", "_order"], kind="stable").drop_duplicates("isin")
    ranks = dict(zip(market.instruments["isin"].astype(str),
                     market.instruments["rank"].astype(int), strict=True))
    codes = scrip_codes(market)
    lines = [",".join(nse_udiff.HEADER)]
    stamp = f"{day:%Y-%m-%d},{day:%Y-%m-%d},CM,BSE,STK,"
    for row in rows.sort_values("symbol", kind="stable").itertuples(index=False):
        isin = str(row.isin)
        group = _GROUP_BY_SERIES.get(str(row.series)) or _group_by_rank(ranks[isin])
        name = str(row.bhav_name).upper()
        if any(ch in name for ch in ',"'):
            name = '"' + name.replace('"', '""') + '"'
        lines.append(
            f"{stamp}{codes[isin]},{isin},{row.symbol},{group},,,,,{name},"
            f"{row.open:.2f},{row.high:.2f},{row.low:.2f},{row.close:.2f},{row.last:.2f},"
            f"{row.prev_close:.2f},,{row.settle:.2f},,,{row.volume:.0f},{row.turnover:.2f},"
            f"{row.trades:.0f},F1,1,,,,,"
        )
    return ("\r\n".join(lines) + "\r\n").encode()


def _group_by_rank(rank: int) -> str:
    """Return a plausible BSE group for an EQ company by its size rank."""
    if rank <= 300:
        return "A"
    return "B" if rank <= 1200 else "X"


def bse_index_levels(market: DemoMarket) -> pd.DataFrame:
    """Return one row per session and BSE index (columns as the NSE index levels)."""
    days = list(market.trading_days)
    anchor = days[0].toordinal() if days else 0
    rank = market.instruments["rank"].to_numpy()
    shares = market.instruments["shares"].to_numpy(dtype=float)
    rows: list[tuple[object, ...]] = []
    for number, (name, (_, lo, hi, base, pe, pb, dy)) in enumerate(BSE_INDICES.items()):
        rng = np.random.default_rng([market.seed, 7, anchor, number])
        members = np.flatnonzero((rank >= lo) & (rank <= hi))
        rows.extend(index_rows(name, members, shares[members], market.prices, days, rng,
                               base * float(np.exp(rng.normal(0, 0.01))), (pe, pb, dy)))
    return pd.DataFrame(rows, columns=list(INDEX_COLUMNS))


def render_bse_index(levels: pd.DataFrame, name: str, day: date) -> bytes:
    """Return BSE's index history CSV of one index for one session."""
    row = levels.loc[(levels["index_name"] == name) & (levels["trade_date"] == day)].iloc[0]
    when = f"{day.day}-{MONTHS[day.month - 1]}-{day.year}"
    return (f"Date,Open,High,Low,Close\n{when},{row['open']:.2f},{row['high']:.2f},"
            f"{row['low']:.2f},{row['close']:.2f},\n").encode()


def render_bse_results(market: DemoMarket, day: date) -> bytes:
    """Return BSE's forthcoming-results calendar as published on `day`."""
    today = day.toordinal()
    meetings = market.meetings
    shown = meetings[(meetings["announced_day"] <= today) & (meetings["meeting_day"] >= today)
                     & (meetings["meeting_day"] <= today + 30)]
    codes = scrip_codes(market)
    items = []
    for fragment in shown["fragment"]:
        record = json.loads(fragment)
        if "results" not in record["bm_purpose"].lower() or record["sm_isin"] not in codes:
            continue
        held = pd.Timestamp(record["bm_date"]).date()
        code = codes[record["sm_isin"]]
        items.append({
            "scrip_Code": code,
            "short_name": record["bm_symbol"],
            "Long_Name": record["sm_name"].upper(),
            "meeting_date": f"{held.day:02d} {MONTHS[held.month - 1][:3]} {held.year}",
            "URL": f"https://www.bseindia.com/stock-share-price/x/{record['bm_symbol'].lower()}"
                   f"/{code}/",
        })
    return (json.dumps(items, indent=2, ensure_ascii=False) + "\n").encode()
