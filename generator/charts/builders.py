"""Build the bar and line chart specs from small frames; nothing here reads or writes files."""

from __future__ import annotations

import functools
import hashlib
import json
from typing import Any

import altair as alt
import pandas as pd
from altair.utils.data import to_values

from generator import columns as col
from generator.charts import frames as fr
from generator.charts.style import (
    BAND_COLOUR,
    BLUE,
    FONT_SIZE,
    HEIGHT,
    PADDING,
    TEXT_COLOUR,
    WIDTH,
    ZOOM,
    finish,
    zoom_x,
)

# Sessions of empty x range per session shown, kept right of the line for the last label.
_HISTORY_ROOM = 0.25
# Up to this many sessions a line gets a dot on every session (and a tooltip on it).
_DOTTED_SESSIONS = 70


def session_x(field: str, days: list[str], room: float, min_sessions: int = 0) -> alt.X:
    """Return the x encoding of a session axis: no gaps for holidays, ticks show dates.

    `room` is the share of the sessions shown kept empty right of the last one, for its label;
    the axis spans at least `min_sessions`, so a few bars do not fill the width.
    """
    count = len(days)
    span = max(count, min_sessions)
    ticks, labels = fr.session_ticks(days)
    return alt.X(
        f"{field}:Q",
        title=None,
        scale=alt.Scale(domain=[-0.5, round(span - 0.5 + room * span, 3)], nice=False,
                        zero=False),
        # tickCount as many as the values: Vega thins given values down to tickCount.
        axis=alt.Axis(
            values=ticks,
            tickCount=len(ticks),
            labelExpr=f"{json.dumps(labels)}[indexof({json.dumps(ticks)}, datum.value)]",
            grid=False,
        ),
    )


def _close_y(closes: list[float], headroom: float = 0.0) -> alt.Y:
    """Return a y encoding of closes that does not force zero, with a little air around."""
    low, high = min(closes), max(closes)
    pad = (high - low) * 0.1 or abs(high) * 0.01 or 1.0
    span = high - low
    decimals = 0 if span >= 10 else 1 if span >= 1 else 2
    return alt.Y(
        f"{col.CLOSE}:Q",
        title="Close",
        scale=alt.Scale(zero=False, nice=False,
                        domain=[round(low - pad, 4), round(high + pad + headroom * span, 4)]),
        axis=alt.Axis(format=f",.{decimals}f", tickCount=5),
    )


def _window_band(rows: pd.DataFrame, window: int, window_pct: float | None) -> list[alt.Chart]:
    """Return a shaded band over the last `window` sessions and, with a change, its label.

    The band runs from the close before the window to the last close, so the line inside it
    is exactly the move the label states.
    """
    last = len(rows) - 1
    start = max(0, last - window)
    band = pd.DataFrame({"band_start": [start], "band_end": [last]})
    layers = [
        alt.Chart(band).mark_rect(color=BAND_COLOUR).encode(
            x="band_start:Q", x2="band_end:Q"
        )
    ]
    if window_pct is not None:
        text = f"{last - start} sessions\n{fr.signed_pct(window_pct)}"
        label = pd.DataFrame({"band_end": [last], "band_label": [text]})
        layers.append(
            alt.Chart(label)
            .mark_text(align="right", baseline="top", dx=-3, dy=4, fontSize=FONT_SIZE,
                       color=TEXT_COLOUR, lineBreak="\n", lineHeight=FONT_SIZE + 3)
            .encode(x="band_end:Q", y=alt.value(0), text="band_label:N")
        )
    return layers


def _close_line(
    rows: pd.DataFrame,
    title: str,
    *,
    subtitle: str | None = None,
    band: tuple[int, float | None] | None = None,
) -> alt.LayerChart:
    """Build a line of closes by session, dots while few, the last close labelled."""
    count = len(rows)
    closes = list(rows[col.CLOSE])
    labelled = band is not None and band[1] is not None
    base = alt.Chart(rows).encode(
        x=session_x(fr.SESSION, list(rows[fr.DATE]), _HISTORY_ROOM),
        y=_close_y(closes, headroom=0.3 if labelled else 0.0),
    )
    dotted = count <= _DOTTED_SESSIONS
    line = base.mark_line(color=BLUE, strokeWidth=2 if dotted else 1.5).add_params(zoom_x())
    layers = [] if band is None else _window_band(rows, *band)
    layers.append(line)
    tooltip = [alt.Tooltip(f"{fr.DAY_LABEL}:N", title="Date"),
               alt.Tooltip(f"{fr.CLOSE_LABEL}:N", title="Close")]
    if dotted:
        size = 36 if count <= 30 else 14
        layers.append(base.mark_point(color=BLUE, filled=True, size=size, opacity=1)
                      .encode(tooltip=tooltip))
    else:
        layers.append(base.transform_filter(f"datum.{fr.IS_LAST}")
                      .mark_point(color=BLUE, filled=True, size=36, opacity=1)
                      .encode(tooltip=tooltip))
    layers.append(
        base.transform_filter(f"datum.{fr.IS_LAST}")
        .mark_text(align="left", baseline="middle", dx=8, fontSize=FONT_SIZE,
                   fontWeight="bold", color=TEXT_COLOUR)
        .encode(text=f"{fr.CLOSE_LABEL}:N")
    )
    return finish(layers, HEIGHT, title, subtitle=subtitle)


