"""Exchange files crafted by hand for tests, written independently of the demo market."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from generator.config import Config, load_config
from generator.store import Store

UDIFF_HEADER = (
    "TradDt,BizDt,Sgmt,Src,FinInstrmTp,FinInstrmId,ISIN,TckrSymb,SctySrs,XpryDt,"
    "FininstrmActlXpryDt,StrkPric,OptnTp,FinInstrmNm,OpnPric,HghPric,LwPric,ClsPric,LastPric,"
    "PrvsClsgPric,UndrlygPric,SttlmPric,OpnIntrst,ChngInOpnIntrst,TtlTradgVol,TtlTrfVal,"
    "TtlNbOfTxsExctd,SsnId,NewBrdLotQty,Rmks,Rsvd1,Rsvd2,Rsvd3,Rsvd4"
)
INDEX_HEADER = (
    "Index Name,Index Date,Open Index Value,High Index Value,Low Index Value,"
    "Closing Index Value,Points Change,Change(%),Volume,Turnover (Rs. Cr.),P/E,P/B,Div Yield"
)
RECEIVED = datetime(2026, 2, 12, 19, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Stock:
    """One company share on one day."""

    isin: str
    symbol: str
    name: str
    prev_close: float
    close: float | None  # None: did not trade
    series: str = "EQ"


def _q(text: str) -> str:
    return f'"{text}"' if any(ch in text for ch in ',"\n') else text


def udiff_bytes(day: date, stocks: Iterable[Stock], extra_rows: Sequence[str] = ()) -> bytes:
    """Return a UDiFF bhavcopy holding the stocks that traded (and any raw extra rows)."""
    lines = [UDIFF_HEADER]
    for n, s in enumerate(stocks, start=1):
        if s.close is None:
            continue
        hi, lo = max(s.close, s.prev_close), min(s.close, s.prev_close)
        lines.append(
            f"{day},{day},CM,NSE,STK,{n},{s.isin},{s.symbol},{s.series},,,,,{_q(s.name.upper())},"
            f"{s.prev_close:.2f},{hi:.2f},{lo:.2f},{s.close:.2f},{s.close:.2f},"
            f"{s.prev_close:.2f},,{s.close:.2f},,,1000,{s.close * 1000:.2f},10,F1,1,,,,,"
        )
    lines.extend(extra_rows)
    return ("\n".join(lines) + "\n").encode()


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.1f}"
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text


def index_bytes(day: date, rows: Iterable[tuple[str, float, float]]) -> bytes:
    """Return an ind_close_all file; rows are (name, close, previous close)."""
    lines = [INDEX_HEADER]
    for name, close, prev in rows:
        points = round(close - prev, 2)
        pct = round(points / prev * 100, 2)
        lines.append(
            f"{_q(name)},{day:%d-%m-%Y},{prev:.2f},{max(close, prev):.2f},{min(close, prev):.2f},"
            f"{close:.2f},{points:.2f},{_num(pct)},1000,10.5,20.1,3.2,1.1"
        )
    return ("\n".join(lines) + "\n").encode()


def constituents_bytes(stocks: Iterable[Stock]) -> bytes:
    """Return a constituent list in NSE's layout."""
    lines = ["Company Name,Industry,Symbol,Series,ISIN Code"]
    lines += [f"{_q(s.name)},Textiles,{s.symbol},EQ,{s.isin}" for s in stocks]
    return ("\n".join(lines) + "\n").encode()


def meetings_bytes(meetings: Iterable[tuple[Stock, date]]) -> bytes:
    """Return a board-meetings JSON list of results meetings."""
    items = [
        {
            "bm_symbol": s.symbol,
            "bm_date": f"{when:%d-%b-%Y}",
            "bm_purpose": "To consider and approve the Quarterly Unaudited Financial results",
            "bm_desc": "Board Meeting Intimation",
            "sm_indusrty": "Textiles",
            "bm_timestamp": f"{when:%d-%b-%Y} 10:00:00",
            "sm_name": s.name,
            "sm_isin": s.isin,
            "attachment": "",
            "diff": "00:00:01",
            "sysTime": f"{when:%d-%b-%Y} 10:00:01",
        }
        for s, when in meetings
    ]
    return json.dumps(items, indent=2).encode()


def holidays_bytes(days: Iterable[date] = ()) -> bytes:
    """Return a holiday-master JSON with the given CM holidays."""
    items = [{"tradingDate": f"{d:%d-%b-%Y}", "weekDay": f"{d:%A}", "description": "Holiday",
              "Sr_no": i} for i, d in enumerate(days, start=1)]
    return json.dumps({"CM": items, "FO": items}).encode()


def isin(number: int, prefix: str = "INE") -> str:
    """Return a made-up ISIN-shaped code (check digits are not needed by the pipeline)."""
    return f"{prefix}{number:06d}015"


def put(store: Store, kind: str, day: date, name: str, data: bytes) -> None:
    """Store a crafted file as a pull would."""
    store.put_raw(kind, day, name, data, source="crafted", received_at=RECEIVED)


def config_for(root: Path, segments: Sequence[dict[str, str]],
               benchmarks: Sequence[dict[str, str]]) -> Config:
    """Write brief.toml under root (data and docs dirs beside it) and load it."""
    lines = ['[paths]', 'data_dir = "data"', 'docs_dir = "site_src"', 'site_dir = "site"', ""]
    for table, items in (("segments", segments), ("benchmarks", benchmarks)):
        for item in items:
            lines.append(f"[[{table}]]")
            lines += [f"{key} = {json.dumps(value)}" for key, value in item.items()]
            lines.append("")
    path = root / "brief.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return load_config(path)


CM_BHAV_HEADER = ("SYMBOL,SERIES,OPEN,HIGH,LOW,CLOSE,LAST,PREVCLOSE,TOTTRDQTY,TOTTRDVAL,TIMESTAMP,"
                  "TOTALTRADES,ISIN,")


def cm_bhav_bytes(day: date, stocks: Iterable[Stock]) -> bytes:
    """Return a pre-UDiFF cmDDMONYYYYbhav.csv holding the stocks that traded."""
    months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    stamp = f"{day:%d}-{months[day.month - 1]}-{day:%Y}"
    lines = [CM_BHAV_HEADER]
    for s in stocks:
        if s.close is None:
            continue
        hi, lo = max(s.close, s.prev_close), min(s.close, s.prev_close)
        lines.append(f"{s.symbol},{s.series},{s.prev_close:.2f},{hi:.2f},{lo:.2f},{s.close:.2f},"
                     f"{s.close:.2f},{s.prev_close:.2f},1000,{s.close * 1000:.2f},{stamp},10,"
                     f"{s.isin},")
    return ("\n".join(lines) + "\n").encode()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """Return a zip (deflated, fixed timestamps) holding `members` by name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 2, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def write_folder(parent: Path, files: dict[str, bytes], name: str = "in") -> Path:
    """Write `files` into a new folder `parent/name`, as a maintainer's downloads; return it."""
    folder = parent / name
    folder.mkdir()
    for file_name, data in files.items():
        (folder / file_name).write_bytes(data)
    return folder
