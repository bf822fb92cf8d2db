"""Build the four chart specs from small frames; nothing here reads or writes files."""

from __future__ import annotations

import json
import math
from typing import Literal

import altair as alt
import pandas as pd

from generator import columns as col
from generator.charts import frames as fr
from generator.charts.style import (
    BAR_STEP,
    BLUE,
    BREADTH_COLOURS,
    EMPHASIS_OPACITY,
    FONT_SIZE,
    GREY,
    MUTED_COLOUR,
    MUTED_OPACITY,
    TEXT_COLOUR,
    direction_scale,
    finish,
)

# Share of the plot width kept free beside the bars for their value labels.
_LABEL_ROOM = 0.15
_AXIS_LABELS = 7
# Sessions of empty x range per session shown, kept right of the line for the last label.
_HISTORY_ROOM = 0.25


def _value_domain(rows: pd.DataFrame) -> list[float]:
    """Return an x domain holding zero, every bar and room for the labels at the bar ends."""
    values = list(rows[col.RETURN_PCT])
    low, high = min(0.0, *values), max(0.0, *values)
    span = (high - low) or 1.0
    left = fr.LOSS in set(rows[fr.DIRECTION])
    right = bool({fr.GAIN, fr.FLAT} & set(rows[fr.DIRECTION]))
    total = span / (1 - _LABEL_ROOM * (left + right))
    return [
        round(low - _LABEL_ROOM * total * left, 4),
        round(high + _LABEL_ROOM * total * right, 4),
    ]


def _signed_bars(
    rows: pd.DataFrame, y: alt.Y, emphasis: str | None = None
) -> tuple[alt.Chart, alt.Chart]:
    """Return bars coloured by direction and signed value labels at the bar ends.

    With an emphasis expression, matching bars are opaque and their labels bold.
    """
    base = alt.Chart(rows).encode(
        y=y,
        x=alt.X(
            f"{col.RETURN_PCT}:Q",
            title="Return today (%)",
            scale=alt.Scale(domain=_value_domain(rows), nice=False),
            axis=alt.Axis(format="~f", tickCount=6),
        ),
    )
    bars: alt.Chart = base.mark_bar(height={"band": 0.72}).encode(
        color=alt.Color(f"{fr.DIRECTION}:N", scale=direction_scale(), legend=None),
    )
    is_loss = f"datum.{fr.DIRECTION} === {json.dumps(fr.LOSS)}"
    weight: alt.ExprRef | Literal["normal"] = "normal"
    if emphasis is not None:
        bars = bars.encode(
            opacity=alt.condition(emphasis, alt.value(EMPHASIS_OPACITY), alt.value(MUTED_OPACITY))
        )
        weight = alt.expr(f"{emphasis} ? 'bold' : 'normal'")
    labels: alt.Chart = base.mark_text(
        fontSize=FONT_SIZE,
        color=TEXT_COLOUR,
        align=alt.expr(f"{is_loss} ? 'right' : 'left'"),
        dx=alt.expr(f"{is_loss} ? -4 : 4"),
        fontWeight=weight,
    ).encode(text=f"{fr.VALUE_LABEL}:N")
    return bars, labels


def _zero_rule() -> alt.Chart:
    """Return a vertical rule at zero."""
    rule: alt.Chart = alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(color=GREY)
    return rule.encode(x="zero:Q")


def segment_returns_chart(
    df: pd.DataFrame, highlight: str, *, title: str | None = None
) -> alt.LayerChart:
    """Build horizontal bars of today's return per segment and benchmark, highlight in bold."""
    rows = fr.segment_rows(df, highlight)
    chosen = json.dumps(highlight)
    benchmarks = json.dumps(sorted(rows.loc[rows[fr.KIND] == "benchmark", fr.LABEL]))
    y = alt.Y(
        f"{fr.LABEL}:N",
        sort=list(rows[fr.LABEL]),
        title=None,
        axis=alt.Axis(
            ticks=False,
            domain=False,
            labelPadding=8,
            labelLimit=180,
            labelFontWeight=alt.expr(f"datum.value === {chosen} ? 'bold' : 'normal'"),
            labelColor=alt.expr(
                f"indexof({benchmarks}, datum.value) >= 0 ? '{MUTED_COLOUR}' : '{TEXT_COLOUR}'"
            ),
        ),
    )
    bars, labels = _signed_bars(rows, y, emphasis=f"datum.{fr.EMPHASIS}")
    layers = [bars, _zero_rule(), labels]
    return finish(layers, alt.Step(BAR_STEP), title or "Today's return by segment")


