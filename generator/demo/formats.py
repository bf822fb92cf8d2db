"""Render the demo market as the exchange's own file formats, byte for byte.

The quirks reproduced here are the contract with the parsers: UDiFF prices with exactly two
decimals; index closes and points printed like Python floats (`23270.6`, `53.0`, `-0.88`);
opens, highs, lows, change %, turnover and ratios printed without trailing zeros or a leading
zero (`.23`, `-.42`, `50742`); `-` for values an index does not have; LF line endings.
"""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date

from generator.demo.indices import INDEX_COLUMNS
from generator.demo.market import DemoMarket
from generator.demo.meetings import nse_date, render_meetings
from generator.narrative.numbers import WEEKDAYS
from generator.sources import nse_constituents, nse_indices, nse_udiff

# File names and headers are the parsers' own: the writer and the readers share one contract
# (tests check the written header against the real exchange file independently).
UDIFF_HEADER = ",".join(nse_udiff.HEADER)
INDEX_HEADER = ",".join(nse_indices.HEADER)
CONSTITUENT_HEADER = nse_constituents.HEADER
HOLIDAY_SEGMENTS = ("CBM", "CD", "CM", "CMOT", "COM", "FO", "IRD", "MF", "NDM", "NTRP", "SLBS")
_INDEX_VALUES = INDEX_COLUMNS[2:]  # after trade_date and index_name


def render_bhavcopy(market: DemoMarket, day: date) -> bytes:
    """Return the UDiFF bhavcopy of one session."""
    rows = market.equities(day)
    stamp = f"{day:%Y-%m-%d},{day:%Y-%m-%d},CM,NSE,STK,"
    lines = [UDIFF_HEADER]
    columns = [
        rows[c].tolist()
        for c in (
            "fin_id",
            "isin",
            "symbol",
            "series",
            "bhav_name",
            "open",
            "high",
            "low",
            "close",
            "last",
            "prev_close",
            "settle",
            "volume",
            "turnover",
            "trades",
            "lot",
        )
    ]
    for (
        fin_id,
        isin,
        symbol,
        series,
        name,
        o,
        h,
        lo,
        c,
        last,
        prev,
        settle,
        volume,
        turnover,
        trades,
        lot,
    ) in zip(*columns, strict=True):
        lines.append(
            f"{stamp}{fin_id},{isin},{symbol},{series},,,,,{_csv_field(name)},{o:.2f},{h:.2f},"
            f"{lo:.2f},{c:.2f},{last:.2f},{prev:.2f},,{settle:.2f},,,{volume:.0f},"
            f"{turnover:.2f},{trades:.0f},F1,{lot},,,,,"
        )
    return ("\n".join(lines) + "\n").encode()


def render_index_close(market: DemoMarket, day: date) -> bytes:
    """Return the `ind_close_all` snapshot of one session."""
    levels = market.index_levels[market.index_levels["trade_date"] == day]
    names = [str(name) for name in levels["index_name"]]
    values = {col: levels[col].to_numpy(dtype=float).tolist() for col in _INDEX_VALUES}
    lines = [INDEX_HEADER]
    for i, name in enumerate(names):
        row = {col: values[col][i] for col in _INDEX_VALUES}
        places = 4 if name == "India VIX" else 2
        fields = [
            name,
            f"{day:%d-%m-%Y}",
            _bare(row["open"], places),
            _bare(row["high"], places),
            _bare(row["low"], places),
            _float(row["close"]),
            _float(row["points_change"]),
            _bare(row["change_pct"]),
            "-" if math.isnan(row["volume"]) else f"{row['volume']:.0f}",
            _bare(row["turnover_cr"]),
            _bare(row["pe"]),
            _bare(row["pb"]),
            _bare(row["div_yield"]),
        ]
        lines.append(",".join(fields))
    return ("\n".join(lines) + "\n").encode()


def render_constituents(market: DemoMarket, file_name: str) -> bytes:
    """Return one index constituent list (csv-quoted only where a field needs it)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CONSTITUENT_HEADER)
    for row in market.constituents(file_name).itertuples(index=False):
        writer.writerow((row.name, row.industry, row.symbol, row.series, row.isin))
    return buffer.getvalue().encode()


def render_holidays(market: DemoMarket) -> bytes:
    """Return the holiday master (same list for every segment, as in NSE's response)."""
    listed = [
        {
            "tradingDate": nse_date(h.day),
            "weekDay": WEEKDAYS[h.day.weekday()],
            "description": h.description,
            "Sr_no": i,
        }
        for i, h in enumerate(market.holidays, start=1)
    ]
    payload = dict.fromkeys(HOLIDAY_SEGMENTS, listed)
    return (json.dumps(payload, indent=2, ensure_ascii=False) + "\n").encode()


def render_board_meetings(market: DemoMarket, day: date) -> bytes:
    """Return the board-meeting calendar as published on `day`."""
    return render_meetings(market.meetings, day)


def _csv_field(text: str) -> str:
    """Quote a CSV field only when it holds a comma, quote or line break."""
    if any(ch in text for ch in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _float(value: float) -> str:
    """Print like a Python float rounded to 2 places: `23270.6`, `53.0`, `-0.88`; `-` if absent."""
    if math.isnan(value):
        return "-"
    return repr(round(value, 2) + 0.0)


def _bare(value: float, places: int = 2) -> str:
    """Print without trailing zeros or leading zero: `.23`, `-.42`, `50742`; `-` if absent."""
    if math.isnan(value):
        return "-"
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    if text in ("", "-", "-0"):
        return "0"
    if text.startswith("0."):
        return text[1:]
    if text.startswith("-0."):
        return "-" + text[2:]
    return text
