"""The charts of a brief: frames from metrics, export beside the page, Markdown embeds.

Kinds, in the order the brief shows them: history (the index over about a month, the
five-session window shaded), breadth (net advances over about three months), distribution
(today's returns of the constituents) and prices (the named stocks' recent closes). A chart
without data is left out.

Two charts a brief once had are gone, for a ten-year archive's bytes and files: a bar chart
of the top movers (the same ten returns as the movers table beside it) and one of today's
return of every segment and benchmark (the same six bars in each of a day's four briefs;
the text names the segment's rank and the benchmarks, and the day page tabulates every
segment).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from generator import charts
from generator import columns as C
from generator.chart_memo import ChartMemo, frames_key
from generator.charts import frames as fr
from generator.metrics.breadth_depth import ADVANCES, DECLINES
from generator.metrics.plausibility import unconfirmed
from generator.metrics.segment import WINDOW_SESSIONS, SegmentDay

# Sessions of net advances in the brief's breadth chart (about three months).
BREADTH_SESSIONS = 63


@dataclass(frozen=True)
class ChartResult:
    """Embeds by chart kind and how many charts were rendered versus reused."""

    embeds: dict[str, str]
    rendered: int
    reused: int


def chart_frames(sd: SegmentDay) -> dict[str, pd.DataFrame]:
    """Return the data of each chart that has some, built from the segment's metrics only."""
    frames: dict[str, pd.DataFrame] = {}
    if len(sd.history) >= 2:
        frames["history"] = sd.history[[C.TRADE_DATE, C.CLOSE]].copy()
    depth = sd.context.depth if sd.context is not None else None
    if depth is not None and depth.advance_decline.sessions:
        table = depth.advance_decline.table.tail(BREADTH_SESSIONS)
        frames["breadth"] = pd.DataFrame({
            fr.DATE: list(table.index),
            ADVANCES: list(table[ADVANCES]),
            DECLINES: list(table[DECLINES]),
        })
    if sd.members is not None:
        # Flagged moves not yet confirmed are left out, as from the brief's median.
        held = unconfirmed(sd.members, sd.flags)
        returns = sd.members.loc[~held, [C.SYMBOL, C.RETURN_PCT]]
        traded = returns.loc[np.isfinite(returns[C.RETURN_PCT].to_numpy(dtype=float))]
        if not traded.empty:
            frames["distribution"] = traded.reset_index(drop=True)
    # A one-session price line says nothing the Movers table does not.
    if sd.prices is not None and sd.prices.shape[1] and len(sd.prices) >= 2:
        frames["prices"] = sd.prices
    return frames


Spec = tuple[str, alt.TopLevelMixin | dict[str, Any], str, charts.DataTable]


@dataclass(frozen=True)
class _Plan:
    """A chart of the brief, not yet built: its spec, alt text and table on demand."""

    kind: str
    chart: Callable[[], alt.TopLevelMixin | dict[str, Any]]
    alt_text: Callable[[], str]
    table: Callable[[], charts.DataTable]


def _plans(sd: SegmentDay) -> tuple[dict[str, pd.DataFrame], tuple[object, ...], list[_Plan]]:
    """Return the chart frames, the parameters the charts take besides them, and the plan of
    each chart with data, in the brief's order."""
    frames = chart_frames(sd)
    label, index = sd.segment.label, sd.segment.index
    move = sd.move
    # The band shows the window the brief's five-session figure covers; without the
    # figure it still marks the last five sessions, unlabelled.
    window_pct = move.window_pct if move is not None else None
    window = (move.window_sessions if move is not None and window_pct is not None
              else WINDOW_SESSIONS)
    index_pct = move.change_pct if move is not None else None
    plans: list[_Plan] = []
    if (df := frames.get("history")) is not None:
        plans.append(_Plan("history",
                           partial(charts.index_history_chart, df, index, window=window,
                                   window_pct=window_pct),
                           partial(charts.alt_text_index_history, df, index, window=window,
                                   window_pct=window_pct),
                           partial(charts.table_index_history, df, index)))
    if (df := frames.get("breadth")) is not None:
        plans.append(_Plan("breadth", partial(charts.segment_breadth_chart, df, label),
                           partial(charts.alt_text_segment_breadth, df, label),
                           partial(charts.table_segment_breadth, df, label)))
    if (df := frames.get("distribution")) is not None:
        plans.append(_Plan("distribution",
                           partial(charts.distribution_chart, df, index, index_pct),
                           partial(charts.alt_text_distribution, df, index, index_pct),
                           partial(charts.table_distribution, df)))
    if (df := frames.get("prices")) is not None:
        plans.append(_Plan("prices", partial(charts.price_panels_chart, df),
                           partial(charts.alt_text_prices, df),
                           partial(charts.table_prices, df)))
    return frames, (label, index, window, window_pct, index_pct), plans


