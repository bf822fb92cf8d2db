"""Small price charts of the stocks a brief names: one panel each, on its own scale.

The input is the brief's `prices` frame: sessions (trade dates) by symbol, NaN where a stock
did not trade. Each panel's title gives the symbol and its change from its first to its last
close shown; a dotted rule marks the first close, a dot the last.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from generator import columns as col
from generator.charts import frames as fr
from generator.charts.describe import DataTable, data_table
from generator.charts.style import (
    FONT_SIZE,
    GREY,
    PADDING,
    WIDTH,
    config,
    direction_scale,
    title_params,
)

PANEL = "panel"
# A panel's title is two lines, symbol then change, so neither is cut in a narrow panel.
LINE_BREAK = "\n"
FIRST_CLOSE = "first_close"
COLUMNS = 3
PANEL_HEIGHT = 56
SPACING = 16
# Facets cannot fit a width: each panel gets its share of WIDTH after the gaps, the padding
# and the pixel a line's stroke sticks out on each side.
PANEL_WIDTH = (WIDTH - PADDING["left"] - PADDING["right"] - SPACING * (COLUMNS - 1)
               - 2 * COLUMNS) // COLUMNS


def _closes(prices: pd.DataFrame) -> tuple[list[str], list[str], dict[str, list[float]]]:
    """Check the frame; return its days (ascending), symbols and closes by symbol (NaN kept)."""
    what = "named prices"
    if prices.shape[1] == 0:
        raise ValueError(f"{what}: no stocks; skip this chart when the brief names none")
    if prices.shape[0] == 0:
        raise ValueError(f"{what}: no sessions; skip this chart when there is no data")
    symbols = [str(s) for s in prices.columns]
    fr.unique(symbols, what)
    days = fr.iso_days(pd.Series(prices.index))
    fr.unique(days, what)
    order = sorted(range(len(days)), key=days.__getitem__)
    closes = {}
    for symbol, column in zip(symbols, prices.columns, strict=True):
        values = [float(v) for v in prices[column]]
        if any(math.isinf(v) or v <= 0 for v in values if not math.isnan(v)):
            raise ValueError(f"{what}: {symbol} has a close <= 0 or infinite; drop it first")
        closes[symbol] = [values[i] for i in order]
    return [days[i] for i in order], symbols, closes


def _panel_title(symbol: str, closes: list[float]) -> tuple[str, str]:
    """Return a panel's title (symbol and change over the closes shown) and direction."""
    known = [c for c in closes if not math.isnan(c)]
    if not known:
        return f"{symbol}{LINE_BREAK}no trade", fr.FLAT
    if len(known) == 1:
        return f"{symbol}{LINE_BREAK}1 close", fr.FLAT
    change = (known[-1] / known[0] - 1) * 100
    return f"{symbol}{LINE_BREAK}{fr.signed_pct(change)}", fr.direction_of(change)


def price_rows(prices: pd.DataFrame) -> pd.DataFrame:
    """Return one row per stock and session it traded, panels in the order given.

    A stock with no close at all keeps one row with a missing close, so it still gets a
    panel (saying so in its title).
    """
    days, symbols, closes = _closes(prices)
    rows: list[dict[str, object]] = []
    for symbol in symbols:
        title, direction = _panel_title(symbol, closes[symbol])
        panel = {col.SYMBOL: symbol, PANEL: title, fr.DIRECTION: direction}
        traded = [i for i, c in enumerate(closes[symbol]) if not math.isnan(c)]
        if not traded:
            rows.append({**panel, fr.SESSION: None, fr.DAY_LABEL: None,
                         col.CLOSE: None, FIRST_CLOSE: None, fr.CLOSE_LABEL: None,
                         fr.IS_LAST: False})
        for i in traded:
            close = closes[symbol][i]
            rows.append({**panel, fr.SESSION: i, fr.DAY_LABEL: fr.format_date(days[i]),
                         col.CLOSE: close,
                         FIRST_CLOSE: closes[symbol][traded[0]],
                         fr.CLOSE_LABEL: fr.format_close(close), fr.IS_LAST: i == traded[-1]})
    return pd.DataFrame(rows)


