"""How today's returns of the constituents spread: a histogram with the index marked.

Bins are one percentage point wide and symmetric about zero: a return on a whole number
goes to the bin farther from zero (+1.00% to "+1% to +2%", −1.00% to "−2% to −1%"), and
an unchanged stock to "0% to +1%", drawn grey below the gains. The bins reach just past the
widest return, at least ±3 points; returns of 10% or more either way go to two end bins,
"≤ −10%" and "≥ +10%", so one outlier does not squeeze the rest.
"""

from __future__ import annotations

import json
import math
import statistics
from collections import Counter
from dataclasses import dataclass

import altair as alt
import pandas as pd

from generator import columns as col
from generator.charts import frames as fr
from generator.charts.describe import DataTable, data_table
from generator.charts.style import (
    FONT_SIZE,
    HEIGHT,
    TEXT_COLOUR,
    WIDTH,
    direction_scale,
    finish,
)

TAIL = 10
MIN_LIMIT = 3
BIN = "bin"
BIN_LABEL = "bin_label"
COUNT = "count"
SHARE = "share"
WHAT = "what"
STACK_START = "stack_start"
STACK_END = "stack_end"
BAR_START = "bar_start"
BAR_END = "bar_end"
_GAP = 0.06
_HEADROOM = 1.45
# For placing the rules' labels: the plot's width and a character's, in px (about).
_PLOT_WIDTH = WIDTH - 70
_CHAR_WIDTH = FONT_SIZE * 0.56
_WORDS = {fr.GAIN: "up", fr.LOSS: "down", fr.FLAT: "unchanged"}


@dataclass(frozen=True)
class Spread:
    """Today's returns of the constituents that traded, binned, with their summary."""

    returns: tuple[float, ...]
    limit: int
    tails: bool
    bins: pd.DataFrame  # bin, direction, count, stacked from zero within the bin
    median_pct: float

    @property
    def edges(self) -> tuple[int, int]:
        """Return the lowest and highest bin edge drawn (end bins included)."""
        return (-self.limit - 1, self.limit + 1) if self.tails else (-self.limit, self.limit)

    def counts(self) -> dict[str, int]:
        """Return how many constituents went up, down and did not change."""
        found = Counter(_direction(r) for r in self.returns)
        return {d: found.get(d, 0) for d in fr.DIRECTIONS}


def _direction(value: float) -> str:
    """Return gain, loss or flat by the exact sign, as the breadth counts do."""
    return fr.GAIN if value > 0 else fr.LOSS if value < 0 else fr.FLAT


def bin_of(value: float, limit: int) -> int:
    """Return the lower edge of a return's bin; -limit - 1 and limit are the end bins."""
    steady = round(value, 6)  # 2.9999999999 from a division is 3
    if value > 0:
        low = math.floor(steady)
    elif value < 0:
        low = -math.floor(-steady) - 1
    else:
        low = 0
    return max(-limit - 1, min(limit, low))


def bin_label(low: int, limit: int) -> str:
    """Return a bin's range as text: "−2% to −1%", "0% to +1%", "≥ +10%"."""
    if low <= -limit - 1:
        return f"≤ {fr.MINUS}{limit}%"
    if low >= limit:
        return f"≥ +{limit}%"

    def edge(v: int) -> str:
        return "0%" if v == 0 else f"{'+' if v > 0 else fr.MINUS}{abs(v)}%"

    return f"{edge(low)} to {edge(low + 1)}"


