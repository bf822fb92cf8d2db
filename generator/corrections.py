"""Corrections: what changed in a published brief when its data changed, and the record of it.

When an exchange re-issues a file of a published session (or a missing file arrives), the
briefs it feeds are computed again. A brief whose figures, sentences or sources differ from
what was published is re-rendered with a dated note saying which files changed and which
figures went from what to what; the earlier wording of every changed sentence is kept in
the note, and the earlier version of every file stays in the archive's history. The notes
are kept beside the briefs in `corrections.json`, so any later render keeps them.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from generator.fileio import write_text_atomic
from generator.narrative import numbers as N
from generator.summary import BriefSummary

FILE_NAME = "corrections.json"


@dataclass(frozen=True)
class Change:
    """One thing that went from one printed value to another."""

    what: str
    before: str
    after: str


@dataclass(frozen=True)
class Correction:
    """A dated correction of one brief."""

    published: str  # the day the correction was published, YYYY-MM-DD
    segment: str
    files: tuple[Change, ...]
    figures: tuple[Change, ...]
    sentences: tuple[Change, ...]

    @property
    def day(self) -> date:
        """Return the day the correction was published."""
        return date.fromisoformat(self.published)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Correction:
        """Read a correction written by `write`."""
        def changes(key: str) -> tuple[Change, ...]:
            return tuple(Change(**c) for c in raw.get(key, []))

        return cls(str(raw["published"]), str(raw["segment"]), changes("files"),
                   changes("figures"), changes("sentences"))


def _optional(fmt: Callable[[Any], str]) -> Callable[[Any], str]:
    return lambda v: "missing" if v is None else fmt(v)


_FIGURES: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
    ("index_close", "index close", _optional(N.level)),
    ("change_pct", "index change", _optional(N.signed_pct)),
    ("window_pct", "five-session change", _optional(N.signed_pct)),
    ("advances", "advances", N.count),
    ("declines", "declines", N.count),
    ("unchanged", "unchanged", N.count),
    ("not_traded", "did not trade", N.count),
    ("ad_ratio", "A/D ratio", _optional(N.ratio)),
    ("mean_pct", "equal-weighted return", _optional(N.signed_pct)),
    ("median_pct", "median return", _optional(N.signed_pct)),
)


def _mover(row: dict[str, Any]) -> str:
    return N.signed_pct(row["return_pct"])


def _meeting(row: dict[str, Any]) -> str:
    return str(row["date"])


def _label(row: dict[str, Any]) -> str:
    return f"{row['from'] or 'new'} → {row['to']}"


# Lists of named stocks: what is shown for each stock.
_LISTS: tuple[tuple[str, str, Callable[[dict[str, Any]], str]], ...] = (
    ("gainers", "top gainers", _mover),
    ("losers", "top losers", _mover),
    ("results_due", "results due", _meeting),
    ("trend_changes", "trend label changes", _label),
    ("rating_changes", "rating changes", _label),
)


def _list_change(what: str, old: list[dict[str, Any]], new: list[dict[str, Any]],
                 show: Callable[[dict[str, Any]], str]) -> Change | None:
    """Return a list's change as the stocks that left it, joined it or changed in it."""
    before = {str(r["symbol"]): show(r) for r in old}
    after = {str(r["symbol"]): show(r) for r in new}
    if list(before.items()) == list(after.items()):
        return None
    left = [f"{sym} {before[sym]}" for sym in before if sym not in after]
    joined = [f"{sym} {after[sym]}" for sym in after if sym not in before]
    moved = [(sym, before[sym], after[sym]) for sym in before
             if sym in after and before[sym] != after[sym]]
    if not (left or joined or moved):  # the same stocks in another order
        return Change(what, ", ".join(before), ", ".join(after))
    old_side = [*left, *(f"{sym} {b}" for sym, b, _ in moved)]
    new_side = [*joined, *(f"{sym} {a}" for sym, _, a in moved)]
    return Change(what, ", ".join(old_side) or "none", ", ".join(new_side) or "none")


def figure_changes(old: BriefSummary, new: BriefSummary) -> list[Change]:
    """Return the brief's figures that differ between two summaries, as printed."""
    found = []
    for key, what, fmt in _FIGURES:
        before, after = fmt(getattr(old, key)), fmt(getattr(new, key))
        if before != after:
            found.append(Change(what, before, after))
    for key, what, show in _LISTS:
        change = _list_change(what, getattr(old, key), getattr(new, key), show)
        if change is not None:
            found.append(change)
    return found


def file_changes(old: BriefSummary, new: BriefSummary) -> list[Change]:
    """Return the source files whose SHA-256 differs, was added or removed (short shas)."""
    if not old.sources:  # published before sources were recorded: nothing to compare
        return []
    before = {s["name"]: s["sha256"][:12] for s in old.sources}
    after = {s["name"]: s["sha256"][:12] for s in new.sources}
    return [Change(name, before.get(name, "none"), after.get(name, "none"))
            for name in sorted(before.keys() | after.keys())
            if before.get(name) != after.get(name)]


def sentence_changes(old: Sequence[str], new: Sequence[str]) -> list[Change]:
    """Return the sentences that differ between two versions of a brief's prose, paired
    where one replaced another."""
    found = []
    matcher = difflib.SequenceMatcher(a=list(old), b=list(new), autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            continue
        olds, news = list(old[a0:a1]), list(new[b0:b1])
        width = max(len(olds), len(news))
        olds += [""] * (width - len(olds))
        news += [""] * (width - len(news))
        found += [Change("sentence", o, n) for o, n in zip(olds, news, strict=True)]
    return found


def compare(old: BriefSummary, new: BriefSummary, old_sentences: Sequence[str],
            new_sentences: Sequence[str], published: date) -> Correction | None:
    """Return the correction of a brief published as `old`, or None if nothing changed."""
    files = tuple(file_changes(old, new))
    figures = tuple(figure_changes(old, new))
    sentences = tuple(sentence_changes(old_sentences, new_sentences))
    if not (files or figures or sentences):
        return None
    return Correction(published.isoformat(), new.segment, files, figures, sentences)


def read(folder: Path) -> list[Correction]:
    """Return the corrections recorded in a day's folder, oldest first."""
    path = folder / FILE_NAME
    if not path.is_file():
        return []
    return [Correction.from_dict(c) for c in json.loads(path.read_text(encoding="utf-8"))]


def add(folder: Path, found: Sequence[Correction]) -> None:
    """Append corrections to a day's record (a correction already recorded is not added
    twice, so a publish run again after a failure records it once)."""
    kept = read(folder)
    kept += [c for c in found if c not in kept]
    text = json.dumps([asdict(c) for c in kept], indent=2, ensure_ascii=False) + "\n"
    write_text_atomic(folder / FILE_NAME, text)


def for_segment(corrections: Sequence[Correction], segment: str) -> list[Correction]:
    """Return the corrections of one segment's brief."""
    return [c for c in corrections if c.segment == segment]