def brief_specs(sd: SegmentDay) -> list[Spec]:
    """Return (kind, chart, alt text, table) of each chart with data, in the brief's order."""
    return [(plan.kind, plan.chart(), plan.alt_text(), plan.table())
            for plan in _plans(sd)[2]]


def write_brief_charts(sd: SegmentDay, folder: Path, stem: str,
                       batch: charts.SvgBatch | None = None,
                       memo: ChartMemo | None = None) -> ChartResult:
    """Export the brief's charts as `<stem>-<kind>.svg` in `folder`; return their embeds.

    With a `memo`, charts drawn from the same frames by the same code, their bundle and
    SVGs untouched since, are not built at all (see `generator.chart_memo`): only their alt
    texts are.
    """
    frames, params, plans = _plans(sd)
    kinds = [plan.kind for plan in plans]
    key = frames_key(frames, params) if memo is not None else None
    bundle = folder / f"{stem}{charts.BUNDLE_SUFFIX}"
    if memo is not None and key is not None and memo.holds(
            folder, stem, key, kinds, bundle,
            [folder / f"{stem}-{kind}.svg" for kind in kinds]):
        return ChartResult({plan.kind: _embed(stem, plan.kind, plan.alt_text())
                            for plan in plans}, 0, len(plans))
    result = export_specs([(plan.kind, plan.chart(), plan.alt_text(), plan.table())
                           for plan in plans], folder, stem, batch)
    if memo is not None and key is not None:
        def note(memo: ChartMemo = memo, key: str = key) -> None:
            memo.record(folder, stem, key, kinds, bundle)

        if batch is None:
            note()
        else:
            batch.after(note)  # after the bundle: its digest is the one written
    return result


def _embed(stem: str, kind: str, alt_text: str) -> str:
    """Return the Markdown of a brief chart: its SVG, alt text and spec in the bundle."""
    return charts.embed_markdown(charts.ChartEmbed(
        f"{stem}-{kind}.svg", alt_text, spec=f"{stem}{charts.BUNDLE_SUFFIX}#{kind}"))


def export_specs(specs: Sequence[Spec], folder: Path, stem: str,
                 batch: charts.SvgBatch | None = None) -> ChartResult:
    """Export (kind, chart, alt text, table) specs as `<stem>-<kind>.svg` in `folder`, their
    specs in one bundle `<stem>.charts.json.gz`, through `batch` when one is given (see
    `charts.SvgBatch`).

    Each spec carries its chart's data table (`usermeta.table`, which Vega ignores): the page
    shows it when a reader opens "Chart data" (`javascripts/charts.js`), so the page does
    not hold a second copy of every chart's numbers in its markup.
    """
    rendered = charts.export_charts(
        [(kind, with_table(chart, table)) for kind, chart, _, table in specs],
        folder, stem, batch)
    embeds = {kind: _embed(stem, kind, alt_text) for kind, _, alt_text, _ in specs}
    return ChartResult(embeds, rendered, len(specs) - rendered)


def with_table(chart: alt.TopLevelMixin | dict[str, Any],
               table: charts.DataTable) -> dict[str, Any]:
    """Return the chart's Vega-Lite spec carrying its data table in `usermeta.table`."""
    spec = chart if isinstance(chart, dict) else chart.to_dict(validate=False)
    return {**spec, "usermeta": {**spec.get("usermeta", {}), "table": table.as_json()}}