def spread(df: pd.DataFrame) -> Spread:
    """Bin the returns of the constituents that traded (return_pct; NaN: did not trade)."""
    what = "return distribution"
    fr.require(df, (col.RETURN_PCT,), what)
    traded = df[col.RETURN_PCT].dropna()
    if traded.empty:
        raise ValueError(f"{what}: no constituent traded; skip this chart on such a day")
    returns = tuple(fr.finite(traded, what))
    widest = max(abs(r) for r in returns)
    limit = min(TAIL, max(MIN_LIMIT, math.floor(widest) + 1))
    tails = widest >= TAIL
    found = Counter((bin_of(r, limit), _direction(r)) for r in returns)
    rows = []
    for low in sorted({b for b, _ in found}):
        start = 0
        for direction in (fr.FLAT, fr.GAIN, fr.LOSS):
            count = found.get((low, direction), 0)
            if count:
                rows.append({BIN: low, fr.DIRECTION: direction, COUNT: count,
                             STACK_START: start, STACK_END: start + count})
                start += count
    bins = pd.DataFrame(rows)
    return Spread(returns, limit, tails, bins, float(statistics.median(returns)))


def _marks(s: Spread, index_name: str, index_pct: float | None,
           domain: tuple[float, float]) -> pd.DataFrame:
    """Return the rules to draw: the index's return (when known) and the median.

    The index is labelled on the top line, the median on the next. Each label sits on the
    side away from the other rule, unless it would run out of the plot there.
    """
    marks: list[tuple[float, str, str]] = []
    if index_pct is not None:
        marks.append((index_pct, f"{index_name} {fr.signed_pct(index_pct)}", "index"))
    marks.append((s.median_pct, f"Median {fr.signed_pct(s.median_pct)}", "median"))
    low, high = domain
    per_char = (high - low) * _CHAR_WIDTH / _PLOT_WIDTH
    sides = []
    for n, (at, label, _) in enumerate(marks):
        others = [other for m, (other, _, _) in enumerate(marks) if m != n]
        right = at >= others[0] if others else at <= (low + high) / 2
        width = per_char * (len(label) + 1.5)
        if right and at + width > high:
            right = False
        elif not right and at - width < low:
            right = True
        sides.append("right" if right else "left")
    return pd.DataFrame({
        "at": [at for at, _, _ in marks],
        "mark_label": [label for _, label, _ in marks],
        WHAT: [what for _, _, what in marks],
        "side": sides,
        "line": list(range(len(marks))),
    })


def _x_axis(s: Spread, low: float, high: float) -> alt.X:
    """Return the return axis with whole-point ticks, the end bins labelled ≤ and ≥."""
    step = 1 if s.limit <= 4 else 2
    ticks: list[float] = [v for v in range(-s.limit, s.limit + 1) if v % step == 0]
    labels = [fr.signed_count(int(v)) for v in ticks]
    if s.tails:
        keep = [i for i, v in enumerate(ticks) if abs(v) < s.limit]
        ticks = [-s.limit - 0.5, *(ticks[i] for i in keep), s.limit + 0.5]
        labels = [f"≤{fr.MINUS}{s.limit}", *(labels[i] for i in keep), f"≥+{s.limit}"]
    return alt.X(
        f"{BAR_START}:Q",
        title="Return today (%)",
        scale=alt.Scale(domain=[low, high], nice=False, zero=False),
        # tickCount as many as the values: Vega thins given values down to tickCount.
        axis=alt.Axis(values=ticks, tickCount=len(ticks), grid=False,
                      labelExpr=f"{json.dumps(labels, ensure_ascii=False)}"
                      f"[indexof({json.dumps(ticks)}, datum.value)]"),
    )


