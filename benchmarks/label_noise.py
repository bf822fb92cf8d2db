"""How often trend labels change on noise, and how late they follow a trend, per method.

Synthetic markets (numpy seed 7), 2,000 stocks x 300 sessions each, random volumes:
  walk     flat random walks: daily log-returns N(0, 2%)
  level    flat noise about a level: each close 100 x (1 + 2% x N(0, 1)), independent days
  trend    random walks as in walk, flat for 200 sessions and then drifting +0.3% a day
           (half the stocks) or -0.3% a day (the other half) for the last 100
  no noise a constant price that rises or falls 0.3% a day from the same session on

For each candidate method it prints, over the stock-days that have a label:
  labelled   share of stock-days from the 50th session on (walk) that have a label
  bull/bear  share of labelled stock-days labelled Bullish or Bearish
  chg        label changes per stock per 100 sessions (a change: labelled on two
             consecutive sessions, with different labels); "50-129" only over sessions 50 to
             129, where just the five daily rules vote, as in a short archive; on trend, over
             the 100 sessions of the trend
  lag        sessions of trend until the label first reaches Mildly Bullish or Bullish
             (Mildly Bearish or Bearish for a fall), the trend's first session counting 1:
             "median" over the stocks not labelled so on the session before the trend
             starts, "half" until half of all the stocks are labelled so, "no noise" on the
             noise-free series
Usage: python benchmarks/label_noise.py
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.metrics import trend

SEED = 7
STOCKS, SESSIONS = 2_000, 300
NOISE, DRIFT = 0.02, 0.003
TREND_START = 200  # every stock has 7 or more votes from session 170 on
FIRST_LABEL = 49  # the 50th session, when the five daily rules first all vote
SHORT = slice(FIRST_LABEL, 129)  # before the weekly Dow rule (26 weeks) adds a sixth vote
Kind = Literal["walk", "level"]

Votes = Mapping[str, pd.DataFrame]
Method = Callable[[Votes], pd.DataFrame]

METHODS: dict[str, Method] = {
    "raw score (before)": lambda v: trend.scores(v, sessions=1),
    "mean of 3 sessions": lambda v: trend.scores(v, sessions=3),
    "mean of 5 sessions": lambda v: trend.scores(v, sessions=5),
    "mean of 10 sessions": lambda v: trend.scores(v, sessions=10),
    "raw, MIN_VOTES 7": lambda v: trend.scores(v, sessions=1, min_votes=7),
    "mean of 5, MIN_VOTES 7": lambda v: trend.scores(v, sessions=5, min_votes=7),
    f"trend.scores ({trend.SMOOTH_SESSIONS} sessions)": trend.scores,
}


@dataclass(frozen=True)
class Market:
    """Votes of a synthetic market and the direction of each stock's trend (+1, -1 or 0)."""

    votes: Votes
    direction: npt.NDArray[np.float64]


