"""Time to compute every per-stock and per-segment metric of one day from history.

Synthetic market: 2,000 stocks x 300 sessions of random-walk closes and volumes (2% of
sessions without a trade, one stock in ten listed late), four segments of 100, 150, 250
and 1,500 members, and an index series per segment. One run computes the trend votes,
scores and labels of every stock, the label changes of the last day, and for each segment
the deeper breadth (above 50/200-session averages, 52-week highs and lows, A/D line,
McClellan, participation gap) and its historical context (A/D percentile over 250
sessions, weakest/strongest breadth, streak, 1-month return, index records).
Usage: python benchmarks/metrics_day.py [--runs N]; the target is under one second.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd

from generator.metrics import breadth_depth, context, trend

STOCKS, SESSIONS = 2_000, 300
SEGMENTS = {"large": (0, 100), "mid": (100, 250), "small": (250, 500), "micro": (500, 2_000)}


def synthetic(seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return closes, published previous closes and volumes (sessions x ISIN)."""
    rng = np.random.default_rng(seed)
    days = pd.bdate_range("2024-01-01", periods=SESSIONS)
    isins = [f"INE{i:06d}01011"[:12] for i in range(STOCKS)]
    steps = rng.normal(0.0003, 0.02, (SESSIONS, STOCKS))
    closes = 100 * np.exp(np.cumsum(steps, axis=0))
    volumes = rng.integers(1_000, 100_000, (SESSIONS, STOCKS)).astype(float)
    gaps = rng.random((SESSIONS, STOCKS)) < 0.02
    late = rng.random(STOCKS) < 0.1
    start = rng.integers(0, SESSIONS // 2, STOCKS)
    listed = np.arange(SESSIONS)[:, None] >= np.where(late, start, 0)[None, :]
    closes = np.where(gaps | ~listed, np.nan, closes)
    volumes = np.where(np.isnan(closes), np.nan, volumes)
    frame = pd.DataFrame(closes.round(2), index=days, columns=isins)
    prev = frame.ffill().shift(1)
    return frame, prev, pd.DataFrame(volumes, index=days, columns=isins)


def one_day(closes: pd.DataFrame, prev: pd.DataFrame, volumes: pd.DataFrame) -> int:
    """Compute every metric for the last session; return the number of figures (a check)."""
    scores = trend.scores(trend.votes(closes, volumes))
    labels = trend.labels(scores)
    changes = trend.label_changes(labels.iloc[-2], labels.iloc[-1])
    day = closes.index[-1]
    figures = len(changes)
    for first, last in SEGMENTS.values():
        members = list(closes.columns[first:last])
        index = closes[members].mean(axis=1).ffill()
        depth = breadth_depth.compute_breadth_depth(closes, prev, members, index, day)
        table = depth.advance_decline.table
        ctx = context.breadth_context(table[breadth_depth.ADVANCES],
                                      table[breadth_depth.DECLINES], day)
        extra = (context.streak(index, day), context.period_return(index, day),
                 context.close_records(index, day))
        figures += depth.above_short.counted + int(ctx.percentile is not None) + len(extra)
    return figures


def main() -> None:
    """Print the best and median time of a few runs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    closes, prev, volumes = synthetic()
    one_day(closes, prev, volumes)  # warm-up (imports, allocator)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        one_day(closes, prev, volumes)
        times.append(time.perf_counter() - start)
    print(f"metrics of one day, {STOCKS:,} stocks x {SESSIONS} sessions, {len(SEGMENTS)} "
          f"segments: best {min(times) * 1000:.0f} ms, median "
          f"{statistics.median(times) * 1000:.0f} ms over {runs} runs (target < 1,000 ms)")


if __name__ == "__main__":
    main()
