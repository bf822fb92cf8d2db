"""Board-meeting calendar: quarterly results seasons plus a few dividend and fund-raising ones."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
HORIZON_DAYS = 30
_MEETING_KINDS = ("company", "be", "bz", "sme")
_FUND_RAISING = (
    "Fund Raising by way of Qualified Institutions Placement",
    "Fund Raising by way of Preferential Issue of equity shares",
    "issue of Non-Convertible Debentures on private placement basis",
)


def nse_date(day: date) -> str:
    """Format a date as NSE's JSON does: `05-Feb-2025` (independent of the locale)."""
    return f"{day.day:02d}-{MONTH_ABBR[day.month - 1]}-{day.year}"


def nse_timestamp(moment: datetime) -> str:
    """Format a timestamp as `05-Feb-2025 18:42:01`."""
    return f"{nse_date(moment.date())} {moment:%H:%M:%S}"


def plan_meetings(universe: pd.DataFrame, seed: int, start: date, end: date) -> pd.DataFrame:
    """Return the meetings calendars published from `start` to `end` can show (days as ordinals)."""
    firms = universe[universe["kind"].isin(_MEETING_KINDS)].sort_values("symbol")
    records: list[dict[str, object]] = []
    last = end + timedelta(days=HORIZON_DAYS)
    for quarter_end in _quarter_ends(start - timedelta(days=60), last):
        rng = np.random.default_rng([seed, 5, quarter_end.year, quarter_end.month])
        for firm in firms.itertuples(index=False):
            records.extend(_firm_quarter(rng, firm, quarter_end))
    frame = pd.DataFrame(records, columns=["meeting_day", "announced_day", "symbol", "fragment"])
    window = (frame["meeting_day"] >= start.toordinal()) & (
        frame["announced_day"] <= end.toordinal()
    )
    frame = frame[window].sort_values(["meeting_day", "symbol"], kind="stable")
    return frame.reset_index(drop=True)


def render_meetings(meetings: pd.DataFrame, day: date) -> bytes:
    """Return the calendar as published on `day`: announced by then, held within 30 days."""
    today = day.toordinal()
    shown = meetings[
        (meetings["announced_day"] <= today)
        & (meetings["meeting_day"] >= today)
        & (meetings["meeting_day"] <= today + HORIZON_DAYS)
    ]
    if shown.empty:
        return b"[]\n"
    body = ",\n".join(shown["fragment"].tolist())
    return f"[\n{body}\n]\n".encode()


def _quarter_ends(first: date, last: date) -> list[date]:
    """Return quarter-end dates whose results meetings can fall between `first` and `last`."""
    out: list[date] = []
    for year in range(first.year - 1, last.year + 1):
        for month, dom in ((3, 31), (6, 30), (9, 30), (12, 31)):
            q = date(year, month, dom)
            if q + timedelta(days=49) >= first and q + timedelta(days=14) <= last:
                out.append(q)
    return out


def _firm_quarter(
    rng: np.random.Generator, firm: Any, quarter_end: date
) -> list[dict[str, object]]:
    """Return one company's meetings about one quarter (results, maybe dividend or funds)."""
    out: list[dict[str, object]] = []
    takes_part = rng.random() < 0.9
    offset = round(float(rng.triangular(14, 35, 49)))
    dividend = rng.random() < 0.12
    extra = rng.random()
    extra_offset = int(rng.integers(1, 92))
    wording = int(rng.integers(0, len(_FUND_RAISING)))
    period = f"{MONTH_NAMES[quarter_end.month - 1]} {quarter_end.year}"
    if takes_part:
        kind = "Audited" if quarter_end.month == 3 else "Quarterly Unaudited"
        text = (
            f"to consider and approve the {kind} Financial results of the Company for the "
            f"period ended {period}{' and Dividend' if dividend else ''}."
        )
        out.append(_meeting(rng, firm, quarter_end + timedelta(days=offset), text))
    if extra < 0.05:
        text = (
            f"to consider and approve {_FUND_RAISING[wording]}."
            if extra < 0.03
            else "to consider Interim Dividend."
        )
        held = quarter_end + timedelta(days=extra_offset)
        if takes_part and held == quarter_end + timedelta(days=offset):
            held += timedelta(days=1)
        out.append(_meeting(rng, firm, held, text))
    return out


def _meeting(rng: np.random.Generator, firm: Any, held: date, text: str) -> dict[str, object]:
    """Return a meeting record with its JSON fragment rendered once."""
    if held.weekday() == 6:
        held += timedelta(days=1)
    elif held.weekday() == 5 and rng.random() < 0.7:
        held -= timedelta(days=1)
    lead = int(rng.integers(5, 16))
    seconds = int(rng.integers(9 * 3600, 23 * 3600 + 1800))
    stamp = datetime.combine(held - timedelta(days=lead), datetime.min.time()) + timedelta(
        seconds=seconds
    )
    delay = int(rng.integers(20, 150))
    name = str(firm.name)
    record = {
        "bm_symbol": str(firm.symbol),
        "bm_date": nse_date(held),
        "bm_purpose": (
            f"{name.upper()} has informed the Exchange about Board Meeting to be held "
            f"on {nse_date(held)} {text}"
        ),
        "bm_desc": "Board Meeting Intimation",
        "sm_indusrty": str(firm.basic_industry),
        "bm_timestamp": nse_timestamp(stamp),
        "sm_name": name,
        "sm_isin": str(firm.isin),
        "attachment": "",
        "diff": f"00:{delay // 60:02d}:{delay % 60:02d}",
        "sysTime": nse_timestamp(stamp + timedelta(seconds=delay)),
    }
    fragment = json.dumps(record, indent=2, ensure_ascii=False)
    return {
        "meeting_day": held.toordinal(),
        "announced_day": stamp.toordinal(),
        "symbol": record["bm_symbol"],
        "fragment": "  " + fragment.replace("\n", "\n  "),
    }
