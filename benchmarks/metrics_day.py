"""Time to compute every per-stock and per-segment metric of one day from history.

Synthetic market: 2,000 stocks x 300 sessions of random-walk closes and volumes (2% of
sessions without a trade, one stock in ten listed late), four segments of 100, 150, 250
and 1,500 members, and an index series per segment. One run computes the trend votes,
scores and labels of every stock, the label changes of the last day, and for each segment
the deeper breadth (above 50/200-session averages, 52-week highs and lows, A/D line,
McClellan, participation gap) and its historical context (A/D percentile over 250
sessions, weakest/strongest breadth, streak, 1-month return, index records).

With --store, it also times the briefs' own pipeline on the demo market of 1 August 2024
to 31 October 2025 (316 sessions, about 1,700 company shares; built once under the given
folder, which takes about a minute): loading the panel (once per render), then for the
last day loading its files, `compute_day` for the four segments (every metric above, from
the store), and writing and checking the four briefs' text.
Usage: python benchmarks/metrics_day.py [--runs N] [--store DIR]; the target for one day's
metrics is under one second.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from demo_store import pulled_demo  # noqa: E402

from generator.config import Config, load_config  # noqa: E402
from generator.metrics import breadth_depth, context, trend  # noqa: E402
from generator.metrics.segment import compute_day  # noqa: E402
from generator.narrative.check import check_brief  # noqa: E402
from generator.narrative.render import render_brief  # noqa: E402
from generator.panel import load_panel, trend_history  # noqa: E402
from generator.pipeline import stored_sessions  # noqa: E402
from generator.snapshot import load_day, load_history, load_ratings  # noqa: E402
from generator.store import Store  # noqa: E402

DEMO_START, DEMO_END = date(2024, 8, 1), date(2025, 10, 31)
STEPS = {
    "panel": "load the panel (once per render)",
    "labels": "trend labels of every stock (once per render)",
    "load": "load the day's files, index history and ratings",
    "compute": "compute_day, 4 segments",
    "brief": "render and check 4 briefs",
}

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


def demo_store(root: Path) -> tuple[Config, Store]:
    """Return the long demo market's config and store under root, pulling it if needed."""
    if (root / "data").is_dir():
        config = dataclasses.replace(load_config(REPO / "brief.toml"), root=root,
                                     data_dir=root / "data", source="demo")
        return config, Store(config.data_dir)
    config, store, _ = pulled_demo(root, DEMO_START, DEMO_END)
    return config, store


def pipeline_day(config: Config, store: Store, runs: int) -> None:
    """Print the time of each step of the briefs' pipeline for the last stored day."""
    day = stored_sessions(store)[-1]
    timed: dict[str, list[float]] = {name: [] for name in STEPS}
    for _ in range(runs):
        marks = [time.perf_counter()]
        panel = load_panel(store, config, day, day)
        marks.append(time.perf_counter())
        trends = trend_history(panel)
        marks.append(time.perf_counter())
        market = load_day(store, config, day)
        history, feed = load_history(store, day), load_ratings(store, day)
        marks.append(time.perf_counter())
        seg_days = compute_day(config, market, history, trends.changes(day), feed, panel)
        marks.append(time.perf_counter())
        for sd in seg_days:
            assert not check_brief(render_brief(sd, {}, market.sources, "m.md"), sd)
        marks.append(time.perf_counter())
        for name, start, end in zip(STEPS, marks[:-1], marks[1:], strict=True):
            timed[name].append(end - start)
    stocks = panel.closes.shape
    print(f"briefs' pipeline, demo market {stocks[1]:,} stocks x {stocks[0]} sessions, "
          f"{day}, median of {runs} runs:")
    for name, what in STEPS.items():
        print(f"  {what}: {statistics.median(timed[name]) * 1000:,.0f} ms")


def main() -> None:
    """Print the best and median time of a few runs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--store", type=Path, default=None,
                        help="folder for the long demo market (built there if empty)")
    args = parser.parse_args()
    runs = args.runs
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
    if args.store is not None:
        pipeline_day(*demo_store(args.store), max(1, min(runs, 3)))


if __name__ == "__main__":
    main()