def distribution_chart(
    df: pd.DataFrame, index_name: str, index_pct: float | None, *, title: str | None = None
) -> alt.LayerChart:
    """Build a histogram of today's returns, the index's return and the median as rules."""
    s = spread(df)
    low, high = s.edges
    if index_pct is not None:
        low, high = min(low, math.floor(index_pct)), max(high, math.ceil(index_pct))
    bars = s.bins.copy()
    bars[BAR_START] = [b + _GAP for b in bars[BIN]]
    bars[BAR_END] = [b + 1 - _GAP for b in bars[BIN]]
    bars[BIN_LABEL] = [bin_label(b, s.limit) for b in bars[BIN]]
    bars[WHAT] = [_WORDS[d] for d in bars[fr.DIRECTION]]
    top = int(s.bins.groupby(BIN)[COUNT].sum().max())
    y = alt.Y(f"{STACK_END}:Q", title="Stocks",
              scale=alt.Scale(domain=[0, math.ceil(top * _HEADROOM)], nice=False),
              axis=alt.Axis(format=",d", tickCount=4, tickMinStep=1))
    histogram = alt.Chart(bars).mark_bar().encode(
        x=_x_axis(s, low, high), x2=f"{BAR_END}:Q", y=y, y2=f"{STACK_START}:Q",
        color=alt.Color(f"{fr.DIRECTION}:N", scale=direction_scale(), legend=None),
        tooltip=[alt.Tooltip(f"{BIN_LABEL}:N", title="Return"),
                 alt.Tooltip(f"{WHAT}:N", title="Direction"),
                 alt.Tooltip(f"{COUNT}:Q", title="Stocks", format=",d")],
    )
    marks = alt.Chart(_marks(s, index_name, index_pct, (low, high)))
    rules = marks.mark_rule(color=TEXT_COLOUR, strokeWidth=2).encode(
        x="at:Q",
        strokeDash=alt.StrokeDash(f"{WHAT}:N", legend=None,
                                  scale=alt.Scale(domain=["index", "median"],
                                                  range=[[1, 0], [5, 3]])),
    )
    is_right = "datum.side === 'right'"  # the label goes right of its rule
    labels = marks.mark_text(
        baseline="top", fontSize=FONT_SIZE, color=TEXT_COLOUR,
        align=alt.expr(f"{is_right} ? 'left' : 'right'"),
        dx=alt.expr(f"{is_right} ? 5 : -5"),
        dy=alt.expr(f"4 + datum.line * {FONT_SIZE + 4}"),
        fontWeight=alt.expr(f"datum.{WHAT} === 'index' ? 'bold' : 'normal'"),
    ).encode(x="at:Q", y=alt.value(0), text="mark_label:N")
    return finish([histogram, rules, labels], HEIGHT,
                  title or f"Today's return of the {fr.format_count(len(s.returns))} "
                  "stocks that traded")


def alt_text_distribution(df: pd.DataFrame, index_name: str, index_pct: float | None) -> str:
    """Describe the histogram: counts up and down, median, index return, how many beat it."""
    s = spread(df)
    n = len(s.returns)
    counts = s.counts()
    bins = (f"in one-point bins, returns of {TAIL}% or more either way in the two end bins"
            if s.tails else "in one-point bins")
    text = (
        f"Histogram of today's returns of the {fr.format_count(n)} stocks that traded, {bins}: "
        f"{fr.format_count(counts[fr.GAIN])} up, {fr.format_count(counts[fr.LOSS])} down, "
        f"{fr.format_count(counts[fr.FLAT])} unchanged. "
        f"Median {fr.signed_pct(s.median_pct)}"
    )
    if index_pct is not None:
        beat = sum(1 for r in s.returns if r > index_pct)
        text += (f"; the {index_name} {fr.signed_pct(index_pct)}, beaten by "
                 f"{fr.format_count(beat)} of the {fr.format_count(n)}")
    return (f"{text}. Returns ranged from {fr.signed_pct(min(s.returns))} "
            f"to {fr.signed_pct(max(s.returns))}.")


def table_distribution(df: pd.DataFrame) -> DataTable:
    """Tabulate the histogram: every bin from the lowest to the highest, with its share."""
    s = spread(df)
    low, high = s.edges
    counts = s.bins.groupby(BIN)[COUNT].sum()
    total = len(s.returns)
    rows = pd.DataFrame({BIN: range(low, high)})
    rows[COUNT] = [int(counts.get(b, 0)) for b in rows[BIN]]
    rows[BIN_LABEL] = [bin_label(b, s.limit) for b in rows[BIN]]
    rows[SHARE] = [f"{c / total * 100:.1f}%" for c in rows[COUNT]]
    return data_table(
        rows,
        {BIN_LABEL: "Return today", COUNT: "Stocks", SHARE: "Share"},
        {COUNT: fr.format_count},
        right_align={COUNT, SHARE},
    )