def price_panels_chart(prices: pd.DataFrame, *, title: str | None = None) -> alt.FacetChart:
    """Build one small line per stock (sessions x symbol closes), three panels a row."""
    rows = price_rows(prices)
    count = len(prices)
    panels = list(dict.fromkeys(rows[PANEL]))
    # Half a session of air at each end keeps the last dot inside its panel.
    x = alt.X(f"{fr.SESSION}:Q", axis=None,
              scale=alt.Scale(domain=[-0.5, count - 0.5], nice=False, zero=False))
    y = alt.Y(f"{col.CLOSE}:Q", axis=None, scale=alt.Scale(zero=False))
    colour = alt.Color(f"{fr.DIRECTION}:N", scale=direction_scale(), legend=None)
    tooltip = [alt.Tooltip(f"{col.SYMBOL}:N", title="Symbol"),
               alt.Tooltip(f"{fr.DAY_LABEL}:N", title="Date"),
               alt.Tooltip(f"{fr.CLOSE_LABEL}:N", title="Close")]
    layers = [
        alt.Chart().mark_rule(color=GREY, strokeDash=[2, 2], strokeWidth=1)
        .encode(y=alt.Y(f"{FIRST_CLOSE}:Q", axis=None))
        .transform_filter(f"datum.{fr.IS_LAST}"),
        alt.Chart().mark_line(strokeWidth=1.75).encode(x=x, y=y, color=colour),
        alt.Chart().mark_point(filled=True, size=30, opacity=1)
        .encode(x=x, y=y, color=colour, tooltip=tooltip)
        .transform_filter(f"datum.{fr.IS_LAST}"),
    ]
    noun = "session" if count == 1 else "sessions"
    return alt.FacetChart(
        data=rows,
        spec=alt.LayerChart(layer=layers, width=PANEL_WIDTH, height=PANEL_HEIGHT),
        facet=alt.Facet(f"{PANEL}:N", sort=panels, title=None,
                        header=alt.Header(labelAnchor="start", labelPadding=4,
                                          labelFontWeight="bold", labelLimit=PANEL_WIDTH,
                                          labelExpr=f"split(datum.value, {LINE_BREAK!r})",
                                          labelLineHeight=FONT_SIZE + 3)),
        columns=COLUMNS,
        spacing={"row": 10, "column": SPACING},
        resolve=alt.Resolve(scale=alt.ScaleResolveMap(y="independent")),
        title=title_params(title or f"Named stocks: closes, last {count} {noun}",
                           "Each on its own scale; dotted line: first close"),
        padding=PADDING,
        config=config(),
    )


def alt_text_prices(prices: pd.DataFrame) -> str:
    """Describe the panels: the period, then each stock's change and first and last close."""
    days, symbols, closes = _closes(prices)
    items = []
    for symbol in symbols:
        known = [c for c in closes[symbol] if not math.isnan(c)]
        title = _panel_title(symbol, closes[symbol])[0].replace(LINE_BREAK, " ")
        if len(known) >= 2:
            title += f" ({fr.format_close(known[0])} to {fr.format_close(known[-1])})"
        elif known:
            title += f" ({fr.format_close(known[0])})"
        if 0 < len(known) < len(days):
            title += f", traded on {len(known)} of {len(days)} sessions"
        items.append(title)
    span = (f"on {fr.format_date(days[0])}" if len(days) == 1
            else f"over {len(days)} sessions, {fr.format_date(days[0])} to "
                 f"{fr.format_date(days[-1])}")
    noun = "stock" if len(symbols) == 1 else "stocks"
    return (f"Small line charts of the closing prices of {len(symbols)} {noun} {span}, "
            f"each on its own scale, the last close marked: {'; '.join(items)}.")


def table_prices(prices: pd.DataFrame) -> DataTable:
    """Tabulate every close shown: one row per session, one column per stock."""
    days, symbols, closes = _closes(prices)
    names = [f"c{i}" for i in range(len(symbols))]
    frame = pd.DataFrame({fr.DATE: days, **{
        name: ["" if math.isnan(c) else fr.format_close(c) for c in closes[symbol]]
        for name, symbol in zip(names, symbols, strict=True)
    }})
    return data_table(
        frame,
        {fr.DATE: "Date", **dict(zip(names, symbols, strict=True))},
        {fr.DATE: fr.format_date},
        right_align=set(names),
    )