def index_history_chart(
    df: pd.DataFrame,
    index_name: str,
    *,
    title: str | None = None,
    window: int = 0,
    window_pct: float | None = None,
) -> alt.LayerChart:
    """Build a line of the index close over the given sessions, the last close labelled.

    x is the session number, so weekends and holidays leave no gaps; ticks show dates. With
    a `window`, the last `window` sessions are shaded and `window_pct`, when given, labels
    the band.
    """
    rows = fr.history_rows(df)
    count = len(rows)
    if window < 0:
        raise ValueError(f"index history: window must be >= 0 sessions, got {window}")
    band = (min(window, count - 1), window_pct) if window and count > 1 else None
    return _close_line(rows, title or f"{index_name}: last {count} sessions", band=band)


def segment_index_chart(
    df: pd.DataFrame, index_name: str, *, title: str | None = None
) -> alt.LayerChart:
    """Build a thin line of a segment index's close on every session of the archive.

    `df` has columns date and close; the last close is labelled.
    """
    rows = fr.history_rows(df, fr.DATE, "segment index")
    return _close_line(rows, title or f"{index_name} since {fr.format_date(rows[fr.DATE][0])}")


def stock_price_chart(
    df: pd.DataFrame, symbol: str, name: str, *, title: str | None = None
) -> alt.LayerChart:
    """Build a line of a stock's recent closes (columns trade_date, close), the last labelled."""
    rows = fr.history_rows(df, col.TRADE_DATE, f"{symbol} prices")
    count = len(rows)
    noun = "session" if count == 1 else "sessions"
    return _close_line(rows, title or f"{symbol}: last {count} {noun}", subtitle=name)


def stock_price_spec(df: pd.DataFrame, symbol: str, name: str) -> dict[str, Any]:
    """Return the Vega-Lite spec of `stock_price_chart` as a plain dict, built without Altair.

    A day's publish draws a price chart for every stock its briefs name (about a hundred);
    Altair's chart objects copy and validate themselves at each step, which cost most of the
    time. This one shape is written out here, and a test checks that it equals what
    `stock_price_chart` builds (but for the view's name) and validates it once.
    """
    rows = fr.history_rows(df, col.TRADE_DATE, f"{symbol} prices")
    count = len(rows)
    noun = "session" if count == 1 else "sessions"
    x = _channel_dict(session_x(fr.SESSION, list(rows[fr.DATE]), _HISTORY_ROOM))
    y = _channel_dict(_close_y(list(rows[col.CLOSE])))
    dotted = count <= _DOTTED_SESSIONS
    last = [{"filter": f"datum.{fr.IS_LAST}"}]
    values = to_values(rows)["values"]  # what Altair puts in the spec for a frame
    data = "data-" + hashlib.sha256(
        json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:32]
    line = {"mark": {"type": "line", "color": BLUE, "strokeWidth": 2 if dotted else 1.5},
            "encoding": {"x": x, "y": y}}
    view = "view_" + hashlib.sha256(
        json.dumps([line, data], sort_keys=True).encode()).hexdigest()[:16] + "_0"
    tooltip = [{"field": fr.DAY_LABEL, "title": "Date", "type": "nominal"},
               {"field": fr.CLOSE_LABEL, "title": "Close", "type": "nominal"}]
    point = {"mark": {"type": "point", "color": BLUE, "filled": True, "opacity": 1,
                      "size": (36 if count <= 30 else 14) if dotted else 36},
             "encoding": {"tooltip": tooltip, "x": x, "y": y}}
    if not dotted:
        point["transform"] = last
    label = {"mark": {"type": "text", "align": "left", "baseline": "middle", "dx": 8,
                      "fontSize": FONT_SIZE, "fontWeight": "bold", "color": TEXT_COLOUR},
             "encoding": {"text": {"field": fr.CLOSE_LABEL, "type": "nominal"}, "x": x, "y": y},
             "transform": last}
    return {
        "$schema": alt.SCHEMA_URL,
        "autosize": {"contains": "padding", "type": "fit-x"},
        "config": _config_dict(),
        "data": {"name": data},
        "datasets": {data: values},
        "height": HEIGHT,
        "layer": [{**line, "name": view}, point, label],
        "padding": PADDING,
        "params": [{"bind": "scales", "name": ZOOM,
                    "select": {"encodings": ["x"], "type": "interval"}, "views": [view]}],
        "title": {"anchor": "start", "subtitle": name, "text": f"{symbol}: last {count} {noun}"},
        "width": WIDTH,
    }


def _channel_dict(channel: alt.X | alt.Y) -> dict[str, Any]:
    """Return an encoding channel as the spec writes it."""
    out = channel.to_dict(validate=False)
    assert isinstance(out, dict)
    return out


@functools.cache
def _config_dict() -> dict[str, Any]:
    """Return the config block as Altair writes it (the shared config plus the theme's)."""
    chart = finish([alt.Chart(pd.DataFrame({"a": [0]})).mark_point()], HEIGHT, "")
    out: dict[str, Any] = chart.to_dict(validate=False)["config"]
    return out