def index_history_chart(
    df: pd.DataFrame, index_name: str, *, title: str | None = None
) -> alt.LayerChart:
    """Build a line of the index close over the given sessions, the last close labelled.

    x is the session number, so weekends and holidays leave no gaps; ticks show dates.
    """
    rows = fr.history_rows(df)
    count = len(rows)
    step = max(1, math.ceil(count / _AXIS_LABELS))
    ticks = list(range(count - 1, -1, -step))[::-1]
    names = json.dumps([fr.format_date(d, year=False) for d in rows[fr.DATE]])
    closes = list(rows[col.CLOSE])
    low, high = min(closes), max(closes)
    pad = (high - low) * 0.1 or abs(high) * 0.01 or 1.0
    base = alt.Chart(rows).encode(
        x=alt.X(
            f"{fr.SESSION}:Q",
            title=None,
            # Room right of the last session for its label.
            scale=alt.Scale(domain=[-0.5, round(count - 1 + _HISTORY_ROOM * (count - 0.5), 3)]),
            axis=alt.Axis(values=ticks, labelExpr=f"{names}[datum.value]", grid=False),
        ),
        y=alt.Y(
            f"{col.CLOSE}:Q",
            title="Close",
            scale=alt.Scale(
                zero=False, nice=False, domain=[round(low - pad, 2), round(high + pad, 2)]
            ),
            axis=alt.Axis(format=",.0f", tickCount=5),
        ),
    )
    line = base.mark_line(color=BLUE, strokeWidth=2)
    points = base.mark_point(color=BLUE, filled=True, size=36, opacity=1)
    last = (
        base.transform_filter(f"datum.{fr.IS_LAST}")
        .mark_text(
            align="left",
            baseline="middle",
            dx=8,
            fontSize=FONT_SIZE,
            fontWeight="bold",
            color=TEXT_COLOUR,
        )
        .encode(text=f"{fr.CLOSE_LABEL}:N")
    )
    return finish([line, points, last], 220, title or f"{index_name}: last {count} sessions")


def breadth_chart(
    advances: int, declines: int, unchanged: int, not_traded: int, *, title: str | None = None
) -> alt.LayerChart:
    """Build one bar per breadth category, each labelled with its count."""
    rows = fr.breadth_rows(advances, declines, unchanged, not_traded)
    top = max(5, int(rows[fr.COUNT].max()))
    base = alt.Chart(rows).encode(
        y=alt.Y(
            f"{fr.CATEGORY}:N",
            sort=list(fr.BREADTH_CATEGORIES),
            title=None,
            axis=alt.Axis(ticks=False, domain=False, labelPadding=8),
        ),
        x=alt.X(
            f"{fr.COUNT}:Q",
            title="Stocks",
            scale=alt.Scale(domain=[0, round(top / (1 - _LABEL_ROOM), 2)], nice=False),
            axis=alt.Axis(format=",d", tickCount=5, tickMinStep=1),
        ),
    )
    bars = base.mark_bar(height={"band": 0.72}).encode(
        color=alt.Color(
            f"{fr.CATEGORY}:N",
            scale=alt.Scale(domain=list(BREADTH_COLOURS), range=list(BREADTH_COLOURS.values())),
            legend=None,
        ),
    )
    labels = base.mark_text(align="left", dx=4, fontSize=FONT_SIZE, color=TEXT_COLOUR).encode(
        text=f"{fr.COUNT_LABEL}:N"
    )
    return finish([bars, labels], alt.Step(BAR_STEP), title or "Market breadth today")


def movers_chart(df: pd.DataFrame, *, title: str | None = None) -> alt.LayerChart:
    """Build horizontal bars of the top gainers and losers by symbol, highest return first."""
    rows = fr.mover_rows(df)
    y = alt.Y(
        f"{col.SYMBOL}:N",
        sort=list(rows[col.SYMBOL]),
        title=None,
        axis=alt.Axis(ticks=False, domain=False, labelPadding=8, labelLimit=160),
    )
    bars, labels = _signed_bars(rows, y)
    layers = [bars, _zero_rule(), labels]
    return finish(layers, alt.Step(BAR_STEP), title or "Top gainers and losers today")
