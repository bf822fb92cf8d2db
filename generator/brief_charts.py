"""The four charts of a brief: frames from metrics, export beside the page, Markdown embeds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from generator import charts
from generator import columns as C
from generator.metrics.segment import SegmentDay


@dataclass(frozen=True)
class ChartResult:
    """Embeds by chart kind and how many charts were rendered versus reused."""

    embeds: dict[str, str]
    rendered: int
    reused: int


def chart_frames(sd: SegmentDay) -> dict[str, pd.DataFrame]:
    """Return the data of each chart, built from the segment's metrics only."""
    returns = pd.DataFrame(
        [{"label": r.label, "return_pct": r.change_pct, "kind": r.kind} for r in sd.ranking],
        columns=["label", "return_pct", "kind"],
    )
    history = sd.history[[C.TRADE_DATE, C.CLOSE]].copy()
    movers = pd.concat(
        [
            sd.gainers.assign(side="gainer"),
            sd.losers.assign(side="loser"),
        ],
        ignore_index=True,
    )[[C.SYMBOL, C.NAME, C.RETURN_PCT, "side"]]
    return {"returns": returns, "history": history, "movers": movers}


def write_brief_charts(sd: SegmentDay, folder: Path, stem: str) -> ChartResult:
    """Export the brief's charts as `<stem>-<kind>.svg` in `folder`; return their embeds."""
    frames = chart_frames(sd)
    b = sd.breadth
    label = sd.segment.label
    specs = []
    if not frames["returns"].empty and sd.move is not None:
        df = frames["returns"]
        specs.append(("returns", charts.segment_returns_chart(df, label),
                      charts.alt_text_segment_returns(df, label),
                      charts.table_segment_returns(df, label)))
    if len(frames["history"]) >= 2:
        df = frames["history"]
        specs.append(("history", charts.index_history_chart(df, sd.segment.index),
                      charts.alt_text_index_history(df, sd.segment.index),
                      charts.table_index_history(df, sd.segment.index)))
    counts = (b.advances, b.declines, b.unchanged, b.not_traded)
    specs.append(("breadth", charts.breadth_chart(*counts), charts.alt_text_breadth(*counts),
                  charts.table_breadth(*counts)))
    if not frames["movers"].empty:
        df = frames["movers"]
        specs.append(("movers", charts.movers_chart(df), charts.alt_text_movers(df),
                      charts.table_movers(df)))
    embeds: dict[str, str] = {}
    rendered = 0
    for kind, chart, alt, table in specs:
        name = f"{stem}-{kind}.svg"
        rendered += charts.export_chart(chart, folder / name)
        embeds[kind] = charts.embed_markdown(charts.ChartEmbed(name, alt, table))
    return ChartResult(embeds, rendered, len(specs) - rendered)