def market(rng: np.random.Generator, noise: float, drift: float = 0.0,
           kind: Kind = "walk") -> Market:
    """Return the votes on a synthetic market; stocks drift by ±drift from TREND_START on."""
    direction = np.where(np.arange(STOCKS) < STOCKS // 2, 1.0, -1.0)
    steps = rng.normal(0.0, noise, (SESSIONS, STOCKS))
    steps[TREND_START:] += drift * direction
    prices = 100 * np.exp(np.cumsum(steps, axis=0)) if kind == "walk" else 100 * (1 + steps)
    days = pd.bdate_range("2024-01-01", periods=SESSIONS)
    isins = [f"INE{i:09d}" for i in range(STOCKS)]
    closes = pd.DataFrame(prices, index=days, columns=isins)
    volumes = pd.DataFrame(rng.integers(1_000, 100_000, (SESSIONS, STOCKS)).astype(float),
                           index=days, columns=isins)
    return Market(trend.votes(closes, volumes), direction * np.sign(drift))


def ranks(scores: pd.DataFrame) -> npt.NDArray[np.float64]:
    """Return each label's rank (0 Bearish .. 4 Bullish), NaN without a label."""
    labelled = trend.labels(scores).to_numpy(dtype=object)
    rank = {label: float(i) for i, label in enumerate(trend.LABELS)}
    return np.asarray(np.vectorize(lambda x: rank.get(x, np.nan), otypes=[float])(labelled),
                      dtype=np.float64)


def changes_per_100(rank: npt.NDArray[np.float64], rows: slice) -> float:
    """Return label changes per stock per 100 sessions over consecutive labelled sessions."""
    part = rank[rows]
    both = ~np.isnan(part[1:]) & ~np.isnan(part[:-1])
    changed = both & (part[1:] != part[:-1])
    return 100.0 * changed.sum() / both.sum() if both.any() else math.nan


def lags(rank: npt.NDArray[np.float64], direction: npt.NDArray[np.float64]) -> tuple[float, float]:
    """Return the median first-reach lag and the lag until half the stocks have reached."""
    signed = (rank - 2.0) * direction  # 1 or more: labelled with the trend
    reached = signed[TREND_START:] >= 1
    fresh = ~(signed[TREND_START - 1] >= 1)
    first = np.where(reached.any(axis=0), reached.argmax(axis=0) + 1.0, np.inf)
    share = reached.mean(axis=1)
    half = float(np.argmax(share >= 0.5) + 1) if (share >= 0.5).any() else math.inf
    return float(np.median(first[fresh])), half


def row(name: str, method: Method, walk: Market, level: Market, trending: Market,
        clean: Market) -> list[str]:
    """Return one method's figures as table cells."""
    walk_rank, level_rank = ranks(method(walk.votes)), ranks(method(level.votes))
    trend_rank, clean_rank = ranks(method(trending.votes)), ranks(method(clean.votes))

    def extreme(rank: npt.NDArray[np.float64]) -> float:
        after = rank[FIRST_LABEL:]
        return float(np.isin(after[~np.isnan(after)], (0.0, 4.0)).mean())

    lag_median, lag_half = lags(trend_rank, trending.direction)
    lag_clean, _ = lags(clean_rank, clean.direction)
    figures = [
        f"{(~np.isnan(walk_rank[FIRST_LABEL:])).mean():.0%}",
        f"{extreme(walk_rank):.1%}",
        f"{changes_per_100(walk_rank, slice(None)):.1f}",
        f"{changes_per_100(walk_rank, SHORT):.1f}",
        f"{extreme(level_rank):.1%}",
        f"{changes_per_100(level_rank, slice(None)):.1f}",
        f"{changes_per_100(trend_rank, slice(TREND_START - 1, None)):.1f}",
        f"{lag_median:.0f}",
        f"{lag_half:.0f}",
        f"{lag_clean:.0f}",
    ]
    return [name, *("no label" if f == "nan" else f for f in figures)]


def main() -> None:
    """Print one row of figures per method."""
    rng = np.random.default_rng(SEED)
    walk = market(rng, NOISE)
    level = market(rng, NOISE, kind="level")
    trending = market(rng, NOISE, DRIFT)
    clean = market(rng, 0.0, DRIFT)
    groups = ["", "", "walk", "", "", "level", "", "trend", "", "", ""]
    header = ["method", "labelled", "bull/bear", "chg", "chg 50-129", "bull/bear", "chg",
              "chg", "lag median", "lag half", "lag no noise"]
    rows = [row(name, method, walk, level, trending, clean) for name, method in METHODS.items()]
    widths = [max(len(r[k]) for r in [groups, header, *rows]) for k in range(len(header))]
    print(f"{STOCKS:,} stocks x {SESSIONS} sessions, noise {NOISE:.0%} a day, trend "
          f"±{DRIFT:.1%} a day from session {TREND_START + 1}, seed {SEED}; changes per "
          "stock per 100 sessions, lags in sessions of trend")
    for cells in [groups, header, ["-" * w for w in widths], *rows]:
        print("  ".join([cells[0].ljust(widths[0])]
                        + [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]))


if __name__ == "__main__":
    main()
