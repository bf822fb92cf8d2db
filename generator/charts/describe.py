"""Describe each chart in words (alt text) and as a table of its numbers."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import pandas as pd

from generator import columns as col
from generator.charts import frames as fr
from generator.escape import clean_text, escape_md


def _line_text(rows: pd.DataFrame, what: str) -> str:
    """Describe a line of closes: first and last close, change, high and low."""
    days = [fr.format_date(d) for d in rows[fr.DATE]]
    closes = list(rows[col.CLOSE])
    if len(closes) == 1:
        return f"Line chart of {what} for 1 session: {fr.format_close(closes[0])} on {days[0]}."
    change = f" ({fr.signed_pct((closes[-1] / closes[0] - 1) * 100)})" if closes[0] else ""
    high = max(range(len(closes)), key=lambda i: (closes[i], i))
    low = min(range(len(closes)), key=lambda i: (closes[i], -i))
    return (
        f"Line chart of {what} over the last {len(closes)} sessions: "
        f"from {fr.format_close(closes[0])} on {days[0]} "
        f"to {fr.format_close(closes[-1])} on {days[-1]}{change}. "
        f"High {fr.format_close(closes[high])} on {days[high]}, "
        f"low {fr.format_close(closes[low])} on {days[low]}."
    )


def alt_text_index_history(
    df: pd.DataFrame, index_name: str, *, window: int = 0, window_pct: float | None = None
) -> str:
    """Describe the index history chart: first and last close, change, high and low, and
    the shaded window with its change."""
    rows = fr.history_rows(df)
    text = _line_text(rows, index_name)
    shown = min(window, len(rows) - 1)
    if shown > 0:
        start = fr.format_date(rows[fr.DATE].iloc[-1 - shown])
        text += f" Shaded: the last {shown} sessions, from the close of {start}"
        text += f" ({fr.signed_pct(window_pct)})." if window_pct is not None else "."
    return text


def alt_text_segment_index(df: pd.DataFrame, index_name: str) -> str:
    """Describe the archive-long index chart: first and last close, change, high and low."""
    return _line_text(fr.history_rows(df, fr.DATE, "segment index"), index_name)


def alt_text_stock_price(df: pd.DataFrame, symbol: str, name: str) -> str:
    """Describe a stock's price chart: first and last close, change, high and low."""
    rows = fr.history_rows(df, col.TRADE_DATE, f"{symbol} prices")
    return _line_text(rows, f"{name} ({symbol}) closing prices")


@dataclass(frozen=True)
class DataTable:
    """A chart's numbers as a table: headers, the 1-based columns aligned right, and rows of
    cells already formatted as the page shows them (plain text, not yet escaped)."""

    headers: tuple[str, ...]
    right: tuple[int, ...]
    rows: tuple[tuple[str, ...], ...]

    def markdown(self) -> str:
        """Render the table as Markdown, every cell and header escaped."""
        right = set(self.right)
        lines = [
            "| " + " | ".join(escape_md(header) for header in self.headers) + " |",
            "| " + " | ".join("---:" if n in right else "---"
                              for n in range(1, len(self.headers) + 1)) + " |",
        ]
        lines += ["| " + " | ".join(escape_md(cell) for cell in row) + " |" for row in self.rows]
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        """Return the table as a chart spec carries it (`usermeta.table`): charts.js writes
        every cell as text, so cells need no escaping, only the marks that make a name
        display as another (`clean_text`), as on the page."""
        return {"headers": [clean_text(h) for h in self.headers], "right": list(self.right),
                "rows": [[clean_text(cell) for cell in row] for row in self.rows]}


def data_table(
    df: pd.DataFrame,
    columns: Mapping[str, str],
    formats: Mapping[str, Callable[[Any], str]] | None = None,
    *,
    right_align: Collection[str] = (),
) -> DataTable:
    """Tabulate the given columns (name -> header), each cell formatted by `formats`."""
    formats = formats or {}
    rows = tuple(
        tuple(formats.get(c, str)(v) for c, v in zip(columns, record, strict=True))
        for record in df[list(columns)].itertuples(index=False, name=None))
    right = tuple(n for n, c in enumerate(columns, 1) if c in right_align)
    return DataTable(tuple(columns.values()), right, rows)


def _line_table(rows: pd.DataFrame, close_header: str) -> DataTable:
    """Tabulate a line of closes with each session's change, oldest session first."""
    closes = list(rows[col.CLOSE])
    rows = rows.assign(change=[""] + [
        fr.signed_pct((now / before - 1) * 100) if before else ""
        for before, now in pairwise(closes)
    ])
    return data_table(
        rows,
        {fr.DATE: "Date", fr.CLOSE_LABEL: close_header, "change": "Change"},
        {fr.DATE: fr.format_date},
        right_align={fr.CLOSE_LABEL, "change"},
    )


def table_index_history(df: pd.DataFrame, index_name: str) -> DataTable:
    """Tabulate the index history chart, oldest session first."""
    return _line_table(fr.history_rows(df), f"{index_name} close")


def table_segment_index(df: pd.DataFrame, index_name: str) -> DataTable:
    """Tabulate the archive-long index chart, oldest session first."""
    return _line_table(fr.history_rows(df, fr.DATE, "segment index"), f"{index_name} close")


def table_stock_price(df: pd.DataFrame, symbol: str, name: str) -> DataTable:
    """Tabulate a stock's price chart, oldest session first."""
    del name  # the same arguments as the chart and its alt text; the headers need the symbol
    rows = fr.history_rows(df, col.TRADE_DATE, f"{symbol} prices")
    return _line_table(rows, f"{symbol} close")
