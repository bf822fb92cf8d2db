"""Colours, sizes and the shared chart configuration."""

from __future__ import annotations

import altair as alt

from generator.charts.frames import BREADTH_CATEGORIES, DIRECTIONS, FLAT, GAIN, LOSS

WIDTH = 560
BAR_STEP = 28
FONT = "sans-serif"
FONT_SIZE = 12
TITLE_SIZE = 15
TEXT_COLOUR = "#333333"
MUTED_COLOUR = "#6b6b6b"
GRID_COLOUR = "#e6e6e6"
BACKGROUND = "white"

# A blue/orange pair that colour-blind readers can tell apart; grey for no change.
BLUE = "#1f77b4"
ORANGE = "#d95f02"
GREY = "#8c8c8c"
LIGHT_GREY = "#c7c7c7"
DIRECTION_COLOURS = {GAIN: BLUE, LOSS: ORANGE, FLAT: GREY}
BREADTH_COLOURS = dict(zip(BREADTH_CATEGORIES, (BLUE, ORANGE, GREY, LIGHT_GREY), strict=True))

EMPHASIS_OPACITY = 1.0
MUTED_OPACITY = 0.55


def direction_scale() -> alt.Scale:
    """Return the colour scale mapping gain, loss and flat to their colours."""
    return alt.Scale(domain=list(DIRECTIONS), range=[DIRECTION_COLOURS[d] for d in DIRECTIONS])


def finish(layers: list[alt.Chart], height: int | alt.Step, title: str) -> alt.LayerChart:
    """Layer the charts and set the title, size and the configuration every chart shares."""
    # Built in one constructor call: chained .properties()/.configure_*() calls deep-copy
    # and validate the whole chart at every step, which dominated render time.
    chart = alt.LayerChart(
        layer=layers,
        height=height,
        title=alt.TitleParams(text=title, anchor="start"),
        width=WIDTH,
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
        padding={"left": 5, "right": 10, "top": 5, "bottom": 5},
        config=alt.Config(
            background=BACKGROUND,
            font=FONT,
            view=alt.ViewConfig(stroke=None),
            title=alt.TitleConfig(fontSize=TITLE_SIZE, color=TEXT_COLOUR, offset=10),
            axis=alt.AxisConfig(
                labelFontSize=FONT_SIZE,
                titleFontSize=FONT_SIZE,
                labelColor=TEXT_COLOUR,
                titleColor=MUTED_COLOUR,
                titleFontWeight="normal",
                gridColor=GRID_COLOUR,
                domainColor=GREY,
                tickColor=GREY,
            ),
        ),
    )
    return chart
