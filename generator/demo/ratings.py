"""A fictional provider's ratings feed for the demo market, in the ratings import format.

Every company gets an initial rating in the file of the market's first session; afterwards,
each session a few dozen companies get a rating event (more in the two sessions after their
results meeting). An event moves the rating up or down one scale step, sometimes two or three,
or re-affirms it; the direction leans on the stock's return over the previous 20 sessions, with
a mild pull back towards the middle of the scale. Everything follows from the market's seed.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from generator.demo.market import DemoMarket
from generator.sources.ratings import HEADER, SCALE

PROVIDER_NAME = "Demo Research (fictional)"
LOOKBACK_SESSIONS = 20
RESULTS_SESSIONS = 2
BASE_RATE = 0.018  # chance of a rating event per company and session
RESULTS_RATE = 0.12  # the same in the sessions just after the company's results meeting
REAFFIRM_RATE = 0.2
_INITIAL_WEIGHTS = (0.06, 0.16, 0.38, 0.3, 0.1)
_RETURN_LEAN = 1.2  # logistic slope on the return in units of its expected spread
_MIDDLE = 2.4  # scale position the pull leans towards (between Hold and Buy)
_PULL = 0.5


def plan_ratings(market: DemoMarket) -> pd.DataFrame:
    """Return every rating event of the market: `day` (ordinal), `isin`, `rating`, by day."""
    firms = market.instruments[market.instruments["kind"] == "company"]
    columns = firms.index.to_numpy()
    isins = firms["isin"].astype(str).to_numpy()
    spread = firms["idio_vol"].to_numpy(dtype=float)
    n = len(firms)
    order = np.argsort(isins, kind="stable")
    rng = np.random.default_rng([market.seed, 11])
    state = rng.choice(len(SCALE), size=n, p=_INITIAL_WEIGHTS)
    days = market.trading_days
    records: list[tuple[int, str, str]] = []
    if days:
        first = days[0].toordinal()
        records.extend((first, str(isins[i]), SCALE[int(state[i])]) for i in order)
    near_results = _after_results(market, firms)
    marks = market.prices.mark[:, columns]
    base = market.prices.mark0[columns]
    for t in range(1, len(days)):
        rng = np.random.default_rng([market.seed, 11, days[t].toordinal()])
        lo = t - 1 - LOOKBACK_SESSIONS
        past = base if lo < 0 else marks[lo]
        sessions = min(t, LOOKBACK_SESSIONS)
        z = (marks[t - 1] / past - 1) / (spread * np.sqrt(sessions))
        chance = np.where(near_results[t], RESULTS_RATE, BASE_RATE)
        happens = rng.random(n) < chance
        lean = _RETURN_LEAN * np.nan_to_num(z) - _PULL * (state - _MIDDLE)
        up = rng.random(n) < 1 / (1 + np.exp(-lean))
        size = 1 + (rng.random(n) < 0.18).astype(int) + (rng.random(n) < 0.03).astype(int)
        move = np.where(rng.random(n) < REAFFIRM_RATE, 0, np.where(up, size, -size))
        new = np.clip(state + move, 0, len(SCALE) - 1)
        today = days[t].toordinal()
        records.extend(
            (today, str(isins[i]), SCALE[int(new[i])]) for i in order if happens[i]
        )
        state = np.where(happens, new, state)
    return pd.DataFrame(records, columns=["day", "isin", "rating"])


def render_ratings(market: DemoMarket, day: date) -> bytes:
    """Return the demo provider's ratings file of one session (initial ratings on the first)."""
    if day not in market.trading_days:
        raise ValueError(f"{day} is not a session of the demo market; pick a trading day")
    events = _planned(market)
    rows = events[events["day"] == day.toordinal()]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    stamp = f"{day:%Y-%m-%d}"
    for isin, rating in zip(rows["isin"], rows["rating"], strict=True):
        writer.writerow((stamp, isin, rating, PROVIDER_NAME))
    return out.getvalue().encode()


@lru_cache(maxsize=1)
def _planned(market: DemoMarket) -> pd.DataFrame:
    """Return plan_ratings(market), computed once per market object (rendered day by day)."""
    return plan_ratings(market)


def _after_results(market: DemoMarket, firms: pd.DataFrame) -> np.ndarray[Any, Any]:
    """Return sessions x `firms`: True in the sessions that first follow a results meeting."""
    sessions = np.array([day.toordinal() for day in market.trading_days], dtype=np.int64)
    near = np.zeros((len(sessions), len(firms)), dtype=bool)
    position = {str(symbol): i for i, symbol in enumerate(firms["symbol"])}
    meetings = market.meetings
    results = meetings[meetings["fragment"].str.contains("Financial results", regex=False)]
    for symbol, held in zip(results["symbol"], results["meeting_day"], strict=True):
        i = position.get(str(symbol))
        if i is None:
            continue
        first = int(np.searchsorted(sessions, int(held), side="left"))
        near[first : first + RESULTS_SESSIONS, i] = True
    return near
