"""Breadth over many sessions: net advances (advances minus declines) as one bar a session.

Net advances read the same for a day of the brief and for the whole archive: a bar above
zero is a session with more advances than declines. The ratio would need a special case on
days with no declines and squeezes weak days into 0..1, so it is not drawn.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from generator.charts import frames as fr
from generator.charts.builders import session_x
from generator.charts.describe import DataTable, data_table
from generator.charts.style import (
    FONT_SIZE,
    GREY,
    HEIGHT,
    TEXT_COLOUR,
    direction_scale,
    finish,
    zoom_x,
)
from generator.metrics.breadth_depth import ADVANCES, DECLINES, NET

NET_LABEL = "net_label"
BAR_START = "bar_start"
BAR_END = "bar_end"
# Share of the sessions shown kept empty right of the last bar, for its label.
_ROOM = 0.12
# The axis spans at least this many sessions: a young archive's few bars stay bars.
_MIN_SESSIONS = 20


def breadth_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Return session, date, advances, declines, net and labels, oldest session first."""
    what = "segment breadth"
    fr.require(df, (fr.DATE, ADVANCES, DECLINES), what)
    days = fr.iso_days(df[fr.DATE])
    fr.unique(days, what)
    counts = {}
    for name in (ADVANCES, DECLINES):
        values = fr.finite(df[name], what)
        if any(v < 0 or v != int(v) for v in values):
            raise ValueError(f"{what}: {name} must be whole numbers >= 0")
        counts[name] = [int(v) for v in values]
    frame = pd.DataFrame({fr.DATE: days, **counts})
    frame = frame.sort_values(fr.DATE, kind="mergesort").reset_index(drop=True)
    frame.insert(0, fr.SESSION, range(len(frame)))
    net = [a - d for a, d in zip(frame[ADVANCES], frame[DECLINES], strict=True)]
    # Thin bars with a gap while they are wide enough to show one; touching when many.
    half = 0.4 if len(frame) <= 120 else 0.5
    frame[BAR_START] = [s - half for s in frame[fr.SESSION]]
    frame[BAR_END] = [s + half for s in frame[fr.SESSION]]
    frame[NET] = net
    frame[fr.DIRECTION] = [fr.GAIN if n > 0 else fr.LOSS if n < 0 else fr.FLAT for n in net]
    frame[NET_LABEL] = [fr.signed_count(n) for n in net]
    frame[fr.DAY_LABEL] = [fr.format_date(d) for d in frame[fr.DATE]]
    frame[fr.IS_LAST] = [i == len(frame) - 1 for i in range(len(frame))]
    return frame


def segment_breadth_chart(
    df: pd.DataFrame, label: str, *, title: str | None = None
) -> alt.LayerChart:
    """Build one bar of net advances per session (columns date, advances, declines).

    Blue above zero, orange below, a rule at zero; the last session's bar is labelled.
    """
    rows = breadth_rows(df)
    count = len(rows)
    x = session_x(BAR_START, list(rows[fr.DATE]), _ROOM, _MIN_SESSIONS)
    y = alt.Y(f"{NET}:Q", title="Advances − declines", axis=alt.Axis(format=",d", tickCount=5))
    bars = alt.Chart(rows).mark_bar().encode(
        x=x, x2=alt.X2(f"{BAR_END}:Q"), y=y, y2=alt.Y2Datum(0),
        color=alt.Color(f"{fr.DIRECTION}:N", scale=direction_scale(), legend=None),
        tooltip=[
            alt.Tooltip(f"{fr.DAY_LABEL}:N", title="Date"),
            alt.Tooltip(f"{ADVANCES}:Q", title="Advances", format=",d"),
            alt.Tooltip(f"{DECLINES}:Q", title="Declines", format=",d"),
            alt.Tooltip(f"{NET_LABEL}:N", title="Net"),
        ],
    ).add_params(zoom_x())
    zero = alt.Chart(pd.DataFrame({"zero": [0]})).mark_rule(color=GREY).encode(y="zero:Q")
    last = (
        alt.Chart(rows)
        .transform_filter(f"datum.{fr.IS_LAST}")
        .mark_text(align="left", baseline="middle", dx=4, fontSize=FONT_SIZE,
                   fontWeight="bold", color=TEXT_COLOUR)
        .encode(x=alt.X(f"{BAR_END}:Q"), y=y, text=f"{NET_LABEL}:N")
    )
    noun = "session" if count == 1 else "sessions"
    return finish([bars, zero, last], HEIGHT,
                  title or f"{label}: net advances, last {count} {noun}")


def alt_text_segment_breadth(df: pd.DataFrame, label: str) -> str:
    """Describe the breadth chart: the last session's counts, how many sessions were
    positive and the range of net advances."""
    rows = breadth_rows(df)
    count = len(rows)
    days = [fr.format_date(d) for d in rows[fr.DATE]]
    a, d, n = (int(rows[c].iloc[-1]) for c in (ADVANCES, DECLINES, NET))
    today = (f"On {days[-1]}, {fr.format_count(a)} advanced and {fr.format_count(d)} declined "
             f"(net {fr.signed_count(n)}).")
    lead = ("Bar chart of net advances (advances minus declines) of "
            f"{label}, one bar per session; bars above zero are sessions with more advances "
            "than declines.")
    if count == 1:
        return f"{lead} One session: {today}"
    nets = list(rows[NET])
    positive = sum(1 for v in nets if v > 0)
    high = max(range(count), key=lambda i: (nets[i], i))
    low = min(range(count), key=lambda i: (nets[i], -i))
    return (
        f"{lead} {fr.format_count(count)} sessions from {days[0]} to {days[-1]}. {today} "
        f"More advances than declines on {fr.format_count(positive)} of "
        f"{fr.format_count(count)} sessions. Net advances ranged from "
        f"{fr.signed_count(nets[low])} on {days[low]} to {fr.signed_count(nets[high])} "
        f"on {days[high]}."
    )


def table_segment_breadth(df: pd.DataFrame, label: str) -> DataTable:
    """Tabulate the breadth chart, oldest session first (`label` as for the chart)."""
    del label  # the same arguments as the chart and its alt text; the headers need none
    rows = breadth_rows(df)
    return data_table(
        rows,
        {fr.DATE: "Date", ADVANCES: "Advances", DECLINES: "Declines", NET_LABEL: "Net"},
        {fr.DATE: fr.format_date, ADVANCES: fr.format_count, DECLINES: fr.format_count},
        right_align={ADVANCES, DECLINES, NET_LABEL},
    )
