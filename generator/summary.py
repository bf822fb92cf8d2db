"""A brief's key figures as JSON beside it: what index pages list and readers download."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from generator import columns as C
from generator.metrics.segment import SegmentDay
from generator.narrative.render import headline, named_symbols
from generator.store import StoredFile

# Label and rating changes a brief listed per direction before summaries recorded the
# symbols its text names (the default of [brief] trend_changes).
LEGACY_CAP = 5


@dataclass(frozen=True)
class BriefSummary:
    """The figures of one brief that listings and downloads need."""

    day: str
    segment: str
    label: str
    index: str
    headline: str
    index_close: float | None
    change_pct: float | None
    window_pct: float | None
    window_sessions: int
    advances: int
    declines: int
    unchanged: int
    not_traded: int
    ad_ratio: float | None
    mean_pct: float | None
    median_pct: float | None
    gainers: list[dict[str, Any]]
    losers: list[dict[str, Any]]
    results_due: list[dict[str, Any]]
    trend_changes: list[dict[str, Any]] = field(default_factory=list)
    rating_changes: list[dict[str, Any]] = field(default_factory=list)
    # The files the brief was computed from: kind, day stored, name and SHA-256.
    sources: list[dict[str, str]] = field(default_factory=list)
    # The symbols the brief's text names, in its order (a change behind "and N more" is in
    # trend_changes or rating_changes but not here). None: a summary written before this field.
    named: list[str] | None = None

    @property
    def date(self) -> date:
        """Return the session date."""
        return date.fromisoformat(self.day)

    def to_json(self) -> str:
        """Return the summary as stable, compact JSON (sorted keys, no indentation: a third
        fewer bytes, 13 KB a session; a browser's JSON view indents it)."""
        return json.dumps(asdict(self), sort_keys=True, ensure_ascii=False,
                          separators=(",", ":")) + "\n"

    def text_symbols(self) -> list[str]:
        """Return the symbols the brief's text names, sorted.

        A summary written before `named` existed: the brief listed every mover and result and
        the first LEGACY_CAP label and rating changes of each direction (and provider)."""
        if self.named is not None:
            return sorted(set(self.named))
        found = {str(e["symbol"]) for group in (self.gainers, self.losers, self.results_due)
                 for e in group}
        groups: dict[tuple[str, str], list[str]] = {}
        for kind, entries in (("trend", self.trend_changes), ("rating", self.rating_changes)):
            for e in entries:
                step = int(e.get("steps") or 0)
                side = "new" if kind == "rating" and not e.get("from") else (
                    "up" if step > 0 else "down" if step < 0 else "")
                if side:
                    key = (f"{kind} {e.get('provider', '')}", side)
                    groups.setdefault(key, []).append(str(e["symbol"]))
        for symbols in groups.values():
            found.update(symbols[:LEGACY_CAP])
        return sorted(found)

    @classmethod
    def from_path(cls, path: Path) -> BriefSummary:
        """Read a summary written by to_json."""
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(float(value), digits)


def summarise(sd: SegmentDay, sources: Sequence[StoredFile] = ()) -> BriefSummary:
    """Return the summary of a segment day computed from `sources`."""
    b = sd.breadth

    def movers(frame: Any) -> list[dict[str, Any]]:
        return [
            {"symbol": r[C.SYMBOL], "name": r[C.NAME], "close": _round(r[C.CLOSE], 2),
             "prev_close": _round(r[C.PREV_CLOSE], 2), "return_pct": _round(r[C.RETURN_PCT])}
            for r in frame.to_dict("records")
        ]

    return BriefSummary(
        day=sd.day.isoformat(),
        segment=sd.segment.key,
        label=sd.segment.label,
        index=sd.segment.index,
        headline=headline(sd),
        index_close=_round(sd.move.close, 2) if sd.move else None,
        change_pct=_round(sd.move.change_pct) if sd.move else None,
        window_pct=_round(sd.move.window_pct) if sd.move else None,
        window_sessions=sd.move.window_sessions if sd.move else 0,
        advances=b.advances,
        declines=b.declines,
        unchanged=b.unchanged,
        not_traded=b.not_traded,
        ad_ratio=_round(b.ad_ratio),
        mean_pct=_round(sd.stats.mean_pct),
        median_pct=_round(sd.stats.median_pct),
        gainers=movers(sd.gainers),
        losers=movers(sd.losers),
        results_due=[
            {"symbol": r[C.SYMBOL], "name": r[C.NAME],
             "date": r[C.MEETING_DATE].date().isoformat()}
            for r in sd.results.to_dict("records")
        ],
        trend_changes=[
            {"symbol": r[C.SYMBOL], "name": r[C.NAME], "from": r["from"], "to": r["to"],
             "steps": int(r["steps"])}
            for r in (sd.trend_changes.to_dict("records")
                      if sd.trend_changes is not None else [])
        ],
        rating_changes=[
            {"symbol": r[C.SYMBOL], "name": r[C.NAME], "provider": r["provider"],
             "from": r["from"], "to": r["to"], "steps": int(r["steps"])}
            for r in (sd.rating_changes.to_dict("records")
                      if sd.rating_changes is not None else [])
        ],
        named=named_symbols(sd),
        sources=[{"kind": f.kind, "day": f.day.isoformat(), "name": f.name, "sha256": f.sha256}
                 for f in sources],
    )
