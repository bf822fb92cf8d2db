"""Colours, sizes and the shared chart configuration.

Sizes are for a phone first: a chart is drawn WIDTH px wide and shown at that size on a wide
screen, scaled down to the column (about 340 px) on a 375 px phone, where FONT_SIZE still
reads at about 9.5 px.
"""

from __future__ import annotations

import altair as alt

from generator.charts.frames import DIRECTIONS, FLAT, GAIN, LOSS

WIDTH = 460
HEIGHT = 200
FONT = "sans-serif"
FONT_SIZE = 13
TITLE_SIZE = 16
TEXT_COLOUR = "#333333"
MUTED_COLOUR = "#6b6b6b"
GRID_COLOUR = "#e6e6e6"
BACKGROUND = "white"
PADDING = {"left": 5, "right": 10, "top": 5, "bottom": 5}

# A blue/orange pair that colour-blind readers can tell apart; grey for no change.
BLUE = "#1f77b4"
ORANGE = "#d95f02"
GREY = "#8c8c8c"
BAND_COLOUR = "#e8eef5"
DIRECTION_COLOURS = {GAIN: BLUE, LOSS: ORANGE, FLAT: GREY}

# The one interactive param a chart may have: drag or wheel on x to zoom the interactive
# view. Named, so the spec does not depend on Altair's process-wide counter.
ZOOM = "zoom"


def direction_scale() -> alt.Scale:
    """Return the colour scale mapping gain, loss and flat to their colours."""
    return alt.Scale(domain=list(DIRECTIONS), range=[DIRECTION_COLOURS[d] for d in DIRECTIONS])


def zoom_x() -> alt.Parameter:
    """Return the x zoom of the interactive view: an interval selection bound to the scales."""
    return alt.selection_interval(name=ZOOM, bind="scales", encodings=["x"])


def config() -> alt.Config:
    """Return the configuration every chart shares: white card, fonts, muted axes."""
    return alt.Config(
        # No ARIA attributes per mark: an SVG shown as <img> exposes only its alt text (and
        # the interactive view stands in for the image, with the same text), while the
        # attributes more than double the size of a long bar chart.
        aria=False,
        background=BACKGROUND,
        font=FONT,
        view=alt.ViewConfig(stroke=None),
        title=alt.TitleConfig(
            fontSize=TITLE_SIZE,
            color=TEXT_COLOUR,
            offset=10,
            subtitleFontSize=FONT_SIZE,
            subtitleColor=MUTED_COLOUR,
        ),
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
        header=alt.HeaderConfig(labelFontSize=FONT_SIZE, labelColor=TEXT_COLOUR),
    )


def title_params(title: str, subtitle: str | None = None) -> alt.TitleParams:
    """Return a left-aligned title, with a muted subtitle when given."""
    if subtitle is None:
        return alt.TitleParams(text=title, anchor="start")
    return alt.TitleParams(text=title, subtitle=subtitle, anchor="start")


def finish(
    layers: list[alt.Chart],
    height: int | alt.Step,
    title: str,
    *,
    subtitle: str | None = None,
) -> alt.LayerChart:
    """Layer the charts and set the title, size and the configuration every chart shares."""
    # Built in one constructor call: chained .properties()/.configure_*() calls deep-copy
    # and validate the whole chart at every step, which dominated render time.
    chart = alt.LayerChart(
        layer=layers,
        height=height,
        title=title_params(title, subtitle),
        width=WIDTH,
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
        padding=PADDING,
        config=config(),
    )
    return chart
